import { referenceString } from "./format.js";
import type { ImageReference } from "./image-reference.js";
import { parseNormalizedReference } from "./normalize.js";
import { invalidReference, quote } from "./reference-error.js";

/**
 * ParseNamed in distribution/reference reference.go: parse like ParseNormalizedNamed, then insist that the
 * input was already canonical ("docker.io/library/nginx", not "nginx" or "docker.io/nginx").
 * Throws InvalidReferenceError; for a non-canonical input the offset is where it departs from the canonical form.
 */
export function parseCanonicalReference(input: string): ImageReference {
  const ref = parseNormalizedReference(input);
  const canonical = referenceString(ref);
  if (canonical !== input) {
    throw invalidReference(
      input,
      `repository name must be canonical (the canonical form is ${quote(canonical)})`,
      firstDifference(input, canonical),
    );
  }
  return ref;
}

function firstDifference(a: string, b: string): number {
  let offset = 0;
  while (offset < a.length && a[offset] === b[offset]) offset++;
  return offset;
}
