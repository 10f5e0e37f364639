/**
 * The image reference grammar, a port of distribution/reference regexp.go:
 * https://github.com/distribution/reference/blob/main/regexp.go
 *
 *   reference           := name [":" tag] ["@" digest]
 *   name                := [domain "/"] remote-name
 *   domain              := host [":" port-number]
 *   host                := domain-name | IPv4address | "[" IPv6address "]"   (no zone identifiers)
 *   domain-name         := domain-component ["." domain-component]...
 *   domain-component    := [a-zA-Z0-9] | [a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9]
 *   port-number         := [0-9]+
 *   remote-name         := path-component ["/" path-component]...
 *   path-component      := alpha-numeric [separator alpha-numeric]...
 *   alpha-numeric       := [a-z0-9]+
 *   separator           := [_.] | __ | [-]+
 *   tag                 := [\w][\w.-]{0,127}
 *   digest              := algorithm ":" [0-9a-fA-F]{32,}
 *   algorithm           := algorithm-component [[-_+.] algorithm-component]...
 *   algorithm-component := [A-Za-z][A-Za-z0-9]*
 *   identifier          := [a-f0-9]{64}
 *
 * The sources below keep regexp.go's names and structure so the two can be compared line by line. Go's RE2
 * and JavaScript agree on these patterns (leftmost-first alternation, `$` only at the end of the input,
 * ASCII `\w`); `[[:xdigit:]]` is spelled `[0-9A-Fa-f]`. Repetitions are separated by mandatory delimiters,
 * so JavaScript's backtracking engine stays close to linear on hostile input (tested in hostile-input.test.ts);
 * callers still cap the input length first (`MAX_REFERENCE_INPUT_LENGTH`). `reference-automaton.ts` restates
 * the grammar as an automaton to locate the first bad character for error messages.
 */

/** RepositoryNameTotalLengthMax in reference.go: the longest allowed repository path (domain excluded). */
export const REPOSITORY_NAME_MAX_LENGTH = 255;

/**
 * Inputs longer than this are refused before any regular expression runs. Not a distribution rule: a
 * reference this long would need a domain far beyond DNS limits (path ≤ 255, tag ≤ 128, known digests ≤ 135).
 */
export const MAX_REFERENCE_INPUT_LENGTH = 4096;

/** alphanumeric: a path-component atom, lowercase letters and digits only. */
export const alphanumeric = "[a-z0-9]+";

/** separator: one period, one or two underscores, or any number of dashes. */
export const separator = "(?:[._]|__|[-]+)";

/** localhost is always a domain when it is the first of several path segments. */
export const localhost = "localhost";

/** domainNameComponent: a DNS label (letters of either case, digits, inner dashes). */
export const domainNameComponent = "(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])";

/** optionalPort: ":" and decimal digits (the number itself is not range-checked, as in Go). */
export const optionalPort = "(?::[0-9]+)?";

/** tag: from docker/docker graph/tags.go. */
export const tag = "[\\w][\\w.-]{0,127}";

/** digestPat: algorithm ":" at least 32 hex digits (128 bits). */
export const digestPat = "[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*[:][0-9A-Fa-f]{32,}";

/** identifier: a bare sha256 hex string, which ParseNormalizedNamed refuses as a repository name. */
export const identifier = "([a-f0-9]{64})";

/** ipv6address: compressed or full form in brackets; zone identifiers and IPv4-mapped forms are excluded. */
export const ipv6address = "\\[(?:[a-fA-F0-9:]+)\\]";

export const domainName = `${domainNameComponent}(?:\\.${domainNameComponent})*`;
export const host = `(?:${domainName}|${ipv6address})`;
export const domainAndPort = host + optionalPort;

export const pathComponent = alphanumeric + anyTimes(separator + alphanumeric);
export const remoteName = pathComponent + anyTimes("/" + pathComponent);
export const namePat = optional(domainAndPort + "/") + remoteName;
export const anchoredNamePat = anchored(optional(capture(domainAndPort), "/"), capture(remoteName));
export const referencePat = anchored(
  capture(namePat),
  optional(":", capture(tag)),
  optional("@", capture(digestPat)),
);

/** Full reference; groups: 1 name, 2 tag, 3 digest. */
export const referenceRegexp = new RegExp(referencePat);
/** A name; groups: 1 domain (may be absent), 2 remote name. */
export const anchoredNameRegexp = new RegExp(anchoredNamePat);
export const anchoredDomainRegexp = new RegExp(anchored(domainAndPort));
export const anchoredTagRegexp = new RegExp(anchored(tag));
export const anchoredDigestRegexp = new RegExp(anchored(digestPat));
export const anchoredIdentifierRegexp = new RegExp(anchored(identifier));

function optional(...res: string[]): string {
  return `(?:${res.join("")})?`;
}

function anyTimes(...res: string[]): string {
  return `(?:${res.join("")})*`;
}

function capture(...res: string[]): string {
  return `(${res.join("")})`;
}

function anchored(...res: string[]): string {
  return `^${res.join("")}$`;
}
