// A stand-in registry for the build's representative `check` run (fast-path-build.mjs representativeRuns), so
// the fast path's code cache holds what a successful check compiles (the challenge, the authenticated manifest
// request, the digest check, the report) and not only a refused connection. It answers, over plain HTTP on
// 127.0.0.1, the calls a check of one tag makes, as the Distribution spec describes them
// (https://distribution.github.io/distribution/spec/api/): the /v2/ ping with a Basic challenge, and one image
// manifest by tag, to the build's made-up credential. Not a test double: the tests run the real docker-registry.
// Prints its port on the first line of stdout; runs until killed.
import { createHash } from "node:crypto";
import { createServer } from "node:http";

const AUTHORIZATION = `Basic ${Buffer.from("build:not-a-secret").toString("base64")}`;
const MANIFEST_TYPE = "application/vnd.oci.image.manifest.v1+json";
const descriptor = (mediaType, content) => ({
  mediaType,
  digest: `sha256:${createHash("sha256").update(content).digest("hex")}`,
  size: Buffer.byteLength(content),
});
const manifest = JSON.stringify({
  schemaVersion: 2,
  mediaType: MANIFEST_TYPE,
  config: descriptor(
    "application/vnd.oci.image.config.v1+json",
    '{"architecture":"amd64","os":"linux","rootfs":{"type":"layers","diff_ids":[]}}',
  ),
  layers: [descriptor("application/vnd.oci.image.layer.v1.tar+gzip", "layer")],
});
const digest = descriptor(MANIFEST_TYPE, manifest).digest;

const server = createServer((request, response) => {
  const authorized = request.headers.authorization === AUTHORIZATION;
  response.setHeader("Docker-Distribution-API-Version", "registry/2.0");
  if (!authorized) {
    response.writeHead(401, {
      "WWW-Authenticate": 'Basic realm="pullwarden-build"',
      "Content-Type": "application/json",
    });
    response.end('{"errors":[{"code":"UNAUTHORIZED","message":"authentication required"}]}');
    return;
  }
  if (request.url === "/v2/") {
    response.writeHead(200, { "Content-Type": "application/json" }).end("{}");
    return;
  }
  if (/^\/v2\/.+\/manifests\/[^/]+$/.test(request.url ?? "")) {
    response.writeHead(200, {
      "Content-Type": MANIFEST_TYPE,
      "Docker-Content-Digest": digest,
      "Content-Length": Buffer.byteLength(manifest),
    });
    response.end(request.method === "HEAD" ? undefined : manifest);
    return;
  }
  response.writeHead(404, { "Content-Type": "application/json" });
  response.end('{"errors":[{"code":"NAME_UNKNOWN","message":"repository name not known to registry"}]}');
});
server.listen(0, "127.0.0.1", () => process.stdout.write(`${server.address().port}\n`));
