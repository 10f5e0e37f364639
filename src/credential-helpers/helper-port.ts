import { interpretGet, interpretList } from "./protocol.js";
import type { RunHelper } from "./exec-helper.js";
import type { HelperPort } from "./resolve.js";
import { EnvironmentError } from "../errors.js";

/** Binds the protocol to a process runner: `docker-credential-<suffix>` found on PATH. */
export function createHelperPort(run: RunHelper): HelperPort {
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
      const run = await call(suffix, "get", serverURL);
      return interpretGet(serverURL, run.exitCode, run.stdout);
    },
    async list(suffix) {
      const run = await call(suffix, "list", "");
      return interpretList(run.exitCode, run.stdout);
    },
  };
}
