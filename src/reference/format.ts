import type { ImageReference } from "./image-reference.js";

/**
 * String forms of a reference, as `Name()`, `String()`, `FamiliarName` and `FamiliarString` print them in
 * distribution/reference (reference.go, normalize.go `familiarizeName`, helpers.go).
 */

const DOCKER_HUB_DOMAIN = "docker.io";
const OFFICIAL_REPO_PREFIX = "library/";

/** Name(): domain + "/" + path, e.g. "docker.io/library/nginx" (just the path when the domain is ""). */
export function repositoryName(ref: ImageReference): string {
  return ref.domain === "" ? ref.path : `${ref.domain}/${ref.path}`;
}

/** String(): the full canonical string name[:tag][@digest]. */
export function referenceString(ref: ImageReference): string {
  return repositoryName(ref) + suffix(ref);
}

/**
 * FamiliarName: drops the "docker.io/" domain, and "library/" when nothing nested follows it
 * ("docker.io/library/nginx" → "nginx", "docker.io/library/a/b" stays "library/a/b").
 */
export function familiarName(ref: ImageReference): string {
  if (ref.domain !== DOCKER_HUB_DOMAIN) return repositoryName(ref);
  const official = ref.path.startsWith(OFFICIAL_REPO_PREFIX)
    ? ref.path.slice(OFFICIAL_REPO_PREFIX.length)
    : undefined;
  return official !== undefined && !official.includes("/") ? official : ref.path;
}

/** FamiliarString: familiarName plus [":" tag]["@" digest]. */
export function familiarString(ref: ImageReference): string {
  return familiarName(ref) + suffix(ref);
}

function suffix(ref: ImageReference): string {
  return (ref.tag ? `:${ref.tag}` : "") + (ref.digest ? `@${ref.digest}` : "");
}
