// Shared by the benches that drive the built CLI against the test API server.
import { existsSync, mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { build } from "esbuild";

export const root = join(dirname(fileURLToPath(import.meta.url)), "../..");
export const cli = join(root, "dist/bin/main.js");

/** Exits with a clear message (exit 4, environment) when the CLI has not been built. */
export function requireBuiltCli() {
  if (!existsSync(cli)) {
    console.error("bench: dist/bin/main.js missing: run `npm run build` first");
    process.exit(4);
  }
}

/**
 * The test API server is TypeScript test support: it is bundled on the fly with esbuild (a dev dependency)
 * into node_modules/.cache, so the benches need no test runner. Returns its `startApiServer`.
 */
export async function loadTestApiServer() {
  const cacheDir = join(root, "node_modules/.cache/pullwarden-bench");
  mkdirSync(cacheDir, { recursive: true });
  const serverBundle = join(cacheDir, "kube-apiserver.mjs");
  await build({
    entryPoints: [join(root, "test/kube-apiserver/index.ts")],
    outfile: serverBundle,
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    packages: "external",
    logLevel: "warning",
  });
  const { startApiServer } = await import(pathToFileURL(serverBundle).href);
  return startApiServer;
}
