import { describe, expect, it } from "vitest";
import { parseChallenges } from "./challenge.js";
import { classifyManifestAnswer, classifyTokenAnswer } from "./classify.js";
import type { ManifestAnswer } from "./classify.js";
import { parseRegistryErrors } from "./registry-errors.js";
import type { AuthMode } from "./types.js";

const body = (...codes: string[]): Buffer =>
  Buffer.from(JSON.stringify({ errors: codes.map((code) => ({ code, message: code.toLowerCase() })) }));

function answer(
  status: number,
  auth: AuthMode,
  hasCredential: boolean,
  opts: {
    codes?: string[];
    challenge?: string;
    reference?: "tag" | "digest";
    retryAfterSeconds?: number;
  } = {},
): ManifestAnswer {
  return {
    status,
    errors: parseRegistryErrors(body(...(opts.codes ?? []))),
    challenges: parseChallenges(opts.challenge),
    auth,
    hasCredential,
    reference: opts.reference ?? "tag",
    path: "org/app",
    ref: opts.reference === "digest" ? "sha256:abc" : "1.0",
    ...(opts.retryAfterSeconds !== undefined ? { retryAfterSeconds: opts.retryAfterSeconds } : {}),
  };
}

const scopeError =
  'Bearer realm="https://r/t",service="s",scope="repository:org/app:pull",error="insufficient_scope"';

describe("classifyManifestAnswer", () => {
  it.each<[string, ManifestAnswer, Record<string, unknown>]>([
    [
      "401 without credential (Basic registry)",
      answer(401, "none", false, { codes: ["UNAUTHORIZED"] }),
      {
        outcome: "unauthorized",
        reason: "no-credential",
        blurred: true,
      },
    ],
    [
      "401 to an anonymous token",
      answer(401, "anonymous-token", false, { challenge: scopeError }),
      {
        outcome: "unauthorized",
        reason: "no-credential",
        blurred: true,
      },
    ],
    [
      "401 to Basic credentials",
      answer(401, "basic", true, { codes: ["UNAUTHORIZED"] }),
      {
        outcome: "unauthorized",
        reason: "credential-rejected",
        blurred: false,
      },
    ],
    [
      "401 insufficient_scope after an authenticated token",
      answer(401, "token", true, { challenge: scopeError }),
      {
        outcome: "denied",
        blurred: true,
      },
    ],
    [
      "401 without error after an authenticated token",
      answer(401, "token", true, { challenge: 'Bearer realm="x"' }),
      {
        outcome: "denied",
        blurred: true,
      },
    ],
    [
      "401 invalid_token after a token",
      answer(401, "token", true, { challenge: 'Bearer realm="x",error="invalid_token"' }),
      { outcome: "registry-error", reason: "token-rejected" },
    ],
    [
      "401 with an unusable credential",
      answer(401, "none", true),
      {
        outcome: "unauthorized",
        reason: "credential-unsupported",
      },
    ],
    [
      "403 DENIED with credentials",
      answer(403, "token", true, { codes: ["DENIED"] }),
      { outcome: "denied", blurred: true },
    ],
    [
      "403 DENIED with Basic",
      answer(403, "basic", true, { codes: ["DENIED"] }),
      { outcome: "denied", blurred: true },
    ],
    [
      "403 anonymous",
      answer(403, "anonymous-token", false, { codes: ["DENIED"] }),
      {
        outcome: "unauthorized",
        reason: "no-credential",
        blurred: true,
      },
    ],
    [
      "404 NAME_UNKNOWN",
      answer(404, "token", true, { codes: ["NAME_UNKNOWN"] }),
      {
        outcome: "not-found",
        what: "repository",
        blurred: false,
      },
    ],
    [
      "404 MANIFEST_UNKNOWN for a tag",
      answer(404, "token", true, { codes: ["MANIFEST_UNKNOWN"] }),
      {
        outcome: "not-found",
        what: "tag",
      },
    ],
    [
      "404 MANIFEST_UNKNOWN for a digest",
      answer(404, "basic", true, { codes: ["MANIFEST_UNKNOWN"], reference: "digest" }),
      { outcome: "not-found", what: "digest" },
    ],
    ["404 without a code", answer(404, "none", false), { outcome: "not-found", what: "unknown" }],
    [
      "404 anonymous NAME_UNKNOWN",
      answer(404, "anonymous-token", false, { codes: ["NAME_UNKNOWN"] }),
      {
        outcome: "not-found",
        what: "repository",
      },
    ],
    [
      "429 with Retry-After",
      answer(429, "token", true, { codes: ["TOOMANYREQUESTS"], retryAfterSeconds: 30 }),
      {
        outcome: "rate-limited",
        retryAfterSeconds: 30,
      },
    ],
    ["429 without Retry-After", answer(429, "none", false), { outcome: "rate-limited" }],
    ["500", answer(500, "token", true), { outcome: "registry-error", reason: "server-error" }],
    [
      "503 UNAVAILABLE",
      answer(503, "basic", true, { codes: ["UNAVAILABLE"] }),
      {
        outcome: "registry-error",
        reason: "server-error",
        code: "UNAVAILABLE",
      },
    ],
    [
      "400 TAG_INVALID",
      answer(400, "token", true, { codes: ["TAG_INVALID"] }),
      {
        outcome: "registry-error",
        reason: "unexpected-status",
        code: "TAG_INVALID",
      },
    ],
  ])("%s", (_name, input, expected) => {
    const c = classifyManifestAnswer(input);
    expect(c).toMatchObject(expected);
    expect(c.message).not.toBe("");
    if (expected.outcome === "rate-limited" && expected.retryAfterSeconds === undefined) {
      expect(c).not.toHaveProperty("retryAfterSeconds");
    }
  });
});

