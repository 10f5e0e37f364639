/**
 * Runs a credential helper binary: the I/O edge of this module. Output is capped and the helper is killed
 * after a timeout, so a hung helper (waiting for a desktop keychain prompt, say) cannot hang pullwarden.
 * What the helper printed is returned as it is: deciding what of it may be shown is the caller's job
 * (stdout may hold the credential, even when the helper fails).
 */
import { spawn } from "node:child_process";
import type { Readable } from "node:stream";

export type HelperRun =
  | {
      readonly outcome: "exited";
      readonly exitCode: number;
      readonly stdout: string;
      readonly stderr: string;
    }
  /** No answer within the timeout: the helper was killed. */
  | { readonly outcome: "timed-out"; readonly timeoutMs: number }
  /** More stdout than any credential needs: the helper was killed. */
  | { readonly outcome: "output-too-large"; readonly limitBytes: number }
  /** Killed by a signal pullwarden did not send. */
  | { readonly outcome: "killed"; readonly signal: string };

export type RunHelper = (binary: string, action: "get" | "list", stdin: string) => Promise<HelperRun>;

export interface RunHelperOptions {
  /** How long one call may take before the helper is killed (default DEFAULT_HELPER_TIMEOUT_MS). */
  readonly timeoutMs?: number;
}

/** Long enough for a person to answer a keychain prompt; docker itself waits forever. */
export const DEFAULT_HELPER_TIMEOUT_MS = 30_000;
/** How long output may still arrive after the helper exited, before what was read is taken as its answer. */
const EXIT_GRACE_MS = 1_000;
const MAX_HELPER_STDOUT_BYTES = 256 * 1024;
/** Only the start of stderr is ever shown; the rest is read and dropped so the helper never blocks on it. */
const MAX_HELPER_STDERR_BYTES = 8 * 1024;

/** Collects a stream up to `limit` bytes; `onOverflow` runs once when more arrives. */
function capture(stream: Readable, limit: number, onOverflow?: () => void): () => string {
  const chunks: Buffer[] = [];
  let size = 0;
  stream.on("data", (chunk: Buffer) => {
    const room = limit - size;
    size += chunk.length;
    if (room > 0) chunks.push(chunk.subarray(0, room));
    if (size > limit) onOverflow?.();
  });
  stream.on("error", () => undefined);
  return () => Buffer.concat(chunks).toString("utf8");
}

export function createRunHelper(
  env: Readonly<Record<string, string | undefined>>,
  options: RunHelperOptions = {},
): RunHelper {
  const timeoutMs = options.timeoutMs ?? DEFAULT_HELPER_TIMEOUT_MS;
  return (binary, action, stdin) =>
    new Promise((resolve, reject) => {
      const child = spawn(binary, [action], { env: env as NodeJS.ProcessEnv, stdio: "pipe" });
      let settled = false;
      // Our ends of the pipes are closed on settling: a child the helper left behind may hold them open, and
      // must not keep pullwarden waiting.
      const settle = (result: HelperRun | Error): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        child.stdout.destroy();
        child.stderr.destroy();
        if (result instanceof Error) reject(result);
        else resolve(result);
      };
      const stop = (result: HelperRun): void => {
        child.kill("SIGKILL");
        settle(result);
      };
      const timer = setTimeout(() => stop({ outcome: "timed-out", timeoutMs }), timeoutMs);
      const stdout = capture(child.stdout, MAX_HELPER_STDOUT_BYTES, () =>
        stop({ outcome: "output-too-large", limitBytes: MAX_HELPER_STDOUT_BYTES }),
      );
      const stderr = capture(child.stderr, MAX_HELPER_STDERR_BYTES);
      const finished = (code: number | null, signal: NodeJS.Signals | null): void =>
        settle(
          signal
            ? { outcome: "killed", signal }
            : { outcome: "exited", exitCode: code ?? 1, stdout: stdout(), stderr: stderr() },
        );
      child.on("error", (error) => settle(error));
      child.on("close", finished);
      // "close" waits for the pipes; a child the helper left behind may hold them open after it exited.
      child.on("exit", (code, signal) => setTimeout(() => finished(code, signal), EXIT_GRACE_MS).unref());
      child.stdin.on("error", () => undefined);
      child.stdin.end(stdin);
    });
}
