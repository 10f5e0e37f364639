/**
 * Where an image lives on the wire: the registry host for a reference domain (Docker Hub's `docker.io` is
 * served by `registry-1.docker.io`), the base URL (https, or http with `--plain-http`) and the v2 API paths.
 */
import type { ImageTarget } from "./types.js";

const DOCKER_HUB_DOMAINS = new Set(["docker.io", "index.docker.io", "registry-1.docker.io"]);
export const DOCKER_HUB_REGISTRY = "registry-1.docker.io";

/** The host[:port] to contact for a reference domain. */
export function registryHost(domain: string): string {
  const lower = domain.trim().toLowerCase();
  return DOCKER_HUB_DOMAINS.has(lower) ? DOCKER_HUB_REGISTRY : lower;
}

/** `https://host[:port]` (or `http://` for a plain-HTTP registry). */
export function registryBaseUrl(domain: string, plainHttp = false): string {
  return `${plainHttp ? "http" : "https"}://${registryHost(domain)}`;
}

/** The tag or digest a pull resolves: the digest when both are given, else the tag, else `latest`. */
export function manifestReference(image: ImageTarget): { ref: string; kind: "tag" | "digest" } {
  if (image.digest) return { ref: image.digest, kind: "digest" };
  return { ref: image.tag || "latest", kind: "tag" };
}

function encodePath(path: string): string {
  return path
    .split("/")
    .map((segment) => encodeURIComponent(segment))
    .join("/");
}

function encodeRef(ref: string): string {
  return encodeURIComponent(ref).replace(/%3A/gi, ":");
}

export function pingUrl(base: string): string {
  return `${base}/v2/`;
}

export function manifestUrl(base: string, path: string, ref: string): string {
  return `${base}/v2/${encodePath(path)}/manifests/${encodeRef(ref)}`;
}

export function blobUrl(base: string, path: string, digest: string): string {
  return `${base}/v2/${encodePath(path)}/blobs/${encodeRef(digest)}`;
}

export function tagsUrl(base: string, path: string): string {
  return `${base}/v2/${encodePath(path)}/tags/list?n=1`;
}

/** `domain/path[:tag][@digest]`, the image as the user named it. */
export function imageString(image: ImageTarget): string {
  return `${image.domain ? `${image.domain}/` : ""}${image.path}${image.tag ? `:${image.tag}` : ""}${
    image.digest ? `@${image.digest}` : ""
  }`;
}
