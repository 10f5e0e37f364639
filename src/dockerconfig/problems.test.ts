import { describe, expect, it } from "vitest";
import { PROBLEM_CODES } from "./problem-codes.js";
import { hasErrors, makeProblem, quoteFieldName, quoteKey, redactKey, sortProblems } from "./problems.js";

describe("problems", () => {
  it.each([
    ["ghcr.io", "ghcr.io"],
    ["user:pw@ghcr.io", "***@ghcr.io"],
    ["https://user:pw@ghcr.io/v1/", "https://***@ghcr.io/v1/"],
    ["https://ghcr.io/a@b", "https://ghcr.io/a@b"],
    ["a@b@c.io/x", "***@c.io/x"],
    ["@ghcr.io", "***@ghcr.io"],
    // A password with '/', '?' or '#' ends the authority early for URL parsers; it is still redacted.
    ["https://user:pa/ss@r.example.com", "https://***@r.example.com"],
    ["user:p?a#ss@r.example.com/team", "***@r.example.com/team"],
    ["https://user:123/x@r.example.com/v2/", "https://***@r.example.com/v2/"],
  ])("redactKey(%j) = %j", (key, redacted) => {
    expect(redactKey(key)).toBe(redacted);
  });

  it("quotes keys JSON-style, redacted and truncated", () => {
    expect(quoteKey("a\nb")).toBe('"a\\nb"');
    expect(quoteKey("u:p@r.io")).toBe('"***@r.io"');
    expect(quoteKey("x".repeat(100))).toBe(JSON.stringify("x".repeat(80) + "…"));
  });

  it("shows only field names that look like field names", () => {
    expect(quoteFieldName("identity_token")).toBe('"identity_token"');
    expect(quoteFieldName("ghp_abc123")).toBe("(a name that is not shown)");
  });

  it("takes the catalogue severity unless overridden, redacts the key", () => {
    expect(makeProblem("auth-missing", "m", { key: "u:p@r.io" })).toEqual({
      severity: "warning",
      code: "auth-missing",
      message: "m",
      key: "***@r.io",
    });
    expect(makeProblem("auth-missing", "m", { severity: "info" }).severity).toBe("info");
  });

  it("sorts by severity and detects errors", () => {
    const problems = [
      makeProblem("key-glob", "i"),
      makeProblem("auth-missing", "w"),
      makeProblem("key-empty", "e"),
      makeProblem("key-path-scoped", "i2"),
    ];
    expect(sortProblems(problems).map((p) => p.message)).toEqual(["e", "w", "i", "i2"]);
    expect(hasErrors(problems)).toBe(true);
    expect(hasErrors(problems.slice(0, 2))).toBe(false);
  });

  it("has stable kebab-case codes with a one-line summary each", () => {
    for (const [code, spec] of Object.entries(PROBLEM_CODES)) {
      expect(code).toMatch(/^[a-z0-9]+(?:-[a-z0-9]+)*$/);
      expect(spec.summary).not.toMatch(/\n/);
    }
  });
});
