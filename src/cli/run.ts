/**
 * Runs the CLI with an injected world and returns the exit code. The single place that turns errors into
 * messages and exit codes (docs/exit-codes.md): no stack traces unless PULLWARDEN_DEBUG=1.
 */
import { CommanderError } from "commander";
import { ExitCode, InputError, PullwardenError, exitCodeOf } from "../errors.js";
import type { CliIo } from "./io.js";
import { buildProgram } from "./program.js";

export async function runCli(argv: readonly string[], io: CliIo, invokedAs?: string): Promise<number> {
  const context = { io, exitCode: ExitCode.ok as number };
  const program = buildProgram(context, invokedAs);
  try {
    // A clock that cannot tell the time (PULLWARDEN_NOW set to something else, io.ts) stops every command here.
    io.now();
    await program.parseAsync([...argv], { from: "user" });
    return context.exitCode;
  } catch (error) {
    return reportError(error, io);
  }
}

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

/** Writes an error as the one line (and hint) users see and returns its exit code; main.ts uses it for strays. */
export function reportError(error: unknown, io: CliIo): number {
  if (error instanceof CommanderError) {
    // Help and version are "errors" in commander's exitOverride mode; they already printed.
    if (error.code === "commander.helpDisplayed" || error.code === "commander.version") return ExitCode.ok;
    if (error.code === "commander.help" || error.code === "commander.executeSubCommandAsync")
      return ExitCode.ok;
    // commander printed its own one-line message to stderr.
    return ExitCode.usage;
  }
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
