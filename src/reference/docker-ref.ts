import { makeReference } from "./image-reference.js";
import type { ImageReference } from "./image-reference.js";

/** The tag Docker and the kubelet assume when a reference names neither tag nor digest. */
export const DEFAULT_TAG = "latest";

/** TagNameOnly (normalize.go): adds tag "latest" when neither tag nor digest is present. */
export function withDefaultTag(ref: ImageReference): ImageReference {
  if (ref.tag || ref.digest) return ref;
  return makeReference(ref.domain, ref.path, DEFAULT_TAG);
}

/**
 * ParseDockerRef (normalize.go) on an already parsed reference: with both tag and digest the tag is dropped,
 * since the digest alone decides what is pulled; otherwise TagNameOnly applies ("busybox" → "…:latest").
 */
export function toDockerRef(ref: ImageReference): ImageReference {
  if (ref.tag && ref.digest) return makeReference(ref.domain, ref.path, undefined, ref.digest);
  return withDefaultTag(ref);
}
