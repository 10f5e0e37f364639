import { describe, expect, it } from "vitest";
import fc from "fast-check";

import { redactSecret } from "./index.js";

const body = (n: number): string => "Ab1".repeat(Math.ceil(n / 3)).slice(0, n);

describe("redactSecret", () => {
  it.each([
    [`ghp${"_"}${body(36)}`, "ghp_…(40 chars)"],
    [`github${"_pat_"}${body(82)}`, "github_pat_…(93 chars)"],
    [`ghs${"_"}${body(36)}`, "ghs_…(40 chars)"],
    [`ghs${"_"}123456_${body(300)}.${body(100)}.${body(60)}`, "ghs_…(473 chars)"],
    [`gho${"_"}${body(36)}`, "gho_…(40 chars)"],
    [`ghu${"_"}${body(36)}`, "ghu_…(40 chars)"],
    [`ghr${"_"}${body(76)}`, "ghr_…(80 chars)"],
    [`dckr${"_pat_"}${body(27)}`, "dckr_pat_…(36 chars)"],
    [`glpat${"-"}${body(20)}`, "glpat-…(26 chars)"],
    ["hunter2", "…(7 chars)"],
    ["x", "…(1 char)"],
    ["", "(empty)"],
    ["eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln", "…(41 chars)"],
    // A value that is only a prefix keeps nothing.
    ["ghp_", "…(4 chars)"],
    ["glpat-", "…(6 chars)"],
  ])("%s -> %s", (secret, expected) => {
    expect(redactSecret(secret)).toBe(expected);
  });

  it("keeps nothing of the secret beyond a known prefix (property)", () => {
    const prefixes = ["", "ghp_", "github_pat_", "ghs_", "gho_", "ghu_", "ghr_", "dckr_pat_", "glpat-"];
    fc.assert(
      fc.property(fc.constantFrom(...prefixes), fc.string({ minLength: 1 }), (prefix, rest) => {
        const secret = prefix + rest;
        const out = redactSecret(secret);
        expect(out.endsWith(`(${secret.length} ${secret.length === 1 ? "char" : "chars"})`)).toBe(true);
        const kept = out.slice(0, out.indexOf("…"));
        expect(secret.startsWith(kept)).toBe(true);
        expect(kept.length).toBeLessThan(secret.length);
        expect(prefixes).toContain(kept);
      }),
    );
  });

  it("handles 1 MB and non-string input", () => {
    expect(redactSecret("z".repeat(1 << 20))).toBe("…(1048576 chars)");
    expect(redactSecret(undefined as unknown as string)).toBe("(empty)");
  });
});
