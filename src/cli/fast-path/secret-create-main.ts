/**
 * The fast chunk's entry (dist/bin/secret-create-*.cjs, loaded by launcher.ts with a V8 code cache):
 * `secret create` with the process's world written synchronously. Resolves to the exit code, or undefined when
 * the command line is commander's to parse (the launcher then starts the full CLI).
 */
import { runSecretCreateFast } from "../commands/secret-create/fast.js";
import { reportFailure } from "../report.js";
import { syncProcessIo } from "./sync-io.js";

export async function run(args: readonly string[]): Promise<number | undefined> {
  const io = syncProcessIo();
  // As main.ts: a failure no command caught is one line and its exit code, never a stack trace.
  const onStrayError = (error: unknown): never => process.exit(io.exitCode(reportFailure(error, io)));
  process.on("uncaughtException", onStrayError);
  process.on("unhandledRejection", onStrayError);
  const code = await runSecretCreateFast(args, io);
  return code === undefined ? undefined : io.exitCode(code);
}
