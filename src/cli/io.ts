/**
 * The world a command sees: streams, environment, clock, and where relative paths resolve. The CLI entry
 * builds it from `process`; tests pass their own so commands run in-process with no global state.
 */
import type { Readable, Writable } from "node:stream";
import { UsageError } from "../errors.js";

export interface CliIo {
  readonly stdin: Readable & { isTTY?: boolean };
  readonly stdout: Writable & { isTTY?: boolean };
  readonly stderr: Writable & { isTTY?: boolean };
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
  readonly now: () => Date;
}

/** What a command's action gets: the world, and where it leaves the exit code it decided on (run.ts returns it). */
export interface CommandContext {
  readonly io: CliIo;
  exitCode: number;
}

export function processIo(): CliIo {
  return {
    stdin: process.stdin,
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    cwd: process.cwd(),
    now: clockFromEnv(process.env),
  };
}

/** The variable that fixes the clock: an RFC 3339 time (a date alone means its midnight UTC). */
const FIXED_NOW_ENV = "PULLWARDEN_NOW";

const RFC3339 = /^\d{4}-\d{2}-\d{2}(?:[Tt ]\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:[Zz]|[+-]\d{2}:\d{2}))?$/;

/**
 * The clock every expiry is judged against: the real one, or the time in PULLWARDEN_NOW, so a demo or a
 * report reads the same on any day and "will these credentials still work on DATE?" can be asked. A value that
 * is not a time makes the clock throw a usage error (run.ts reads the clock once before any command runs).
 */
export function clockFromEnv(env: Readonly<Record<string, string | undefined>>): () => Date {
  const fixed = env[FIXED_NOW_ENV];
  if (fixed === undefined || fixed === "") return () => new Date();
  const time = RFC3339.test(fixed) ? Date.parse(fixed) : Number.NaN;
  if (Number.isNaN(time)) {
    return () => {
      throw new UsageError(
        `${FIXED_NOW_ENV}=${JSON.stringify(fixed)} is not a time: expected RFC 3339, e.g. 2026-12-01T00:00:00Z or 2026-12-01`,
      );
    };
  }
  return () => new Date(time);
}

/**
 * Why standard output could not be written and what to do, for the one-line error of the CLI entry. EPIPE (the
 * reader went away) is not described: the entry exits quietly then.
 */
export function describeOutputFailure(error: NodeJS.ErrnoException): string {
  const [why, next] =
    error.code === "ENOSPC" || error.code === "EDQUOT"
      ? ["the device it goes to is full", "free space there or redirect the output elsewhere"]
      : error.code === "EBADF"
        ? ["it is closed or not open for writing", "redirect it to a file or a pipe"]
        : ["the write failed", "redirect the output elsewhere"];
  return `cannot write to standard output: ${why}${error.code ? ` (${error.code})` : ""}; ${next}`;
}
