#!/usr/bin/env node
// Entry of the `pullwarden` and `kubectl-pullwarden` binaries. Keep this file's static imports minimal:
// test/cli/startup.test.ts guards that nothing heavy is reachable from here without a dynamic import.
import { basename } from "node:path";
import { processIo } from "./io.js";
import { runCli } from "./run.js";

const invokedAs = basename(process.argv[1] ?? "").startsWith("kubectl-")
  ? "kubectl pullwarden"
  : "pullwarden";
const code = await runCli(process.argv.slice(2), processIo(), invokedAs);
process.exitCode = code;
