/**
 * Runs a credential helper binary: the I/O edge of this module, through the one bounded runner
 * (src/process/bounded-exec.ts), so a hung helper (waiting for a desktop keychain prompt, say) cannot hang
 * pullwarden. What the helper printed is returned as it is (stdout may hold the credential, even when it fails).
 */
import { runBounded } from "../process/bounded-exec.js";
import type { ProcessRun } from "../process/bounded-exec.js";

export type HelperRun = ProcessRun;

export type RunHelper = (binary: string, action: "get" | "list", stdin: string) => Promise<HelperRun>;

export interface RunHelperOptions {
  /** How long one call may take before the helper is killed (default DEFAULT_HELPER_TIMEOUT_MS). */
  readonly timeoutMs?: number;
}

/** Long enough for a person to answer a keychain prompt; docker itself waits forever. */
export const DEFAULT_HELPER_TIMEOUT_MS = 30_000;
const MAX_HELPER_STDOUT_BYTES = 256 * 1024;

export function createRunHelper(
  env: Readonly<Record<string, string | undefined>>,
  options: RunHelperOptions = {},
): RunHelper {
  const timeoutMs = options.timeoutMs ?? DEFAULT_HELPER_TIMEOUT_MS;
  return (binary, action, stdin) =>
    runBounded(binary, [action], { env, stdin, timeoutMs, maxStdoutBytes: MAX_HELPER_STDOUT_BYTES });
}
