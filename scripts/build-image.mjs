#!/usr/bin/env node
// The controller's image (`pullwarden controller run`, charts/pullwarden), as an OCI image layout written here
// without a container engine (https://github.com/opencontainers/image-spec/blob/main/image-layout.md): one layer
// holding the single executable (scripts/build-binaries.mjs) and only what it needs to run on an empty base —
// the dynamic loader and the shared libraries `ldd` names (from the build machine: glibc, libstdc++), the CA
// bundle, and /etc/passwd and /etc/group with the non-root user 65532 the image runs as. No shell, no package
// manager; nothing is written at run time, so a read-only root filesystem works. Reproducible: a sorted tar with
// fixed times and owners, gzip without a name or time, a fixed creation time.
//
// Usage: node scripts/build-image.mjs [--arch amd64] [--tag 0.1.0] → dist/release/image-<arch>/ (an OCI layout,
// `skopeo copy oci:dist/release/image-amd64:0.1.0 docker://REGISTRY/pullwarden:0.1.0` pushes it).
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import {
  chmodSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  readFileSync,
  realpathSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { dirname, join, resolve } from "node:path";
import { parseArgs } from "node:util";

const root = resolve(import.meta.dirname, "..");
const release = join(root, "dist", "release");
export const IMAGE_USER = "65532:65532";
export const ENTRYPOINT = "/usr/local/bin/pullwarden";
const CA_BUNDLE = "/etc/ssl/certs/ca-certificates.crt";
// The image's creation time (reproducible digests): the same for every build of a version.
const CREATED = "2026-01-01T00:00:00Z";

/** Each shared object the executable loads, with the path it is loaded from (ldd on the build machine). */
function sharedObjects(binary) {
  const out = execFileSync("ldd", [binary], { encoding: "utf8" });
  return [...out.matchAll(/(?:=>\s*)?(\/\S+)\s+\(0x/g)].map((match) => match[1]);
}

function stageRootfs(binary, stage) {
  rmSync(stage, { recursive: true, force: true });
  const put = (path, from, mode) => {
    const target = join(stage, path);
    mkdirSync(dirname(target), { recursive: true });
    // The file itself, not a symlink to it (the libraries are symlinks on the build machine).
    copyFileSync(realpathSync(from), target);
    chmodSync(target, mode);
  };
  put(ENTRYPOINT, binary, 0o755);
  for (const library of sharedObjects(binary)) put(library, library, 0o755);
  put(CA_BUNDLE, CA_BUNDLE, 0o644);
  const text = (path, content) => {
    mkdirSync(dirname(join(stage, path)), { recursive: true });
    writeFileSync(join(stage, path), content, { mode: 0o644 });
  };
  text(
    "etc/passwd",
    "root:x:0:0:root:/root:/sbin/nologin\nnonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin\n",
  );
  text("etc/group", "root:x:0:\nnonroot:x:65532:\n");
}

function sha256(data) {
  return `sha256:${createHash("sha256").update(data).digest("hex")}`;
}

function writeBlob(layout, data) {
  const digest = sha256(data);
  mkdirSync(join(layout, "blobs", "sha256"), { recursive: true });
  writeFileSync(join(layout, "blobs", "sha256", digest.slice("sha256:".length)), data);
  return { digest, size: data.length };
}

export function buildImage({ arch, tag }) {
  const binary = join(release, `pullwarden-linux-${arch}`);
  if (!existsSync(binary)) throw new Error(`${binary} is missing: run node scripts/build-binaries.mjs first`);
  if (arch !== { x64: "amd64", arm64: "arm64" }[process.arch]) {
    throw new Error(`--arch ${arch}: the libraries are the build machine's, so build on ${arch}`);
  }
  const stage = join(release, `.image-rootfs-${arch}`);
  stageRootfs(binary, stage);
  const tar = execFileSync(
    "tar",
    ["--sort=name", "--mtime=@0", "--owner=0", "--group=0", "--numeric-owner", "-cf", "-", "-C", stage, "."],
    { maxBuffer: 1 << 30 },
  );
  const gzip = execFileSync("gzip", ["-n", "-c"], { input: tar, maxBuffer: 1 << 30 });
  rmSync(stage, { recursive: true, force: true });
  const layout = join(release, `image-${arch}`);
  rmSync(layout, { recursive: true, force: true });
  const layer = { mediaType: "application/vnd.oci.image.layer.v1.tar+gzip", ...writeBlob(layout, gzip) };
  const { version } = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
  const config = {
    created: CREATED,
    architecture: arch,
    os: "linux",
    config: {
      User: IMAGE_USER,
      Entrypoint: [ENTRYPOINT],
      Cmd: ["controller", "run"],
      // OpenSSL's default CA file for the executable's --use-openssl-ca (docs/check.md).
      Env: [`SSL_CERT_FILE=${CA_BUNDLE}`],
      Labels: {
        "org.opencontainers.image.title": "pullwarden",
        "org.opencontainers.image.version": version,
        "org.opencontainers.image.licenses": "Apache-2.0",
      },
    },
    rootfs: { type: "layers", diff_ids: [sha256(tar)] },
    history: [{ created: CREATED, created_by: "scripts/build-image.mjs" }],
  };
  const configBlob = {
    mediaType: "application/vnd.oci.image.config.v1+json",
    ...writeBlob(layout, Buffer.from(JSON.stringify(config))),
  };
  const manifest = {
    schemaVersion: 2,
    mediaType: "application/vnd.oci.image.manifest.v1+json",
    config: configBlob,
    layers: [layer],
  };
  const manifestBlob = writeBlob(layout, Buffer.from(JSON.stringify(manifest)));
  writeFileSync(join(layout, "oci-layout"), JSON.stringify({ imageLayoutVersion: "1.0.0" }));
  const index = {
    schemaVersion: 2,
    manifests: [
      {
        mediaType: manifest.mediaType,
        ...manifestBlob,
        platform: { os: "linux", architecture: arch },
        annotations: { "org.opencontainers.image.ref.name": tag },
      },
    ],
  };
  writeFileSync(join(layout, "index.json"), JSON.stringify(index));
  return { layout, ref: `oci:${layout}:${tag}`, manifestDigest: manifestBlob.digest, layerSize: layer.size };
}

async function main() {
  const { values } = parseArgs({
    options: { arch: { type: "string", default: "amd64" }, tag: { type: "string" } },
  });
  const { version } = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
  const built = buildImage({ arch: values.arch, tag: values.tag ?? version });
  console.log(`${built.ref} ${built.manifestDigest} (layer ${built.layerSize} bytes)`);
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
