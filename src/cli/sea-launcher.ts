/**
 * Entry of the single executable `pullwarden` (scripts/build-binaries.mjs, docs/release.md): launcher.ts's job
 * for a Node.js SEA, as its main script. The fast path (fast-path/main.ts, one CommonJS bundle) is the SEA asset
 * FAST_PATH and the full CLI (main.ts) the asset FULL_CLI (sea-assets.ts), each compiled with the code cache the
 * build made for it after representative runs, the full CLI only when the fast path hands a command line over:
 * `secret create` and `check` read little more than dist/bin/fast/ holds.
 */
import { getAsset } from "node:sea";
import { restoreDeferredCaEnv } from "./deferred-ca-env.js";
import { fastCommand } from "./fast-path/commands.js";
import { FAST_PATH, FULL_CLI, compileSeaScript, runSeaScript } from "./sea-assets.js";

type FastRun = (command: string, args: readonly string[]) => Promise<number | undefined>;

restoreDeferredCaEnv(process.env);
const args = process.argv.slice(2);
const fastPath = fastCommand(args);
if (fastPath !== undefined) {
  const [command, words] = fastPath;
  const runFast = runSeaScript(compileSeaScript(getAsset, FAST_PATH), FAST_PATH)["run"] as FastRun;
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
