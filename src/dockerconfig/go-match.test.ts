import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { goPathMatch } from "./go-match.js";

// Go's own table: src/path/match_test.go `matchTests` (filepath.Match on Linux behaves identically).
const goMatchTests: [pattern: string, name: string, result: "match" | "no-match" | "bad-pattern"][] = [
  ["abc", "abc", "match"],
  ["*", "abc", "match"],
  ["*c", "abc", "match"],
  ["a*", "a", "match"],
  ["a*", "abc", "match"],
  ["a*", "ab/c", "no-match"],
  ["a*/b", "abc/b", "match"],
  ["a*/b", "a/c/b", "no-match"],
  ["a*b*c*d*e*/f", "axbxcxdxe/f", "match"],
  ["a*b*c*d*e*/f", "axbxcxdxexxx/f", "match"],
  ["a*b*c*d*e*/f", "axbxcxdxe/xxx/f", "no-match"],
  ["a*b*c*d*e*/f", "axbxcxdxexxx/fff", "no-match"],
  ["a*b?c*x", "abxbbxdbxebxczzx", "match"],
  ["a*b?c*x", "abxbbxdbxebxczzy", "no-match"],
  ["ab[c]", "abc", "match"],
  ["ab[b-d]", "abc", "match"],
  ["ab[e-g]", "abc", "no-match"],
  ["ab[^c]", "abc", "no-match"],
  ["ab[^b-d]", "abc", "no-match"],
  ["ab[^e-g]", "abc", "match"],
  ["a\\*b", "a*b", "match"],
  ["a\\*b", "ab", "no-match"],
  ["a?b", "a☺b", "match"],
  ["a[^a]b", "a☺b", "match"],
  ["a???b", "a☺b", "no-match"],
  ["a[^a][^a][^a]b", "a☺b", "no-match"],
  ["[a-ζ]*", "α", "match"],
  ["*[a-ζ]", "A", "no-match"],
  ["a?b", "a/b", "no-match"],
  ["a*b", "a/b", "no-match"],
  ["[\\]a]", "]", "match"],
  ["[\\-]", "-", "match"],
  ["[x\\-]", "x", "match"],
  ["[x\\-]", "-", "match"],
  ["[x\\-]", "z", "no-match"],
  ["[\\-x]", "x", "match"],
  ["[\\-x]", "-", "match"],
  ["[\\-x]", "a", "no-match"],
  ["[]a]", "]", "bad-pattern"],
  ["[-]", "-", "bad-pattern"],
  ["[x-]", "x", "bad-pattern"],
  ["[x-]", "-", "bad-pattern"],
  ["[x-]", "z", "bad-pattern"],
  ["[-x]", "x", "bad-pattern"],
  ["[-x]", "-", "bad-pattern"],
  ["[-x]", "a", "bad-pattern"],
  ["\\", "a", "bad-pattern"],
  ["[a-b-c]", "a", "bad-pattern"],
  ["[", "a", "bad-pattern"],
  ["[^", "a", "bad-pattern"],
  ["[^bc", "a", "bad-pattern"],
  ["a[", "a", "bad-pattern"],
  ["a[", "ab", "bad-pattern"],
  ["a[", "x", "bad-pattern"],
  ["a/b[", "x", "bad-pattern"],
  ["*x", "xxx", "match"],
];

describe("goPathMatch (Go path.Match / filepath.Match on Linux)", () => {
  it.each(goMatchTests)("Match(%j, %j) = %s", (pattern, name, result) => {
    expect(goPathMatch(pattern, name)).toBe(result);
  });

  it.each([
    ["*", "azurecr", "match"],
    ["*", "", "match"],
    ["app*", "app1", "match"],
    ["app*", "ap", "no-match"],
    ["*-good", "prefix-good", "match"],
    ["k*", "quay", "no-match"],
    ["[::1]", "[::1]", "no-match"],
  ] as const)("DNS label %j vs %j: %s", (pattern, name, result) => {
    expect(goPathMatch(pattern, name)).toBe(result);
  });

  it("never throws and a literal pattern matches exactly itself", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary" }), fc.string({ unit: "binary" }), (p, n) => {
        expect(["match", "no-match", "bad-pattern"]).toContain(goPathMatch(p, n));
      }),
    );
    fc.assert(
      fc.property(fc.stringMatching(/^[a-z0-9.-]*$/), fc.stringMatching(/^[a-z0-9.-]*$/), (p, n) => {
        expect(goPathMatch(p, n)).toBe(p === n ? "match" : "no-match");
      }),
    );
  });
});
