#!/usr/bin/env node
// The controller's image (`pullwarden controller run`, charts/pullwarden) for linux/amd64 and linux/arm64 as one
// multi-architecture image, written as an OCI image layout without a container engine
// (https://github.com/opencontainers/image-spec/blob/main/image-layout.md): its tag names an image index with one
// manifest per platform, so a node pulls the image of its own architecture. Each platform's image is one layer
// holding that architecture's single executable (scripts/build-binaries.mjs) and only what it needs to run on an
// empty base: the dynamic loader its ELF header names (PT_INTERP) and the shared libraries it needs (its DT_NEEDED
// entries, resolved transitively: glibc, libstdc++, libgcc_s, libatomic), the CA bundle, and /etc/passwd and
// /etc/group with the non-root user 65532 the image runs as. The loader and libraries are that architecture's
// runtime on the build machine: Debian's multiarch directory (/lib/<triplet>/: the host's own architecture, or
// another's added with `dpkg --add-architecture`), else Debian's cross packages (/usr/aarch64-linux-gnu/lib:
// libc6-arm64-cross and co., which scripts/install-test-deps.sh installs for qemu-user). No shell, no package
// manager; nothing is written at run time, so a read-only root filesystem works. Reproducible: a sorted tar with
// fixed times, owners and modes, gzip without a name or time, a fixed creation time.
//
// Usage: node scripts/build-image.mjs [--arch amd64,arm64] [--tag 0.1.0] → dist/release/image/ (an OCI layout;
// `skopeo copy --all oci:dist/release/image:0.1.0 docker://REGISTRY/pullwarden:0.1.0` pushes the index and the
// image of each platform). --arch keeps the architectures named (default: both).
import { execFile, execFileSync } from "node:child_process";
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
import { basename, dirname, join, resolve } from "node:path";
import { performance } from "node:perf_hooks";
import { parseArgs, promisify } from "node:util";
import { RELEASE_DIR, binaryName } from "./build-binaries.mjs";

const root = resolve(import.meta.dirname, "..");
export const IMAGE_USER = "65532:65532";
export const ENTRYPOINT = "/usr/local/bin/pullwarden";
const CA_BUNDLE = "/etc/ssl/certs/ca-certificates.crt";
// The image's creation time (reproducible digests): the same for every build of a version.
const CREATED = "2026-01-01T00:00:00Z";
const INDEX_MEDIA_TYPE = "application/vnd.oci.image.index.v1+json";
const MANIFEST_MEDIA_TYPE = "application/vnd.oci.image.manifest.v1+json";
// Each architecture's OCI platform (arm64's variant as the image-spec's table of platforms names it) and GNU
// triplet: the image keeps the libraries in /lib/<triplet>/, Debian's multiarch directory, which the loader
// searches by default (the image has no ld.so.cache).
const PLATFORMS = {
  amd64: { platform: { architecture: "amd64", os: "linux" }, triplet: "x86_64-linux-gnu" },
  arm64: { platform: { architecture: "arm64", os: "linux", variant: "v8" }, triplet: "aarch64-linux-gnu" },
};

const execFileAsync = promisify(execFile);

/**
 * The directories of the build machine that may hold `arch`'s runtime libraries, in search order: Debian's
 * multiarch directories (the host's own architecture, or another's installed with `dpkg --add-architecture`,
 * which Debian's security updates reach), then the sysroot of Debian's cross packages.
 */
function librarySources(arch) {
  const { triplet } = PLATFORMS[arch];
  return [`/lib/${triplet}`, `/usr/lib/${triplet}`, `/usr/${triplet}/lib`];
}

/** GNU readelf reads an ELF file of any architecture (no cross binutils needed); LC_ALL=C for its English. */
function readelf(args, file) {
  return execFileSync("readelf", [...args, file], { encoding: "utf8", env: { ...process.env, LC_ALL: "C" } });
}

/** The dynamic loader an executable asks for (its PT_INTERP), e.g. /lib/ld-linux-aarch64.so.1. */
function interpreter(executable) {
  const match = /\[Requesting program interpreter: ([^\]]+)\]/.exec(
    readelf(["--program-headers", "-W"], executable),
  );
  if (!match) throw new Error(`${executable} names no dynamic loader (PT_INTERP)`);
  return match[1];
}

/** The sonames an ELF file's DT_NEEDED entries name. */
function neededSonames(file) {
  const dynamic = readelf(["--dynamic", "-W"], file);
  return [...dynamic.matchAll(/\(NEEDED\)\s+Shared library: \[([^\]]+)\]/g)].map((match) => match[1]);
}

/**
 * What `executable` loads from `arch`'s runtime, as a map from its path in the image to the build machine's file:
 * the loader at the path PT_INTERP names, and each shared object DT_NEEDED names, transitively, in /lib/<triplet>/.
 * Resolved from the ELF files themselves, not by running a loader, so it works for another architecture too.
 */
function runtimeFiles(executable, arch) {
  const sources = librarySources(arch);
  const find = (soname) => {
    const dir = sources.find((candidate) => existsSync(join(candidate, soname)));
    if (!dir) {
      throw new Error(
        `${soname}, which the ${arch} executable needs, is in none of ${sources.join(", ")} ` +
          `(scripts/install-test-deps.sh installs the arm64 runtime libraries)`,
      );
    }
    return join(dir, soname);
  };
  const loader = interpreter(executable);
  const files = new Map([[loader, find(basename(loader))]]);
  // The loader answers to its own soname (which the executable and glibc name as NEEDED): no second copy.
  const resolved = new Set([basename(loader)]);
  const unread = [executable];
  while (unread.length > 0) {
    for (const soname of neededSonames(unread.pop())) {
      if (resolved.has(soname)) continue;
      resolved.add(soname);
      const file = find(soname);
      files.set(`/lib/${PLATFORMS[arch].triplet}/${soname}`, file);
      unread.push(file);
    }
  }
  return files;
}

