/**
 * How much of a manifest or image config the container runtimes that pull for kubelet read. A check reads as
 * much as they do, so it never refuses an image they pull, and refuses one they refuse. From their source:
 *
 * - containerd `remotes/docker/resolver.go`: `MaxManifestSize int64 = 4 * 1048 * 1048` (sic: 1048, so
 *   4,393,216 bytes), compared with the manifest's Content-Length (HEAD) or the bytes read (GET) when a
 *   reference is resolved; larger manifests are rejected.
 * - containers/image `internal/iolimits` (CRI-O, podman, skopeo): `MaxManifestBodySize = 4 * megaByte` and
 *   `MaxConfigBodySize = 4 * megaByte` (4,194,304 bytes), `MaxAuthTokenBodySize = megaByte`;
 *   `MaxErrorBodySize` is 1 MiB too, the transport's default cap for every other body.
 */

/** The largest manifest containerd resolves. */
export const CONTAINERD_MAX_MANIFEST_BYTES = 4 * 1048 * 1048;
/** The largest manifest CRI-O, podman and skopeo read. */
export const CONTAINERS_IMAGE_MAX_MANIFEST_BYTES = 4 * 1024 * 1024;
/** The largest image config CRI-O, podman and skopeo read. */
export const CONTAINERS_IMAGE_MAX_CONFIG_BYTES = 4 * 1024 * 1024;

/** The largest token response CRI-O, podman and skopeo read. */
export const CONTAINERS_IMAGE_MAX_TOKEN_BYTES = 1024 * 1024;

/** The cap on manifest reads: the largest any runtime accepts. */
export const MAX_MANIFEST_READ_BYTES = Math.max(
  CONTAINERD_MAX_MANIFEST_BYTES,
  CONTAINERS_IMAGE_MAX_MANIFEST_BYTES,
);

const bytes = (n: number): string => `${n.toLocaleString("en-US")} bytes`;

export type ManifestSizeVerdict =
  | { fits: "all" }
  /** containerd pulls it; CRI-O (containers/image) refuses it. */
  | { fits: "containerd-only"; note: string }
  | { fits: "none"; message: string };

/**
 * What the runtimes make of a manifest of `size` bytes (`undefined`: unknown, e.g. a HEAD without
 * Content-Length); `atLeast` when only a lower bound is known (the read stopped at the cap).
 */
export function manifestSizeVerdict(size: number | undefined, atLeast = false): ManifestSizeVerdict {
  if (size === undefined || size <= CONTAINERS_IMAGE_MAX_MANIFEST_BYTES) return { fits: "all" };
  const described = atLeast ? `more than ${bytes(size - 1)}` : bytes(size);
  if (size <= CONTAINERD_MAX_MANIFEST_BYTES) {
    return {
      fits: "containerd-only",
      note: `The manifest is ${described}: containerd pulls it (up to ${bytes(CONTAINERD_MAX_MANIFEST_BYTES)}), but CRI-O, podman and skopeo refuse manifests over ${bytes(CONTAINERS_IMAGE_MAX_MANIFEST_BYTES)}.`,
    };
  }
  return {
    fits: "none",
    message: `the manifest is ${described}: containerd refuses manifests over ${bytes(CONTAINERD_MAX_MANIFEST_BYTES)}, CRI-O over ${bytes(CONTAINERS_IMAGE_MAX_MANIFEST_BYTES)}`,
  };
}

/** The message for an image config larger than CRI-O reads. */
export function configTooLargeMessage(): string {
  return `the image config is more than ${bytes(CONTAINERS_IMAGE_MAX_CONFIG_BYTES)}, the most CRI-O, podman and skopeo read`;
}
