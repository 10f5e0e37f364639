/**
 * The fast path's entry (dist/bin/fast/main-*.js, loaded by launcher.ts with a V8 code cache): the commands
 * whose start-up time matters, without commander, with the process's world written synchronously. Each command
 * is its own chunk, loaded when it runs. Resolves to the exit code, or undefined when the command line is
 * commander's to parse (the launcher then starts the full CLI).
 */
import { reportFailure } from "../report.js";
import { syncProcessIo } from "./sync-io.js";

/** `command`: as the launcher names it (launcher.ts `fastCommand`); `args`: what follows its words. */
export async function run(command: string, args: readonly string[]): Promise<number | undefined> {
  const io = syncProcessIo();
  // As main.ts: a failure no command caught is one line and its exit code, never a stack trace.
  const onStrayError = (error: unknown): never => process.exit(io.exitCode(reportFailure(error, io)));
  process.on("uncaughtException", onStrayError);
  process.on("unhandledRejection", onStrayError);
  let code: number | undefined;
  if (command === "secret create") {
    const { runSecretCreateFast } = await import("../commands/secret-create/fast.js");
    code = await runSecretCreateFast(args, io);
  } else if (command === "check") {
    const { runCheckFast } = await import("../commands/check/fast.js");
    code = await runCheckFast(args, io);
  }
  if (code === undefined) {
    process.off("uncaughtException", onStrayError);
    process.off("unhandledRejection", onStrayError);
    return undefined;
  }
  return io.exitCode(code);
}
