/**
 * Tests of classifyToken and assessPullCredential. Fake tokens are assembled at run time (never written
 * out whole) so secret scanners have nothing to flag; JWTs are built with jose (unsigned or HS256 with a
 * throw-away key) and ECR tokens with the observed JSON layout. `NOW` is injected, never the wall clock.
 */
import { describe, expect, it } from "vitest";
import fc from "fast-check";

import { classifyRegistryHost } from "../hosts/index.js";
import type { RegistryHostInfo } from "../hosts/index.js";
import { assessPullCredential, classifyToken } from "./index.js";
import type { AssessPullCredentialInput, PullAcceptance, TokenKind, TokenVariant } from "./index.js";
import { SignJWT, UnsecuredJWT } from "jose";
import type { JWTPayload } from "jose";

const NOW = new Date("2026-03-01T12:00:00Z");
const NOW_S = Math.floor(NOW.getTime() / 1000);

/** Deterministic alphanumerics of length n (not random, so failures reproduce). */
function alnum(n: number, seed = 7): string {
  const chars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  let out = "";
  let x = seed;
  for (let i = 0; i < n; i++) {
    x = (x * 1103515245 + 12345) % 2147483648;
    out += chars[x % chars.length];
  }
  return out;
}

const fake = {
  classicPat: () => `ghp${"_"}${alnum(36, 1)}`,
  fineGrainedPat: () => `github${"_pat_"}${alnum(22, 2)}_${alnum(59, 3)}`,
  installation: () => `ghs${"_"}${alnum(36, 4)}`,
  oauth: () => `gho${"_"}${alnum(36, 5)}`,
  userToServer: () => `ghu${"_"}${alnum(36, 6)}`,
  refresh: () => `ghr${"_"}${alnum(76, 8)}`,
  dockerHub: () => `dckr${"_pat_"}${alnum(27, 9)}`,
  gitlab: () => `glpat${"-"}${alnum(20, 10)}`,
};

function b64url(text: string): string {
  return Buffer.from(text, "utf8").toString("base64url");
}

/** A compact JWS from raw header and payload texts (for malformed payloads jose refuses to build). */
function rawJwt(header: string, payload: string, signature = "c2ln"): string {
  return `${b64url(header)}.${b64url(payload)}.${signature}`;
}

/** An unsigned JWT (`alg: none`) with the given claims, exactly as given (no defaults). */
function unsignedJwt(claims: Record<string, unknown>): string {
  return new UnsecuredJWT(claims as JWTPayload).encode();
}

/** An HS256 JWT signed with a throw-away test key. */
async function hs256Jwt(claims: Record<string, unknown>): Promise<string> {
  return new SignJWT(claims as JWTPayload)
    .setProtectedHeader({ alg: "HS256", typ: "JWT" })
    .sign(new TextEncoder().encode("test-only-key-not-a-secret-32bytes!"));
}

/** `ghs_<APPID>_<JWT>`: the 2026 stateless installation-token shape (the JWT carries an exp we must not read). */
function statelessInstallationToken(appId = 123456): string {
  const jwt = unsignedJwt({ exp: NOW_S - 3600, iss: "github", data: alnum(300, 11) }).replace(/\.$/, ".x");
  return `ghs${"_"}${appId}_${jwt}`;
}

/** An ECR password: base64 JSON with payload, datakey, version, type and expiration (unix seconds). */
function ecrPassword(expirationSeconds: unknown = NOW_S + 6 * 3600): string {
  const body = {
    payload: Buffer.from(alnum(600, 12)).toString("base64"),
    datakey: Buffer.from(alnum(200, 13)).toString("base64"),
    version: "2",
    type: "DATA_KEY",
    expiration: expirationSeconds,
  };
  return Buffer.from(JSON.stringify(body)).toString("base64");
}

/** The GetAuthorizationToken `authorizationToken`: base64 of `AWS:<password>`. */
function ecrAuthorizationToken(expirationSeconds?: number): string {
  return Buffer.from(`AWS:${ecrPassword(expirationSeconds)}`).toString("base64");
}

const NULL_GUID = "00000000-0000-0000-0000-000000000000";

/** Claims of an ACR refresh token as listed in Azure/acr docs/AAD-OAuth.md. */
function acrRefreshClaims(
  registry: string,
  overrides: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    jti: "365d2b3c-5a3a-4d8c-8e2e-3b3b6b3c1d2e",
    sub: "user@contoso.example",
    nbf: NOW_S - 600,
    exp: NOW_S + 3 * 3600,
    iat: NOW_S - 600,
    iss: "Azure Container Registry",
    aud: registry,
    version: "1.0",
    grant_type: "refresh_token",
    tenant: "409520d4-8100-4d1d-ad47-72432ddcc120",
    permissions: { actions: ["read"], notActions: [] },
    ...overrides,
  };
}

