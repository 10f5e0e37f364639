// The fast path's build (src/cli/fast-path/): secret create's entry bundled and code-split by esbuild, each chunk
// then turned into CommonJS, whose require("./chunk.js") the launcher's chunk loader serves with the V8 code
// cache (src/cli/fast-path/code-cache.ts). Used by scripts/bundle.mjs and by test/cli/startup-imports.test.ts.
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { pathToFileURL } from "node:url";
import { build, transform } from "esbuild";

const ENTRY = "src/cli/fast-path/main.ts";

/**
 * `specs`: each fast command's flag spec by its folder under src/cli/commands/ (`{ check: { name: "CHECK_FLAG_SPEC",
 * spec } }`), computed from its commander definition (the one source of truth: src/cli/fast-path/flag-spec.ts)
 * and written into the chunks in place of the modules that compute them, so they never load commander. Returns
 * the chunks (not written), the entry chunk's file name, and the source files that made it into the output.
 */
export async function buildFastPath({ outdir, specs }) {
  const result = await build({
    entryPoints: { main: ENTRY },
    outdir,
    entryNames: "[name]-[hash]",
    bundle: true,
    platform: "node",
    target: "node20",
    // esbuild splits only ES modules: split, then turn each chunk into CommonJS below.
    format: "esm",
    splitting: true,
    metafile: true,
    write: false,
    logLevel: "warning",
    // Loaded with require() by the chunk loader, only by the sources that need them (cloud sources).
    external: ["@kubernetes/client-node", "@aws-sdk/*", "@azure/*", "@grpc/*"],
    plugins: [flagSpecPlugin(specs)],
  });
  const files = [];
  for (const file of result.outputFiles) {
    const { code } = await transform(file.text, {
      format: "cjs",
      platform: "node",
      target: "node20",
      // import() of a sibling chunk becomes require(), served by the chunk loader.
      supported: { "dynamic-import": false },
      // Fully minified: less to read and scan when a start has no usable code cache (errors print no stacks).
      minify: true,
      legalComments: "none",
    });
    files.push({ path: file.path, code });
  }
  const outputs = Object.entries(result.metafile.outputs);
  return {
    files,
    entryChunk: basename(outputs.find(([, output]) => output.entryPoint === ENTRY)[0]),
    // What made it into the output (the metafile's inputs also name what tree shaking dropped).
    inputs: outputs.flatMap(([, output]) =>
      Object.entries(output.inputs)
        .filter(([, input]) => input.bytesInOutput > 0)
        .map(([path]) => path),
    ),
  };
}

/**
 * The esbuild plugin that writes each fast command's flag spec (`specs`, as buildFastPath takes them) in place of
 * the module computing it from commander, and lets tree shaking drop commander. Also used by
 * scripts/build-binaries.mjs for the single executable's main script.
 */