function stageRootfs(executable, arch, stage) {
  rmSync(stage, { recursive: true, force: true });
  const put = (path, from) => {
    const target = join(stage, path);
    mkdirSync(dirname(target), { recursive: true });
    // The file itself, not a symlink to it (the libraries are symlinks on the build machine).
    copyFileSync(realpathSync(from), target);
    chmodSync(target, 0o755);
  };
  put(ENTRYPOINT, executable);
  for (const [path, file] of runtimeFiles(executable, arch)) put(path, file);
  const text = (path, content) => {
    mkdirSync(dirname(join(stage, path)), { recursive: true });
    writeFileSync(join(stage, path), content);
  };
  text(CA_BUNDLE, readFileSync(CA_BUNDLE));
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

/** One platform's image (layer, config, manifest) as blobs of `layout`; returns the manifest's descriptor. */
async function buildPlatformImage(layout, arch, version) {
  const executable = join(RELEASE_DIR, binaryName("pullwarden", arch));
  if (!existsSync(executable)) {
    throw new Error(`${executable} is missing: run node scripts/build-binaries.mjs --arch ${arch} first`);
  }
  const stage = join(RELEASE_DIR, `.image-rootfs-${arch}`);
  const tarFile = `${stage}.tar`;
  stageRootfs(executable, arch, stage);
  // Modes normalised too (rw-r--r--, rwxr-xr-x for directories and executables): not the build machine's umask.
  await execFileAsync("tar", [
    "--sort=name",
    "--mtime=@0",
    "--owner=0",
    "--group=0",
    "--numeric-owner",
    "--mode=u=rwX,go=rX",
    "-cf",
    tarFile,
    "-C",
    stage,
    ".",
  ]);
  rmSync(stage, { recursive: true, force: true });
  // Asynchronous, so the platforms' layers are compressed at the same time (gzip is most of a build's time).
  const { stdout: gzip } = await execFileAsync("gzip", ["-n", "-c", tarFile], {
    encoding: "buffer",
    maxBuffer: 1 << 30,
  });
  const diffId = sha256(readFileSync(tarFile));
  rmSync(tarFile, { force: true });
  const layer = { mediaType: "application/vnd.oci.image.layer.v1.tar+gzip", ...writeBlob(layout, gzip) };
  const config = {
    created: CREATED,
    ...PLATFORMS[arch].platform,
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
    rootfs: { type: "layers", diff_ids: [diffId] },
    history: [{ created: CREATED, created_by: "scripts/build-image.mjs" }],
  };
  const configBlob = {
    mediaType: "application/vnd.oci.image.config.v1+json",
    ...writeBlob(layout, Buffer.from(JSON.stringify(config))),
  };
  const manifest = { schemaVersion: 2, mediaType: MANIFEST_MEDIA_TYPE, config: configBlob, layers: [layer] };
  return {
    mediaType: MANIFEST_MEDIA_TYPE,
    ...writeBlob(layout, Buffer.from(JSON.stringify(manifest))),
    platform: PLATFORMS[arch].platform,
  };
}

/**
 * dist/release/image/: an OCI layout whose index.json names, under `tag`, an image index of one image per
 * architecture in `arches` (their layers built in parallel).
 */
export async function buildImage({ arches, tag }) {
  for (const arch of arches) {
    if (!(arch in PLATFORMS)) throw new Error(`--arch ${arch}: one of ${Object.keys(PLATFORMS).join(", ")}`);
  }
  const { version } = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
  const layout = join(RELEASE_DIR, "image");
  rmSync(layout, { recursive: true, force: true });
  const manifests = await Promise.all(arches.map((arch) => buildPlatformImage(layout, arch, version)));
  const imageIndex = { schemaVersion: 2, mediaType: INDEX_MEDIA_TYPE, manifests };
  const indexBlob = writeBlob(layout, Buffer.from(JSON.stringify(imageIndex)));
  writeFileSync(join(layout, "oci-layout"), JSON.stringify({ imageLayoutVersion: "1.0.0" }));
  const layoutIndex = {
    schemaVersion: 2,
    mediaType: INDEX_MEDIA_TYPE,
    manifests: [
      {
        mediaType: INDEX_MEDIA_TYPE,
        ...indexBlob,
        annotations: { "org.opencontainers.image.ref.name": tag },
      },
    ],
  };
  writeFileSync(join(layout, "index.json"), JSON.stringify(layoutIndex));
  return { layout, ref: `oci:${layout}:${tag}`, indexDigest: indexBlob.digest, manifests };
}

async function main() {
  const { values } = parseArgs({
    options: { arch: { type: "string", default: Object.keys(PLATFORMS).join(",") }, tag: { type: "string" } },
  });
  const { version } = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
  const started = performance.now();
  const built = await buildImage({ arches: values.arch.split(","), tag: values.tag ?? version });
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  for (const manifest of built.manifests) {
    console.log(`linux/${manifest.platform.architecture} ${manifest.digest}`);
  }
  console.log(`${built.ref} ${built.indexDigest} (${seconds} s)`);
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