// ---------------------------------------------------------------------------------------------------------
// classifyToken
// ---------------------------------------------------------------------------------------------------------

interface ClassifyCase {
  name: string;
  username?: string;
  password: string;
  kind: TokenKind;
  variant?: TokenVariant;
  label?: RegExp;
}

const prefixCases: ClassifyCase[] = [
  { name: "classic PAT", password: fake.classicPat(), kind: "github-classic-pat", label: /classic/ },
  {
    name: "classic PAT, truncated",
    password: fake.classicPat().slice(0, 20),
    kind: "github-classic-pat",
    variant: "malformed",
  },
  { name: "fine-grained PAT", password: fake.fineGrainedPat(), kind: "github-fine-grained-pat" },
  {
    name: "installation / GITHUB_TOKEN",
    password: fake.installation(),
    kind: "github-installation-or-actions",
  },
  {
    name: "stateless installation token ghs_<APPID>_<JWT>",
    password: statelessInstallationToken(),
    kind: "github-installation-or-actions",
    variant: "ghs-stateless",
  },
  { name: "OAuth app token", password: fake.oauth(), kind: "github-oauth" },
  { name: "user-to-server token", password: fake.userToServer(), kind: "github-user-to-server" },
  { name: "refresh token", password: fake.refresh(), kind: "github-refresh" },
  { name: "Docker Hub PAT", username: "octodev", password: fake.dockerHub(), kind: "dockerhub-pat" },
  { name: "GitLab PAT", password: fake.gitlab(), kind: "gitlab-pat" },
  { name: "GitLab PAT, truncated", password: "glpat-abc", kind: "gitlab-pat", variant: "malformed" },
  { name: "empty", password: "", kind: "empty" },
  { name: "whitespace only", password: " \n\t", kind: "empty" },
  { name: "plain password", username: "alice", password: "correct horse battery staple", kind: "password" },
  {
    name: "40 hex (legacy GitHub token shape)",
    password: "0123456789abcdef0123456789abcdef01234567",
    kind: "password",
    variant: "legacy-github-token-shape",
  },
  { name: "ECR password", username: "AWS", password: ecrPassword(), kind: "ecr-token" },
  {
    name: "ECR authorizationToken given as password",
    username: "AWS",
    password: ecrAuthorizationToken(),
    kind: "ecr-token",
    variant: "ecr-authorization-token",
  },
  {
    name: "base64 JSON that is not an ECR token",
    username: "AWS",
    password: Buffer.from(JSON.stringify({ hello: "world", n: 1 })).toString("base64"),
    kind: "password",
  },
  {
    name: "base64 of AWS:<not an ECR password>",
    password: Buffer.from("AWS:hunter2hunter2").toString("base64"),
    kind: "password",
  },
];

describe("classifyToken: prefixes, ECR and plain values", () => {
  it.each(prefixCases)("$name", ({ username, password, kind, variant, label }) => {
    const info = classifyToken(username === undefined ? { password } : { username, password });
    expect(info.kind).toBe(kind);
    expect(info.variant).toBe(variant);
    if (label) expect(info.label).toMatch(label);
    expect(typeof info.label).toBe("string");
    expect(Array.isArray(info.notes)).toBe(true);
    if (password.trim().length >= 8) expect(JSON.stringify(info)).not.toContain(password.trim());
  });

  it("does not parse the JWT inside a stateless ghs_ token", () => {
    const info = classifyToken({ password: statelessInstallationToken() });
    expect(info.expiresAt).toBeUndefined();
    expect(info.issuer).toBeUndefined();
    expect(info.notes.join(" ")).toMatch(/not to parse/);
  });

  it("classic PAT notes say scopes cannot be read offline", () => {
    const info = classifyToken({ password: fake.classicPat() });
    expect(info.notes.join(" ")).toMatch(/X-OAuth-Scopes/);
    expect(info.notes.join(" ")).toMatch(/read:packages/);
  });

  it("ghs_ notes explain GITHUB_TOKEN and App tokens share the prefix", () => {
    const info = classifyToken({ password: fake.installation() });
    expect(info.notes.join(" ")).toMatch(/GITHUB_TOKEN/);
    expect(info.notes.join(" ")).toMatch(/1 hour/);
  });

  it("reads the ECR expiration (unix seconds) and notes the 12-hour lifetime", () => {
    const exp = NOW_S + 5 * 3600;
    const info = classifyToken({ username: "AWS", password: ecrPassword(exp) });
    expect(info.kind).toBe("ecr-token");
    expect(info.expiresAt?.toISOString()).toBe(new Date(exp * 1000).toISOString());
    expect(info.notes.join(" ")).toMatch(/12 hours/);
  });

  it("reads the expiry through an authorizationToken too", () => {
    const exp = NOW_S + 3600;
    const info = classifyToken({ password: ecrAuthorizationToken(exp) });
    expect(info.expiresAt?.getTime()).toBe(exp * 1000);
    expect(info.notes.join(" ")).toMatch(/auth field/);
  });

  it.each([["soon"], [null], [Number.MAX_VALUE], [1e300]])(
    "ECR expiration %j is ignored with a note",
    (exp) => {
      const info = classifyToken({ username: "AWS", password: ecrPassword(exp) });
      expect(info.kind).toBe("ecr-token");
      expect(info.expiresAt).toBeUndefined();
      expect(info.notes.join(" ")).toMatch(/expir/);
    },
  );

  it("notes surrounding whitespace but still classifies", () => {
    const info = classifyToken({ password: `${fake.classicPat()}\n` });
    expect(info.kind).toBe("github-classic-pat");
    expect(info.notes[0]).toMatch(/whitespace/);
  });

  it("notes a username AWS with a non-ECR password", () => {
    const info = classifyToken({ username: "AWS", password: "not-an-ecr-token-at-all" });
    expect(info.kind).toBe("password");
    expect(info.notes.join(" ")).toMatch(/username AWS/);
  });

  it("notes a lower-case aws username", () => {
    expect(classifyToken({ username: "aws", password: ecrPassword() }).notes.join(" ")).toMatch(/capitals/);
  });

  it("notes the null-GUID username with a non-JWT password", () => {
    const info = classifyToken({ username: NULL_GUID, password: "some-acr-token-password" });
    expect(info.kind).toBe("password");
    expect(info.notes.join(" ")).toMatch(/null-GUID/);
  });
});