export function flagSpecPlugin(specs) {
  return {
    name: "secret-create-flag-spec",
    setup(plugin) {
      // Each command's flag-spec.ts computes its spec from its commander definition: here, the JSON of it.
      plugin.onLoad({ filter: /commands[/\\][^/\\]+[/\\]flag-spec\.ts$/ }, (args) => {
        const command = args.path.split(/[/\\]/).at(-2);
        if (!(command in specs)) throw new Error(`no flag spec computed for ${command}`);
        return {
          contents: `export const ${specs[command].name} = ${JSON.stringify(specs[command].spec)};`,
          loader: "ts",
        };
      });
      // Flag declarations share modules with the flags' readers; commander has no import-time effects, so
      // what the fast path never calls (the declarations) is dropped with it (bundle.mjs checks).
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
  };
}

/** The fast commands' flag specs, as buildFastPath and flagSpecPlugin take them, computed from their sources. */
export async function computeFlagSpecs(root) {
  const specs = {};
  for (const [command, name] of [
    ["secret-create", "SECRET_CREATE_FLAG_SPEC"],
    ["check", "CHECK_FLAG_SPEC"],
  ]) {
    specs[command] = { name, spec: (await evaluate(root, `src/cli/commands/${command}/flag-spec.ts`))[name] };
  }
  return specs;
}

/**
 * The representative runs of the fast commands, whose compiled code the code caches keep and whose loaded
 * chunks make the packs (scripts/bundle.mjs, and the single executable's in scripts/build-binaries.mjs), as
 * `[command, args, expected exit codes]`, in order: check against a closed port over TLS (it fails fast, having
 * read a docker config and a CA file and set up TLS), check of one image on scripts/representative-registry.mjs
 * (a successful check: challenge, manifest, digest, report), and secret create. The last run of a command
 * writes its pack's cache, so the successful check comes after the refused one. Their input files are written
 * into a new temporary directory and the stand-in registry runs until `cleanUp`.
 */
export async function representativeRuns() {
  const dir = mkdtempSync(join(tmpdir(), "pullwarden-code-cache-"));
  const registry = spawn(process.execPath, [join(import.meta.dirname, "representative-registry.mjs")], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  const port = await new Promise((resolve, reject) => {
    registry.once("error", reject);
    registry.once("exit", (code) => reject(new Error(`representative-registry.mjs exited ${code}`)));
    registry.stdout.once("data", (data) => resolve(String(data).trim()));
  });
  const config = join(dir, "config.json");
  // "build:not-a-secret": a made-up credential, for a port where nothing listens and for the stand-in registry.
  const auth = { auth: Buffer.from("build:not-a-secret").toString("base64") };
  writeFileSync(config, JSON.stringify({ auths: { "127.0.0.1:9": auth, [`127.0.0.1:${port}`]: auth } }));
  const ca = join(dir, "ca.pem");
  writeFileSync(ca, "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n");
  const checkFlags = ["--secret", config, "--timeout", "2s", "--no-github-probe"];
  return {
    runs: [
      ["check", ["127.0.0.1:9/code-cache/app:1", "--ca-file", ca, ...checkFlags], [1]],
      ["check", [`127.0.0.1:${port}/code-cache/app:1`, "--plain-http", ...checkFlags], [0]],
      [
        "secret create",
        ["code-cache", "--docker-server=registry.example", "--docker-username=build"].concat([
          "--docker-password-env=PW",
          "--docker-email=build@example.com",
          "--dry-run=client",
          "-o",
          "yaml",
        ]),
        [0],
      ],
    ],
    env: { PW: "not-a-secret" },
    cleanUp: () => {
      registry.kill();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Packs the chunks in `fastDir` (dist/bin/fast) that each of `commands` loaded in the build's representative
 * run (its `<command>.loaded.json`, written by the launcher) into its pack (src/cli/fast-path/code-cache.ts
 * packSource), then removes those lists (the next representative runs, loading the packs, write the packs'
 * caches). Returns each command's pack's file name (the launcher's PULLWARDEN_FAST_PACKS).
 */
export async function packFastCommands(root, fastDir, commands) {
  const codeCache = await evaluate(root, "src/cli/fast-path/code-cache.ts");
  const packs = {};
  for (const command of new Set(commands)) {
    const list = join(fastDir, codeCache.loadedListName(command));
    const chunks = JSON.parse(readFileSync(list, "utf8"));
    const source = codeCache.packSource(
      chunks.map((name) => [name, readFileSync(join(fastDir, name), "utf8")]),
    );
    const hash = createHash("sha256").update(source).digest("hex").slice(0, 12);
    packs[command] = codeCache.packName(command, hash);
    writeFileSync(join(fastDir, packs[command]), source);
    rmSync(list);
  }
  return packs;
}

/** The exports of a TypeScript module, run once here (bundled to a temporary file, packages external). */
async function evaluate(root, entry) {
  // A name per module: import() caches by URL.
  const file = join(root, "dist", `.evaluate-${process.pid}-${entry.replace(/\W+/g, "-")}.mjs`);
  try {
    await build({
      entryPoints: [join(root, entry)],
      outfile: file,
      bundle: true,
      platform: "node",
      target: "node20",
      format: "esm",
      packages: "external",
      logLevel: "warning",
    });
    return await import(pathToFileURL(file).href);
  } finally {
    rmSync(file, { force: true });
  }
}
