/**
 * A parsed image reference, split the way distribution/reference splits it:
 * `domain "/" path [":" tag] ["@" digest]`.
 */
export interface ImageReference {
  /**
   * Registry host[:port] as normalised: "docker.io" for Docker Hub (index.docker.io is aliased to docker.io).
   * Case is kept as written. It is "" only in one distribution quirk: a first segment that contains "." but
   * is no valid host (e.g. "foo_bar.com/app") is read as part of the path, giving the name "foo_bar.com/app".
   */
  readonly domain: string;
  /** Repository path without the domain, e.g. "library/nginx". */
  readonly path: string;
  readonly tag?: string;
  /** "algorithm:hex", e.g. "sha256:…". */
  readonly digest?: string;
}

/** A frozen ImageReference without empty optional fields (Go uses "" for "absent"). */
export function makeReference(domain: string, path: string, tag?: string, digest?: string): ImageReference {
  return Object.freeze({
    domain,
    path,
    ...(tag ? { tag } : {}),
    ...(digest ? { digest } : {}),
  });
}
