import { InvalidReferenceError } from "../errors.js";
import { repositoryName } from "./format.js";
import { MAX_REFERENCE_INPUT_LENGTH, anchoredIdentifierRegexp, localhost } from "./grammar.js";
import type { ImageReference } from "./image-reference.js";
import { firstUppercaseOffset, toLowerLikeGo } from "./lowercase.js";
import { LOWERCASE_HINT, parseReferenceSyntax } from "./parse.js";
import { escapeText, invalidReference } from "./reference-error.js";

/**
 * Port of distribution/reference normalize.go
 * (https://github.com/distribution/reference/blob/main/normalize.go): `ParseNormalizedNamed` and
 * `splitDockerDomain`, which turn the familiar names of the Docker UI into canonical references.
 */

/** The Docker Hub domain of canonical references ("docker.io/library/nginx"); its registry is registry-1.docker.io. */
export const DEFAULT_DOMAIN = "docker.io";
/** The legacy Docker Hub name ("the Docker Index"), read as docker.io. */
export const LEGACY_DEFAULT_DOMAIN = "index.docker.io";
/** The namespace of Docker Hub's official images. */
export const OFFICIAL_REPO_PREFIX = "library/";

/**
 * The result of splitDockerDomain, plus how the string handed to Parse (`text`) maps back to the input:
 * `text` = input[0, copied) + synthetic + input[resume, …).
 */
export interface DockerDomainSplit {
  readonly domain: string;
  readonly remainder: string;
  readonly text: string;
  /** Maps an offset in `text` to the input; offsets inside the inserted text map to where the input resumes. */
  readonly toInputOffset: (offset: number) => number;
}

/**
 * splitDockerDomain: the first "/"-separated segment is a domain when it is "localhost", contains "." or
 * ":", or has uppercase letters (uppercase is never valid in a path); otherwise the domain is docker.io.
 * index.docker.io becomes docker.io, and a single-segment Docker Hub path gets "library/".
 */
export function splitDockerDomain(input: string): DockerDomainSplit {
  const slash = input.indexOf("/");
  if (slash < 0) {
    // Familiar single-segment names ("ubuntu", "ubuntu:22.04", even "localhost:5000") are official images.
    return split(input, DEFAULT_DOMAIN, OFFICIAL_REPO_PREFIX + input, 0, 0);
  }
  const maybeDomain = input.slice(0, slash);
  const maybeRemote = input.slice(slash + 1);
  const officialPrefix = maybeRemote.includes("/") ? "" : OFFICIAL_REPO_PREFIX;
  if (maybeDomain === LEGACY_DEFAULT_DOMAIN) {
    return split(input, DEFAULT_DOMAIN, officialPrefix + maybeRemote, 0, slash + 1);
  }
  if (maybeDomain === localhost || /[.:]/.test(maybeDomain) || toLowerLikeGo(maybeDomain) !== maybeDomain) {
    const prefix = maybeDomain === DEFAULT_DOMAIN ? officialPrefix : "";
    return split(input, maybeDomain, prefix + maybeRemote, slash + 1, slash + 1);
  }
  // Not a domain: the whole input is a Docker Hub path, which already has a "/".
  return split(input, DEFAULT_DOMAIN, input, 0, 0);
}

function split(
  input: string,
  domain: string,
  remainder: string,
  copied: number,
  resume: number,
): DockerDomainSplit {
  const text = `${domain}/${remainder}`;
  const synthetic = text.length - copied - (input.length - resume);
  return {
    domain,
    remainder,
    text,
    toInputOffset: (offset) =>
      offset < copied ? offset : offset < copied + synthetic ? resume : offset - copied - synthetic + resume,
  };
}

/**
 * ParseNormalizedNamed: familiar input ("nginx", "user/app:1", "ghcr.io/o/a@sha256:…") to a normalised
 * reference. Throws InvalidReferenceError, with the 0-based offset of the first bad character when known.
 */
export function parseNormalizedReference(input: string): ImageReference {
  if (typeof input !== "string") {
    throw new InvalidReferenceError(`parsing image reference: expected a string, got ${typeof input}`);
  }
  if (input.length > MAX_REFERENCE_INPUT_LENGTH) {
    throw invalidReference(
      input,
      `the reference is ${input.length} characters long; at most ${MAX_REFERENCE_INPUT_LENGTH} are accepted`,
      MAX_REFERENCE_INPUT_LENGTH,
    );
  }
  if (input === "") {
    // Go reports "invalid reference format" here (it parses "docker.io/library/"); this names the real problem.
    throw invalidReference(input, "repository name must have at least one component", 0);
  }
  if (anchoredIdentifierRegexp.test(input)) {
    throw invalidReference(
      input,
      `invalid repository name (${input}), cannot specify 64-byte hexadecimal strings`,
      0,
      "a bare 64-digit hexadecimal string is an image ID, not a repository; write <repository>@sha256:<hex> to pin a digest",
    );
  }

  const { domain, remainder, text, toInputOffset } = splitDockerDomain(input);
  const tagSeparator = remainder.indexOf(":");
  const remote = tagSeparator < 0 ? remainder : remainder.slice(0, tagSeparator);
  const uppercase = firstUppercaseOffset(remote);
  if (uppercase >= 0) {
    throw invalidReference(
      input,
      `invalid reference format: repository name (${escapeText(remote)}) must be lowercase`,
      toInputOffset(domain.length + 1 + uppercase),
      LOWERCASE_HINT,
    );
  }

  const outcome = parseReferenceSyntax(text);
  if (!outcome.ok) {
    const offset = outcome.offset === undefined ? undefined : toInputOffset(outcome.offset);
    throw invalidReference(input, outcome.problem, offset, outcome.hint);
  }
  return outcome.reference;
}

/** What the kubelet hands its keyring: ParseNormalizedNamed(image).Name(). Throws InvalidReferenceError. */
export function normalizeImageName(image: string): string {
  return repositoryName(parseNormalizedReference(image));
}

/** True for Docker Hub's domain after normalisation ("docker.io"; compare normalised domains only). */
export function isDockerHubDomain(domain: string): boolean {
  return domain === DEFAULT_DOMAIN;
}
