/** Finding the Secret a misspelled reference meant: optimal string alignment distance (Damerau-Levenshtein). */

/** Edit distance counting insertions, deletions, substitutions and adjacent transpositions. */
export function editDistance(a: string, b: string, limit = Number.POSITIVE_INFINITY): number {
  if (a === b) return 0;
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  const rows = a.length + 1;
  const cols = b.length + 1;
  let prevPrev: number[] = [];
  let prev: number[] = Array.from({ length: cols }, (_, j) => j);
  for (let i = 1; i < rows; i++) {
    const current: number[] = [i];
    let rowMin = i;
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let value = Math.min((prev[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        value = Math.min(value, (prevPrev[j - 2] ?? 0) + 1);
      }
      current.push(value);
      rowMin = Math.min(rowMin, value);
    }
    if (rowMin > limit) return limit + 1;
    prevPrev = prev;
    prev = current;
  }
  return prev[cols - 1] ?? 0;
}

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
