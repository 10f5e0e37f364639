#!/usr/bin/env node
// Benchmark (not a test): start time of the commands that must not pay for the cloud SDKs (issue 13: the AWS and
// Azure SDKs are loaded only by the commands that mint), against the real peers, in one hyperfine run:
//
//   - `pullwarden secret create --dry-run=client -o yaml` vs `kubectl create secret docker-registry` (same flags);
//   - `pullwarden check IMAGE` vs `skopeo inspect --raw docker://IMAGE` for a non-cloud image on a loopback port
//     where nothing listens: both start, build their client, are refused at once and exit, so what is measured
//     is start-up and loading, not a registry (bench/check.mjs measures the full handshake);
//   - for scale, `pullwarden check ECR-IMAGE --from-cloud` with no AWS identity (it loads the AWS SDK and walks the
//     credential chain, then stops) and `node -e 0`.
//
// Prints each median and the ratios pullwarden/peer. test/cli/startup-imports.test.ts asserts the module side
// (no @aws-sdk or @azure module is loaded by the first two).
//
// Before/after in the same run: given a BASELINE (the built bin of an earlier revision), its secret create and
// check are timed too, and the ratios now/baseline printed. To build one:
//   git archive REV | tar -x -C /tmp/pw-base && ln -s "$PWD/node_modules" /tmp/pw-base/ &&
//   (cd /tmp/pw-base && node scripts/bundle.mjs)      # then BASELINE=/tmp/pw-base/dist/bin/main.js
// Usage: npm run build && node bench/cloud-sdk-start.mjs [runs] [BASELINE]   (needs hyperfine, kubectl, skopeo)
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { cli, requireBuiltCli, root } from "./support/bench-env.mjs";

requireBuiltCli();
const runs = Math.max(10, Number(process.argv[2] ?? 30));
const baseline = process.argv[3];
const kubectl = ["kubectl", join(root, ".cache/go-tools/bin/kubectl")].find(
  (candidate) => spawnSync(candidate, ["version", "--client"], { stdio: "ignore" }).status === 0,
);
if (!kubectl) {
  console.error("bench: kubectl not found: run scripts/install-test-deps.sh");
  process.exit(4);
}
/** A tool on PATH (as bench/check.mjs finds them), or exit 4 naming the install script. */
function requireTool(name) {
  if (spawnSync("sh", ["-c", `command -v ${name}`], { stdio: "ignore" }).status !== 0) {
    console.error(`bench: ${name} not found: run scripts/install-test-deps.sh`);
    process.exit(4);
  }
  return name;
}
const hyperfine = requireTool("hyperfine");
const skopeo = requireTool("skopeo");

// A port nothing listens on (found free, then closed).
const port = await new Promise((resolve, reject) => {
  const server = createServer();
  server.on("error", reject);
  server.listen(0, "127.0.0.1", () => {
    const { port: p } = server.address();
    server.close(() => resolve(p));
  });
});

const dir = mkdtempSync(join(tmpdir(), "pullwarden-bench-cloud-start-"));
process.on("exit", () => rmSync(dir, { recursive: true, force: true }));
const quote = (word) => `'${word.replaceAll("'", "'\\''")}'`;
const line = (...words) => words.map(quote).join(" ");
const secretFlags = [
  "bench-secret",
  "--docker-server=ghcr.io",
  "--docker-username=octocat",
  "--docker-password=bench-password",
  "--dry-run=client",
  "-o",
  "yaml",
];
const image = `127.0.0.1:${port}/team/app:1.0`;
const commands = [
  ["pullwarden secret create", line(cli, "secret", "create", ...secretFlags)],
  ["kubectl create secret", line(kubectl, "create", "secret", "docker-registry", ...secretFlags)],
  ["pullwarden check (non-cloud)", line(cli, "check", image, "--plain-http", "--timeout", "5s")],
  ["skopeo inspect (non-cloud)", line(skopeo, "inspect", "--raw", "--tls-verify=false", `docker://${image}`)],
  [
    "pullwarden check --from-cloud (ECR, no identity)",
    line(cli, "check", "123456789012.dkr.ecr.eu-west-1.amazonaws.com/app:1.0", "--from-cloud"),
  ],
  ["node -e 0 (floor)", line(process.execPath, "-e", "0")],
];
if (baseline) {
  commands.push(
    ["baseline secret create", line(baseline, "secret", "create", ...secretFlags)],
    ["baseline check (non-cloud)", line(baseline, "check", image, "--plain-http", "--timeout", "5s")],
  );
}

const env = {
  PATH: process.env.PATH,
  HOME: dir,
  KUBECONFIG: join(dir, "none"),
  AWS_EC2_METADATA_DISABLED: "true",
};
// Each command once: it must fail (or succeed) for the reason meant, or the timing measures something else.
const expected = {
  "pullwarden secret create": /^apiVersion: v1/,
  "kubectl create secret": /^apiVersion: v1/,
  "pullwarden check (non-cloud)": /refused \(ECONNREFUSED\)/,
  "skopeo inspect (non-cloud)": /connection refused/,
  "pullwarden check --from-cloud (ECR, no identity)": /no AWS credentials/,
  "node -e 0 (floor)": /^$/,
  "baseline secret create": /^apiVersion: v1/,
  "baseline check (non-cloud)": /refused \(ECONNREFUSED\)/,
};
for (const [name, command] of commands) {
  const once = spawnSync("sh", ["-c", command], { env, encoding: "utf8" });
  if (!expected[name].test(once.stdout + once.stderr)) {
    console.error(`bench: ${name} did not run as meant:\n${once.stdout}${once.stderr}`);
    process.exit(1);
  }
}

const exported = join(dir, "hyperfine.json");
// One hyperfine run: every command in the same machine state. The checks exit non-zero by design (-i).
const result = spawnSync(
  hyperfine,
  [
    "--warmup",
    "3",
    "--runs",
    String(runs),
    "-N",
    "-i",
    "--style",
    "basic",
    "--export-json",
    exported,
    ...commands.flatMap(([name, command]) => ["-n", name, command]),
  ],
  {
    env,
    stdio: ["ignore", "ignore", "inherit"],
  },
);
if (result.status !== 0) {
  console.error(`bench: hyperfine failed (${result.status})`);
  process.exit(1);
}
const medians = Object.fromEntries(
  JSON.parse(readFileSync(exported, "utf8")).results.map((r) => [r.command, r.median * 1000]),
);
console.log(`runs per command: ${runs} (hyperfine, one run)`);
for (const [name, ms] of Object.entries(medians))
  console.log(`  ${name.padEnd(48)} median ${ms.toFixed(1)} ms`);
const ratio = (a, b) => (medians[a] / medians[b]).toFixed(2);
console.log(
  `ratio secret create: pullwarden/kubectl = ${ratio("pullwarden secret create", "kubectl create secret")}`,
);
console.log(
  `ratio check (non-cloud): pullwarden/skopeo = ${ratio("pullwarden check (non-cloud)", "skopeo inspect (non-cloud)")}`,
);
if (baseline) {
  console.log(
    `ratio secret create: now/baseline = ${ratio("pullwarden secret create", "baseline secret create")}`,
  );
  console.log(
    `ratio check (non-cloud): now/baseline = ${ratio("pullwarden check (non-cloud)", "baseline check (non-cloud)")}`,
  );
}
