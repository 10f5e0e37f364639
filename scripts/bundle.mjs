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
import { buildFastPath, computeFlagSpecs } from "./fast-path-build.mjs";

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
const fastChunk = `fast/${fast.entryChunk}`;

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

// The launcher.
await build({
  ...common,
  entryPoints: { main: "src/cli/launcher.ts" },
  outdir,
  format: "cjs",
  define: {
    PULLWARDEN_FAST_CHUNK: JSON.stringify(fastChunk),
    PULLWARDEN_FULL_CLI: JSON.stringify("cli.mjs"),
  },
  // NODE_EXTRA_CA_CERTS is deferred past Node's start-up, and TLS trusts the OS store, read lazily by OpenSSL,
  // instead of Node's bundled roots (src/extra-ca.ts `systemTrust`, docs/check.md "Which certificates are trusted").
  banner: {
    js: "#!/usr/bin/env -S PULLWARDEN_EXTRA_CA_CERTS=${NODE_EXTRA_CA_CERTS} NODE_EXTRA_CA_CERTS= node --use-openssl-ca",
  },
});

chmodSync(join(outdir, "main.js"), 0o755);

// The fast path's V8 code caches for this Node (src/cli/fast-path/code-cache.ts), from representative runs: V8
// stores the functions compiled by then, so a later start compiles nothing they ran. check against a closed port
// (it fails fast, having loaded what a check loads), then secret create, whose caches of shared chunks win.
const representativeRuns = [
  [["check", "127.0.0.1:9/code-cache/app:1", "--plain-http", "--timeout", "2s", "--no-github-probe"], [1]],
  [
    ["secret", "create", "code-cache", "--docker-server=registry.example", "--docker-username=build"].concat([
      "--docker-password-env=PW",
      "--docker-email=build@example.com",
      "--dry-run=client",
      "-o",
      "yaml",
    ]),
    [0],
  ],
];
for (const [args, expected] of representativeRuns) {
  const cacheRun = spawnSync(process.execPath, [join(outdir, "main.js"), ...args], {
    env: { PATH: process.env.PATH, HOME: tmpdir(), PW: "not-a-secret", PULLWARDEN_WRITE_CODE_CACHE: "1" },
    encoding: "utf8",
  });
  if (!expected.includes(cacheRun.status)) {
    throw new Error(
      `writing the fast path's code cache: ${args.slice(0, 2).join(" ")} exited ${cacheRun.status}: ${cacheRun.stderr}`,
    );
  }
}

const previous = join(root, "dist", `.bin-old-${process.pid}`);
if (existsSync(target)) renameSync(target, previous);
renameSync(outdir, target);
rmSync(previous, { recursive: true, force: true });
