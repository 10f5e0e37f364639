import { interpretGet, interpretList } from "./protocol.js";
import type { HelperFailure } from "./protocol.js";
import type { HelperRun, RunHelper } from "./exec-helper.js";
import type { HelperPort } from "./resolve.js";
import { EnvironmentError } from "../errors.js";
import { describeAbnormalEnd, stderrForDisplay } from "../process/bounded-exec.js";

export interface HelperPortOptions {
  /**
   * One display line of free text with credentials redacted and cut short (the CLI passes its redactor).
   * Applied to a failing helper's stderr, after every value its stdout held has been removed.
   */
  readonly displayLine: (text: string) => string;
}

/** What a failing helper said on stderr, safe to show: no value of its stdout, redacted, one short line. */
function stderrNote(run: Extract<HelperRun, { outcome: "exited" }>, options: HelperPortOptions): string {
  const line = stderrForDisplay(run.stderr, { stdout: run.stdout, displayLine: options.displayLine });
  return line ? `; it said: ${line}` : "";
}

/** A run that did not end with an exit code, as the reason of a failure. */
function abnormalEnd(run: Exclude<HelperRun, { outcome: "exited" }>): HelperFailure {
  const reason = describeAbnormalEnd(run);
  return run.outcome === "timed-out" ? { failed: true, timedOut: true, reason } : { failed: true, reason };
}

/** A failure of a finished run, with what the helper said on stderr (made safe) appended. */
function withStderr<T>(
  result: T | HelperFailure,
  run: Extract<HelperRun, { outcome: "exited" }>,
  options: HelperPortOptions,
): T | HelperFailure {
  const failed = typeof result === "object" && result !== null && "failed" in result;
  return failed ? { ...result, reason: result.reason + stderrNote(run, options) } : result;
}

/** Binds the protocol to a process runner: `docker-credential-<suffix>` found on PATH. */
export function createHelperPort(run: RunHelper, options: HelperPortOptions): HelperPort {
  const call = async (suffix: string, action: "get" | "list", stdin: string) => {
    if (!/^[A-Za-z0-9._-]+$/.test(suffix)) {
      throw new EnvironmentError(
        "E_CREDENTIAL_HELPER",
        `invalid credential helper name ${JSON.stringify(suffix)}`,
      );
    }
    try {
      return await run(`docker-credential-${suffix}`, action, stdin);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      throw new EnvironmentError(
        "E_CREDENTIAL_HELPER",
        `cannot run docker-credential-${suffix}: ${code === "ENOENT" ? "not found on PATH" : (code ?? "failed")}`,
        { cause: error, hint: `install docker-credential-${suffix}, or remove it from the docker config` },
      );
    }
  };
  return {
    async get(suffix, serverURL) {
      const result = await call(suffix, "get", serverURL);
      if (result.outcome !== "exited") return abnormalEnd(result);
      return withStderr(interpretGet(serverURL, result.exitCode, result.stdout), result, options);
    },
    async list(suffix) {
      const result = await call(suffix, "list", "");
      if (result.outcome !== "exited") return abnormalEnd(result);
      return withStderr(interpretList(result.exitCode, result.stdout), result, options);
    },
  };
}
