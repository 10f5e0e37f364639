import { describe, expect, it } from "vitest";
import { firstUppercaseOffset, toLowerLikeGo } from "./lowercase.js";
import { parseNormalizedReference } from "./normalize.js";

describe("toLowerLikeGo (Go's strings.ToLower)", () => {
  it.each([
    ["ABC", "abc"],
    ["abc", "abc"],
    ["\u0130mage", "image"], // İ: simple mapping, where JavaScript would give "i̇" (two code points)
    ["\u212Aube", "kube"], // Kelvin sign lowercases to ASCII "k"
    ["\u{10400}", "\u{10428}"], // Deseret, outside the BMP
    ["\ud800x", "\ud800x"], // a lone surrogate stays
  ])("%j → %j", (text, lowered) => {
    expect(toLowerLikeGo(text)).toBe(lowered);
  });

  it.each([
    ["abc", 0, 3, -1],
    ["aBc", 0, 3, 1],
    ["Abc", 1, 3, -1],
    ["\u{10400}A", 0, 3, 0],
    ["a\u{1f433}B", 0, 4, 3],
  ])("firstUppercaseOffset(%j, %i, %i) = %i", (text, from, to, offset) => {
    expect(firstUppercaseOffset(text, from, to)).toBe(offset);
  });
});

describe("Unicode letters that lowercase to ASCII are reported as uppercase, as in Go", () => {
  it.each([
    ["\u212Aube", 0, "library/\\u{212a}ube"],
    // A domain by the uppercase rule but no valid host; "image/x" parses, so the name is reported whole.
    ["\u0130mage/x", 0, "\\u{130}mage/x"],
    ["ghcr.io/\u212Aube", 8, "\\u{212a}ube"],
  ])("%j", (input, offset, shown) => {
    expect(() => parseNormalizedReference(input)).toThrow(`repository name (${shown}) must be lowercase`);
    try {
      parseNormalizedReference(input);
    } catch (error) {
      expect(error).toMatchObject({ position: { offset } });
    }
  });
});
