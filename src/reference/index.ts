/**
 * Image references: a pure TypeScript port of github.com/distribution/reference (reference.go, regexp.go,
 * normalize.go, helpers.go), the parser the kubelet, containerd and Docker use.
 *
 * Docker Hub defaulting (normalize.go `splitDockerDomain`,
 * https://github.com/distribution/reference/blob/main/normalize.go): the first "/"-separated segment is a
 * registry domain only when it contains "." or ":", equals "localhost", or has uppercase letters. Otherwise
 * the whole name is a Docker Hub repository on "docker.io", and a single-segment Docker Hub name is an
 * official image under "library/":
 *
 *   nginx               → docker.io/library/nginx
 *   user/app:1          → docker.io/user/app:1
 *   docker.io/nginx     → docker.io/library/nginx
 *   index.docker.io/x/y → docker.io/x/y          (the legacy name is aliased)
 *   localhost:5000/app  → localhost:5000/app
 *   Foo/bar             → domain "Foo", path "bar"  (uppercase never appears in a path)
 *
 * "docker.io" is a name, not a host: the registry itself is registry-1.docker.io, and credentials for it
 * live under "https://index.docker.io/v1/" in config.json. familiarName/familiarString undo the defaulting.
 * Parse failures are InvalidReferenceError with distribution's wording and `position.offset`.
 */
export type { ImageReference } from "./image-reference.js";
export { parseCanonicalReference } from "./canonical.js";
export { withDefaultTag } from "./docker-ref.js";
export { familiarName, familiarString, referenceString, repositoryName } from "./format.js";
export { splitHostPort } from "./host-port.js";
export { isDockerHubDomain, normalizeImageName, parseNormalizedReference } from "./normalize.js";
