#!/usr/bin/env node
// Benchmark (not a test): the cold start of the kubelet credential provider, which kubelet execs once per image
// cache miss. Per exec: wall time (spawn to exit) and peak RSS (GNU time's %M) of
// - pullwarden-credential-provider (the built dist/bin/credential-provider.js) and cloud-provider-aws's
//   ecr-credential-provider (built from k8s.io/cloud-provider-aws by scripts/build-go-tools.sh) answering the same
//   v1 ECR request against moto (GetAuthorizationToken over loopback, static keys), in the same run;
// - pullwarden-credential-provider answering a static registry from a root-only file, and an image it does not
//   serve (the floor: Node's start plus reading one request).
// Runs are interleaved (A, B, A, B...) so machine load hits both alike. hyperfine is used when it is on PATH.
// Usage: npm run build && node bench/credential-provider.mjs [runs]
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { root } from "./support/bench-env.mjs";

const runs = Number(process.argv[2] ?? 20);
const plugin = join(root, "dist/bin/credential-provider.js");
const upstream = join(root, ".cache/go-tools/bin/ecr-credential-provider");
const motoServer = join(root, ".cache/moto-venv/bin/moto_server");
for (const [path, fix] of [
  [plugin, "npm run build"],
  [upstream, "scripts/build-go-tools.sh"],
  [motoServer, "scripts/install-test-deps.sh"],
]) {
  if (!existsSync(path)) {
    console.error(`bench: ${path} missing: run ${fix} first`);
    process.exit(4);
  }
}
if (!existsSync("/usr/bin/time")) {
  console.error("bench: /usr/bin/time (GNU time) is needed for peak memory: apt-get install time");
  process.exit(4);
}

const dir = mkdtempSync(join(tmpdir(), "pullwarden-bench-provider-"));
const staticFile = join(dir, "static.json");
writeFileSync(
  staticFile,
  JSON.stringify({
    auths: { "ghcr.io": { username: "octo", password: "ghp_benchbenchbenchbenchbenchbenchbench12" } },
  }),
  {
    mode: 0o600,
  },
);

const moto = spawn(motoServer, ["-H", "127.0.0.1", "-p", "0"], { stdio: ["ignore", "pipe", "pipe"] });
const motoUrl = await new Promise((resolve, reject) => {
  let seen = "";
  const onData = (chunk) => {
    seen += chunk;
    const match = /Running on (http:\/\/127\.0\.0\.1:\d+)/.exec(seen);
    if (match) resolve(match[1]);
  };
  moto.stdout.on("data", onData);
  moto.stderr.on("data", onData);
  moto.on("exit", () => reject(new Error(`moto_server exited: ${seen}`)));
  setTimeout(() => reject(new Error(`moto_server did not start: ${seen}`)), 30_000).unref();
});

const env = {
  PATH: process.env.PATH,
  HOME: dir,
  AWS_ACCESS_KEY_ID: "AKIABENCHEXAMPLE0001",
  AWS_SECRET_ACCESS_KEY: "bench-secret-key",
  AWS_REGION: "us-east-1",
  AWS_ENDPOINT_URL_ECR: motoUrl,
  AWS_EC2_METADATA_DISABLED: "true",
};
const request = (image) =>
  JSON.stringify({
    kind: "CredentialProviderRequest",
    apiVersion: "credentialprovider.kubelet.k8s.io/v1",
    image,
  });
const ECR = request("123456789012.dkr.ecr.us-east-1.amazonaws.com/team/app:1.0");

const cases = [
  {
    name: "ecr: pullwarden-credential-provider",
    command: [process.execPath, plugin],
    stdin: ECR,
    group: "ecr",
  },
  { name: "ecr: ecr-credential-provider (Go)", command: [upstream], stdin: ECR, group: "ecr" },
  {
    name: "static: pullwarden-credential-provider",
    command: [process.execPath, plugin, "--static-config", staticFile],
    stdin: request("ghcr.io/org/app:1"),
  },
  {
    name: "not served: pullwarden-credential-provider",
    command: [process.execPath, plugin],
    stdin: request("quay.io/org/app:1"),
  },
];

/** One exec: wall milliseconds and peak RSS in MiB; fails the bench on a non-zero exit. */
function once(testCase) {
  const start = process.hrtime.bigint();
  const result = spawnSync("/usr/bin/time", ["-f", "%M", ...testCase.command], {
    input: testCase.stdin,
    env,
    encoding: "utf8",
  });
  const wallMs = Number(process.hrtime.bigint() - start) / 1e6;
  if (result.status !== 0)
    throw new Error(
      `${testCase.name} failed (exit ${result.status}): ${result.stderr.trim().split("\n").at(-2)}`,
    );
  if (!result.stdout.includes('"CredentialProviderResponse"'))
    throw new Error(`${testCase.name}: no response`);
  const rssKb = Number(result.stderr.trim().split("\n").at(-1));
  return { wallMs, rssMiB: rssKb / 1024 };
}

const stats = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  return { median: at(0.5), p90: at(0.9), min: sorted[0] };
};

try {
  for (const testCase of cases) once(testCase); // warm the page cache once
  const samples = new Map(cases.map((c) => [c.name, []]));
  for (let i = 0; i < runs; i++)
    for (const testCase of cases) samples.get(testCase.name).push(once(testCase));
  console.log(`credential provider cold start, ${runs} execs each (interleaved), Node ${process.version}`);
  console.log("case                                          wall median   p90      min   peak RSS median");
  const medians = {};
  for (const testCase of cases) {
    const wall = stats(samples.get(testCase.name).map((s) => s.wallMs));
    const rss = stats(samples.get(testCase.name).map((s) => s.rssMiB));
    medians[testCase.name] = wall.median;
    console.log(
      `${testCase.name.padEnd(45)} ${wall.median.toFixed(0).padStart(6)} ms ${wall.p90.toFixed(0).padStart(6)} ms ${wall.min.toFixed(0).padStart(6)} ms ${rss.median.toFixed(1).padStart(8)} MiB`,
    );
  }
  const ours = medians["ecr: pullwarden-credential-provider"];
  const theirs = medians["ecr: ecr-credential-provider (Go)"];
  console.log(`ecr: pullwarden / ecr-credential-provider = ${(ours / theirs).toFixed(2)}x (median wall)`);
  if (spawnSync("hyperfine", ["--version"]).status === 0) {
    spawnSync(
      "hyperfine",
      [
        "--shell=bash",
        "--warmup",
        "2",
        "--runs",
        String(runs),
        ...cases.map((c) => `${c.command.join(" ")} <<< '${c.stdin}'`),
      ],
      { stdio: "inherit", env, shell: false },
    );
  }
} finally {
  moto.kill();
  rmSync(dir, { recursive: true, force: true });
}
