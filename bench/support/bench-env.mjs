// Shared by the benches that drive the built CLI against a real control plane (test/kube/real-cluster.ts).
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
 * The test suites' cluster (etcd + kube-apiserver + kube-controller-manager built by scripts/install-test-deps.sh,
 * behind the recording proxy) is TypeScript test support: it is bundled on the fly with esbuild (a dev
 * dependency) into node_modules/.cache, so the benches need no test runner. Returns its `startCluster`.
 */
export async function loadTestCluster() {
  const cacheDir = join(root, "node_modules/.cache/pullwarden-bench");
  mkdirSync(cacheDir, { recursive: true });
  const serverBundle = join(cacheDir, "real-cluster.mjs");
  await build({
    entryPoints: [join(root, "test/kube/real-cluster.ts")],
    outfile: serverBundle,
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    packages: "external",
    logLevel: "warning",
  });
  const { startCluster } = await import(pathToFileURL(serverBundle).href);
  return startCluster;
}