describe("classifyToken: JWTs", () => {
  it("reads exp, iat, nbf, iss, sub and aud", async () => {
    const jwt = await hs256Jwt({
      exp: NOW_S + 600,
      iat: NOW_S - 60,
      nbf: NOW_S - 60,
      iss: "https://issuer.example",
      sub: "robot$puller",
      aud: "registry.example.com",
    });
    const info = classifyToken({ username: "robot", password: jwt });
    expect(info).toMatchObject({
      kind: "jwt",
      issuer: "https://issuer.example",
      subject: "robot$puller",
      audience: "registry.example.com",
    });
    expect(info.expiresAt?.getTime()).toBe((NOW_S + 600) * 1000);
    expect(info.issuedAt?.getTime()).toBe((NOW_S - 60) * 1000);
    expect(info.notBefore?.getTime()).toBe((NOW_S - 60) * 1000);
  });

  it("joins an array audience", () => {
    const info = classifyToken({ password: unsignedJwt({ aud: ["a.example", "b.example"] }) });
    expect(info.audience).toBe("a.example, b.example");
    expect(info.notes.join(" ")).toMatch(/unsigned/);
    expect(info.notes.join(" ")).toMatch(/no exp claim/);
  });

  it("ignores exp given as a string, with a note", () => {
    const info = classifyToken({ password: unsignedJwt({ exp: String(NOW_S + 60), iss: "x" }) });
    expect(info.kind).toBe("jwt");
    expect(info.expiresAt).toBeUndefined();
    expect(info.notes.join(" ")).toMatch(/"exp" claim is not a number/);
  });

  it.each([
    ["non-JSON payload", rawJwt('{"alg":"HS256"}', "this is not json")],
    ["JSON array payload", rawJwt('{"alg":"HS256"}', '[{"exp":1}]')],
    ["JSON string payload", rawJwt('{"alg":"HS256"}', '"exp"')],
    [
      "invalid UTF-8 payload",
      `${Buffer.from('{"alg":"RS256"}').toString("base64url")}.${Buffer.from([0xff, 0xfe, 0x00]).toString("base64url")}.sig`,
    ],
  ])("%s: still a JWT, with no claims", (_name, token) => {
    const info = classifyToken({ password: token });
    expect(info.kind).toBe("jwt");
    expect(info.expiresAt).toBeUndefined();
    expect(info.notes.join(" ")).toMatch(/not a JSON object/);
  });

  it.each([
    ["header without alg", rawJwt('{"typ":"JWT"}', '{"exp":1}')],
    ["header alg not a string", rawJwt('{"alg":5}', '{"exp":1}')],
    ["header not JSON", rawJwt("nope", '{"exp":1}')],
    ["header an array", rawJwt('["alg"]', '{"exp":1}')],
    ["two segments", "eyJhbGciOiJub25lIn0.eyJleHAiOjF9"],
    ["four segments", `${unsignedJwt({})}.x`],
    ["dots only", "..."],
  ])("%s: not a JWT", (_name, token) => {
    expect(classifyToken({ password: token }).kind).toBe("password");
  });

  it("sanitises and truncates claim text", () => {
    const info = classifyToken({ password: unsignedJwt({ iss: `evil\u001b[31m\n${"x".repeat(1000)}` }) });
    expect([...(info.issuer ?? "")].some((ch) => ch.charCodeAt(0) < 0x20)).toBe(false);
    expect(info.issuer?.startsWith("evil[31m")).toBe(true);
    expect(info.issuer?.length).toBeLessThanOrEqual(201);
  });

  it("ACR refresh token by issuer", () => {
    const info = classifyToken({
      username: NULL_GUID,
      password: unsignedJwt(acrRefreshClaims("myregistry.azurecr.io")),
    });
    expect(info.kind).toBe("acr-refresh-token");
    expect(info.variant).toBeUndefined();
    expect(info.issuer).toBe("Azure Container Registry");
    expect(info.audience).toBe("myregistry.azurecr.io");
    expect(info.expiresAt?.getTime()).toBe((NOW_S + 3 * 3600) * 1000);
  });

  it("ACR refresh token by the null-GUID username when there is no issuer", () => {
    const info = classifyToken({ username: NULL_GUID, password: unsignedJwt({ exp: NOW_S + 60 }) });
    expect(info.kind).toBe("acr-refresh-token");
    expect(info.notes.join(" ")).toMatch(/null-GUID username only/);
  });

  it("ACR access token is flagged", () => {
    const claims = acrRefreshClaims("myregistry.azurecr.io", {
      grant_type: undefined,
      access: [{ type: "repository", name: "app", actions: ["pull"] }],
    });
    const info = classifyToken({ username: NULL_GUID, password: unsignedJwt(claims) });
    expect(info.kind).toBe("acr-refresh-token");
    expect(info.variant).toBe("acr-access-token");
  });

  it("Entra ID token with the null-GUID username is not an ACR refresh token", () => {
    const info = classifyToken({
      username: NULL_GUID,
      password: unsignedJwt({
        iss: "https://sts.windows.net/409520d4-8100-4d1d-ad47-72432ddcc120/",
        exp: NOW_S + 60,
      }),
    });
    expect(info.kind).toBe("jwt");
    expect(info.variant).toBe("entra-id-token");
    expect(info.notes.join(" ")).toMatch(/null-GUID/);
  });

  it("Kubernetes service-account token gets its own label", () => {
    const info = classifyToken({
      password: unsignedJwt({
        iss: "https://kubernetes.default.svc.cluster.local",
        sub: "system:serviceaccount:ci:puller",
      }),
    });
    expect(info.kind).toBe("jwt");
    expect(info.label).toMatch(/service-account/);
  });
});

