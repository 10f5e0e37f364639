#!/usr/bin/env node
// Benchmark (not a test): `pullwarden check` against `skopeo inspect --raw`, in one run, against one local
// Debian docker-registry this script starts itself: TLS (a throw-away CA and server certificate made with
// openssl) and htpasswd auth (bcrypt, made with htpasswd), so both clients do the full handshake: ping, Basic
// challenge, authorised manifest request, over verified TLS.
//
//   (a) one image: `pullwarden check IMAGE --username U --password-stdin --ca-file CA` vs
//       `skopeo inspect --raw --creds U:P --cert-dir DIR docker://IMAGE`, alternating, median of N runs each
//       (target: ratio at most 0.7);
//   (b) 200 references across 20 repositories: one `pullwarden check -f FILE` vs the same 200
//       `skopeo inspect --raw` calls in sequence (target: at least 10x faster).
//
// The registry and its images: bench/support/registry.mjs. pullwarden runs as users run it, the executable (its
// launcher line starts the first node on PATH). bench/startup.mjs compares the same with hyperfine, per Node.
// Usage: npm run build && node bench/check.mjs [runs]   (needs docker-registry, skopeo, htpasswd, openssl)
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { PASSWORD, USER, requireTools, startBenchRegistry } from "./support/registry.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const cli = join(root, "dist/bin/main.js");
const runs = Math.max(20, Number(process.argv[2] ?? 30));
const REPOS = 20;
const TAGS = 10;

if (!existsSync(cli)) {
  console.error("bench: dist/bin/main.js missing: run `npm run build` first");
  process.exit(4);
}
requireTools(["docker-registry", "skopeo", "htpasswd", "openssl"]);

const { dir, host, caCrt, certDir, policy, skopeoEnv, refs, listFile, sha256 } = await startBenchRegistry({
  repos: REPOS,
  tags: TAGS,
});
const progress = (text) => process.stderr.write(`bench: ${text}\n`);
progress(`${refs.length} references ready; timing`);
// ---- timing -----------------------------------------------------------------------------------------------
const cliEnv = { PATH: process.env.PATH, HOME: dir };
const pullwarden = (args) => [
  cli,
  ["check", ...args, "--username", USER, "--password-stdin", "--ca-file", caCrt],
  { env: cliEnv, input: PASSWORD },
];
const skopeo = (ref) => [
  "skopeo",
  // prettier-ignore
  ["--policy", policy, "inspect", "--raw", "--creds", `${USER}:${PASSWORD}`, "--cert-dir", certDir, `docker://${ref}`],
  { env: skopeoEnv },
];

function timeOnce([file, args, options]) {
  const start = process.hrtime.bigint();
  const result = spawnSync(file, args, {
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
    timeout: 120_000,
    ...options,
  });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (result.status !== 0)
    throw new Error(`${file} ${args.join(" ")} failed (${result.status}): ${result.stderr}`);
  return { ms, stdout: result.stdout };
}
const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

// Warm-up and sanity: both see the same manifest.
const image = refs[0];
const checked = JSON.parse(timeOnce(pullwarden([image, "-o", "json"])).stdout);
const raw = timeOnce(skopeo(image)).stdout;
if (checked.images[0].outcome !== "ok" || checked.images[0].digest !== sha256(Buffer.from(raw))) {
  console.error("bench: pullwarden and skopeo disagree on the manifest; fix that before benchmarking");
  process.exit(1);
}

const floor = [process.execPath, ["-e", "0"], { env: cliEnv }];
const single = { pullwarden: [], skopeo: [], floor: [] };
for (let i = 0; i < runs; i++) {
  single.pullwarden.push(timeOnce(pullwarden([image])).ms);
  single.skopeo.push(timeOnce(skopeo(image)).ms);
  single.floor.push(timeOnce(floor).ms);
}
const many = { pullwarden: [], skopeo: [] };
for (let round = 0; round < 3; round++) {
  const result = timeOnce(pullwarden(["-f", listFile, "-o", "json"]));
  const report = JSON.parse(result.stdout);
  if (report.summary.ok !== refs.length) throw new Error("bench: not every reference was ok");
  many.pullwarden.push(result.ms);
}
for (let round = 0; round < 1; round++) {
  let total = 0;
  for (const ref of refs) total += timeOnce(skopeo(ref)).ms;
  many.skopeo.push(total);
}

const a = {
  pullwarden: median(single.pullwarden),
  skopeo: median(single.skopeo),
  floor: median(single.floor),
};
const b = { pullwarden: median(many.pullwarden), skopeo: median(many.skopeo) };
console.log(
  `registry: docker-registry (TLS + htpasswd) on ${host}; ${refs.length} references in ${REPOS} repositories`,
);
console.log(`(a) one image, ${runs} runs each, alternating`);
console.log(`    pullwarden check          median ${a.pullwarden.toFixed(1)} ms`);
console.log(`    skopeo inspect --raw      median ${a.skopeo.toFixed(1)} ms`);
console.log(`    node -e 0 (the floor)     median ${a.floor.toFixed(1)} ms`);
console.log(`    ratio pullwarden/skopeo   ${(a.pullwarden / a.skopeo).toFixed(2)}x (target <= 0.70x)`);
console.log(`    floor/skopeo              ${(a.floor / a.skopeo).toFixed(2)}x (Node's start alone)`);
console.log(`(b) ${refs.length} references`);
console.log(
  `    pullwarden check -f       median of ${many.pullwarden.length}: ${b.pullwarden.toFixed(1)} ms`,
);
console.log(`    ${refs.length} x skopeo inspect --raw  ${b.skopeo.toFixed(1)} ms (in sequence)`);
console.log(`    speed-up                  ${(b.skopeo / b.pullwarden).toFixed(1)}x (target >= 10x)`);
