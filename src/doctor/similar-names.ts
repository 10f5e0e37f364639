/** Finding the Secret a misspelled reference meant: optimal string alignment distance (Damerau-Levenshtein). */
import { editDistance } from "../text/index.js";

/** Names cut to DNS-1123 limits are short; allow one edit per 4 characters, at least 1 and at most 3. */
function allowedDistance(name: string): number {
  return Math.max(1, Math.min(3, Math.floor(name.length / 4)));
}

function fold(name: string): string {
  return name.toLowerCase().replace(/[-_.]/g, "");
}

/**
 * Existing names `missing` was probably meant to be, closest first: same name ignoring case and separators,
 * or within a small edit distance.
 */
export function similarNames(missing: string, existing: readonly string[]): string[] {
  const limit = allowedDistance(missing);
  return existing
    .filter((name) => name !== missing)
    .map((name) => ({
      name,
      distance: fold(name) === fold(missing) ? 0 : editDistance(missing, name, limit),
    }))
    .filter((c) => c.distance <= limit)
    .sort((x, y) => x.distance - y.distance || x.name.localeCompare(y.name))
    .map((c) => c.name);
}
