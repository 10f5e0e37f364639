#!/usr/bin/env -S PULLWARDEN_EXTRA_CA_CERTS=${NODE_EXTRA_CA_CERTS} NODE_EXTRA_CA_CERTS= node
// Entry of the `pullwarden` and `kubectl-pullwarden` binaries. Keep this file's static imports minimal:
// test/cli/startup.test.ts guards that nothing heavy is reachable from here without a dynamic import.
import { basename } from "node:path";
import { processIo } from "./io.js";
import { runCli } from "./run.js";

// The launcher line above deferred NODE_EXTRA_CA_CERTS (see src/extra-ca.ts, which TLS clients use to get the
// same trust back); child processes get the original value.
const deferredCa = process.env["PULLWARDEN_EXTRA_CA_CERTS"];
if (deferredCa) process.env["NODE_EXTRA_CA_CERTS"] = deferredCa;
else if (deferredCa === "") delete process.env["NODE_EXTRA_CA_CERTS"];

// `pullwarden ... | head` closes the pipe early; that is not an error worth a stack trace.
for (const stream of [process.stdout, process.stderr]) {
  stream.on("error", (error: NodeJS.ErrnoException) => {
    if (error.code === "EPIPE") process.exit(process.exitCode ?? 0);
    throw error;
  });
}

const invokedAs = basename(process.argv[1] ?? "").startsWith("kubectl-")
  ? "kubectl pullwarden"
  : "pullwarden";
const code = await runCli(process.argv.slice(2), processIo(), invokedAs);
process.exitCode = code;
