import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { classifyRegistryHost } from "../../hosts/index.js";
import { classifyToken } from "../../tokens/index.js";
import {
  isGitHubTokenToProbe,
  judgeGitHubTokenAnswer,
  parseOAuthScopes,
  parseTokenExpiration,
} from "./token-scopes.js";

const NOW = new Date("2026-06-01T00:00:00Z");

/** Headers as GitHub's docs show them for a classic PAT (names lower-cased, as the transport keeps them). */
function answer(status: number, headers: Record<string, string | string[]> = {}) {
  return {
    status,
    headers: Object.fromEntries(
      Object.entries(headers).map(([name, value]) => [name, Array.isArray(value) ? value : [value]]),
    ),
  };
}

const codes = (status: number, headers: Record<string, string | string[]> = {}) =>
  judgeGitHubTokenAnswer(answer(status, headers), NOW).findings.map((f) => `${f.severity} ${f.code}`);

describe("judgeGitHubTokenAnswer: scopes and expiry → findings", () => {
  it.each<[string, number, Record<string, string | string[]>, string[]]>([
    [
      "read:packages only, expiring in a month",
      200,
      {
        "x-oauth-scopes": "read:packages",
        "github-authentication-token-expiration": "2026-07-01 00:00:00 UTC",
      },
      [],
    ],
    [
      "write:packages includes read:packages, but can push",
      200,
      {
        "x-oauth-scopes": "read:packages, write:packages",
        "github-authentication-token-expiration": "2026-07-01 00:00:00 UTC",
      },
      ["warning github-token-broader-than-pull"],
    ],
    [
      "delete:packages alone includes read:packages",
      200,
      {
        "x-oauth-scopes": "delete:packages",
        "github-authentication-token-expiration": "2026-07-01 00:00:00 UTC",
      },
      ["warning github-token-broader-than-pull"],
    ],
    [
      "repo, user (the docs' example): no read:packages",
      200,
      { "x-oauth-scopes": "repo, user", "github-authentication-token-expiration": "2026-07-01 00:00:00 UTC" },
      ["error github-token-missing-read-packages"],
    ],
    [
      "an empty scope list: a token with no scope",
      200,
      { "x-oauth-scopes": "", "github-authentication-token-expiration": "2026-07-01 00:00:00 UTC" },
      ["error github-token-missing-read-packages"],
    ],
    [
      "no expiry header on a classic token: never expires",
      200,
      { "x-oauth-scopes": "read:packages" },
      ["info github-token-never-expires"],
    ],
    [
      "expires within the week",
      200,
      {
        "x-oauth-scopes": "read:packages",
        "github-authentication-token-expiration": "2026-06-03 12:00:00 UTC",
      },
      ["warning github-token-expires-soon"],
    ],
    [
      "expired (the clock is ahead of GitHub's answer)",
      200,
      {
        "x-oauth-scopes": "read:packages",
        "github-authentication-token-expiration": "2026-05-31 23:59:59 UTC",
      },
      ["error github-token-expired"],
    ],
    [
      "numeric zone",
      200,
      {
        "x-oauth-scopes": "read:packages",
        "github-authentication-token-expiration": "2026-06-02 20:00:00 -0700",
      },
      ["warning github-token-expires-soon"],
    ],
    [
      "garbage expiry",
      200,
      { "x-oauth-scopes": "read:packages", "github-authentication-token-expiration": "next tuesday" },
      ["info github-token-expiry-unreadable"],
    ],
    [
      "no X-OAuth-Scopes: not a classic token (expiry absent is then no finding)",
      200,
      {},
      ["warning github-token-scopes-unknown"],
    ],
    ["401", 401, { "x-oauth-scopes": "read:packages" }, ["error github-token-rejected"]],
    ["403 rate limited", 403, { "x-ratelimit-remaining": "0" }, ["info github-api-unanswered"]],
    ["429", 429, {}, ["info github-api-unanswered"]],
    ["500", 500, { "x-oauth-scopes": "read:packages" }, ["info github-api-unanswered"]],
    ["a redirect status that reached the judge", 302, {}, ["info github-api-unanswered"]],
  ])("%s", (_name, status, headers, expected) => {
    expect(codes(status, headers)).toEqual(expected);
  });

  it("several scope findings and an expiry finding together, scopes and date kept", () => {
    const report = judgeGitHubTokenAnswer(
      answer(200, {
        "x-oauth-scopes": "repo, admin:org",
        "github-authentication-token-expiration": "2026-06-02 00:00:00 UTC",
      }),
      NOW,
    );
    expect(report.scopes).toEqual(["repo", "admin:org"]);
    expect(report.expiresAt).toEqual(new Date("2026-06-02T00:00:00Z"));
    expect(report.findings.map((f) => f.message)).toEqual([
      "the token's scopes (repo, admin:org) do not include read:packages: ghcr.io refuses its pulls of private images",
      "the token expires 2026-06-02T00:00:00Z (in 1 day(s))",
    ]);
  });

  it("never echoes a hostile header value", () => {
    const hostile = "\u001b[31mghp_CANARYCANARYCANARYCANARYCANARYCANARY\r\nX: y";
    const report = judgeGitHubTokenAnswer(
      answer(200, { "x-oauth-scopes": hostile, "github-authentication-token-expiration": hostile }),
      NOW,
    );
    expect(JSON.stringify(report)).not.toContain("CANARY");
    expect(JSON.stringify(report)).not.toContain("\u001b");
  });
});

