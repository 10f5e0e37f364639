import { describe, expect, it } from "vitest";
import { describeKeyCoverage } from "./describe-key.js";

describe("describeKeyCoverage", () => {
  it.each([
    ["registry-1.docker.io", false, /never matches/],
    ["index.docker.io", true, /Docker Hub fallback/],
    ["ghcr.io", true, /^images on ghcr.io \(default port only/],
    ["ghcr.io/acme", true, /starts with ghcr.io\/acme \(a raw string prefix/],
    ["*.azurecr.io", true, /one host label per \*/],
    ["127.0.0.1:5000", true, /^images on 127.0.0.1:5000$/],
  ])("%s", (key, canMatch, description) => {
    const coverage = describeKeyCoverage(key);
    expect(coverage.canMatch).toBe(canMatch);
    expect(coverage.description).toMatch(description);
  });
});
