/**
 * Runs the CLI with an injected world and returns the exit code. The single place that turns errors into
 * messages and exit codes (docs/exit-codes.md): no stack traces unless PULLWARDEN_DEBUG=1.
 */
import { CommanderError } from "commander";
import { ExitCode } from "../errors.js";
import type { CliIo } from "./io.js";
import { buildProgram } from "./program.js";
import { reportFailure } from "./report.js";

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
 * Writes an error as the one line (and hint) users see and returns its exit code; main.ts uses it for strays.
 * commander's own errors (it printed them) here, ours in report.ts.
 */
export function reportError(error: unknown, io: CliIo): number {
  if (error instanceof CommanderError) {
    // Help and version are "errors" in commander's exitOverride mode; they already printed.
    if (error.code === "commander.helpDisplayed" || error.code === "commander.version") return ExitCode.ok;
    if (error.code === "commander.help" || error.code === "commander.executeSubCommandAsync")
      return ExitCode.ok;
    // commander printed its own one-line message to stderr.
    return ExitCode.usage;
  }
  return reportFailure(error, io);
}
