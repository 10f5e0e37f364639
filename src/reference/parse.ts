import { checkDigest } from "./digest.js";
import { REPOSITORY_NAME_MAX_LENGTH, anchoredNameRegexp, referenceRegexp } from "./grammar.js";
import { makeReference } from "./image-reference.js";
import type { ImageReference } from "./image-reference.js";
import { firstUppercaseOffset, toLowerLikeGo } from "./lowercase.js";
import { firstBadOffset } from "./reference-automaton.js";
import { escapeText } from "./reference-error.js";

/**
 * Port of `Parse` in distribution/reference reference.go
 * (https://github.com/distribution/reference/blob/main/reference.go): the grammar alone, without Docker
 * Hub defaulting, so "nginx" parses with domain "" and path "nginx". The public entry points normalise
 * first (normalize.ts) and then call this on the normalised string.
 */

/** A parse failure in distribution's words, with the offset of the first bad character in the parsed text. */
export interface ParseProblem {
  readonly problem: string;
  readonly offset?: number;
  readonly hint?: string;
}

export type ParseOutcome =
  { readonly ok: true; readonly reference: ImageReference } | ({ readonly ok: false } & ParseProblem);

export const LOWERCASE_HINT =
  "repository paths must be lowercase; only the registry host and the tag may contain uppercase letters";

/** Parse(s). Callers cap the input length first (MAX_REFERENCE_INPUT_LENGTH). */
export function parseReferenceSyntax(text: string): ParseOutcome {
  if (text === "") return failure("repository name must have at least one component", 0);

  const match = referenceRegexp.exec(text);
  if (match === null) return unmatched(text);

  const name = match[1] ?? "";
  const tag = match[2];
  const digest = match[3];
  const nameMatch = anchoredNameRegexp.exec(name);
  const domain = nameMatch?.[1] ?? "";
  const path = nameMatch?.[2] ?? name;
  const pathStart = domain === "" ? 0 : domain.length + 1;

  // Since distribution/reference v0.6.0 (PR #9) only the path counts, not the domain.
  if (path.length > REPOSITORY_NAME_MAX_LENGTH) {
    return failure(
      `repository name must not be more than ${REPOSITORY_NAME_MAX_LENGTH} characters (the path has ${path.length})`,
      pathStart + REPOSITORY_NAME_MAX_LENGTH,
    );
  }

  if (digest !== undefined) {
    const digestProblem = checkDigest(digest);
    if (digestProblem !== undefined) {
      const digestStart = name.length + (tag === undefined ? 0 : tag.length + 1) + 1;
      return failure(digestProblem.problem, digestStart + digestProblem.offset);
    }
  }

  return { ok: true, reference: makeReference(domain, path, tag, digest) };
}

/** The grammar did not match: either only uppercase letters are wrong, or the format is. */
function unmatched(text: string): ParseOutcome {
  const lowered = toLowerLikeGo(text);
  const loweredMatch = lowered === text ? null : referenceRegexp.exec(lowered);
  if (loweredMatch === null) return failure("invalid reference format", firstBadOffset(text));

  // It parses once lowercased. ASCII uppercase is fine in a domain, so the culprit is normally in the path:
  // name the path and point at its first uppercase letter. Non-ASCII letters that lowercase to ASCII (the
  // Kelvin sign, "İ") can sit in the domain too; then name the whole repository.
  const name = loweredMatch[1] ?? "";
  const domain = anchoredNameRegexp.exec(name)?.[1] ?? "";
  const pathStart = domain === "" ? 0 : domain.length + 1;
  const sameOffsets = lowered.length === text.length;
  let start = pathStart;
  let offset = sameOffsets ? firstUppercaseOffset(text, pathStart, name.length) : -1;
  if (offset < 0 && sameOffsets) {
    start = 0;
    offset = firstUppercaseOffset(text, 0, name.length);
  }
  const repository = sameOffsets ? text.slice(start, name.length) : text;
  return failure(
    `invalid reference format: repository name (${escapeText(repository)}) must be lowercase`,
    offset >= 0 ? offset : firstBadOffset(text),
    LOWERCASE_HINT,
  );
}

function failure(problem: string, offset?: number, hint?: string): ParseOutcome {
  return {
    ok: false,
    problem,
    ...(offset === undefined ? {} : { offset }),
    ...(hint === undefined ? {} : { hint }),
  };
}
