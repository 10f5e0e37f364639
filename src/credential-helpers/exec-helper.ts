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
      const settle = (result: HelperRun | Error): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        if (result instanceof Error) reject(result);
        else resolve(result);
      };
      // Settles at once instead of waiting for "close": a child of the helper may hold its pipes open.
      const stop = (result: HelperRun): void => {
        child.kill("SIGKILL");
        child.stdout.destroy();
        child.stderr.destroy();
        settle(result);
      };
      const timer = setTimeout(() => stop({ outcome: "timed-out", timeoutMs }), timeoutMs);
      const stdout = capture(child.stdout, MAX_HELPER_STDOUT_BYTES, () =>
        stop({ outcome: "output-too-large", limitBytes: MAX_HELPER_STDOUT_BYTES }),
      );
      const stderr = capture(child.stderr, MAX_HELPER_STDERR_BYTES);
      child.on("error", (error) => settle(error));
      child.on("close", (code, signal) =>
        settle(
          signal
            ? { outcome: "killed", signal }
            : { outcome: "exited", exitCode: code ?? 1, stdout: stdout(), stderr: stderr() },
        ),
      );
      child.stdin.on("error", () => undefined);
      child.stdin.end(stdin);
    });
}
