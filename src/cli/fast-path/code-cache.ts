/**
 * Loads the fast path's CommonJS chunks (dist/bin/fast/, code-split by the build so a command reads only what
 * it runs) with a V8 code cache, so a start spends almost no time compiling: `vm.Script` with the `cachedData`
 * the build stored next to each chunk (scripts/bundle.mjs), one file per Node version and architecture
 * (`<chunk>.<node version>-<arch>.v8cache`; a chunk's name carries its content hash). V8 checks a cache
 * against its own version, flags and the source and rejects it on any mismatch; the chunk then compiles as
 * usual, only slower (another Node version, NODE_OPTIONS with V8 flags). Nothing is written at run time: the
 * dist/ of an installed package is often read-only, and a per-user cache would be one more file in a home
 * directory to save a few milliseconds on Node versions the package was not built with.
 *
 * Why not Node's own module compile cache (`module.enableCompileCache`): Node 20 does not have it.
 */
import { readFileSync, renameSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { Script } from "node:vm";

/** The build sets this to write the caches after one representative run (never set by users). */
export const WRITE_CODE_CACHE_ENV = "PULLWARDEN_WRITE_CODE_CACHE";

/** Where the chunk at `file` keeps its code cache for this Node. */
export function codeCachePath(file: string): string {
  return `${file}.${process.version}-${process.arch}.v8cache`;
}

/** A chunk's source as compiled: in the CommonJS module wrapper, as Node's own (a cache is valid for exactly this). */
export function wrappedChunk(source: string): string {
  return `(function (exports, require, module, __filename, __dirname) { ${source}\n})`;
}

interface LoadedChunk {
  readonly module: { exports: Record<string, unknown> };
  readonly script: Script;
  readonly cacheFile: string;
}

export interface ChunkLoader {
  /** The exports of the chunk at `file` (its own `require("./other.js")` loads siblings the same way). */
  load(file: string): Record<string, unknown>;
  /** Writes each loaded chunk's cache from what this process compiled so far (the build, after a run). */
  writeCaches(): void;
}

export function chunkLoader(): ChunkLoader {
  const loaded = new Map<string, LoadedChunk>();
  function load(file: string): Record<string, unknown> {
    const known = loaded.get(file);
    if (known) return known.module.exports;
    const cacheFile = codeCachePath(file);
    let cachedData: Buffer | undefined;
    try {
      cachedData = readFileSync(cacheFile);
    } catch {
      // No cache for this Node: compile.
    }
    const source = wrappedChunk(readFileSync(file, "utf8"));
    const script = new Script(source, { filename: file, ...(cachedData ? { cachedData } : {}) });
    const module = { exports: {} as Record<string, unknown> };
    // Registered before it runs, as Node does, so chunks that require each other get the partial exports.
    loaded.set(file, { module, script, cacheFile });
    const directory = dirname(file);
    // Siblings from here; built-ins and packages (cloud SDKs) through the launcher's own CommonJS require.
    const chunkRequire = (specifier: string): unknown =>
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- this module runs as CommonJS (launcher.ts)
      specifier.startsWith("./") ? load(join(directory, specifier)) : require(specifier);
    const wrapper = script.runInThisContext() as (...args: unknown[]) => void;
    wrapper(module.exports, chunkRequire, module, file, directory);
    return module.exports;
  }
  return {
    load,
    writeCaches() {
      for (const { script, cacheFile } of loaded.values()) {
        const temporary = `${cacheFile}.${process.pid}.tmp`;
        writeFileSync(temporary, script.createCachedData());
        renameSync(temporary, cacheFile);
      }
    },
  };
}