// ---------------------------------------------------------------------------------------------------------
// Hostile input
// ---------------------------------------------------------------------------------------------------------

const KNOWN_PREFIXES = ["ghp_", "github_pat_", "ghs_", "gho_", "ghu_", "ghr_", "dckr_pat_", "glpat-"];

/** The secret must appear neither raw nor JSON-escaped anywhere in the serialised result. */
function expectNoEcho(result: unknown, secret: string): void {
  const json = JSON.stringify(result);
  expect(json.includes(secret)).toBe(false);
  expect(json.includes(JSON.stringify(secret).slice(1, -1))).toBe(false);
}

const eligibleSecret = (s: string): boolean => s.trim().length >= 8 && !KNOWN_PREFIXES.includes(s.trim());

describe("classifyToken: hostile input", () => {
  const arbitraryPassword = fc.oneof(
    fc.string(),
    fc.string({ unit: "binary" }),
    fc.string({ unit: "grapheme" }),
    fc.base64String(),
    fc.stringMatching(/^[A-Za-z0-9_-]{1,40}\.[A-Za-z0-9_-]{1,80}\.[A-Za-z0-9_-]{0,20}$/),
    fc.tuple(fc.constantFrom(...KNOWN_PREFIXES), fc.string()).map(([p, s]) => p + s),
    fc.tuple(fc.constantFrom(...KNOWN_PREFIXES), fc.string({ unit: "binary" })).map(([p, s]) => p + s),
  );
  const arbitraryUsername = fc.option(
    fc.oneof(fc.string(), fc.constantFrom("AWS", "aws", NULL_GUID, "_json_key")),
    {
      nil: undefined,
    },
  );

  it("never throws and returns a well-formed TokenInfo (property)", () => {
    fc.assert(
      fc.property(arbitraryPassword, arbitraryUsername, (password, username) => {
        const info = classifyToken(username === undefined ? { password } : { username, password });
        expect(typeof info.kind).toBe("string");
        expect(typeof info.label).toBe("string");
        expect(info.notes.every((n) => typeof n === "string")).toBe(true);
        for (const d of [info.expiresAt, info.issuedAt, info.notBefore]) {
          if (d !== undefined) expect(Number.isNaN(d.getTime())).toBe(false);
        }
      }),
      { numRuns: 3000 },
    );
  });

  it("never echoes the password (property, passwords of length >= 8)", () => {
    fc.assert(
      fc.property(arbitraryPassword.filter(eligibleSecret), arbitraryUsername, (password, username) => {
        const info = classifyToken(username === undefined ? { password } : { username, password });
        expectNoEcho(info, password.trim());
      }),
      { numRuns: 3000 },
    );
  });

  it("never echoes the password even when the username is the password (property)", () => {
    fc.assert(
      fc.property(fc.string({ minLength: 8 }).filter(eligibleSecret), (secret) => {
        expectNoEcho(classifyToken({ username: secret, password: secret }), secret.trim());
      }),
    );
  });

  it("never echoes JWTs with arbitrary claims (property)", () => {
    const claims = fc.dictionary(
      fc.constantFrom("exp", "iat", "nbf", "iss", "sub", "aud", "access", "grant_type", "x"),
      fc.oneof(fc.string(), fc.integer(), fc.double(), fc.array(fc.string()), fc.constant(null)),
    );
    fc.assert(
      fc.property(claims, fc.option(fc.constant(NULL_GUID), { nil: undefined }), (payload, username) => {
        // Built by hand: jose refuses non-finite exp, and hostile tokens need not be well-formed.
        const password = rawJwt('{"alg":"none"}', JSON.stringify(payload), "");
        const info = classifyToken(username === undefined ? { password } : { username, password });
        expect(["jwt", "acr-refresh-token"]).toContain(info.kind);
        expectNoEcho(info, password);
      }),
      { numRuns: 1000 },
    );
  });

  it.each([
    ["1 MB of letters", "A".repeat(1 << 20)],
    ["1 MB of base64", Buffer.alloc(786_432, 7).toString("base64")],
    ["1 MB JWT-shaped", `${"a".repeat(1 << 19)}.${"b".repeat(1 << 19)}.c`],
    ["1 MB after a prefix", `ghp_${"x".repeat(1 << 20)}`],
    ["1 MB of binary", Buffer.alloc(1 << 20, 0xc3).toString("latin1")],
  ])("%s: fast, no throw, no echo", (_name, password) => {
    const start = Date.now();
    const info = classifyToken({ username: "AWS", password });
    expect(Date.now() - start).toBeLessThan(2000);
    expectNoEcho(info, password);
    expect(JSON.stringify(info).length).toBeLessThan(10_000);
  });

  it("tolerates missing or non-string fields from untyped callers", () => {
    expect(classifyToken({} as unknown as { password: string }).kind).toBe("empty");
    expect(classifyToken(undefined as unknown as { password: string }).kind).toBe("empty");
    expect(classifyToken({ password: 5, username: {} } as unknown as { password: string }).kind).toBe(
      "empty",
    );
  });
});

