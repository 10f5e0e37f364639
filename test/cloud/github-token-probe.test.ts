// The GHCR token probe (src/cloud/github/probe-token.ts) against a loopback fake of GitHub's REST API whose
// answers follow GitHub's docs (test/support/github-api.ts), including hostile ones.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseGitHubApiUrl } from "../../src/cloud/github/api-url.js";
import { probeGitHubToken } from "../../src/cloud/github/probe-token.js";
import { startFakeGitHubApi } from "../support/github-api.js";
import type { FakeGitHubApi } from "../support/github-api.js";

const NOW = new Date("2026-06-01T00:00:00Z");
const token = (n: number) => `ghp_${String(n).padStart(36, "0")}`;
const READ_ONLY = token(1);
const REPO_ONLY = token(2);
const FINE_GRAINED_LIKE = token(3);
const GARBAGE_DATE = token(4);
const HUGE_BODY = token(5);
const REDIRECT = token(6);
const STALL = token(7);
const SOON = token(8);
const NO_EXPIRY = token(9);
const SERVER_ERROR = token(10);
const HUGE_HEADER = token(11);
const ODD_SCOPES = token(12);

let api: FakeGitHubApi;
let elsewhere: FakeGitHubApi;

beforeAll(async () => {
  elsewhere = await startFakeGitHubApi({ [REDIRECT]: { scopes: "read:packages" } });
  api = await startFakeGitHubApi({
    [READ_ONLY]: { scopes: "read:packages", expiration: "2026-09-01 00:00:00 UTC" },
    [REPO_ONLY]: { scopes: "repo, user", expiration: "2026-09-01 00:00:00 UTC" },
    [FINE_GRAINED_LIKE]: { scopes: null, expiration: "2026-09-01 00:00:00 UTC" },
    [GARBAGE_DATE]: { scopes: "read:packages", expiration: "\u00ff\u00fe not a date" },
    [HUGE_BODY]: {
      scopes: "read:packages",
      expiration: "2026-09-01 00:00:00 UTC",
      bodyBytes: 64 * 1024 * 1024,
    },
    [REDIRECT]: { scopes: "read:packages", redirectTo: `${elsewhere.url}user` },
    [STALL]: { scopes: "read:packages", stall: true },
    [SOON]: { scopes: "read:packages, write:packages", expiration: "2026-06-02 20:23:29 -0700" },
    [NO_EXPIRY]: { scopes: "read:packages" },
    [SERVER_ERROR]: { scopes: "read:packages", status: 502 },
    [HUGE_HEADER]: { scopes: `read:packages,${"repo,".repeat(20_000)}` },
    [ODD_SCOPES]: {
      scopes: "read:packages",
      headers: { "x-oauth-scopes": "\u00ff\u00fe, read:packages, <b>" },
    },
  });
});

afterAll(async () => {
  await api?.stop();
  await elsewhere?.stop();
});

const probe = (value: string, timeoutMs = 5_000) =>
  probeGitHubToken(value, {
    apiUrl: parseGitHubApiUrl(api.url, "--github-api-url"),
    now: () => NOW,
    timeoutMs,
  });

const codes = (report: { findings: readonly { code: string }[] }) => report.findings.map((f) => f.code);

describe("answers as GitHub documents them", () => {
  it("a read:packages token with an expiry: no finding; GET /user with `Authorization: token`", async () => {
    const before = api.requests.length;
    const report = await probe(READ_ONLY);
    expect(report).toEqual({
      scopes: ["read:packages"],
      expiresAt: new Date("2026-09-01T00:00:00Z"),
      findings: [],
    });
    expect(api.requests.slice(before)).toEqual([
      { method: "GET", path: "/user", token: "token#1", scheme: "token" },
    ]);
  });

  it("a token without read:packages is an error finding naming its scopes", async () => {
    const report = await probe(REPO_ONLY);
    expect(report.findings).toMatchObject([
      {
        severity: "error",
        code: "github-token-missing-read-packages",
        message: expect.stringContaining("repo, user"),
      },
    ]);
  });

  it("an answer without X-OAuth-Scopes (not a classic token)", async () => {
    expect(codes(await probe(FINE_GRAINED_LIKE))).toEqual(["github-token-scopes-unknown"]);
  });

  it("expiring within the week (numeric zone) and able to push", async () => {
    expect(codes(await probe(SOON))).toEqual(["github-token-broader-than-pull", "github-token-expires-soon"]);
  });

  it("no expiry header on a classic token", async () => {
    expect(codes(await probe(NO_EXPIRY))).toEqual(["github-token-never-expires"]);
  });

  it("a token GitHub does not know: 401", async () => {
    expect(codes(await probe(token(99)))).toEqual(["github-token-rejected"]);
  });

  it("GitHub Enterprise Server's base /api/v3 is kept", async () => {
    const ghes = await startFakeGitHubApi(
      { [READ_ONLY]: { scopes: "read:packages" } },
      { prefix: "/api/v3/" },
    );
    try {
      const report = await probeGitHubToken(READ_ONLY, {
        apiUrl: parseGitHubApiUrl(ghes.url.replace(/\/$/, ""), "--github-api-url"),
        now: () => NOW,
      });
      expect(report.scopes).toEqual(["read:packages"]);
      expect(ghes.requests.map((r) => r.path)).toEqual(["/api/v3/user"]);
    } finally {
      await ghes.stop();
    }
  });
});

