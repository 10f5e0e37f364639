/**
 * The full CLI inside the single executable (sea-launcher.ts): its SEA assets' names, shared with the build
 * (scripts/build-binaries.mjs), and its compilation with the code cache made for it.
 */
import { Script } from "node:vm";

/** The full CLI's CommonJS bundle. */
export const FULL_CLI_ASSET = "full-cli.js";
/** Its V8 code cache, made by the build with the Node.js the executable embeds. */
export const FULL_CLI_CACHE_ASSET = "full-cli.v8cache";
/** The file name its stack frames and V8's cache check use (the cache is made under the same name). */
export const FULL_CLI_FILENAME = "pullwarden-full-cli.js";

type GetAsset = (key: string) => ArrayBuffer;

/** The full CLI compiled from the assets (`wrap`: the CommonJS wrapper the cache was made for). */
export function fullCliScript(getAsset: GetAsset, wrap: (source: string) => string): Script {
  const source = wrap(new TextDecoder().decode(getAsset(FULL_CLI_ASSET)));
  let cachedData: Buffer | undefined;
  try {
    cachedData = Buffer.from(getAsset(FULL_CLI_CACHE_ASSET));
  } catch {
    cachedData = undefined; // a build without one (a cross build: V8 cannot make another CPU's cache)
  }
  return new Script(source, { filename: FULL_CLI_FILENAME, cachedData });
}
