import { describe, expect, it } from "vitest";
import { ExitCode, InvalidReferenceError } from "../errors.js";
import { parseNormalizedReference } from "./normalize.js";
import { quote } from "./reference-error.js";

function errorOf(input: string): InvalidReferenceError {
  try {
    parseNormalizedReference(input);
  } catch (error) {
    if (error instanceof InvalidReferenceError) return error;
    throw error;
  }
  throw new Error(`expected ${input} to be rejected`);
}

const HEX = "a".repeat(64);

describe("error messages name the input, distribution's problem and the first bad character", () => {
  it.each([
    [
      "",
      0,
      `parsing image reference "": repository name must have at least one component (the image reference ends too early, at offset 0)`,
    ],
    [
      "docker.io/Foo",
      10,
      `parsing image reference "docker.io/Foo": invalid reference format: repository name (library/Foo) must be lowercase (first bad character "F" at offset 10)`,
    ],
    [
      "ghcr.io/org/App:v1",
      12,
      `parsing image reference "ghcr.io/org/App:v1": invalid reference format: repository name (org/App) must be lowercase (first bad character "A" at offset 12)`,
    ],
    [
      "Foo_bar/x",
      0,
      `parsing image reference "Foo_bar/x": invalid reference format: repository name (Foo_bar/x) must be lowercase (first bad character "F" at offset 0)`,
    ],
    [
      HEX,
      0,
      `parsing image reference "${HEX}": invalid repository name (${HEX}), cannot specify 64-byte hexadecimal strings (first bad character "a" at offset 0)`,
    ],
    [
      "docker///docker",
      7,
      `parsing image reference "docker///docker": invalid reference format (first bad character "/" at offset 7)`,
    ],
    [
      "docker/",
      7,
      `parsing image reference "docker/": invalid reference format (the image reference ends too early, at offset 7)`,
    ],
    [
      "nginx:",
      6,
      `parsing image reference "nginx:": invalid reference format (the image reference ends too early, at offset 6)`,
    ],
    [
      " nginx",
      0,
      `parsing image reference " nginx": invalid reference format (first bad character " " at offset 0)`,
    ],
    [
      "nginx:1.25 ",
      10,
      `parsing image reference "nginx:1.25 ": invalid reference format (first bad character " " at offset 10)`,
    ],
    [
      "https://ghcr.io/o/a",
      6,
      `parsing image reference "https://ghcr.io/o/a": invalid reference format (first bad character "/" at offset 6)`,
    ],
    [
      "[fe80::1%eth0]:5000/app",
      8,
      `parsing image reference "[fe80::1%eth0]:5000/app": invalid reference format (first bad character "%" at offset 8)`,
    ],
    [
      "nginx:-1",
      6,
      `parsing image reference "nginx:-1": invalid reference format (first bad character "-" at offset 6)`,
    ],
    [`a:${"t".repeat(129)}`, 130, undefined],
    [
      "a\nb",
      1,
      `parsing image reference "a\\u{a}b": invalid reference format (first bad character "\\u{a}" at offset 1)`,
    ],
    [
      "ngin\u202ex",
      4,
      `parsing image reference "ngin\\u{202e}x": invalid reference format (first bad character "\\u{202e}" at offset 4)`,
    ],
    [
      "app\u{1f433}",
      3,
      `parsing image reference "app\\u{1f433}": invalid reference format (first bad character "\\u{1f433}" at offset 3)`,
    ],
    [
      `x/${"a".repeat(256)}`, // "x" is no domain, so the path starts at 0
      255,
      `parsing image reference "x/${"a".repeat(256)}": repository name must not be more than 255 characters (the path has 258) (first bad character "a" at offset 255)`,
    ],
    [`index.docker.io/${"a".repeat(256)}`, 16 + 247, undefined],
    [`ghcr.io/${"a".repeat(256)}`, 8 + 255, undefined],
    [
      `nginx@sha256:${"0".repeat(34)}`,
      47,
      `parsing image reference "nginx@sha256:${"0".repeat(34)}": invalid checksum digest format: sha256 digests have 64 hexadecimal digits, not 34 (the image reference ends too early, at offset 47)`,
    ],
    [`nginx@sha256:${"0".repeat(63)}G`, 76, undefined],
    [`nginx:1@sha256:${"A".repeat(64)}`, 15, undefined],
    [`nginx@md5:${"0".repeat(32)}`, 6, undefined],
    [`nginx@Sha256:${"0".repeat(64)}`, 6, undefined], // uppercase in the remote before the first ":"
    [`ghcr.io/a@Sha256:${"0".repeat(64)}`, 10, undefined],
  ])("%j", (input, offset, message) => {
    const error = errorOf(input);
    expect(error.position).toEqual({ offset });
    if (message !== undefined) expect(error.message).toBe(message);
  });

  it("is an InvalidReferenceError with code E_REFERENCE and the input exit code", () => {
    const error = errorOf("UPPER");
    expect(error).toBeInstanceOf(InvalidReferenceError);
    expect(error.name).toBe("InvalidReferenceError");
    expect(error.code).toBe("E_REFERENCE");
    expect(error.exitCode).toBe(ExitCode.input);
    expect(error.hint).toMatch(/must be lowercase/);
  });

  it("refuses overlong input before any regular expression runs", () => {
    const input = "a".repeat(5000);
    const error = errorOf(input);
    expect(error.position).toEqual({ offset: 4096 });
    expect(error.message).toContain("the reference is 5000 characters long; at most 4096 are accepted");
    expect(error.message).toContain("… (5000 characters)");
    expect(error.message.length).toBeLessThan(700);
  });

  it("rejects non-string input with an InvalidReferenceError", () => {
    expect(() => parseNormalizedReference(undefined as unknown as string)).toThrow(
      new InvalidReferenceError("parsing image reference: expected a string, got undefined"),
    );
  });
});

describe("quote", () => {
  it.each([
    ["plain", `"plain"`],
    [`a"b\\c`, `"a\\"b\\\\c"`],
    ["tab\there", `"tab\\u{9}here"`],
    ["\u2028", `"\\u{2028}"`],
    ["\ud800", `"\\u{d800}"`],
    ["é", `"\\u{e9}"`],
  ])("%j", (text, quoted) => {
    expect(quote(text)).toBe(quoted);
  });
});