describe("hostile answers: a finding, never an error, never the token", () => {
  it("a garbage expiry date is not echoed", async () => {
    const report = await probe(GARBAGE_DATE);
    expect(codes(report)).toEqual(["github-token-expiry-unreadable"]);
    expect(JSON.stringify(report)).not.toContain("not a date");
  });

  it("a huge body: judged from the headers, the body cut (64 MiB are not read)", async () => {
    const report = await probe(HUGE_BODY);
    expect(report.scopes).toEqual(["read:packages"]);
    expect(report.findings).toEqual([]);
  });

  it("a redirect to another host is not followed: the token never reaches it", async () => {
    const report = await probe(REDIRECT);
    expect(report.findings).toMatchObject([
      { severity: "info", code: "github-api-unanswered", message: expect.stringContaining("redirect") },
    ]);
    expect(elsewhere.requests).toEqual([]);
  });

  it("a server that never answers: bounded by the timeout", async () => {
    const report = await probe(STALL, 300);
    expect(report.findings).toMatchObject([
      { code: "github-api-unanswered", message: expect.stringContaining("no answer in time") },
    ]);
  });

  it("headers beyond Node's limit (16 KiB): no answer, not a crash", async () => {
    expect(report(await probe(HUGE_HEADER))).toEqual([
      expect.stringMatching(/^info github-api-unanswered: .*network error/),
    ]);
  });

  it("bytes that are no scope name in the scopes header are dropped, the valid names kept", async () => {
    const result = await probe(ODD_SCOPES);
    expect(result.scopes).toEqual(["read:packages"]);
  });

  it("a 5xx", async () => {
    expect(report(await probe(SERVER_ERROR))).toEqual(["info github-api-unanswered: HTTP 502"]);
  });

  it("nothing listening", async () => {
    const closed = await startFakeGitHubApi({});
    const url = closed.url;
    await closed.stop();
    const report = await probeGitHubToken(READ_ONLY, {
      apiUrl: parseGitHubApiUrl(url, "--github-api-url"),
      now: () => NOW,
    });
    expect(report.findings).toMatchObject([
      { code: "github-api-unanswered", message: expect.stringContaining("network error (refused") },
    ]);
  });

  it("no finding holds a token", async () => {
    for (const value of [READ_ONLY, REPO_ONLY, GARBAGE_DATE, REDIRECT, SERVER_ERROR]) {
      expect(JSON.stringify(await probe(value))).not.toContain(value.slice(4));
    }
  });
});

describe("parseGitHubApiUrl: the token goes there, so https (http only to loopback)", () => {
  it.each([
    ["https://api.github.com", "https://api.github.com/"],
    ["https://ghe.example.com/api/v3", "https://ghe.example.com/api/v3/"],
    ["http://127.0.0.1:8080/", "http://127.0.0.1:8080/"],
    ["http://[::1]:8080", "http://[::1]:8080/"],
  ])("%s → %s", (text, expected) => {
    expect(parseGitHubApiUrl(text, "--github-api-url").href).toBe(expected);
  });

  it.each([
    "http://api.github.com",
    "ftp://api.github.com",
    "api.github.com",
    "https://user:pw@api.github.com",
    "https://api.github.com/?x=1",
  ])("%s is refused (usage)", (text) => {
    expect(() => parseGitHubApiUrl(text, "--github-api-url")).toThrow(
      expect.objectContaining({ code: "E_USAGE", message: expect.stringMatching(/^--github-api-url/) }),
    );
  });
});

function report(value: {
  findings: readonly { severity: string; code: string; message: string }[];
}): string[] {
  return value.findings.map((f) => `${f.severity} ${f.code}: ${f.message.replace(/^.*: /, "")}`);
}
