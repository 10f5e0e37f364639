// A real registry for the benches: the test suites' own (test/support: Debian's docker-registry on 127.0.0.1 over
// TLS, with htpasswd (bcrypt) or token auth from the test token server), bundled on the fly with esbuild as
// bench-env.mjs bundles the test cluster, so the benches need no test runner. `repos` repositories of `tags` tags
// each hold one tiny OCI image, pushed once per repository with skopeo and tagged with manifest PUTs.
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { request } from "node:https";
import { join } from "node:path";
import { importTestSupport } from "./bench-env.mjs";

export const USER = "bench";
export const PASSWORD = "bench-password-not-secret";

/** Exits with exit 4 (environment) naming the install script when a tool is missing. */
export function requireTools(tools) {
  for (const tool of tools) {
    if (spawnSync("sh", ["-c", `command -v ${tool}`], { stdio: "ignore" }).status !== 0) {
      console.error(`bench: ${tool} not found: run scripts/install-test-deps.sh`);
      process.exit(4);
    }
  }
}

const progress = (text) => process.stderr.write(`bench: ${text}\n`);
const sha256 = (data) => `sha256:${createHash("sha256").update(data).digest("hex")}`;

function loadTestSupport() {
  return importTestSupport("test-support", `export * from "./test/support/index.ts";`);
}

/**
 * Starts the registry (`auth`: "htpasswd" or "token") and fills it. Returns where it is and what clients need:
 * `host`, the CA (`caCrt`, and `certDir` for skopeo's --cert-dir), skopeo's `policy` and `skopeoEnv`, every
 * reference (`refs`, also one a line in `listFile`), an `authfile` (.dockerconfigjson) holding the credential,
 * `sha256`, and `stop()`.
 */
export async function startBenchRegistry({
  repos: repoCount = 20,
  tags: tagCount = 10,
  auth = "htpasswd",
} = {}) {
  requireTools(["docker-registry", "skopeo", "htpasswd", "openssl"]);
  const support = await loadTestSupport();
  const dir = support.makeScratchDir("bench-registry");
  const pki = await support.createPki(dir);
  const users = [{ username: USER, password: PASSWORD }];
  const token =
    auth === "token"
      ? await support.startTokenServer({
          tlsCertFile: pki.serverCertFile,
          tlsKeyFile: pki.serverKeyFile,
          signing: await support.createSigningKey(dir),
          users,
        })
      : undefined;
  progress(`starting docker-registry (${auth} auth)`);
  const registry = await support.startRegistry({ auth, tls: true, pki, users, token, logLevel: "error" });
  const host = registry.host;

  const image = support.buildImage(join(dir, "oci"), { tag: "t0" });
  const manifestBytes = readFileSync(join(image.layoutDir, "blobs/sha256", image.manifest.digest.slice(7)));
  const ca = readFileSync(pki.caFile);
  const authorization = (repo) =>
    token
      ? `Bearer ${token.signToken(USER, [{ type: "repository", name: repo, actions: ["pull", "push"] }])}`
      : `Basic ${Buffer.from(`${USER}:${PASSWORD}`).toString("base64")}`;
  const putManifest = (repo, tag) =>
    new Promise((resolve, reject) => {
      const req = request(
        {
          host: "127.0.0.1",
          port: registry.port,
          method: "PUT",
          path: `/v2/${repo}/manifests/${tag}`,
          ca,
          headers: { authorization: authorization(repo), "content-type": image.manifest.mediaType },
        },
        (res) => {
          res.resume();
          res.on("end", () =>
            res.statusCode === 201 ? resolve() : reject(new Error(`PUT ${repo}:${tag}: ${res.statusCode}`)),
          );
        },
      );
      req.on("error", reject);
      req.end(manifestBytes);
    });

  progress("pushing images");
  const repos = Array.from({ length: repoCount }, (_, i) => `bench/repo-${String(i).padStart(2, "0")}`);
  for (const repo of repos) {
    await support.pushImageOrThrow(image.ref, `${host}/${repo}:t0`, {
      creds: users[0],
      certDir: pki.certDir,
    });
    for (let t = 1; t < tagCount; t++) await putManifest(repo, `t${t}`);
  }
  const refs = repos.flatMap((repo) => Array.from({ length: tagCount }, (_, t) => `${host}/${repo}:t${t}`));
  const listFile = join(dir, "images.txt");
  writeFileSync(listFile, `${refs.join("\n")}\n`);
  const authfile = join(dir, "auth.json");
  writeFileSync(
    authfile,
    JSON.stringify({ auths: { [host]: { auth: Buffer.from(`${USER}:${PASSWORD}`).toString("base64") } } }),
  );
  // skopeo as the benches run it: a private HOME and runtime dir, a policy that accepts anything.
  const skopeoHome = join(dir, "skopeo-home");
  mkdirSync(join(skopeoHome, "run"), { recursive: true, mode: 0o700 });
  const policy = join(dir, "policy.json");
  writeFileSync(policy, JSON.stringify({ default: [{ type: "insecureAcceptAnything" }] }));
  const skopeoEnv = {
    PATH: process.env.PATH,
    HOME: skopeoHome,
    XDG_RUNTIME_DIR: join(skopeoHome, "run"),
    // skopeo's --cert-dir covers the registry, not the token realm: Go reads SSL_CERT_FILE for the rest.
    ...(token ? { SSL_CERT_FILE: pki.caFile } : {}),
  };
  progress(`${refs.length} references ready`);
  return {
    dir,
    host,
    caCrt: pki.caFile,
    certDir: pki.certDir,
    policy,
    skopeoEnv,
    refs,
    listFile,
    authfile,
    sha256,
    async stop() {
      await registry.stop();
      await token?.stop();
      support.removeScratchDir(dir);
    },
  };
}
