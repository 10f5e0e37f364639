/**
 * `pullwarden secret create` without commander (cli/fast-path/): the command line parsed from the flag spec,
 * then the same run and the same error report as through commander. Undefined when the line is commander's to
 * parse (help, a usage error, anything the fast path is not sure about).
 */
import { parseCommandLine } from "../../fast-path/parse.js";
import type { CliIo } from "../../io.js";
import { reportFailure } from "../../report.js";
import type { SecretCreateFlags } from "./definition.js";
import { SECRET_CREATE_FLAG_SPEC } from "./flag-spec.js";
import { runSecretCreate } from "./run.js";

/** `args`: what follows `secret create`. */
export async function runSecretCreateFast(args: readonly string[], io: CliIo): Promise<number | undefined> {
  const parsed = parseCommandLine(args, SECRET_CREATE_FLAG_SPEC);
  if (parsed === undefined) return undefined;
  try {
    // As runCli: a clock that cannot tell the time stops the command first.
    io.now();
    const [name] = parsed.operands as [string];
    return await runSecretCreate(name, parsed.flags as SecretCreateFlags, io);
  } catch (error) {
    return reportFailure(error, io);
  }
}
