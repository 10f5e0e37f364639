// The floor for any Node.js registry client, for bench/startup.mjs: what `check` must do on the wire and nothing
// else — node:https with keep-alive, the /v2/ ping, Basic credentials or a Bearer token per repository from the
// challenge's realm, one manifest GET per reference, `--concurrency` at once — without parsing flags, reading
// docker config semantics, verifying digests, classifying failures or printing a report. Not a product: a
// measuring stick (pullwarden's distance to it is its own code; its distance to skopeo is Node's).
//
// Usage: node minimal-registry-client.cjs AUTHFILE CAFILE CONCURRENCY REF [REF...]   (or @LISTFILE for REFs)
"use strict";
// CommonJS, as pullwarden's launcher is: the floor must not carry the ES module loader's start-up.
/* eslint-disable @typescript-eslint/no-require-imports */
const https = require("node:https");
const { readFileSync } = require("node:fs");
/* eslint-enable @typescript-eslint/no-require-imports */

const [authfile, caFile, concurrencyText, ...rest] = process.argv.slice(2);
const refs = rest[0]?.startsWith("@") ? readFileSync(rest[0].slice(1), "utf8").trim().split("\n") : rest;
const auths = JSON.parse(readFileSync(authfile, "utf8")).auths;
const agent = new https.Agent({
  keepAlive: true,
  maxSockets: Number(concurrencyText),
  ca: readFileSync(caFile),
});
const ACCEPT = [
  "application/vnd.oci.image.index.v1+json",
  "application/vnd.oci.image.manifest.v1+json",
  "application/vnd.docker.distribution.manifest.list.v2+json",
  "application/vnd.docker.distribution.manifest.v2+json",
].join(", ");

function get(url, headers = {}) {
  return new Promise((resolve, reject) => {
    https
      .get(url, { agent, headers }, (response) => {
        const chunks = [];
        response.on("data", (chunk) => chunks.push(chunk));
        response.on("end", () =>
          resolve({ status: response.statusCode, headers: response.headers, body: Buffer.concat(chunks) }),
        );
      })
      .on("error", reject);
  });
}

const challenges = new Map(); // registry -> Promise of its WWW-Authenticate challenge (or "")
const tokens = new Map(); // registry/repository -> Promise of an Authorization value

async function authorization(host, repository) {
  if (!challenges.has(host)) {
    challenges.set(
      host,
      get(`https://${host}/v2/`).then((r) => r.headers["www-authenticate"] ?? ""),
    );
  }
  const challenge = await challenges.get(host);
  const basic = auths[host]?.auth;
  if (challenge.startsWith("Basic")) return `Basic ${basic}`;
  if (!challenge.startsWith("Bearer")) return undefined;
  const key = `${host}/${repository}`;
  if (!tokens.has(key)) {
    const params = Object.fromEntries([...challenge.matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], m[2]]));
    const url = new URL(params.realm);
    if (params.service) url.searchParams.set("service", params.service);
    url.searchParams.set("scope", `repository:${repository}:pull`);
    tokens.set(
      key,
      get(url, { authorization: `Basic ${basic}` }).then((r) => {
        const body = JSON.parse(r.body.toString("utf8"));
        return `Bearer ${body.token ?? body.access_token}`;
      }),
    );
  }
  return tokens.get(key);
}

async function fetchManifest(ref) {
  const host = ref.slice(0, ref.indexOf("/"));
  const [repository, tag] = ref.slice(host.length + 1).split(":");
  const value = await authorization(host, repository);
  const response = await get(`https://${host}/v2/${repository}/manifests/${tag}`, {
    accept: ACCEPT,
    ...(value ? { authorization: value } : {}),
  });
  if (response.status !== 200) throw new Error(`${ref}: HTTP ${response.status}`);
}

let next = 0;
const worker = async () => {
  while (next < refs.length) await fetchManifest(refs[next++]);
};
Promise.all(Array.from({ length: Number(concurrencyText) }, worker)).then(
  () => process.exit(0),
  (error) => {
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  },
);
