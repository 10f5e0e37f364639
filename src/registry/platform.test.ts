import { describe, expect, it } from "vitest";
import { formatPlatform, normalizePlatform, parsePlatform, platformMatches } from "./platform.js";
import type { Platform } from "./platform.js";

const p = (text: string): Platform => {
  const parsed = parsePlatform(text);
  if (!parsed) throw new Error(`bad platform ${text}`);
  return parsed;
};

describe("platformMatches", () => {
  it.each([
    ["linux/amd64", "linux/amd64", true],
    ["linux/amd64", "linux/amd64/v2", true],
    ["linux/amd64/v3", "linux/amd64", true],
    ["linux/x86_64", "linux/amd64", true],
    ["linux/arm64", "linux/arm64/v8", true],
    ["linux/arm64/v8", "linux/arm64", true],
    ["linux/aarch64", "linux/arm64/v8", true],
    ["linux/arm64", "linux/arm64/v9", false],
    ["linux/arm", "linux/arm/v7", true],
    ["linux/arm/v7", "linux/arm", true],
    ["linux/armhf", "linux/arm/v7", true],
    ["linux/arm/v6", "linux/arm/v7", false],
    ["linux/arm64", "linux/amd64", false],
    ["linux/amd64", "windows/amd64", false],
    ["Linux/AMD64", "linux/amd64", true],
    ["linux/386", "linux/i386", true],
    ["linux/riscv64", "linux/riscv64", true],
    ["linux/s390x", "linux/ppc64le", false],
  ])("wanted %s, image %s -> %s", (wanted, candidate, expected) => {
    expect(platformMatches(p(wanted), p(candidate))).toBe(expected);
  });
});

describe("parsePlatform / formatPlatform / normalizePlatform", () => {
  it("parses and formats", () => {
    expect(parsePlatform("linux/arm64/v8")).toEqual({ os: "linux", architecture: "arm64", variant: "v8" });
    expect(parsePlatform("linux/amd64")).toEqual({ os: "linux", architecture: "amd64" });
    expect(formatPlatform({ os: "linux", architecture: "arm", variant: "v7" })).toBe("linux/arm/v7");
    for (const bad of ["", "linux", "linux/", "/amd64", "a/b/c/d", "linux//v7"]) {
      expect(parsePlatform(bad)).toBeUndefined();
    }
  });

  it("normalises names and default variants", () => {
    expect(normalizePlatform(p("linux/aarch64/v8"))).toEqual({ os: "linux", architecture: "arm64" });
    expect(normalizePlatform(p("linux/armel"))).toEqual({ os: "linux", architecture: "arm", variant: "v6" });
    expect(normalizePlatform(p("macos/x86-64/v1"))).toEqual({ os: "darwin", architecture: "amd64" });
  });
});
