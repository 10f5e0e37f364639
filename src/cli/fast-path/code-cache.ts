/**
 * Loads the fast path's CommonJS chunks (dist/bin/fast/, code-split by the build so a command reads only what
 * it runs) with a V8 code cache, so a start spends almost no time compiling: `vm.Script` with `cachedData`.
 *
 * Packs: each fast command has one script holding the chunks its representative build run loaded
 * (`<command>.pack-<hash>.js`, built by scripts/bundle.mjs with packSource), so a start reads, checks and deserializes
 * one source and one cache instead of twenty (measured on Node 20 and 26: 2.5–4 ms of a 30 ms start). A chunk
 * that is not in the command's pack (a rarer path: --append-hash, stdin, cloud sources) is read from its own file.
 *
 * A chunk's or pack's name carries its content hash, and a cache
 * file is named after the script, the Node version and the architecture (`<script>.<node version>-<arch>.v8cache`);
 * V8 itself checks a cache against its version, flags and the source's length and rejects it on any mismatch
 * (the script then compiles as usual).
 *
 * Where the caches are:
 * - next to the scripts, written by the build (scripts/bundle.mjs) for the Node that built it and the newest
 *   LTS: read-only installs and single executables start fast from the first run;
 * - in the user's cache directory (`$XDG_CACHE_HOME/pullwarden/v8` or `~/.cache/pullwarden/v8`; macOS
 *   `~/Library/Caches/pullwarden/v8`; Windows `%LOCALAPPDATA%\pullwarden\v8`), written after a run that found
 *   none it could use: any other Node version (an npm install built elsewhere) is fast from the second run.
 *   PULLWARDEN_CODE_CACHE=off turns this off (nothing is read from or written to that directory).
 * A cache holds compiled code, never data of a run. It is trusted as the chunks next to it or ~/.bashrc are: a
 * user who can write there can run code as that user anyway (Node's own NODE_COMPILE_CACHE works the same).
 *
 * Why not Node's own module compile cache (`module.enableCompileCache`): Node 20 does not have it.
 * Paths are joined as strings, not with node:path: every chunk's require goes through here, and at start-up,
 * before V8 has optimised anything, path.join's normalisation costs more than the rest of a lookup.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { Script } from "node:vm";

/** The build sets this to 1 to write the caches next to the scripts after one representative run. */
export const WRITE_CODE_CACHE_ENV = "PULLWARDEN_WRITE_CODE_CACHE";

/** `off`: no code cache in the user's cache directory. */
const USER_CACHE_ENV = "PULLWARDEN_CODE_CACHE";

/**
 * The file holding the pack of the fast command `command` (as fast-path/commands.ts names it: "secret create"),
 * named after its content (`contentHash`), as the chunks are: V8 checks a cache only against its script's
 * length, so a cache in the user's directory must never meet another script of the same name.
 */
export function packName(command: string, contentHash: string): string {
  return `${command.replaceAll(" ", "-")}.pack-${contentHash}.js`;
}

/** The file in which the build's representative run of `command` lists the chunks it loaded (its pack's). */
export function loadedListName(command: string): string {
  return `${command.replaceAll(" ", "-")}.loaded.json`;
}

/** The code cache of the script named `name`, for this Node, in `directory`. */
export function codeCachePath(directory: string, name: string): string {
  return `${directory}/${name}.${process.version}-${process.arch}.v8cache`;
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
  // XDG Base Directory: a relative XDG_CACHE_HOME is invalid and ignored.
  if (xdg?.startsWith("/")) return join(xdg, "pullwarden", "v8");
  return home ? join(home, ".cache", "pullwarden", "v8") : undefined;
}

const MODULE_WRAPPER_HEAD = "function (exports, require, module, __filename, __dirname) { ";

/** A chunk's source as compiled: in the CommonJS module wrapper, as Node's own (a cache is valid for exactly this). */
export function wrappedChunk(source: string): string {
  return `(${MODULE_WRAPPER_HEAD}${source}\n})`;
}

/**
 * A pack's source: one object whose properties are the chunks `chunks` (name, source), each in the CommonJS
 * module wrapper. V8 compiles a chunk's wrapper only when the chunk is loaded.
 */
export function packSource(chunks: ReadonlyArray<readonly [name: string, source: string]>): string {
  const entries = chunks.map(
    ([name, source]) => `${JSON.stringify(name)}: ${MODULE_WRAPPER_HEAD}${source}\n}`,
  );
  return `({\n${entries.join(",\n")}\n})`;
}

