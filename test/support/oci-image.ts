// Tiny, reproducible OCI image layouts built in Node, without Docker: a deterministic ustar layer
// (sorted entries, fixed mtime, uid/gid 0) gzipped without a name or timestamp, a config with
// rootfs.diff_ids and `created`, a manifest, and index.json / oci-layout. Same input → same digests.
import { createHash } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";

export const OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
export const OCI_INDEX = "application/vnd.oci.image.index.v1+json";
export const OCI_CONFIG = "application/vnd.oci.image.config.v1+json";
export const OCI_LAYER_GZIP = "application/vnd.oci.image.layer.v1.tar+gzip";

/** 2020-01-01T00:00:00Z, the fixed timestamp of every entry and of the config's `created`. */
export const FIXED_EPOCH = 1577836800;
const FIXED_CREATED = new Date(FIXED_EPOCH * 1000).toISOString().replace(".000Z", "Z");

export interface Platform {
  os: string;
  architecture: string;
  variant?: string;
}

export interface Descriptor {
  mediaType: string;
  digest: string;
  size: number;
  annotations?: Record<string, string>;
  platform?: Platform;
}

export interface ImageOptions {
  /** Tag recorded as `org.opencontainers.image.ref.name` (default "1.0"). */
  tag?: string;
  /** Files of the single layer: path (relative, no leading /) → content. Default: `hello.txt`. */
  files?: Record<string, string | Buffer>;
  platform?: Platform;
  /** Extra image config (`config` section: Cmd, Env, Labels...). */
  config?: Record<string, unknown>;
}

export interface BuiltImage {
  layoutDir: string;
  tag: string;
  /** `oci:<layoutDir>:<tag>`, a skopeo source reference. */
  ref: string;
  manifest: Descriptor;
  config: Descriptor;
  layer: Descriptor;
  /** sha256 of the uncompressed layer tar (the config's rootfs.diff_ids[0]). */
  diffId: string;
  platform: Platform;
}

export interface BuiltIndex {
  layoutDir: string;
  tag: string;
  ref: string;
  /** Descriptor of the image index blob. */
  index: Descriptor;
  images: Omit<BuiltImage, "layoutDir" | "ref" | "tag">[];
}

function sha256(data: Buffer): string {
  return `sha256:${createHash("sha256").update(data).digest("hex")}`;
}

// ---- deterministic ustar -------------------------------------------------------------------------------

function octal(value: number, width: number): string {
  return value.toString(8).padStart(width - 1, "0") + "\0";
}

function tarHeader(name: string, size: number, type: "0" | "5", mode: number): Buffer {
  if (Buffer.byteLength(name) > 100) throw new Error(`tar entry name too long: ${name}`);
  const h = Buffer.alloc(512, 0);
  h.write(name, 0, 100, "utf8");
  h.write(octal(mode, 8), 100, 8, "ascii");
  h.write(octal(0, 8), 108, 8, "ascii"); // uid
  h.write(octal(0, 8), 116, 8, "ascii"); // gid
  h.write(octal(size, 12), 124, 12, "ascii");
  h.write(octal(FIXED_EPOCH, 12), 136, 12, "ascii");
  h.write("        ", 148, 8, "ascii"); // checksum placeholder
  h.write(type, 156, 1, "ascii");
  h.write("ustar\0", 257, 6, "ascii");
  h.write("00", 263, 2, "ascii");
  let sum = 0;
  for (const byte of h) sum += byte;
  h.write(octal(sum, 7) + " ", 148, 8, "ascii");
  return h;
}

/** A reproducible tar of `files` (parent directories added, entries sorted by name, uid/gid 0, fixed mtime). */
export function deterministicTar(files: Record<string, string | Buffer>): Buffer {
  const entries = new Map<string, Buffer | null>();
  for (const [rawPath, content] of Object.entries(files)) {
    const path = rawPath.replace(/^\/+/, "");
    const parts = path.split("/");
    for (let i = 1; i < parts.length; i++) entries.set(`${parts.slice(0, i).join("/")}/`, null);
    entries.set(path, Buffer.isBuffer(content) ? content : Buffer.from(content, "utf8"));
  }
  const chunks: Buffer[] = [];
  for (const name of [...entries.keys()].sort()) {
    const content = entries.get(name);
    if (content === null || content === undefined) {
      chunks.push(tarHeader(name, 0, "5", 0o755));
    } else {
      chunks.push(tarHeader(name, content.length, "0", 0o644), content);
      const pad = (512 - (content.length % 512)) % 512;
      if (pad) chunks.push(Buffer.alloc(pad, 0));
    }
  }
  chunks.push(Buffer.alloc(1024, 0));
  return Buffer.concat(chunks);
}

