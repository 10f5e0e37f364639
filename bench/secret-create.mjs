#!/usr/bin/env node
// Benchmark (not a test): `pullwarden secret create --dry-run=client -o yaml` against the same kubectl command,
// alternating in one run so both see the same machine state. Prints medians and the ratio.
// Target (issue 2): pullwarden at most 0.8x kubectl's median wall time. Also reports `pullwarden --version`.
// Usage: npm run build && node bench/secret-create.mjs [runs]
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const cli = join(root, "dist/bin/main.js");
const runs = Number(process.argv[2] ?? 30);
if (!existsSync(cli)) {
  console.error("bench: dist/bin/main.js missing: run `npm run build` first");
  process.exit(4);
}
const kubectl = ["kubectl", join(root, ".cache/kubectl/usr/bin/kubectl")].find(
  (candidate) => spawnSync(candidate, ["version", "--client"], { stdio: "ignore" }).status === 0,
);
if (!kubectl) {
  console.error("bench: kubectl not found: run scripts/install-test-deps.sh");
  process.exit(4);
}

const home = mkdtempSync(join(tmpdir(), "pullwarden-bench-"));
const env = { ...process.env, HOME: home, KUBECONFIG: join(home, "none") };
const args = [
  "bench-secret",
  "--docker-server=ghcr.io",
  "--docker-username=octocat",
  "--docker-email=octocat@example.com",
  "--dry-run=client",
  "-o",
  "yaml",
];
const commands = {
  // Run as users run it: the executable with its launcher line (see src/extra-ca.ts), not `node main.js`.
  pullwarden: [cli, ["secret", "create", ...args, "--docker-password-env=BENCH_PASSWORD"]],
  kubectl: [kubectl, ["create", "secret", "docker-registry", ...args, "--docker-password=bench-password"]],
  "pullwarden --version": [cli, ["--version"]],
  // The floors: Node.js starting and exiting with no code at all, with this environment and without
  // NODE_EXTRA_CA_CERTS (which Node 20 parses at start-up; pullwarden's launcher defers it).
  "node -e 0 (floor)": [process.execPath, ["-e", "0"]],
  "node -e 0 (no extra CA)": ["env", ["-u", "NODE_EXTRA_CA_CERTS", process.execPath, "-e", "0"]],
};
env.BENCH_PASSWORD = "bench-password";

function timeOnce([file, argv]) {
  const start = process.hrtime.bigint();
  const result = spawnSync(file, argv, { env, encoding: "utf8" });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (result.status !== 0) throw new Error(`${file} ${argv.join(" ")} failed: ${result.stderr}`);
  return { ms, stdout: result.stdout };
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

// Warm-up, and a sanity check that both print the same manifest.
const a = timeOnce(commands.pullwarden).stdout;
const b = timeOnce(commands.kubectl).stdout;
if (a !== b) {
  console.error("bench: outputs differ; fix byte-identity before benchmarking");
  process.exit(1);
}

const samples = Object.fromEntries(Object.keys(commands).map((name) => [name, []]));
for (let i = 0; i < runs; i++) {
  for (const name of Object.keys(commands)) samples[name].push(timeOnce(commands[name]).ms);
}
rmSync(home, { recursive: true, force: true });

const med = Object.fromEntries(Object.entries(samples).map(([name, values]) => [name, median(values)]));
console.log(`runs per command: ${runs} (alternating)`);
for (const [name, value] of Object.entries(med))
  console.log(`${name.padEnd(22)} median ${value.toFixed(1)} ms`);
const ratio = med.pullwarden / med.kubectl;
console.log(`ratio pullwarden/kubectl (secret create -o yaml): ${ratio.toFixed(2)}x (target <= 0.80x)`);
console.log(
  `ratio pullwarden --version / kubectl create: ${(med["pullwarden --version"] / med.kubectl).toFixed(2)}x`,
);
process.exitCode = ratio <= 0.8 ? 0 : 1;
