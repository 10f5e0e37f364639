import { describe, expect, it } from "vitest";
import { ACCESS_FIXES, accessFix } from "./fixes.js";
import { AccessOutcome } from "./types.js";

describe("ACCESS_FIXES", () => {
  it("has a one-line fix for every outcome and reason", () => {
    const reasons: Record<string, (string | undefined)[]> = {
      ok: [undefined, "anonymous"],
      unauthorized: [
        "no-credential",
        "credential-rejected",
        "credential-unsupported",
        "credential-withheld-on-redirect",
      ],
      denied: [undefined],
      "not-found": ["repository", "tag", "digest", "unknown"],
      "platform-missing": [undefined],
      tls: ["unknown-authority", "hostname-mismatch", "expired", "other"],
      "plain-http": ["server-speaks-http", "server-requires-https"],
      network: ["dns", "refused", "timeout", "reset", "unreachable", "other"],
      "rate-limited": [undefined],
      "registry-error": [
        "server-error",
        "unexpected-status",
        "unsupported-challenge",
        "bad-token-response",
        "token-rejected",
        "body-too-large",
        "bad-manifest",
        "too-many-redirects",
        "forbidden-redirect",
        "bad-redirect",
      ],
      "bad-realm": ["missing", "invalid-url", "insecure-scheme", "forbidden-address"],
    };
    expect(Object.keys(reasons).sort()).toEqual(Object.values(AccessOutcome).sort());
    const table = ACCESS_FIXES as Record<string, string>;
    for (const [outcome, list] of Object.entries(reasons)) {
      for (const reason of list) {
        const key = reason === undefined ? outcome : `${outcome}/${reason}`;
        expect(table[key], key).toBeDefined();
        expect(accessFix(outcome, reason)).toBe(table[key]);
      }
    }
    for (const text of Object.values(table)) {
      expect(text).not.toMatch(/\n/);
      expect(text.endsWith(".")).toBe(true);
    }
  });

  it("falls back to the outcome's fix for an unknown reason", () => {
    expect(accessFix("denied", "whatever")).toBe(ACCESS_FIXES.denied);
    expect(accessFix("tls", "new-reason")).toBe(ACCESS_FIXES["tls/other"]);
  });
});
