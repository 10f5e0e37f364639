/**
 * Loads the fast path's CommonJS chunks (dist/bin/fast/, code-split by the build so a command reads only what
 * it runs) with a V8 code cache, so a start spends almost no time compiling: `vm.Script` with `cachedData`.
 * A chunk's name carries its content hash, and a cache file is named after the chunk, the Node version and the
 * architecture (`<chunk>.<node version>-<arch>.v8cache`); V8 itself checks a cache against its version, flags
 * and the source's length and rejects it on any mismatch (the chunk then compiles as usual).
 *
 * Where the caches are:
 * - next to the chunks, written by the build (scripts/bundle.mjs) for the Node that built it: read-only
 *   installs and single executables start fast from the first run;
 * - in the user's cache directory (`$XDG_CACHE_HOME/pullwarden/v8` or `~/.cache/pullwarden/v8`; macOS
 *   `~/Library/Caches/pullwarden/v8`; Windows `%LOCALAPPDATA%\pullwarden\v8`), written after a run that found
 *   none it could use: any other Node version (an npm install built elsewhere) is fast from the second run.
 *   PULLWARDEN_CODE_CACHE=off turns this off (nothing is read from or written to that directory).
 * A cache holds compiled code, never data of a run. It is trusted as the chunks next to it or ~/.bashrc are: a
 * user who can write there can run code as that user anyway (Node's own NODE_COMPILE_CACHE works the same).
 *
 * Why not Node's own module compile cache (`module.enableCompileCache`): Node 20 does not have it.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { Script } from "node:vm";

/** The build sets this to 1 to write the caches next to the chunks after one representative run. */
export const WRITE_CODE_CACHE_ENV = "PULLWARDEN_WRITE_CODE_CACHE";

/** `off`: no code cache in the user's cache directory. */
const USER_CACHE_ENV = "PULLWARDEN_CODE_CACHE";

/** Where the chunk at `file` keeps its code cache for this Node, in `directory` (default: next to it). */
export function codeCachePath(file: string, directory = dirname(file)): string {
  return join(directory, `${basename(file)}.${process.version}-${process.arch}.v8cache`);
}

/** The user's cache directory for code caches, or undefined when there is none to use. */
export function userCodeCacheDirectory(
  env: Readonly<Record<string, string | undefined>>,
  platform: NodeJS.Platform = process.platform,
): string | undefined {
  if (env[USER_CACHE_ENV] === "off") return undefined;
  if (platform === "win32")
    return env["LOCALAPPDATA"] ? join(env["LOCALAPPDATA"], "pullwarden", "v8") : undefined;
  const home = env["HOME"] || undefined;
  if (platform === "darwin") return home ? join(home, "Library", "Caches", "pullwarden", "v8") : undefined;
  const xdg = env["XDG_CACHE_HOME"];
  // XDG Base Directory: a relative path is invalid and ignored.
  if (xdg?.startsWith("/")) return join(xdg, "pullwarden", "v8");
  return home ? join(home, ".cache", "pullwarden", "v8") : undefined;
}

/** A chunk's source as compiled: in the CommonJS module wrapper, as Node's own (a cache is valid for exactly this). */
export function wrappedChunk(source: string): string {
  return `(function (exports, require, module, __filename, __dirname) { ${source}\n})`;
}

interface LoadedChunk {
  readonly module: { exports: Record<string, unknown> };
  readonly script: Script;
  readonly file: string;
  readonly cached: boolean;
}

export interface ChunkLoader {
  /** The exports of the chunk at `file` (its own `require("./other.js")` loads siblings the same way). */
  load(file: string): Record<string, unknown>;
  /** Writes the caches of the chunks loaded so far (with what this process compiled) into `directory`. */
  writeCaches(directory: "next-to-chunks" | string, onlyMissing?: boolean): void;
}

/** `userDirectory`: the user's code cache directory (userCodeCacheDirectory), read after the one next to the chunks. */
export function chunkLoader(userDirectory?: string): ChunkLoader {
  const loaded = new Map<string, LoadedChunk>();
  function compile(file: string): { script: Script; cached: boolean } {
    const source = wrappedChunk(readFileSync(file, "utf8"));
    for (const directory of [dirname(file), userDirectory]) {
      if (directory === undefined) continue;
      let cachedData: Buffer;
      try {
        cachedData = readFileSync(codeCachePath(file, directory));
      } catch {
        continue; // none there for this Node
      }
      const script = new Script(source, { filename: file, cachedData });
      if (!script.cachedDataRejected) return { script, cached: true };
    }
    return { script: new Script(source, { filename: file }), cached: false };
  }
  function load(file: string): Record<string, unknown> {
    const known = loaded.get(file);
    if (known) return known.module.exports;
    const { script, cached } = compile(file);
    const module = { exports: {} as Record<string, unknown> };
    // Registered before it runs, as Node does, so chunks that require each other get the partial exports.
    loaded.set(file, { module, script, file, cached });
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
    writeCaches(where, onlyMissing = false) {
      for (const chunk of loaded.values()) {
        if (onlyMissing && chunk.cached) continue;
        const directory = where === "next-to-chunks" ? dirname(chunk.file) : where;
        const cacheFile = codeCachePath(chunk.file, directory);
        const temporary = `${cacheFile}.${process.pid}.tmp`;
        mkdirSync(directory, { recursive: true, mode: 0o700 });
        writeFileSync(temporary, chunk.script.createCachedData(), { mode: 0o600 });
        renameSync(temporary, cacheFile);
      }
    },
  };
}
