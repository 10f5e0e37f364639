/**
 * Entry of the single executable `pullwarden` (scripts/build-binaries.mjs, docs/release.md): launcher.ts's job
 * for a Node.js SEA. This script is the SEA's main script, compiled from the SEA's own code cache
 * (`useCodeCache`), and holds the fast path (fast-path/main.ts) bundled in, so `secret create` and `check` read
 * about 150 KB, as from dist/bin/. The full CLI (main.ts, bundled as CommonJS) is the SEA asset FULL_CLI_ASSET,
 * compiled only when the fast path hands a command line over, with the V8 code cache the build made for it
 * (FULL_CLI_CACHE_ASSET; a rejected cache compiles as usual).
 */
import { getAsset } from "node:sea";
import { restoreDeferredCaEnv } from "./deferred-ca-env.js";
import { wrappedChunk } from "./fast-path/code-cache.js";
import { fastCommand } from "./fast-path/commands.js";
import { run as runFast } from "./fast-path/main.js";
import { fullCliScript } from "./sea-full-cli.js";

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
  const script = fullCliScript(getAsset, wrappedChunk);
  const module = { exports: {} };
  const wrapper = script.runInThisContext() as (...args: unknown[]) => void;
  // The SEA's require: Node's built-ins, all a bundle with every dependency in it needs.
  wrapper(module.exports, require, module, process.execPath, ".");
}