/** gzip with no file name and mtime 0 (Node's zlib writes neither), maximum compression. */
export function deterministicGzip(data: Buffer): Buffer {
  return gzipSync(data, { level: 9 });
}

// ---- layout --------------------------------------------------------------------------------------------

function writeBlob(layoutDir: string, data: Buffer): string {
  const digest = sha256(data);
  const dir = join(layoutDir, "blobs", "sha256");
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, digest.slice("sha256:".length)), data);
  return digest;
}

function json(value: unknown): Buffer {
  return Buffer.from(JSON.stringify(value), "utf8");
}

function writeLayoutFiles(layoutDir: string, top: Descriptor): void {
  writeFileSync(join(layoutDir, "oci-layout"), JSON.stringify({ imageLayoutVersion: "1.0.0" }));
  writeFileSync(join(layoutDir, "index.json"), JSON.stringify({ schemaVersion: 2, manifests: [top] }));
}

function writeImageBlobs(
  layoutDir: string,
  opts: ImageOptions,
): Omit<BuiltImage, "layoutDir" | "ref" | "tag"> {
  const platform = opts.platform ?? { os: "linux", architecture: "amd64" };
  const files = opts.files ?? {
    "hello.txt": `hello from pullwarden (${platform.os}/${platform.architecture})\n`,
  };
  const tar = deterministicTar(files);
  const gz = deterministicGzip(tar);
  const diffId = sha256(tar);
  const layer: Descriptor = { mediaType: OCI_LAYER_GZIP, digest: writeBlob(layoutDir, gz), size: gz.length };
  const configJson = json({
    created: FIXED_CREATED,
    architecture: platform.architecture,
    ...(platform.variant ? { variant: platform.variant } : {}),
    os: platform.os,
    config: opts.config ?? { Cmd: ["/hello.txt"] },
    rootfs: { type: "layers", diff_ids: [diffId] },
    history: [{ created: FIXED_CREATED, created_by: "pullwarden test harness" }],
  });
  const config: Descriptor = {
    mediaType: OCI_CONFIG,
    digest: writeBlob(layoutDir, configJson),
    size: configJson.length,
  };
  const manifestJson = json({ schemaVersion: 2, mediaType: OCI_MANIFEST, config, layers: [layer] });
  const manifest: Descriptor = {
    mediaType: OCI_MANIFEST,
    digest: writeBlob(layoutDir, manifestJson),
    size: manifestJson.length,
  };
  return { manifest, config, layer, diffId, platform };
}

/** Builds a single-platform OCI image layout in `layoutDir` (created if needed). */
export function buildImage(layoutDir: string, opts: ImageOptions = {}): BuiltImage {
  const tag = opts.tag ?? "1.0";
  mkdirSync(layoutDir, { recursive: true });
  const built = writeImageBlobs(layoutDir, opts);
  writeLayoutFiles(layoutDir, {
    ...built.manifest,
    annotations: { "org.opencontainers.image.ref.name": tag },
  });
  return { ...built, layoutDir, tag, ref: `oci:${layoutDir}:${tag}` };
}

export const DEFAULT_PLATFORMS: Platform[] = [
  { os: "linux", architecture: "amd64" },
  { os: "linux", architecture: "arm64", variant: "v8" },
];

/**
 * Builds a multi-platform image (an OCI image index; linux/amd64 + linux/arm64 by default) in `layoutDir`.
 * Each platform gets its own layer (a file naming the platform), so the manifests differ. Push with `--all`.
 */
export function buildMultiPlatformImage(
  layoutDir: string,
  opts: {
    tag?: string;
    platforms?: Platform[];
    files?: (p: Platform) => Record<string, string | Buffer>;
    /** Annotations of the index itself (e.g. to make it large). */
    annotations?: Record<string, string>;
  } = {},
): BuiltIndex {
  const tag = opts.tag ?? "1.0";
  mkdirSync(layoutDir, { recursive: true });
  const images = (opts.platforms ?? DEFAULT_PLATFORMS).map((platform) =>
    writeImageBlobs(layoutDir, { platform, ...(opts.files ? { files: opts.files(platform) } : {}) }),
  );
  const indexJson = json({
    schemaVersion: 2,
    mediaType: OCI_INDEX,
    manifests: images.map((img) => ({ ...img.manifest, platform: img.platform })),
    ...(opts.annotations ? { annotations: opts.annotations } : {}),
  });
  const index: Descriptor = {
    mediaType: OCI_INDEX,
    digest: writeBlob(layoutDir, indexJson),
    size: indexJson.length,
  };
  writeLayoutFiles(layoutDir, { ...index, annotations: { "org.opencontainers.image.ref.name": tag } });
  return { layoutDir, tag, ref: `oci:${layoutDir}:${tag}`, index, images };
}
