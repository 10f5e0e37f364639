/**
 * Runs another program (a docker credential helper, a cloud CLI) without letting it hang or flood pullwarden:
 * no shell, output capped, killed after a timeout, and never waited for once it has exited, even when a child it
 * left behind still holds its output open. What it printed is returned as it is: deciding what of it may be
 * shown is the caller's job (stdout may hold a credential, even when the program fails); `stderrForDisplay`
 * makes stderr safe to show.
 */
import type { Readable } from "node:stream";
import { formatDuration } from "../duration.js";

export type ProcessRun =
  | {
      readonly outcome: "exited";
      readonly exitCode: number;
      readonly stdout: string;
      readonly stderr: string;
    }
  /** No answer within the timeout: the program was killed. */
  | { readonly outcome: "timed-out"; readonly timeoutMs: number }
  /** More stdout than the caller allows: the program was killed. */
  | { readonly outcome: "output-too-large"; readonly limitBytes: number }
  /** Killed by a signal pullwarden did not send. */
  | { readonly outcome: "killed"; readonly signal: string };

export interface BoundedRunOptions {
  /** The whole environment of the program (nothing is inherited besides it). */
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd?: string;
  /** Written to the program's stdin, which is then closed. */
  readonly stdin?: string;
  /** How long the program may take before it is killed. */
  readonly timeoutMs: number;
  /** The most stdout the program may print before it is killed. */
  readonly maxStdoutBytes: number;
}

/** Runs a program with bounds; rejects only when it cannot be started (the error's `code`: ENOENT, EACCES...). */
export type RunProcess = (
  command: string,
  args: readonly string[],
  options: BoundedRunOptions,
) => Promise<ProcessRun>;

/** How long output may still arrive after the program exited, before what was read is taken as its answer. */
const EXIT_GRACE_MS = 1_000;
/** Only the start of stderr is ever shown; the rest is read and dropped so the program never blocks on it. */
const MAX_STDERR_BYTES = 8 * 1024;

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

export const runBounded: RunProcess = async (command, args, options) => {
  // Loaded when a process runs: node:child_process brings node:net and streams, start-up time for the many
  // runs (secret create, cloud sources' error formatting) that import this module and never spawn.
  const { spawn } = await import("node:child_process");
  return new Promise((resolve, reject) => {
    const child = spawn(command, [...args], {
      env: options.env as NodeJS.ProcessEnv,
      stdio: "pipe",
      ...(options.cwd !== undefined ? { cwd: options.cwd } : {}),
    });
    let settled = false;
    // Our ends of the pipes are closed on settling: a child the program left behind may hold them open, and
    // must not keep pullwarden waiting.
    const settle = (result: ProcessRun | Error): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      child.stdout.destroy();
      child.stderr.destroy();
      if (result instanceof Error) reject(result);
      else resolve(result);
    };
    const stop = (result: ProcessRun): void => {
      child.kill("SIGKILL");
      settle(result);
    };
    const timer = setTimeout(
      () => stop({ outcome: "timed-out", timeoutMs: options.timeoutMs }),
      options.timeoutMs,
    );
    const stdout = capture(child.stdout, options.maxStdoutBytes, () =>
      stop({ outcome: "output-too-large", limitBytes: options.maxStdoutBytes }),
    );
    const stderr = capture(child.stderr, MAX_STDERR_BYTES);
    const finished = (code: number | null, signal: NodeJS.Signals | null): void =>
      settle(
        signal
          ? { outcome: "killed", signal }
          : { outcome: "exited", exitCode: code ?? 1, stdout: stdout(), stderr: stderr() },
      );
    child.on("error", (error) => settle(error));
    child.on("close", finished);
    // "close" waits for the pipes; a child the program left behind may hold them open after it exited.
    child.on("exit", (code, signal) => setTimeout(() => finished(code, signal), EXIT_GRACE_MS).unref());
    child.stdin.on("error", () => undefined);
    child.stdin.end(options.stdin ?? "");
  });
};

export interface StderrDisplayOptions {
  /** What the program printed on stdout: none of its values is shown (it may be the credential). */
  readonly stdout: string;
  /**
   * One display line of free text with credentials redacted and cut short (the CLI passes its redactor).
   * Applied after the values of stdout are removed.
   */
  readonly displayLine: (text: string) => string;
}

/**
 * The exact strings of a program's stdout that must not reach a message through its stderr either: every
 * string value when stdout is JSON (a helper's `{"Secret":"…"}`), else every line (a printed token).
 */
export function valuesInOutput(stdout: string): string[] {
  const values: string[] = [];
  const collect = (value: unknown): void => {
    if (typeof value === "string") values.push(value);
    else if (value !== null && typeof value === "object") Object.values(value).forEach(collect);
  };
  try {
    collect(JSON.parse(stdout));
  } catch {
    values.push(...stdout.split(/\r?\n/).map((line) => line.trim()));
  }
  return values.filter((value) => value.length >= 3).sort((a, b) => b.length - a.length);
}

const REMOVED = "<redacted>";
/** The longest stretch of a program's stderr shown in an error. */
const MAX_STDERR_SHOWN = 200;

/** What a failing program said on stderr, safe to show: no value of its stdout, redacted, one short line ("" if none). */
export function stderrForDisplay(stderr: string, options: StderrDisplayOptions): string {
  let text = stderr;
  for (const value of valuesInOutput(options.stdout)) text = text.split(value).join(REMOVED);
  const line = options.displayLine(text);
  return line.length > MAX_STDERR_SHOWN ? `${line.slice(0, MAX_STDERR_SHOWN - 1)}…` : line;
}

/** Why a run did not end with an exit code, in words for an error ("no answer within 30s; it was stopped"). */
export function describeAbnormalEnd(run: Exclude<ProcessRun, { outcome: "exited" }>): string {
  switch (run.outcome) {
    case "timed-out":
      return `no answer within ${formatDuration(run.timeoutMs)}; it was stopped`;
    case "output-too-large":
      return `printed more than ${run.limitBytes} bytes; it was stopped`;
    default:
      return `killed by ${run.signal}`;
  }
}
