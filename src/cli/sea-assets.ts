/**
 * The scripts the single executable `pullwarden` keeps as SEA assets (scripts/build-binaries.mjs builds them,
 * sea-launcher.ts and sea-packages.ts run them): each a CommonJS bundle, compiled when first needed with the V8
 * code cache the build made for it by the Node.js the executable embeds (a cache V8 rejects, or none, as in a
 * cross build, means it compiles as usual).
 */
import { Script } from "node:vm";
import { wrappedChunk } from "./fast-path/code-cache.js";

export interface SeaScriptAsset {
  /** The asset holding its source. */
  readonly source: string;
  /** The asset holding its code cache. */
  readonly cache: string;
  /** The file name its stack frames show. */
  readonly filename: string;
}

/** The fast path (fast-path/main.ts), run for the commands it takes (fast-path/commands.ts). */
export const FAST_PATH: SeaScriptAsset = {
  source: "fast-path.js",
  cache: "fast-path.v8cache",
  filename: "pullwarden-fast-path.js",
};

/** The full CLI (main.ts), started when the fast path hands a command line over. */
export const FULL_CLI: SeaScriptAsset = {
  source: "full-cli.js",
  cache: "full-cli.v8cache",
  filename: "pullwarden-full-cli.js",
};

/** The cloud SDKs the fast path imports for ECR and ACR images (sea-packages.ts). */
export const PACKAGES: SeaScriptAsset = {
  source: "packages.js",
  cache: "packages.v8cache",
  filename: "pullwarden-packages.js",
};

/** node:sea's getAsset, or the build's reader of the files it is about to embed. */
export type ReadAsset = (key: string) => ArrayBuffer | Uint8Array;

/** `asset` compiled (in the CommonJS wrapper its cache was made for), with its cache when there is one. */
export function compileSeaScript(readAsset: ReadAsset, asset: SeaScriptAsset): Script {
  const source = wrappedChunk(new TextDecoder().decode(readAsset(asset.source)));
  let cachedData: Buffer | undefined;
  try {
    const cache = readAsset(asset.cache);
    cachedData =
      cache instanceof Uint8Array
        ? Buffer.from(cache.buffer, cache.byteOffset, cache.byteLength)
        : Buffer.from(cache);
  } catch {
    cachedData = undefined; // none embedded
  }
  return new Script(source, { filename: asset.filename, cachedData });
}

/** Runs a compiled asset as a CommonJS module; returns its exports. */
export function runSeaScript(script: Script, asset: SeaScriptAsset): Record<string, unknown> {
  const module = { exports: {} as Record<string, unknown> };
  const wrapper = script.runInThisContext() as (...args: unknown[]) => void;
  // The SEA's require: Node's built-ins, all a bundle with every dependency in it needs.
  wrapper(module.exports, require, module, asset.filename, ".");
  return module.exports;
}