describe("classifyTokenAnswer", () => {
  it.each<[string, Parameters<typeof classifyTokenAnswer>[0], Record<string, unknown>]>([
    [
      "401 to Basic",
      { status: 401, errors: [], grant: "basic" },
      { outcome: "unauthorized", reason: "credential-rejected" },
    ],
    [
      "403 to Basic",
      { status: 403, errors: [], grant: "basic" },
      { outcome: "unauthorized", reason: "credential-rejected" },
    ],
    [
      "401 to a refresh token",
      { status: 401, errors: [], grant: "refresh_token" },
      {
        outcome: "unauthorized",
        reason: "credential-rejected",
      },
    ],
    [
      "400 invalid_grant",
      { status: 400, errors: [], grant: "refresh_token", oauthError: "invalid_grant" },
      {
        outcome: "unauthorized",
        reason: "credential-rejected",
      },
    ],
    [
      "400 unsupported_grant_type",
      { status: 400, errors: [], grant: "refresh_token", oauthError: "unsupported_grant_type" },
      {
        outcome: "registry-error",
        reason: "unexpected-status",
      },
    ],
    [
      "401 anonymous",
      { status: 401, errors: [], grant: "anonymous" },
      { outcome: "unauthorized", reason: "no-credential" },
    ],
    [
      "429",
      { status: 429, errors: [], grant: "basic", retryAfterSeconds: 5 },
      { outcome: "rate-limited", retryAfterSeconds: 5 },
    ],
    [
      "502",
      { status: 502, errors: [], grant: "anonymous" },
      { outcome: "registry-error", reason: "server-error" },
    ],
    [
      "400 to Basic",
      { status: 400, errors: [], grant: "basic" },
      { outcome: "registry-error", reason: "unexpected-status" },
    ],
    [
      "401 from a redirect target the Basic credential was withheld from",
      { status: 401, errors: [], grant: "basic", withheldBy: "cdn.example.com" },
      {
        outcome: "unauthorized",
        reason: "credential-withheld-on-redirect",
        message:
          "the token service redirected the request to cdn.example.com, which answered HTTP 401 without having received the credential (credentials are never sent to another host); the credential itself was not tested",
      },
    ],
    [
      "400 invalid_grant from a redirect target is still about the grant (the form is never replayed elsewhere)",
      {
        status: 400,
        errors: [],
        grant: "refresh_token",
        oauthError: "invalid_grant",
        withheldBy: "other.example.com",
      },
      { outcome: "unauthorized", reason: "credential-rejected" },
    ],
  ])("%s", (_name, input, expected) => {
    expect(classifyTokenAnswer(input)).toMatchObject({ blurred: false, ...expected });
  });
});

describe("answers from a redirect target the credential was withheld from", () => {
  it.each<[AuthMode, boolean, number]>([
    ["basic", true, 401],
    ["basic", true, 403],
    ["token", true, 401],
    ["anonymous-token", false, 401],
  ])(
    "%s (credential: %s), HTTP %i: credential-withheld-on-redirect, never blamed on the credential",
    (auth, has, status) => {
      const c = classifyManifestAnswer({ ...answer(status, auth, has), withheldBy: "127.0.0.1:5001" });
      expect(c).toEqual({
        outcome: "unauthorized",
        reason: "credential-withheld-on-redirect",
        blurred: false,
        message: `the registry redirected the request to 127.0.0.1:5001, which answered HTTP ${status} without having received the credential (credentials are never sent to another host); the credential itself was not tested`,
      });
    },
  );

  it("other answers of a redirect target classify as usual", () => {
    expect(
      classifyManifestAnswer({
        ...answer(404, "basic", true, { codes: ["MANIFEST_UNKNOWN"] }),
        withheldBy: "x",
      }),
    ).toMatchObject({ outcome: "not-found", what: "tag" });
  });
});