// ---------------------------------------------------------------------------------------------------------
// assessPullCredential
// ---------------------------------------------------------------------------------------------------------

const hosts = {
  ghcr: classifyRegistryHost("ghcr.io"),
  ecr: classifyRegistryHost("123456789012.dkr.ecr.eu-west-1.amazonaws.com"),
  ecrPublic: classifyRegistryHost("public.ecr.aws"),
  acr: classifyRegistryHost("myregistry.azurecr.io"),
  hub: classifyRegistryHost("docker.io"),
  hubRegistry1: classifyRegistryHost("registry-1.docker.io"),
  gar: classifyRegistryHost("europe-west4-docker.pkg.dev"),
  generic: classifyRegistryHost("harbor.example.com"),
};

interface AssessCase {
  name: string;
  registry: RegistryHostInfo;
  username?: string;
  password: string;
  verdict: PullAcceptance["verdict"];
  reason?: RegExp;
  fix?: RegExp;
  insideGithubActionsRun?: boolean;
}

const acrRt = (overrides: Record<string, unknown> = {}) =>
  unsignedJwt(acrRefreshClaims("myregistry.azurecr.io", overrides));

const assessCases: AssessCase[] = [
  // GHCR
  {
    name: "ghcr + classic PAT",
    registry: hosts.ghcr,
    username: "machine-user",
    password: fake.classicPat(),
    verdict: "accepted",
    reason: /read:packages.*cannot be checked offline/,
    fix: /X-OAuth-Scopes/,
  },
  {
    name: "ghcr + truncated classic PAT",
    registry: hosts.ghcr,
    username: "machine-user",
    password: fake.classicPat().slice(0, 30),
    verdict: "unknown",
    reason: /unusual shape/,
  },
  {
    name: "ghcr + fine-grained PAT",
    registry: hosts.ghcr,
    username: "machine-user",
    password: fake.fineGrainedPat(),
    verdict: "rejected",
    reason: /only classic personal access tokens/,
    fix: /machine user.*read:packages.*expiry/,
  },
  {
    name: "ghcr + ghs_ outside Actions",
    registry: hosts.ghcr,
    username: "x-access-token",
    password: fake.installation(),
    verdict: "rejected",
    reason: /GITHUB_TOKEN works only inside the Actions run/,
    fix: /GitHub App does not help/,
  },
  {
    name: "ghcr + stateless ghs_ outside Actions",
    registry: hosts.ghcr,
    username: "x-access-token",
    password: statelessInstallationToken(),
    verdict: "rejected",
    reason: /installation tokens/,
  },
  {
    name: "ghcr + ghs_ inside an Actions run",
    registry: hosts.ghcr,
    username: "x-access-token",
    password: fake.installation(),
    verdict: "unknown",
    insideGithubActionsRun: true,
    reason: /cannot, and the ghs_ prefix does not tell/,
    fix: /packages: read/,
  },
  { name: "ghcr + gho_", registry: hosts.ghcr, username: "u", password: fake.oauth(), verdict: "unknown" },
  {
    name: "ghcr + ghu_",
    registry: hosts.ghcr,
    username: "u",
    password: fake.userToServer(),
    verdict: "unknown",
  },
  { name: "ghcr + ghr_", registry: hosts.ghcr, username: "u", password: fake.refresh(), verdict: "rejected" },
  {
    name: "ghcr + legacy 40-hex token",
    registry: hosts.ghcr,
    username: "u",
    password: "0123456789abcdef0123456789abcdef01234567",
    verdict: "unknown",
  },
  {
    name: "ghcr + account password",
    registry: hosts.ghcr,
    username: "u",
    password: "hunter2hunter2",
    verdict: "rejected",
  },
  {
    name: "ghcr + Docker Hub PAT",
    registry: hosts.ghcr,
    username: "u",
    password: fake.dockerHub(),
    verdict: "rejected",
    reason: /Docker Hub/,
  },
  {
    name: "ghcr + anonymous",
    registry: hosts.ghcr,
    password: "",
    verdict: "unknown",
    reason: /public images/,
  },
  // ECR
  {
    name: "ECR + AWS + token valid 6 h",
    registry: hosts.ecr,
    username: "AWS",
    password: ecrPassword(NOW_S + 6 * 3600),
    verdict: "accepted",
    reason: /12 hours.*rotated.*6 h left/,
    fix: /--region eu-west-1/,
  },
  {
    name: "ECR + AWS + token expired 1 h ago",
    registry: hosts.ecr,
    username: "AWS",
    password: ecrPassword(NOW_S - 3600),
    verdict: "expired",
    reason: /expired at 2026-03-01T11:00:00.000Z \(1 h ago\)/,
    fix: /get-login-password --region eu-west-1/,
  },
  {
    name: "ECR + token expired 30 s ago (within leeway)",
    registry: hosts.ecr,
    username: "AWS",
    password: ecrPassword(NOW_S - 30),
    verdict: "accepted",
    reason: /leeway/,
  },
  {
    name: "ECR + token expired 61 s ago (beyond leeway)",
    registry: hosts.ecr,
    username: "AWS",
    password: ecrPassword(NOW_S - 61),
    verdict: "expired",
  },
  {
    name: "ECR + token without readable expiry",
    registry: hosts.ecr,
    username: "AWS",
    password: ecrPassword("tomorrow"),
    verdict: "unknown",
  },
  {
    name: "ECR + wrong username",
    registry: hosts.ecr,
    username: "admin",
    password: ecrPassword(),
    verdict: "rejected",
    reason: /only with the username AWS/,
  },
  {
    name: "ECR + lower-case aws",
    registry: hosts.ecr,
    username: "aws",
    password: ecrPassword(),
    verdict: "unknown",
  },
  {
    name: "ECR + authorizationToken as password",
    registry: hosts.ecr,
    username: "AWS",
    password: ecrAuthorizationToken(),
    verdict: "rejected",
    fix: /auth field/,
  },
  {
    name: "ECR + IAM access key",
    registry: hosts.ecr,
    username: "AKIAIOSFODNN7EXAMPLE",
    password: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
    verdict: "rejected",
    reason: /access key/,
  },
  {
    name: "ECR + AWS + unknown format",
    registry: hosts.ecr,
    username: "AWS",
    password: "opaque-value-123",
    verdict: "unknown",
  },
  {
    name: "ECR + classic PAT",
    registry: hosts.ecr,
    username: "AWS",
    password: fake.classicPat(),
    verdict: "rejected",
  },
  {
    name: "ECR + anonymous",
    registry: hosts.ecr,
    password: "",
    verdict: "rejected",
    reason: /never allow anonymous/,
  },
  // ECR Public
  { name: "ECR Public + anonymous", registry: hosts.ecrPublic, password: "", verdict: "accepted" },
  {
    name: "ECR Public + AWS token",
    registry: hosts.ecrPublic,
    username: "AWS",
    password: ecrPassword(),
    verdict: "unknown",
  },
  {
    name: "ECR Public + PAT",
    registry: hosts.ecrPublic,
    username: "u",
    password: fake.classicPat(),
    verdict: "rejected",
  },
  // ACR
  {
    name: "ACR + null GUID + refresh token",
    registry: hosts.acr,
    username: NULL_GUID,
    password: acrRt(),
    verdict: "accepted",
    reason: /AcrPull.*3 h left/,
  },
  {
    name: "ACR + null GUID + expired refresh token",
    registry: hosts.acr,
    username: NULL_GUID,
    password: acrRt({ exp: NOW_S - 7200 }),
    verdict: "expired",
    fix: /az acr login --name myregistry --expose-token/,
  },
  {
    name: "ACR + null GUID + not-yet-valid refresh token",
    registry: hosts.acr,
    username: NULL_GUID,
    password: acrRt({ nbf: NOW_S + 600 }),
    verdict: "not-yet-valid",
    fix: /clock/,
  },
  {
    name: "ACR + nbf 30 s ahead (within leeway)",
    registry: hosts.acr,
    username: NULL_GUID,
    password: acrRt({ nbf: NOW_S + 30 }),
    verdict: "accepted",
  },
  {
    name: "ACR + refresh token for another registry",
    registry: hosts.acr,
    username: NULL_GUID,
    password: unsignedJwt(acrRefreshClaims("otherreg.azurecr.io")),
    verdict: "rejected",
    reason: /otherreg\.azurecr\.io, not for myregistry\.azurecr\.io/,
  },
  {
    name: "ACR + null GUID + access token",
    registry: hosts.acr,
    username: NULL_GUID,
    password: acrRt({
      grant_type: undefined,
      access: [{ type: "repository", name: "a", actions: ["pull"] }],
    }),
    verdict: "unknown",
  },
  {
    name: "ACR + null GUID + Entra token",
    registry: hosts.acr,
    username: NULL_GUID,
    password: unsignedJwt({ iss: "https://login.microsoftonline.com/t/v2.0", exp: NOW_S + 3600 }),
    verdict: "rejected",
    fix: /oauth2\/exchange/,
  },
  {
    name: "ACR + null GUID + plain password",
    registry: hosts.acr,
    username: NULL_GUID,
    password: "not-a-jwt-at-all",
    verdict: "rejected",
    reason: /refresh token/,
  },
  {
    name: "ACR + refresh token with a named user",
    registry: hosts.acr,
    username: "myregistry",
    password: acrRt(),
    verdict: "rejected",
    fix: /00000000-0000-0000-0000-000000000000/,
  },
  {
    name: "ACR + admin user",
    registry: hosts.acr,
    username: "MyRegistry",
    password: "adminPasswordFromPortal123",
    verdict: "unknown",
    reason: /admin user/,
    fix: /--admin-enabled false/,
  },
  {
    name: "ACR + service principal",
    registry: hosts.acr,
    username: "9d2f6c1e-2b7a-4c4e-9a51-0a9f3c6d8e21",
    password: "sp-client-secret-value",
    verdict: "unknown",
    reason: /service principal/,
  },
  {
    name: "ACR + repository-scoped token",
    registry: hosts.acr,
    username: "ci-pull-token",
    password: "scoped-token-password-1",
    verdict: "unknown",
    reason: /repository-scoped/,
  },
  { name: "ACR + no username", registry: hosts.acr, password: "some-password-123", verdict: "rejected" },
  {
    name: "ACR + ECR token",
    registry: hosts.acr,
    username: "AWS",
    password: ecrPassword(),
    verdict: "rejected",
    reason: /Amazon ECR/,
  },
  // Docker Hub
  {
    name: "Hub + PAT",
    registry: hosts.hub,
    username: "octodev",
    password: fake.dockerHub(),
    verdict: "accepted",
  },
  {
    name: "Hub + PAT without username",
    registry: hosts.hub,
    password: fake.dockerHub(),
    verdict: "rejected",
  },
  {
    name: "Hub + password",
    registry: hosts.hub,
    username: "octodev",
    password: "hunter2hunter2",
    verdict: "unknown",
  },
  {
    name: "Hub + GitLab PAT",
    registry: hosts.hub,
    username: "octodev",
    password: fake.gitlab(),
    verdict: "rejected",
  },
  {
    name: "registry-1.docker.io key is never matched by kubelet",
    registry: hosts.hubRegistry1,
    username: "octodev",
    password: fake.dockerHub(),
    verdict: "accepted",
    reason: /never matches.*registry-1\.docker\.io/,
  },
  // Google
  {
    name: "GAR + oauth2accesstoken",
    registry: hosts.gar,
    username: "oauth2accesstoken",
    password: "ya29.a0AfB_byC-example",
    verdict: "unknown",
    reason: /1 hour/,
  },
  {
    name: "GAR + _json_key",
    registry: hosts.gar,
    username: "_json_key",
    password: '{"type":"service_account"}',
    verdict: "unknown",
  },
  {
    name: "GAR + classic PAT",
    registry: hosts.gar,
    username: "u",
    password: fake.classicPat(),
    verdict: "rejected",
  },
  // Generic
  {
    name: "generic + password",
    registry: hosts.generic,
    username: "robot",
    password: "hunter2hunter2",
    verdict: "unknown",
  },
  {
    name: "generic + GitLab PAT",
    registry: hosts.generic,
    username: "robot",
    password: fake.gitlab(),
    verdict: "unknown",
    reason: /read_registry/,
  },
  {
    name: "generic + ghr_",
    registry: hosts.generic,
    username: "robot",
    password: fake.refresh(),
    verdict: "rejected",
  },
  {
    name: "generic + ECR token",
    registry: hosts.generic,
    username: "AWS",
    password: ecrPassword(),
    verdict: "unknown",
    reason: /Amazon ECR/,
  },
  {
    name: "generic + expired JWT",
    registry: hosts.generic,
    username: "robot",
    password: unsignedJwt({ exp: NOW_S - 86_400 * 3 }),
    verdict: "expired",
    reason: /3 d ago/,
  },
];

