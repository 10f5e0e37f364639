// Bundles the CLI into dist/bin/ with esbuild; the library build (dist/*.js, with types) is untouched. Fewer,
// pre-resolved modules start faster than the ~100 files tsc emits. Three outputs (ARCHITECTURE.md, "How a
// command starts"):
// - main.js, the executable: a small CommonJS launcher (src/cli/launcher.ts; dist/bin/package.json makes .js
//   CommonJS here, so Node starts no ES module loader for it);
// - secret-create-<hash>.cjs, the fast chunk (src/cli/fast-path/): secret create without commander, loaded by
//   the launcher with the V8 code cache written below;
// - cli.mjs and its chunks: the full CLI, an ES module with one lazily loaded chunk per command.
import { spawnSync } from "node:child_process";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { build } from "esbuild";

const root = resolve(import.meta.dirname, "..");
const outdir = join(root, "dist/bin");
// Chunk names carry content hashes: start clean so stale chunks never pile up.
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

// The fast chunk, with secret create's flag spec computed from its commander definition (one source of truth:
// src/cli/fast-path/flag-spec.ts) and written in as JSON, so the chunk never loads commander.
const specModule = "src/cli/commands/secret-create/flag-spec.ts";
const specJson = JSON.stringify(await evaluate(specModule, "SECRET_CREATE_FLAG_SPEC"));
const fast = await build({
  ...common,
  entryPoints: { "secret-create": "src/cli/fast-path/secret-create-main.ts" },
  outdir,
  entryNames: "[name]-[hash]",
  format: "cjs",
  outExtension: { ".js": ".cjs" },
  metafile: true,
  plugins: [
    {
      name: "secret-create-flag-spec",
      setup(plugin) {
        plugin.onLoad({ filter: /secret-create[/\\]flag-spec\.ts$/ }, () => ({
          contents: `export const SECRET_CREATE_FLAG_SPEC = ${specJson};`,
          loader: "ts",
        }));
        // Flag declarations share modules with the flags' readers; commander has no import-time effects, so
        // what the fast path never calls (the declarations) is dropped with it. Checked below.
        plugin.onResolve({ filter: /^(commander|@commander-js\/extra-typings)$/ }, async (args) => {
          if (args.pluginData === "resolving") return undefined;
          const resolved = await plugin.resolve(args.path, {
            kind: args.kind,
            resolveDir: args.resolveDir,
            importer: args.importer,
            pluginData: "resolving",
          });
          return { ...resolved, sideEffects: false };
        });
      },
    },
  ],
});
const fastInputs = Object.keys(fast.metafile.inputs);
const heavy = fastInputs.filter((input) => /node_modules\/(commander|@commander-js|yaml|@kubernetes)\//.test(input));
if (heavy.length > 0) {
  throw new Error(`the fast chunk must not contain ${heavy.join(", ")}: something it runs reaches them`);
}
const fastChunk = basename(Object.keys(fast.metafile.outputs).find((out) => out.endsWith(".cjs")));

// The kubelet credential provider (pullwarden-credential-provider): its own CommonJS executable, as kubelet
// execs it per image cache miss; no commander, and the cloud SDKs load only when an ECR or ACR image asks.
await build({
  ...common,
  entryPoints: { "credential-provider": "src/credential-provider/main.ts" },
  outdir,
  format: "cjs",
  external: ["@aws-sdk/*", "@azure/*", "@grpc/*"],
});
(await import("node:fs")).chmodSync(join(outdir, "credential-provider.js"), 0o755);

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
  // NODE_EXTRA_CA_CERTS is deferred past Node's start-up (src/extra-ca.ts).
  banner: { js: "#!/usr/bin/env -S PULLWARDEN_EXTRA_CA_CERTS=${NODE_EXTRA_CA_CERTS} NODE_EXTRA_CA_CERTS= node" },
});

// The fast chunk's V8 code cache for this Node (src/cli/fast-path/code-cache.ts), from one representative run:
// V8 stores the functions compiled by then, so a later start compiles nothing it ran here.
const cacheRun = spawnSync(
  process.execPath,
  [
    join(outdir, "main.js"),
    ...["secret", "create", "code-cache", "--docker-server=registry.example", "--docker-username=build"],
    ...["--docker-password-env=PW", "--docker-email=build@example.com", "--dry-run=client", "-o", "yaml"],
  ],
  {
    env: { PATH: process.env.PATH, HOME: tmpdir(), PW: "not-a-secret", PULLWARDEN_WRITE_CODE_CACHE: "1" },
    encoding: "utf8",
  },
);
if (cacheRun.status !== 0) {
  throw new Error(`writing the fast chunk's code cache failed (exit ${cacheRun.status}): ${cacheRun.stderr}`);
}

/** `name` exported by a TypeScript module, run once here (bundled to a temporary file, packages external). */
async function evaluate(entry, name) {
  const file = join(root, "dist", `.evaluate-${process.pid}.mjs`);
  try {
    await build({ ...common, entryPoints: [entry], outfile: file, format: "esm", packages: "external" });
    return (await import(pathToFileURL(file).href))[name];
  } finally {
    rmSync(file, { force: true });
  }
}