describe("parseOAuthScopes", () => {
  it.each<[string[] | undefined, string[] | undefined]>([
    [undefined, undefined],
    [[], undefined],
    [[""], []],
    [["read:packages"], ["read:packages"]],
    [["repo,  user ,,read:packages"], ["repo", "user", "read:packages"]],
    [
      ["repo", "read:packages"],
      ["repo", "read:packages"],
    ],
    [["read:packages, read:packages"], ["read:packages"]],
    [["READ:PACKAGES, <script>, a b, x:y:z"], []],
  ])("%j → %j", (values, expected) => {
    expect(parseOAuthScopes(values)).toEqual(expected);
  });

  it("a huge list is capped", () => {
    expect(parseOAuthScopes([Array.from({ length: 10_000 }, (_, i) => `s${i}`).join(",")])).toHaveLength(64);
  });
});

describe("parseTokenExpiration", () => {
  it.each<[string, string | undefined]>([
    ["2021-10-07 19:07:53 UTC", "2021-10-07T19:07:53.000Z"],
    ["2023-04-26 20:23:29 -0700", "2023-04-27T03:23:29.000Z"],
    ["2023-04-26 20:23:29 +0530", "2023-04-26T14:53:29.000Z"],
    [" 2021-10-07 19:07:53 UTC ", "2021-10-07T19:07:53.000Z"],
    ["2021-10-07T19:07:53Z", undefined],
    ["2021-02-30 00:00:00 UTC", undefined],
    ["2021-13-01 00:00:00 UTC", undefined],
    ["2021-10-07 24:00:00 UTC", undefined],
    ["2021-10-07 19:07:53 PST", undefined],
    ["2021-10-07 19:07:53 +2500", undefined],
    ["", undefined],
    ["9".repeat(10_000), undefined],
  ])("%j → %s", (value, expected) => {
    expect(parseTokenExpiration(value)?.toISOString()).toBe(expected);
  });

  it("never throws, and any date it returns is valid", () => {
    fc.assert(
      fc.property(fc.string(), (value) => {
        const date = parseTokenExpiration(value);
        return date === undefined || !Number.isNaN(date.getTime());
      }),
    );
  });
});

describe("isGitHubTokenToProbe: only tokens ghcr.io may accept, only for ghcr.io", () => {
  const ghcr = classifyRegistryHost("ghcr.io");
  const classic = classifyToken({ username: "bot", password: `ghp_${"a".repeat(36)}` });
  it.each<[string, boolean]>([
    [`ghp_${"a".repeat(36)}`, true],
    [`gho_${"a".repeat(36)}`, true],
    ["0123456789abcdef0123456789abcdef01234567", true],
    [`github_pat_${"a".repeat(82)}`, false],
    [`ghs_${"a".repeat(36)}`, false],
    [`ghr_${"a".repeat(36)}`, false],
    ["hunter2", false],
  ])("%s on ghcr.io → %s", (password, expected) => {
    expect(isGitHubTokenToProbe(ghcr, classifyToken({ username: "bot", password }))).toBe(expected);
  });

  it("a classic PAT for another registry is not sent to GitHub", () => {
    expect(isGitHubTokenToProbe(classifyRegistryHost("registry.example.com"), classic)).toBe(false);
    expect(isGitHubTokenToProbe(classifyRegistryHost("docker.io"), classic)).toBe(false);
  });
});
