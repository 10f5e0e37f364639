/**
 * Entry of the `pullwarden` and `kubectl-pullwarden` executables (dist/bin/main.js, CommonJS: no ES module
 * loader to start). `secret create` goes to the fast chunk (cli/fast-path/: parseArgs instead of commander,
 * synchronous output, a V8 code cache), which takes every command line it is sure to parse as commander would
 * and hands back the others; everything else starts the full CLI (main.ts, an ES module with lazily loaded
 * commands). The fast chunk's file name is set by the build (scripts/bundle.mjs).
 */
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { restoreDeferredCaEnv } from "./deferred-ca-env.js";
import { WRITE_CODE_CACHE_ENV, chunkLoader } from "./fast-path/code-cache.js";

declare const PULLWARDEN_FAST_CHUNK: string;
declare const PULLWARDEN_FULL_CLI: string;

type FastRun = (args: readonly string[]) => Promise<number | undefined>;

restoreDeferredCaEnv(process.env);
const args = process.argv.slice(2);
if (args[0] === "secret" && args[1] === "create") {
  const chunks = chunkLoader();
  const fast = chunks.load(join(__dirname, PULLWARDEN_FAST_CHUNK));
  void (fast["run"] as FastRun)(args.slice(2)).then((code) => {
    if (code === undefined) return startFullCli();
    if (process.env[WRITE_CODE_CACHE_ENV] === "1") chunks.writeCaches();
    // Nothing is left to run: the output was written synchronously.
    process.exit(code);
  });
} else {
  void startFullCli();
}

async function startFullCli(): Promise<void> {
  await import(pathToFileURL(join(__dirname, PULLWARDEN_FULL_CLI)).href);
}
