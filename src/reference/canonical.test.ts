import { describe, expect, it } from "vitest";
import { InvalidReferenceError } from "../errors.js";
import { parseCanonicalReference } from "./canonical.js";

// Ported from distribution/reference reference_test.go TestParseNamed
// (https://github.com/distribution/reference/blob/main/reference_test.go).
describe("parseCanonicalReference (TestParseNamed)", () => {
  it.each([
    ["test.com/foo", "test.com", "foo"],
    ["test:8080/foo", "test:8080", "foo"],
    ["docker.io/library/foo", "docker.io", "library/foo"],
  ])("accepts %s", (input, domain, path) => {
    expect(parseCanonicalReference(input)).toEqual({ domain, path });
  });

  it.each([
    ["test_com/foo", "docker.io/test_com/foo", 0],
    ["test.com", "docker.io/library/test.com", 0],
    ["foo", "docker.io/library/foo", 0],
    ["library/foo", "docker.io/library/foo", 0],
    // Ambiguous case, parser will add "library/" to foo
    ["docker.io/foo", "docker.io/library/foo", 10],
    ["index.docker.io/library/foo", "docker.io/library/foo", 0],
  ])("rejects %s as not canonical", (input, canonical, offset) => {
    let error: unknown;
    try {
      parseCanonicalReference(input);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(InvalidReferenceError);
    expect((error as InvalidReferenceError).message).toContain(
      `repository name must be canonical (the canonical form is "${canonical}")`,
    );
    expect((error as InvalidReferenceError).position).toEqual({ offset });
  });

  it.each([
    "ghcr.io/o/a:1",
    `ghcr.io/o/a:1@sha256:${"0".repeat(64)}`,
    "[::1]:5000/app",
    "Foo/bar",
    "foo_bar.com/app", // canonical in the quirky domain-less sense: its String() is the input
  ])("accepts canonical %s", (input) => {
    expect(() => parseCanonicalReference(input)).not.toThrow();
  });

  it("passes on parse errors unchanged", () => {
    expect(() => parseCanonicalReference("docker.io/Foo")).toThrow(/must be lowercase/);
  });
});
