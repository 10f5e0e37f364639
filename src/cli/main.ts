// The full CLI (commander), started by launcher.ts, the entry of the `pullwarden` and `kubectl-pullwarden`
// binaries, for every command line the fast path does not take. Keep this file's static imports minimal:
// test/cli/startup.test.ts guards that nothing heavy is reachable from here without a dynamic import.
import { basename } from "node:path";
import { ExitCode } from "../errors.js";
import { restoreDeferredCaEnv } from "./deferred-ca-env.js";
import { describeOutputFailure, processIo } from "./io.js";
import { reportError, runCli } from "./run.js";

// Child processes get the NODE_EXTRA_CA_CERTS the launcher line deferred (also done by launcher.ts, which
// starts this module for every command but the fast path's).
restoreDeferredCaEnv(process.env);

// Output that cannot be written (a full disk, a closed descriptor, a reader that went away) is an environment
// failure, exit 4, never a crash (docs/exit-codes.md). The command still runs to its end, so what it changes is
// complete; later writes to the failed stream are dropped. A closed pipe (`| head`) gets no message, as with
// Unix tools: the reader has what it wanted.
let outputFailed = false;
function onOutputError(stream: "stdout" | "stderr", error: NodeJS.ErrnoException): void {
  if (outputFailed) return;
  outputFailed = true;
  process.exitCode = Math.max(Number(process.exitCode ?? 0), ExitCode.environment);
  if (stream === "stdout" && error.code !== "EPIPE") {
    process.stderr.write(`error: ${describeOutputFailure(error)}\n`);
  }
}
process.stdout.on("error", (error: NodeJS.ErrnoException) => onOutputError("stdout", error));
process.stderr.on("error", (error: NodeJS.ErrnoException) => onOutputError("stderr", error));

const io = processIo();
// A failure no command caught (an error event nobody listens for, a promise nobody awaits) is reported like
// every other error (run.ts: one line, exit 5 for a bug), never as Node's stack trace of minified source.
const onStrayError = (error: unknown): never => process.exit(reportError(error, io));
process.on("uncaughtException", onStrayError);
process.on("unhandledRejection", onStrayError);

const invokedAs = basename(process.argv[1] ?? "").startsWith("kubectl-")
  ? "kubectl pullwarden"
  : "pullwarden";
// No top-level await: the single executable runs this bundle as CommonJS (scripts/build-binaries.mjs).
void runCli(process.argv.slice(2), io, invokedAs).then((code) => {
  process.exitCode = outputFailed ? Math.max(code, ExitCode.environment) : code;
});
