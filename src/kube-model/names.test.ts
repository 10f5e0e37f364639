// The Kubernetes name rules against apimachinery's own examples, and the suggested corrections: always valid,
// never the input itself.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  dns1123LabelShapeProblems,
  dns1123SubdomainShapeProblems,
  isDns1123Label,
  isDns1123Subdomain,
  qualifiedNameProblems,
  toDns1123Label,
  toDns1123Subdomain,
} from "./names.js";

describe("DNS-1123 names", () => {
  it.each(["a", "ab", "a-b", "1-2", "0", "a".repeat(63)])("label %s is valid", (value) => {
    expect(isDns1123Label(value)).toBe(true);
    expect(isDns1123Subdomain(value)).toBe(true);
  });

  it.each(["", "A", "-a", "a-", "a_b", "a.b", "a b", "ä", "a".repeat(64)])("label %j is not", (value) => {
    expect(isDns1123Label(value)).toBe(false);
  });

  it.each(["a.b", "a-b.c-d", "1.2.3", `${"a".repeat(100)}.${"b".repeat(100)}`, "a".repeat(253)])(
    "subdomain %s is valid (no length limit per part)",
    (value) => expect(isDns1123Subdomain(value)).toBe(true),
  );

  it.each(["", "a..b", ".a", "a.", "a.-b", "a-.b", "A.b", "a_b", "a".repeat(254)])(
    "subdomain %j is not",
    (value) => expect(isDns1123Subdomain(value)).toBe(false),
  );

  it("names what breaks the shape beyond the characters", () => {
    expect(dns1123LabelShapeProblems("-apps-")).toEqual(["it starts with '-'", "it ends with '-'"]);
    expect(dns1123LabelShapeProblems("-")).toEqual(["it starts with '-'"]);
    expect(dns1123SubdomainShapeProblems("a..b")).toEqual([
      "a dot-separated part is empty or starts or ends with '-'",
    ]);
    expect(dns1123SubdomainShapeProblems("apps")).toEqual([]);
  });

  it.each([
    ["Tools_NS", "tools-ns"],
    ["-apps-", "apps"],
    ["my app", "my-app"],
    ["___", undefined],
    ["x".repeat(70), "x".repeat(63)],
  ])("label correction of %j is %j", (value, fixed) => expect(toDns1123Label(value)).toBe(fixed));

  it.each([
    ["fooSecret", "foosecret"],
    ["my_pull", "my-pull"],
    ["Pull.Secret_", "pull.secret"],
    ["a..b", "a.b"],
    ["--", undefined],
    [`${"x".repeat(70)}.y`, `${"x".repeat(70)}.y`],
  ])("subdomain correction of %j is %j", (value, fixed) => expect(toDns1123Subdomain(value)).toBe(fixed));

  it("a correction is always valid", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (value) => {
        const label = toDns1123Label(value);
        if (label !== undefined) expect(isDns1123Label(label), label).toBe(true);
        const subdomain = toDns1123Subdomain(value);
        if (subdomain !== undefined) expect(isDns1123Subdomain(subdomain), subdomain).toBe(true);
      }),
      { numRuns: 500 },
    );
  });
});

describe("qualifiedNameProblems (apimachinery IsQualifiedName)", () => {
  it.each([
    "eks.amazonaws.com/ecr-role-arn",
    "kubernetes.azure.com/acr-client-id",
    "MyName",
    "my.name",
    "123-abc",
    "a",
  ])("%s is a qualified name", (value) => expect(qualifiedNameProblems(value)).toEqual([]));
  it.each(["", "/name", "a/b/c", "Example.com/x", "prefix/", "-a", "a-", "x".repeat(64), "ex ample/a"])(
    "%j is not",
    (value) => expect(qualifiedNameProblems(value).length).toBeGreaterThan(0),
  );
});
