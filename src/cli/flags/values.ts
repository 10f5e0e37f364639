/**
 * Parsers for flag values shared by several commands, so one flag means one thing everywhere.
 * Each throws a UsageError (exit 2) that names the flag and says what is accepted.
 */
import { parseKubectlTimeout } from "../../duration.js";
import { UsageError } from "../../errors.js";

export interface DurationFlagLimits {
  /** Whether `0` is allowed (kubectl: "0 means don't time out"). */
  allowZero?: boolean;
  /** The largest accepted value, in milliseconds. */
  maxMs?: number;
}

/**
 * A duration flag in kubectl's format: a bare integer is seconds, otherwise a Go duration (`500ms`, `30s`,
 * `2m`, `1h30m`). Returns milliseconds.
 */
export function parseDurationFlag(flag: string, text: string, limits: DurationFlagLimits = {}): number {
  const ms = parseKubectlTimeout(text);
  const accepted = `a number of seconds or a duration such as 30s, 2m or 1h${limits.allowZero ? " (0: no limit)" : ""}`;
  if (ms === undefined || ms < 0 || (ms === 0 && !limits.allowZero)) {
    throw new UsageError(`${flag} ${JSON.stringify(text)}: expected ${accepted}`);
  }
  if (limits.maxMs !== undefined && ms > limits.maxMs) {
    throw new UsageError(`${flag} ${JSON.stringify(text)}: at most ${limits.maxMs / 1000} seconds`);
  }
  return ms;
}
