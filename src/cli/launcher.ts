/**
 * Entry of the `pullwarden` and `kubectl-pullwarden` executables (dist/bin/main.js, CommonJS: no ES module
 * loader to start). `secret create` and `check` go to the fast path (cli/fast-path/: parseArgs instead of
 * commander, synchronous output, a V8 code cache), which takes every command line it is sure to parse as
 * commander would and hands back the others; everything else starts the full CLI (main.ts, an ES module with
 * lazily loaded commands). The fast path's entry chunk's file name (in dist/bin/fast/) is set by the build
 * (scripts/bundle.mjs), which also packs the chunks each fast command loads into one script (code-cache.ts).
 */
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { restoreDeferredCaEnv } from "./deferred-ca-env.js";
import {
  WRITE_CODE_CACHE_ENV,
  chunkLoader,
  loadedListName,
  userCodeCacheDirectory,
} from "./fast-path/code-cache.js";
import { fastCommand } from "./fast-path/commands.js";

declare const PULLWARDEN_FAST_CHUNK: string;
/** Each fast command's pack (code-cache.ts packName); none in the build's first representative runs. */
declare const PULLWARDEN_FAST_PACKS: Record<string, string>;
declare const PULLWARDEN_FULL_CLI: string;

type FastRun = (command: string, args: readonly string[]) => Promise<number | undefined>;

restoreDeferredCaEnv(process.env);
const args = process.argv.slice(2);
const fastPath = fastCommand(args);
if (fastPath !== undefined) {
  const [command, words] = fastPath;
  const userCache = userCodeCacheDirectory(process.env);
  const chunks = chunkLoader(`${__dirname}/fast`, userCache);
  const pack = PULLWARDEN_FAST_PACKS[command];
  const packed = pack !== undefined && chunks.usePack(pack);
  const fast = chunks.load(PULLWARDEN_FAST_CHUNK);
  void (fast["run"] as FastRun)(command, args.slice(words)).then((code) => {
    if (code === undefined) return startFullCli();
    if (process.env[WRITE_CODE_CACHE_ENV] === "1") {
      // The build's representative runs: before the packs exist, what goes into this command's; then its cache.
      if (packed) chunks.writeCaches("next-to-chunks");
      else chunks.recordLoadedChunks(loadedListName(command));
    } else if (userCache !== undefined) {
      try {
        // Only where none was usable (another Node than the build's): the next start compiles nothing.
        chunks.writeCaches(userCache, true);
      } catch {
        // A read-only or full home: start without a cache next time too.
      }
    }
    // Nothing is left to run: the output was written synchronously.
    process.exit(code);
  });
} else {
  void startFullCli();
}

async function startFullCli(): Promise<void> {
  await import(pathToFileURL(join(__dirname, PULLWARDEN_FULL_CLI)).href);
}
