import { describe, expect, it } from "vitest";
import fc from "fast-check";
import {
  compareGoStrings,
  describeControlCharacters,
  decodeRune,
  findInvalidUtf8,
  isWellFormedUnicode,
  utf8ByteLength,
  utf8Encode,
} from "./go-strings.js";

describe("go-strings", () => {
  it("compareGoStrings orders like UTF-8 bytes", () => {
    fc.assert(
      fc.property(fc.string({ unit: "grapheme" }), fc.string({ unit: "grapheme" }), (a, b) => {
        const bytes = Buffer.compare(Buffer.from(a, "utf8"), Buffer.from(b, "utf8"));
        expect(Math.sign(compareGoStrings(a, b))).toBe(bytes);
      }),
    );
    expect(compareGoStrings("\uffff", "😀")).toBeLessThan(0);
    expect("\uffff" < "😀").toBe(false); // what JavaScript would have done
  });

  it("utf8ByteLength agrees with TextEncoder", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary" }), (s) => {
        expect(utf8ByteLength(s)).toBe(utf8Encode(s).length);
      }),
    );
  });

  it("findInvalidUtf8 finds the first invalid byte", () => {
    expect(findInvalidUtf8(utf8Encode("héllo 😀"))).toBe(-1);
    expect(findInvalidUtf8(Uint8Array.from([0x61, 0xc3]))).toBe(1);
    expect(findInvalidUtf8(Uint8Array.from([0xed, 0xa0, 0x80]))).toBe(0); // surrogate
    expect(findInvalidUtf8(Uint8Array.from([0xc0, 0xaf]))).toBe(0); // overlong
    fc.assert(
      fc.property(fc.uint8Array(), (bytes) => {
        const valid = (() => {
          try {
            new TextDecoder("utf-8", { fatal: true }).decode(bytes);
            return true;
          } catch {
            return false;
          }
        })();
        expect(findInvalidUtf8(bytes) < 0).toBe(valid);
      }),
    );
  });

  it("decodeRune is Go's utf8.DecodeRune", () => {
    const b = utf8Encode("a☺😀");
    expect(decodeRune(b, 0, b.length)).toEqual([0x61, 1]);
    expect(decodeRune(b, 1, b.length)).toEqual([0x263a, 3]);
    expect(decodeRune(b, 4, b.length)).toEqual([0x1f600, 4]);
    expect(decodeRune(b, 2, b.length)).toEqual([0xfffd, 1]);
    expect(decodeRune(b, 8, b.length)).toEqual([0xfffd, 0]);
  });

  it("isWellFormedUnicode rejects lone surrogates", () => {
    expect(isWellFormedUnicode("a😀b")).toBe(true);
    expect(isWellFormedUnicode("a\ud800")).toBe(false);
    expect(isWellFormedUnicode("\udc00a")).toBe(false);
  });
});

describe("describeControlCharacters", () => {
  it.each([
    ["plain", undefined],
    ["pa\tss", "a tab (U+0009) at character 3 of 5"],
    ["s3cret\u007f", "DEL (U+007F) at character 7 of 7"],
    ["\u0000a\nb\r", "NUL (U+0000) at character 1 of 5, and 2 more"],
    ["🐳\u0001", "a control character (U+0001) at character 2 of 2"],
  ])("%j → %j", (value, description) => {
    expect(describeControlCharacters(value)).toBe(description);
  });
});
