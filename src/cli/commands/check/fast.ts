/**
 * `pullwarden check` without commander (cli/fast-path/): the command line parsed from the flag spec, then the
 * same run and the same error report as through commander. Undefined when the line is commander's to parse
 * (help, a usage error, anything the fast path is not sure about).
 */
import { parseCommandLine } from "../../fast-path/parse.js";
import type { CliIo } from "../../io.js";
import { reportFailure } from "../../report.js";
import type { CheckFlags } from "./definition.js";
import { CHECK_FLAG_SPEC } from "./flag-spec.js";
import { runCheck } from "./run.js";

/** `args`: what follows `check`. */
export async function runCheckFast(args: readonly string[], io: CliIo): Promise<number | undefined> {
  const parsed = parseCommandLine(args, CHECK_FLAG_SPEC);
  if (parsed === undefined) return undefined;
  try {
    // As runCli: a clock that cannot tell the time stops the command first.
    io.now();
    return await runCheck(parsed.operands, parsed.flags as CheckFlags, io);
  } catch (error) {
    return reportFailure(error, io);
  }
}
