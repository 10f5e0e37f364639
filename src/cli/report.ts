/**
 * How a failure reaches the user: one line (and a hint) on stderr, and its exit code (docs/exit-codes.md); no
 * stack traces unless PULLWARDEN_DEBUG=1. Free of commander, so the secret create fast path
 * (cli/fast-path/) reports exactly as run.ts does without loading it.
 */
import { InputError, PullwardenError, exitCodeOf } from "../errors.js";
import type { CliIo } from "./io.js";

/**
 * The one format of an input's location in error messages: `SOURCE:LINE:COLUMN: what` (line and column where
 * known; SOURCE is the path as given, `stdin` for -), as compilers and grep print it so editors can jump there.
 * A message that already starts with its source was located by its call site; one that states a position in
 * words (inside a value embedded in the input) keeps it.
 */
export function withLocation(error: PullwardenError): string {
  if (!(error instanceof InputError) || error.source === undefined) return error.message;
  const source = error.source === "-" ? "stdin" : error.source;
  const message = error.message;
  for (const given of new Set([error.source, source])) {
    if (message.startsWith(`${given}:`)) return source + message.slice(given.length);
  }
  // Older call sites name the source inside the message: do not print it twice.
  if (message.includes(error.source) && error.source !== "-") return message;
  const { line, column } = error.position ?? {};
  const statesPosition = /\bline \d+|:\d+:\d+/.test(message);
  const position =
    line === undefined || statesPosition ? "" : `:${line}${column !== undefined ? `:${column}` : ""}`;
  return `${source}${position}: ${message}`;
}

/** Writes a failure that is not commander's as the one line (and hint) users see; returns its exit code. */
export function reportFailure(error: unknown, io: CliIo): number {
  if (error instanceof PullwardenError) {
    io.stderr.write(`error: ${withLocation(error)}\n`);
    if (error.hint) io.stderr.write(`hint: ${error.hint}\n`);
  } else {
    const message = error instanceof Error ? error.message : String(error);
    io.stderr.write(
      `internal error: ${message}\nThis is a bug in pullwarden; please report it with the command you ran.\n`,
    );
  }
  if (io.env["PULLWARDEN_DEBUG"] === "1" && error instanceof Error && error.stack) {
    io.stderr.write(`${error.stack}\n`);
  }
  return exitCodeOf(error);
}
