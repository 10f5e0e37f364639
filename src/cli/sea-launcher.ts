/**
 * Entry of the single executable `pullwarden` (scripts/build-binaries.mjs, docs/release.md): launcher.ts's job
 * for a Node.js SEA. This script is the SEA's main script, compiled from the SEA's own code cache
 * (`useCodeCache`), and holds the fast path (fast-path/main.ts) bundled in, so `secret create` and `check` read
 * little more than dist/bin/fast/ holds. The full CLI (main.ts, bundled as CommonJS) is the SEA asset FULL_CLI
 * (sea-assets.ts), compiled with its own code cache only when the fast path hands a command line over.
 */
import { getAsset } from "node:sea";
import { restoreDeferredCaEnv } from "./deferred-ca-env.js";
import { fastCommand } from "./fast-path/commands.js";
import { run as runFast } from "./fast-path/main.js";
import { FULL_CLI, compileSeaScript, runSeaScript } from "./sea-assets.js";

restoreDeferredCaEnv(process.env);
const args = process.argv.slice(2);
const fastPath = fastCommand(args);
if (fastPath !== undefined) {
  const [command, words] = fastPath;
  void runFast(command, args.slice(words)).then((code) => {
    if (code === undefined) return startFullCli();
    // Nothing is left to run: the output was written synchronously.
    process.exit(code);
  });
} else {
  startFullCli();
}

function startFullCli(): void {
  runSeaScript(compileSeaScript(getAsset, FULL_CLI), FULL_CLI);
}
