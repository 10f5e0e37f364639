/**
 * A password on standard input for a command's own flag (`check --password-stdin`), read as `secret create`
 * reads `--docker-password-stdin`: by the credential sources' reader (src/cloud/resolve.ts), through this
 * command's ports (a terminal is prompted).
 */
import type { CliIo } from "./io.js";
import { sourcePorts } from "./flags/payload.js";

/** The password on standard input (`flag` names the option that asked for it), prompting on a terminal. */
export async function readPasswordStdin(io: CliIo, flag: string): Promise<string> {
  const { passwordFromStdin } = await import("../cloud/resolve.js");
  return passwordFromStdin(await sourcePorts(io), flag);
}
