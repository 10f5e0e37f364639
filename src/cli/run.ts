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
    await program.parseAsync([...argv], { from: "user" });
    return context.exitCode;
  } catch (error) {
    return reportError(error, io);
  }
}

/** Prefixes the input's name and position when the message does not already say where the problem is. */
function withLocation(error: PullwardenError): string {
  if (!(error instanceof InputError) || error.source === undefined) return error.message;
  let message = error.message;
  const { line, column } = error.position ?? {};
  if (line !== undefined && !/\bline \d+|:\d+:\d+/.test(message)) {
    message = `${message} (line ${line}${column !== undefined ? `, column ${column}` : ""})`;
  }
  return message.includes(error.source) ? message : `${error.source}: ${message}`;
}

function reportError(error: unknown, io: CliIo): number {
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
