import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { editDistance } from "./edit-distance.js";
import { plural } from "./plural.js";

describe("plural", () => {
  it("counts a noun, regular or not", () => {
    expect(plural(0, "error")).toBe("0 errors");
    expect(plural(1, "error")).toBe("1 error");
    expect(plural(2, "entry", "entries")).toBe("2 entries");
    expect(plural(1, "Pod was", "Pods were")).toBe("1 Pod was");
    expect(plural(3, "Pod was", "Pods were")).toBe("3 Pods were");
  });
});

/** Levenshtein distance with adjacent swaps, by the textbook recursion (small inputs only). */
function reference(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const row = d[i] as number[];
      const up = d[i - 1] as number[];
      row[j] = Math.min(
        (up[j] as number) + 1,
        (row[j - 1] as number) + 1,
        (up[j - 1] as number) + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        row[j] = Math.min(row[j] as number, ((d[i - 2] as number[])[j - 2] as number) + 1);
    }
  }
  return (d[a.length] as number[])[b.length] as number;
}

describe("editDistance", () => {
  it("counts insertions, deletions, substitutions and adjacent swaps as one edit each", () => {
    expect(editDistance("image", "image")).toBe(0);
    expect(editDistance("imgae", "image")).toBe(1);
    expect(editDistance("regstry", "registry")).toBe(1);
    expect(editDistance("registries", "registry")).toBe(3);
    expect(editDistance("", "abc")).toBe(3);
  });

  it("agrees with the textbook definition; with a limit, exact up to it and above it beyond", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 8 }), fc.string({ maxLength: 8 }), fc.nat(4), (a, b, limit) => {
        const exact = reference(a, b);
        expect(editDistance(a, b)).toBe(exact);
        const limited = editDistance(a, b, limit);
        if (exact <= limit) expect(limited).toBe(exact);
        else expect(limited).toBeGreaterThan(limit);
      }),
      { numRuns: 500 },
    );
  });

  it("gives up early on long inputs far apart", () => {
    expect(editDistance("x".repeat(100_000), "registries", 3)).toBeGreaterThan(3);
    expect(editDistance("x".repeat(3000), "y".repeat(3000), 2)).toBeGreaterThan(2);
  });
});