type ChunkWrapper = (...args: unknown[]) => void;

interface CompiledScript {
  readonly name: string;
  readonly script: Script;
  readonly cached: boolean;
}

export interface ChunkLoader {
  /**
   * Makes the chunks in the pack `name` (packName) available to load; false when there is no such file (the
   * build's first representative run, before the packs exist).
   */
  usePack(name: string): boolean;
  /** The exports of the chunk `name` (its own `require("./other.js")` loads siblings the same way). */
  load(name: string): Record<string, unknown>;
  /**
   * Adds the chunks loaded so far to the list in the file `name` (loadedListName), written by the build's
   * representative runs of a command: its pack holds what any of them loaded.
   */
  recordLoadedChunks(name: string): void;
  /** Writes the caches of the scripts compiled so far (with what this process compiled) into `directory`. */
  writeCaches(directory: "next-to-chunks" | string, onlyMissing?: boolean): void;
}

/**
 * `directory`: where the chunks and packs are (dist/bin/fast); `userDirectory`: the user's code cache directory
 * (userCodeCacheDirectory), read after the one next to the scripts.
 */
export function chunkLoader(directory: string, userDirectory?: string): ChunkLoader {
  const compiled: CompiledScript[] = [];
  const packed = new Map<string, ChunkWrapper>();
  const modules = new Map<string, { exports: Record<string, unknown> }>();

  function compile(name: string, source: string): Script {
    for (const where of [directory, userDirectory]) {
      if (where === undefined) continue;
      let cachedData: Buffer;
      try {
        cachedData = readFileSync(codeCachePath(where, name));
      } catch {
        continue; // none there for this Node
      }
      const script = new Script(source, { filename: `${directory}/${name}`, cachedData });
      if (!script.cachedDataRejected) {
        compiled.push({ name, script, cached: true });
        return script;
      }
    }
    const script = new Script(source, { filename: `${directory}/${name}` });
    compiled.push({ name, script, cached: false });
    return script;
  }

  function wrapperOf(name: string): ChunkWrapper {
    const fromPack = packed.get(name);
    if (fromPack !== undefined) return fromPack;
    return compile(
      name,
      wrappedChunk(readFileSync(`${directory}/${name}`, "utf8")),
    ).runInThisContext() as ChunkWrapper;
  }

  function load(name: string): Record<string, unknown> {
    const known = modules.get(name);
    if (known) return known.exports;
    const wrapper = wrapperOf(name);
    const module = { exports: {} as Record<string, unknown> };
    // Registered before it runs, as Node does, so chunks that require each other get the partial exports.
    modules.set(name, module);
    // Siblings from here; built-ins and packages (cloud SDKs) through the launcher's own CommonJS require.
    const chunkRequire = (specifier: string): unknown =>
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- this module runs as CommonJS (launcher.ts)
      specifier.startsWith("./") ? load(specifier.slice(2)) : require(specifier);
    wrapper(module.exports, chunkRequire, module, `${directory}/${name}`, directory);
    return module.exports;
  }

  return {
    usePack(name) {
      let source: string;
      try {
        source = readFileSync(`${directory}/${name}`, "utf8");
      } catch {
        return false;
      }
      const chunks = compile(name, source).runInThisContext() as Record<string, ChunkWrapper>;
      for (const [chunk, wrapper] of Object.entries(chunks)) packed.set(chunk, wrapper);
      return true;
    },
    load,
    recordLoadedChunks(name) {
      const file = `${directory}/${name}`;
      let recorded: string[] = [];
      try {
        recorded = JSON.parse(readFileSync(file, "utf8")) as string[];
      } catch {
        // The command's first representative run.
      }
      writeFileSync(file, JSON.stringify([...new Set([...recorded, ...modules.keys()])]));
    },
    writeCaches(where, onlyMissing = false) {
      const target = where === "next-to-chunks" ? directory : where;
      for (const { name, script, cached } of compiled) {
        if (onlyMissing && cached) continue;
        const cacheFile = codeCachePath(target, name);
        const temporary = `${cacheFile}.${process.pid}.tmp`;
        mkdirSync(target, { recursive: true, mode: 0o700 });
        writeFileSync(temporary, script.createCachedData(), { mode: 0o600 });
        renameSync(temporary, cacheFile);
      }
    },
  };
}
