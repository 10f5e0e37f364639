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
 * TypeScript test support loaded by a bench without a test runner: `source` (a module's text, resolved from the
 * repository root) bundled on the fly with esbuild (a dev dependency) into node_modules/.cache/pullwarden-bench/
 * `name`.mjs, packages left external, and imported.
 */
export async function importTestSupport(name, source) {
  const cacheDir = join(root, "node_modules/.cache/pullwarden-bench");
  mkdirSync(cacheDir, { recursive: true });
  const bundle = join(cacheDir, `${name}.mjs`);
  await build({
    stdin: { contents: source, resolveDir: root, loader: "ts" },
    outfile: bundle,
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    packages: "external",
    logLevel: "warning",
  });
  return import(pathToFileURL(bundle).href);
}

/**
 * The test suites' cluster (etcd + kube-apiserver + kube-controller-manager built by scripts/install-test-deps.sh,
 * behind the recording proxy). Returns its `startCluster`.
 */
export async function loadTestCluster() {
  const { startCluster } = await importTestSupport(
    "real-cluster",
    `export { startCluster } from "./test/kube/real-cluster.ts";`,
  );
  return startCluster;
}
