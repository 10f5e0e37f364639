/**
 * Digest validation after the grammar has matched, as distribution's Parse does with go-digest's
 * `digest.Parse` (https://github.com/opencontainers/go-digest/blob/v1.0.0/digest.go, algorithm.go).
 *
 * The reference grammar accepts any `algorithm:hex` with at least 32 hex digits, but go-digest then only
 * accepts registered algorithms with their exact lowercase hex length. Kubernetes and containerd vendor
 * go-digest v1.0.0 with sha256, sha384 and sha512 linked in, so those three are accepted here and any other
 * algorithm is "unsupported", exactly what the kubelet would answer.
 */

/** Registered algorithms and the number of lowercase hex digits of their encoded part. */
export const DIGEST_ALGORITHMS: ReadonlyMap<string, number> = new Map([
  ["sha256", 64],
  ["sha384", 96],
  ["sha512", 128],
]);

/** go-digest's DigestRegexpAnchored, used to tell "unsupported" from "invalid format". */
const goDigestRegexp = /^[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-zA-Z0-9=_-]+$/;

export interface DigestProblem {
  readonly problem: string;
  /** Offset of the first bad character inside the digest string; its length when it ends too early. */
  readonly offset: number;
}

/** Checks a digest that already matched `digestPat`; returns undefined when go-digest would accept it. */
export function checkDigest(digest: string): DigestProblem | undefined {
  const separator = digest.indexOf(":");
  const algorithm = digest.slice(0, separator);
  const encoded = digest.slice(separator + 1);
  const expectedLength = DIGEST_ALGORITHMS.get(algorithm);
  if (expectedLength === undefined) {
    if (!goDigestRegexp.test(digest)) {
      return {
        problem: `invalid checksum digest format: digest algorithm "${algorithm}" must be lowercase`,
        offset: Math.max(0, algorithm.search(/[A-Z]/)),
      };
    }
    const supported = [...DIGEST_ALGORITHMS.keys()].join(", ");
    return { problem: `unsupported digest algorithm "${algorithm}" (supported: ${supported})`, offset: 0 };
  }
  const badCharacter = encoded.search(/[^a-f0-9]/);
  if (badCharacter >= 0) {
    return {
      problem: `invalid checksum digest format: ${algorithm} digests are lowercase hexadecimal`,
      offset: separator + 1 + badCharacter,
    };
  }
  if (encoded.length !== expectedLength) {
    return {
      problem: `invalid checksum digest format: ${algorithm} digests have ${expectedLength} hexadecimal digits, not ${encoded.length}`,
      offset: separator + 1 + Math.min(encoded.length, expectedLength),
    };
  }
  return undefined;
}
