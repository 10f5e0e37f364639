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
// Images: a tiny OCI layout written here (one empty layer), pushed once per repository with skopeo; the other
// tags are added with a manifest PUT. Every process started is stopped and the scratch dir removed on exit.
// Usage: npm run build && node bench/check.mjs [runs]   (needs docker-registry, skopeo, htpasswd, openssl)
import { spawn, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from "node:fs";
import { request } from "node:https";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const cli = join(root, "dist/bin/main.js");
const runs = Math.max(20, Number(process.argv[2] ?? 30));
const REPOS = 20;
const TAGS = 10;
const USER = "bench";
const PASSWORD = "bench-password-not-secret";

if (!existsSync(cli)) {
  console.error("bench: dist/bin/main.js missing: run `npm run build` first");
  process.exit(4);
}
for (const tool of ["docker-registry", "skopeo", "htpasswd", "openssl"]) {
  if (spawnSync("sh", ["-c", `command -v ${tool}`], { stdio: "ignore" }).status !== 0) {
    console.error(`bench: ${tool} not found: run scripts/install-test-deps.sh`);
    process.exit(4);
  }
}

const dir = mkdtempSync(join(tmpdir(), "pullwarden-bench-check-"));
let registry;
function cleanup() {
  if (registry && registry.exitCode === null && registry.signalCode === null) {
    try {
      process.kill(-registry.pid, "SIGKILL");
    } catch {
      registry.kill("SIGKILL");
    }
  }
  rmSync(dir, { recursive: true, force: true });
}
process.on("exit", cleanup);
for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"]) {
  process.on(signal, () => {
    cleanup();
    process.exit(130);
  });
}

function run(file, args, options = {}) {
  const result = spawnSync(file, args, { encoding: "utf8", timeout: 120_000, ...options });
  if (result.status !== 0) {
    throw new Error(`${file} ${args.join(" ")} failed (${result.status}): ${result.stderr}`);
  }
  return result;
}

const progress = (text) => process.stderr.write(`bench: ${text}\n`);
progress(`scratch dir ${dir}`);

// ---- TLS and htpasswd -------------------------------------------------------------------------------------
const caKey = join(dir, "ca.key");
const caCrt = join(dir, "ca.crt");
const serverKey = join(dir, "server.key");
const serverCsr = join(dir, "server.csr");
const serverCrt = join(dir, "server.crt");
const ext = join(dir, "server.ext");
const certDir = join(dir, "certdir");
// prettier-ignore
run("openssl", ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=pullwarden bench CA",
  "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign",
  "-keyout", caKey, "-out", caCrt]);
// prettier-ignore
run("openssl", ["req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=127.0.0.1", "-keyout", serverKey, "-out", serverCsr]);
writeFileSync(
  ext,
  "basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\nsubjectAltName=IP:127.0.0.1\n",
);
// prettier-ignore
run("openssl", ["x509", "-req", "-in", serverCsr, "-CA", caCrt, "-CAkey", caKey, "-CAcreateserial", "-days", "2",
  "-extfile", ext, "-out", serverCrt]);
mkdirSync(certDir);
writeFileSync(join(certDir, "ca.crt"), readFileSync(caCrt));
const htpasswdFile = join(dir, "htpasswd");
run("htpasswd", ["-Bbc", htpasswdFile, USER, PASSWORD]);

progress("starting docker-registry");
// ---- the registry -----------------------------------------------------------------------------------------
const port = await new Promise((resolve, reject) => {
  const server = createServer();
  server.on("error", reject);
  server.listen(0, "127.0.0.1", () => {
    const { port: p } = server.address();
    server.close(() => resolve(p));
  });
});
const host = `127.0.0.1:${port}`;
const configFile = join(dir, "config.yml");
writeFileSync(
  configFile,
  JSON.stringify({
    version: 0.1,
    log: { level: "error", accesslog: { disabled: true } },
    storage: { filesystem: { rootdirectory: join(dir, "data") } },
    http: { addr: host, secret: "bench-only", tls: { certificate: serverCrt, key: serverKey } },
    auth: { htpasswd: { realm: "bench", path: htpasswdFile } },
  }),
);
registry = spawn("docker-registry", ["serve", configFile], {
  detached: true,
  stdio: "ignore",
  env: { PATH: process.env.PATH, HOME: dir },
});

