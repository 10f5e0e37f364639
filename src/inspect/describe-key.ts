/**
 * Says in words which images kubelet matches with a `.dockerconfigjson` key, following its rules
 * (kubernetes pkg/credentialprovider/keyring.go; wire-specs.md §2): one host label per `*`, exact port,
 * raw string prefix on the path, and the Docker Hub fallback for `index.docker.io`.
 */
export interface KeyCoverage {
  /** The key kubelet stores after normalisation, e.g. `index.docker.io` for `https://index.docker.io/v1/`. */
  readonly normalizedKey: string;
  /** Human description of the images it serves. */
  readonly description: string;
  /** False when kubelet can never select this key for any image. */
  readonly canMatch: boolean;
}

export function describeKeyCoverage(normalizedKey: string): KeyCoverage {
  const slash = normalizedKey.indexOf("/");
  const host = slash >= 0 ? normalizedKey.slice(0, slash) : normalizedKey;
  const path = slash >= 0 ? normalizedKey.slice(slash + 1) : "";
  const hostLower = host.toLowerCase();
  const wildcard = host.includes("*") || host.includes("?") || host.includes("[");
  const portNote = host.includes(":")
    ? ""
    : " (default port only; an image with an explicit port needs its own key)";

  if (hostLower === "registry-1.docker.io") {
    return {
      normalizedKey,
      canMatch: false,
      description:
        "no image: images name Docker Hub as docker.io, and kubelet never matches registry-1.docker.io (use docker.io or https://index.docker.io/v1/)",
    };
  }
  if (hostLower === "index.docker.io" && !path) {
    return {
      normalizedKey,
      canMatch: true,
      description:
        "Docker Hub images (nginx, docker.io/org/app) through kubelet's Docker Hub fallback, used only when no other key matches the image",
    };
  }
  const prefix = path ? `${host}/${path}` : host;
  const pathNote = path
    ? ` whose repository starts with ${prefix} (a raw string prefix: ${prefix}-other/... matches too)`
    : "";
  if (wildcard) {
    return {
      normalizedKey,
      canMatch: true,
      description: `images on hosts matching ${host}, one host label per *${pathNote}${portNote}`,
    };
  }
  return { normalizedKey, canMatch: true, description: `images on ${host}${pathNote || ""}${portNote}` };
}