describe("assessPullCredential", () => {
  it.each(assessCases)("$name -> $verdict", (c) => {
    const token = classifyToken(
      c.username === undefined ? { password: c.password } : { username: c.username, password: c.password },
    );
    const input: AssessPullCredentialInput = { registry: c.registry, token, now: NOW };
    if (c.username !== undefined) input.username = c.username;
    if (c.insideGithubActionsRun !== undefined) input.insideGithubActionsRun = c.insideGithubActionsRun;
    const result = assessPullCredential(input);
    expect(result.verdict).toBe(c.verdict);
    expect(result.reason.length).toBeGreaterThan(10);
    expect(result.fix?.length ?? 0).toBeGreaterThan(10);
    if (c.reason) expect(result.reason).toMatch(c.reason);
    if (c.fix) expect(result.fix).toMatch(c.fix);
    if (c.password.length >= 8) expectNoEcho(result, c.password);
    const user = c.username?.toLowerCase();
    // The username is never echoed, unless it is itself public (the registry name, the null GUID, Google's fixed names).
    if (
      user !== undefined &&
      user.length >= 8 &&
      !c.registry.host.includes(user) &&
      !/^(0{8}-|oauth2|_json)/.test(user)
    ) {
      expect(JSON.stringify(result).toLowerCase()).not.toContain(user);
    }
  });

  it("never recommends a GitHub App as the GHCR fix", () => {
    for (const password of [fake.fineGrainedPat(), fake.installation(), fake.oauth(), fake.refresh()]) {
      const result = assessPullCredential({
        registry: hosts.ghcr,
        token: classifyToken({ password }),
        now: NOW,
      });
      expect(result.fix).not.toMatch(/use a GitHub App/i);
      expect(result.fix).toMatch(/classic personal access token/);
    }
  });

  it("never throws and never echoes, for any registry and credential (property)", () => {
    const registries = Object.values(hosts);
    fc.assert(
      fc.property(
        fc.constantFrom(...registries),
        fc.oneof(
          fc.string(),
          fc.constantFrom(fake.classicPat(), fake.installation(), ecrPassword(), acrRt()),
        ),
        fc.option(fc.oneof(fc.string(), fc.constantFrom("AWS", NULL_GUID)), { nil: undefined }),
        fc.date({ noInvalidDate: false }),
        fc.boolean(),
        (registry, password, username, now, inside) => {
          const token = classifyToken(username === undefined ? { password } : { username, password });
          const input: AssessPullCredentialInput = { registry, token, now, insideGithubActionsRun: inside };
          if (username !== undefined) input.username = username;
          const result = assessPullCredential(input);
          expect(["accepted", "rejected", "unknown", "expired", "not-yet-valid"]).toContain(result.verdict);
          expect(result.reason).not.toBe("");
          expect(result.fix).toBeTruthy();
          if (eligibleSecret(password)) expectNoEcho(result, password.trim());
        },
      ),
      { numRuns: 2000 },
    );
  });

  it("survives a hand-built TokenInfo with invalid dates", () => {
    const result = assessPullCredential({
      registry: hosts.generic,
      token: {
        kind: "jwt",
        label: "JWT",
        notes: [],
        expiresAt: new Date(Number.NaN),
        notBefore: new Date(Number.NaN),
      },
      now: NOW,
    });
    expect(result.verdict).toBe("unknown");
  });
});