const ca = readFileSync(caCrt);
const basic = `Basic ${Buffer.from(`${USER}:${PASSWORD}`).toString("base64")}`;
function https(method, path, { body, headers = {} } = {}) {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: "127.0.0.1", port, method, path, ca, headers: { authorization: basic, ...headers } },
      (res) => {
        const chunks = [];
        res.on("data", (c) => chunks.push(c));
        res.on("end", () => resolve({ status: res.statusCode, body: Buffer.concat(chunks) }));
      },
    );
    req.setTimeout(10_000, () => req.destroy(new Error(`${method} ${path}: timed out`)));
    req.on("error", reject);
    req.end(body);
  });
}
for (let start = Date.now(); ;) {
  const status = await https("GET", "/v2/").then(
    (r) => r.status,
    () => 0,
  );
  if (status === 200) break;
  if (Date.now() - start > 15_000) throw new Error("bench: the registry did not start");
  await new Promise((r) => setTimeout(r, 50));
}

progress("registry up; pushing images");
// ---- images -----------------------------------------------------------------------------------------------
const sha256 = (data) => `sha256:${createHash("sha256").update(data).digest("hex")}`;
const layout = join(dir, "oci");
mkdirSync(join(layout, "blobs", "sha256"), { recursive: true });
const blob = (data) => {
  const digest = sha256(data);
  writeFileSync(join(layout, "blobs", "sha256", digest.slice(7)), data);
  return { digest, size: data.length };
};
const tar = Buffer.alloc(1024);
const layer = blob(gzipSync(tar));
const config = blob(
  Buffer.from(
    JSON.stringify({
      architecture: "amd64",
      os: "linux",
      config: {},
      rootfs: { type: "layers", diff_ids: [sha256(tar)] },
    }),
  ),
);
const manifestBytes = Buffer.from(
  JSON.stringify({
    schemaVersion: 2,
    mediaType: "application/vnd.oci.image.manifest.v1+json",
    config: { mediaType: "application/vnd.oci.image.config.v1+json", ...config },
    layers: [{ mediaType: "application/vnd.oci.image.layer.v1.tar+gzip", ...layer }],
  }),
);
const manifest = blob(manifestBytes);
writeFileSync(join(layout, "oci-layout"), JSON.stringify({ imageLayoutVersion: "1.0.0" }));
writeFileSync(
  join(layout, "index.json"),
  JSON.stringify({
    schemaVersion: 2,
    manifests: [
      {
        mediaType: "application/vnd.oci.image.manifest.v1+json",
        ...manifest,
        annotations: { "org.opencontainers.image.ref.name": "t0" },
      },
    ],
  }),
);

const skopeoHome = join(dir, "home");
mkdirSync(join(skopeoHome, "run"), { recursive: true, mode: 0o700 });
const policy = join(dir, "policy.json");
writeFileSync(policy, JSON.stringify({ default: [{ type: "insecureAcceptAnything" }] }));
const skopeoEnv = { PATH: process.env.PATH, HOME: skopeoHome, XDG_RUNTIME_DIR: join(skopeoHome, "run") };
const repos = Array.from({ length: REPOS }, (_, i) => `bench/repo-${String(i).padStart(2, "0")}`);
for (const repo of repos) {
  // prettier-ignore
  run("skopeo", ["--policy", policy, "copy", "--quiet", "--dest-creds", `${USER}:${PASSWORD}`, "--dest-cert-dir",
    certDir, `oci:${layout}:t0`, `docker://${host}/${repo}:t0`], { env: skopeoEnv });
  for (let t = 1; t < TAGS; t++) {
    const put = await https("PUT", `/v2/${repo}/manifests/t${t}`, {
      body: manifestBytes,
      headers: { "content-type": "application/vnd.oci.image.manifest.v1+json" },
    });
    if (put.status !== 201) throw new Error(`bench: tagging ${repo}:t${t} failed (HTTP ${put.status})`);
  }
}
const refs = repos.flatMap((repo) => Array.from({ length: TAGS }, (_, t) => `${host}/${repo}:t${t}`));
const listFile = join(dir, "images.txt");
writeFileSync(listFile, `${refs.join("\n")}\n`);

progress(`${refs.length} references ready; timing`);
// ---- timing -----------------------------------------------------------------------------------------------
const cliEnv = { PATH: process.env.PATH, HOME: dir };
const pullwarden = (args) => [
  process.execPath,
  [cli, "check", ...args, "--username", USER, "--password-stdin", "--ca-file", caCrt],
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
