import { describe, expect, it } from "vitest";
import { hasErrorCode, parseRegistryErrors, parseRetryAfter } from "./registry-errors.js";

describe("parseRegistryErrors", () => {
  it("reads distribution error bodies", () => {
    const body = JSON.stringify({
      errors: [
        { code: "MANIFEST_UNKNOWN", message: "manifest unknown", detail: { Tag: "nope" } },
        { code: "name_unknown", message: "repository name not known to registry" },
      ],
    });
    const errors = parseRegistryErrors(Buffer.from(body));
    expect(errors).toEqual([
      { code: "MANIFEST_UNKNOWN", message: "manifest unknown" },
      { code: "NAME_UNKNOWN", message: "repository name not known to registry" },
    ]);
    expect(hasErrorCode(errors, "NAME_UNKNOWN")).toBe(true);
  });

  it.each([
    undefined,
    "",
    "<html>502</html>",
    "{",
    '{"errors":"x"}',
    '{"errors":[1,null,{"message":"no code"}]}',
    "null",
  ])("%j gives no errors", (body) => {
    expect(parseRegistryErrors(body)).toEqual([]);
  });

  it("redacts and shortens messages", () => {
    const token = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl";
    const [e] = parseRegistryErrors(
      JSON.stringify({ errors: [{ code: "DENIED", message: `bad token ${token} ${"x".repeat(500)}` }] }),
    );
    expect(e?.message).not.toContain(token);
    expect(e?.message.length).toBeLessThanOrEqual(160);
  });
});

describe("parseRetryAfter", () => {
  const now = new Date("2026-01-01T00:00:00Z");
  it.each([
    ["120", 120],
    [" 0 ", 0],
    ["Thu, 01 Jan 2026 00:00:30 GMT", 30],
    ["Wed, 31 Dec 2025 23:00:00 GMT", 0],
    [undefined, undefined],
    ["", undefined],
    ["soon", undefined],
    ["-5", undefined],
    ["1.5", undefined],
    ["2026", 2026],
  ])("%j -> %j", (value, expected) => {
    expect(parseRetryAfter(value, now)).toBe(expected);
  });
});
