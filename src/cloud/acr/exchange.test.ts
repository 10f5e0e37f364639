// ACR's token endpoints against hostile answers, through a fake Transport (the registry client's I/O port): what
// is sent (Azure/acr docs/AAD-OAuth.md), and what each answer becomes. No sockets here; the real transport and
// the fakes are exercised in test/cloud/acr-*.test.ts.
import { describe, expect, it } from "vitest";
import { TransportError } from "../../registry/transport-error.js";
import type { Transport, TransportRequest, TransportResponse } from "../../registry/transport.js";
import { AcrCredentialError } from "./errors.js";
import { exchangeForAccessToken, exchangeForRefreshToken, MAX_TOKEN_RESPONSE_BYTES } from "./exchange.js";
import type { AcrRequester } from "./exchange.js";

const NOW = new Date("2026-12-05T12:00:00Z");
const TARGET = { loginServer: "myreg.azurecr.io", registryName: "myreg", cloud: "public" } as const;
const REQUESTER: AcrRequester = {
  identity: "managed identity (user-assigned, client id 11111111-2222-3333-4444-555555555555)",
  assignee: "11111111-2222-3333-4444-555555555555",
};
const ENTRA_CANARY = "eyJ0eXAiOiJKV1QifQ.eyJjYW5hcnkiOiJlbnRyYSJ9.ENTRA-CANARY-SIGNATURE";

function jwt(claims: Record<string, unknown>): string {
  const part = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString("base64url");
  return `${part({ alg: "RS256", typ: "JWT" })}.${part(claims)}.c2lnbmF0dXJl`;
}
const EXP = Math.floor(NOW.getTime() / 1000) + 3 * 3600;
const REFRESH = jwt({
  iss: "Azure Container Registry",
  aud: "myreg.azurecr.io",
  exp: EXP,
  grant_type: "refresh_token",
});

function answer(
  status: number,
  body: string | Buffer,
  headers: Record<string, string[]> = {},
  truncated = false,
): TransportResponse {
  return {
    status,
    headers,
    body: Buffer.isBuffer(body) ? body : Buffer.from(body),
    truncated,
    url: "https://myreg.azurecr.io/oauth2/exchange",
    redirects: 0,
    authorizationDropped: false,
  };
}

function fakeTransport(reply: TransportResponse | Error): { transport: Transport; sent: TransportRequest[] } {
  const sent: TransportRequest[] = [];
  return {
    sent,
    transport: {
      request: (request) => {
        sent.push(request);
        return reply instanceof Error ? Promise.reject(reply) : Promise.resolve(reply);
      },
      close: () => {},
    },
  };
}

async function exchangeWith(reply: TransportResponse | Error): Promise<unknown> {
  const { transport } = fakeTransport(reply);
  try {
    return await exchangeForRefreshToken(TARGET, ENTRA_CANARY, "tenant-1", REQUESTER, {
      transport,
      now: () => NOW,
    });
  } catch (error) {
    return error;
  }
}

async function failure(reply: TransportResponse | Error): Promise<AcrCredentialError> {
  const result = await exchangeWith(reply);
  expect(result).toBeInstanceOf(AcrCredentialError);
  const error = result as AcrCredentialError;
  // Canary: the Entra ID token sent never comes back in words.
  expect(`${error.message} ${error.hint ?? ""}`).not.toContain(ENTRA_CANARY);
  expect(error.identity).toBe(REQUESTER.identity);
  return error;
}

describe("exchangeForRefreshToken", () => {
  it("POSTs the documented form to https://<login server>/oauth2/exchange, capped, and reads the refresh token's exp", async () => {
    const { transport, sent } = fakeTransport(answer(200, JSON.stringify({ refresh_token: REFRESH })));
    const token = await exchangeForRefreshToken(TARGET, ENTRA_CANARY, "tenant-1", REQUESTER, {
      transport,
      now: () => NOW,
    });
    expect(token).toEqual({ token: REFRESH, expiresAt: new Date(EXP * 1000) });
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({
      method: "POST",
      url: "https://myreg.azurecr.io/oauth2/exchange",
      headers: { "content-type": "application/x-www-form-urlencoded", accept: "application/json" },
      maxBodyBytes: MAX_TOKEN_RESPONSE_BYTES,
    });
    expect(Object.fromEntries(new URLSearchParams(String(sent[0]?.body)))).toEqual({
      grant_type: "access_token",
      service: "myreg.azurecr.io",
      tenant: "tenant-1",
      access_token: ENTRA_CANARY,
    });
  });

  it("a refresh token without exp is taken, without an expiry", async () => {
    const noExp = jwt({ iss: "Azure Container Registry" });
    expect(await exchangeWith(answer(200, JSON.stringify({ refresh_token: noExp })))).toEqual({
      token: noExp,
    });
  });

  it.each([
    [
      "huge body",
      answer(200, Buffer.alloc(MAX_TOKEN_RESPONSE_BYTES, "a"), {}, true),
      `its body is over ${MAX_TOKEN_RESPONSE_BYTES} bytes`,
    ],
    ["not JSON", answer(200, "<html>Sign in</html>"), "its body is not JSON"],
    ["JSON null", answer(200, "null"), "holds no refresh_token"],
    ["an array", answer(200, "[]"), "holds no refresh_token"],
    [
      "missing refresh_token",
      answer(200, JSON.stringify({ access_token: REFRESH })),
      "holds no refresh_token",
    ],
    ["empty refresh_token", answer(200, JSON.stringify({ refresh_token: "" })), "holds no refresh_token"],
    [
      "refresh_token not a string",
      answer(200, JSON.stringify({ refresh_token: { exp: 1 } })),
      "holds no refresh_token",
    ],
    [
      "refresh_token not a JWT",
      answer(200, JSON.stringify({ refresh_token: "opaque-token" })),
      "its refresh_token is not a JWT",
    ],
    [
      "refresh_token a JWT of a non-object",
      answer(200, JSON.stringify({ refresh_token: "eyJhbGciOiJub25lIn0.WzFd." })),
      "its refresh_token is not a JWT",
    ],
  ])("200 with %s: E_ACR_RESPONSE", async (_name, reply, what) => {
    const error = await failure(reply);
    expect(error.code).toBe("E_ACR_RESPONSE");
    expect(error.message).toBe(`ACR myreg.azurecr.io (/oauth2/exchange) answered 200 but ${what}`);
  });

  it("a refresh token already expired by our clock: E_ACR_CLOCK_SKEW", async () => {
    const old = jwt({ exp: Math.floor(NOW.getTime() / 1000) - 1 });
    const error = await failure(answer(200, JSON.stringify({ refresh_token: old })));
    expect(error.code).toBe("E_ACR_CLOCK_SKEW");
    expect(error.message).toBe(
      "ACR myreg.azurecr.io (/oauth2/exchange) issued a refresh_token that expired at 2026-12-05T11:59:59.000Z, before this machine's time 2026-12-05T12:00:00.000Z: the clocks disagree",
    );
  });

  it.each([401, 403])(
    "%i: E_ACR_PULL_DENIED, the registry's words (redacted) and the role assignment to make",
    async (status) => {
      const body = JSON.stringify({
        errors: [{ code: "UNAUTHORIZED", message: `token ${ENTRA_CANARY} is not authorized`, detail: null }],
      });
      const error = await failure(answer(status, body));
      expect(error).toMatchObject({ code: "E_ACR_PULL_DENIED", retryable: false, exitCode: 4 });
      expect(error.message).toBe(
        `ACR myreg.azurecr.io (/oauth2/exchange) refused the token of ${REQUESTER.identity} (HTTP ${status}: UNAUTHORIZED token <redacted> is not authorized): it does not hold the AcrPull role on myreg (or a role with pull), or the token is for another tenant`,
      );
      expect(error.hint).toBe(
        "az role assignment create --assignee 11111111-2222-3333-4444-555555555555 --role AcrPull --scope $(az acr show --name myreg --query id --output tsv)",
      );
    },
  );

  it("without a known assignee the fix says what to put there", async () => {
    const { transport } = fakeTransport(answer(401, ""));
    const error = await exchangeForRefreshToken(
      TARGET,
      "t",
      "tenant-1",
      { identity: "x" },
      { transport, now: () => NOW },
    ).catch((e: unknown) => e);
    expect((error as AcrCredentialError).hint).toContain(
      "--assignee <client id or object id of the identity> --role AcrPull",
    );
  });

  it.each([
    [{ "retry-after": ["30"] }, 30],
    [{ "retry-after": ["Sat, 05 Dec 2026 12:01:00 GMT"] }, 60],
    [{ "retry-after": ["soon"] }, undefined],
    [{}, undefined],
  ])("429 %j: E_ACR_THROTTLED, retryable, retryAfterSeconds %s", async (headers, seconds) => {
    const error = await failure(
      answer(429, '{"errors":[{"code":"TOOMANYREQUESTS","message":"slow down"}]}', headers),
    );
    expect(error).toMatchObject({ code: "E_ACR_THROTTLED", retryable: true, retryAfterSeconds: seconds });
  });

  it.each([500, 502, 503, 504])("%i: E_ACR_UNAVAILABLE, retryable", async (status) => {
    const error = await failure(answer(status, "upstream connect error"));
    expect(error).toMatchObject({ code: "E_ACR_UNAVAILABLE", retryable: true });
    expect(error.message).toBe(`ACR myreg.azurecr.io (/oauth2/exchange) failed (HTTP ${status})`);
  });

  it.each([400, 404, 405, 418])("%i: E_ACR_RESPONSE naming the status", async (status) => {
    const error = await failure(answer(status, '{"errors":[{"code":"NOT_FOUND"}]}'));
    expect(error).toMatchObject({ code: "E_ACR_RESPONSE", retryable: false });
    expect(error.message).toBe(`ACR myreg.azurecr.io (/oauth2/exchange) answered HTTP ${status}: NOT_FOUND`);
  });

  it("no answer in time: E_ACR_TIMEOUT; a redirect: E_ACR_RESPONSE; no connection or TLS: E_ACR_UNAVAILABLE", async () => {
    const url = "https://myreg.azurecr.io/oauth2/exchange";
    expect(
      await failure(new TransportError({ kind: "network", reason: "timeout" }, "POST", url)),
    ).toMatchObject({
      code: "E_ACR_TIMEOUT",
      message: "POST https://myreg.azurecr.io/oauth2/exchange: no answer within the deadline",
    });
    expect(
      await failure(new TransportError({ kind: "redirect", reason: "too-many-redirects" }, "POST", url)),
    ).toMatchObject({
      code: "E_ACR_RESPONSE",
    });
    expect(
      await failure(
        new TransportError(
          { kind: "tls", reason: "unknown-authority", code: "SELF_SIGNED_CERT_IN_CHAIN" },
          "POST",
          url,
        ),
      ),
    ).toMatchObject({
      code: "E_ACR_UNAVAILABLE",
      message:
        "POST https://myreg.azurecr.io/oauth2/exchange: TLS certificate signed by an unknown authority (SELF_SIGNED_CERT_IN_CHAIN)",
    });
    expect(
      await failure(Object.assign(new Error("getaddrinfo ENOTFOUND"), { code: "ENOTFOUND" })),
    ).toMatchObject({
      code: "E_ACR_UNAVAILABLE",
      message: "POST https://myreg.azurecr.io/oauth2/exchange: host name does not resolve (ENOTFOUND)",
    });
  });
});

describe("exchangeForAccessToken", () => {
  it("POSTs grant_type=refresh_token with each scope to /oauth2/token and reads access_token", async () => {
    const access = jwt({ exp: EXP, access: [{ type: "repository", name: "app", actions: ["pull"] }] });
    const { transport, sent } = fakeTransport(answer(200, JSON.stringify({ access_token: access })));
    const token = await exchangeForAccessToken(
      TARGET,
      REFRESH,
      ["repository:app:pull", "repository:lib:pull"],
      REQUESTER,
      {
        transport,
        now: () => NOW,
      },
    );
    expect(token).toEqual({ token: access, expiresAt: new Date(EXP * 1000) });
    expect(sent[0]?.url).toBe("https://myreg.azurecr.io/oauth2/token");
    const form = new URLSearchParams(String(sent[0]?.body));
    expect(form.get("grant_type")).toBe("refresh_token");
    expect(form.get("service")).toBe("myreg.azurecr.io");
    expect(form.get("refresh_token")).toBe(REFRESH);
    expect(form.getAll("scope")).toEqual(["repository:app:pull", "repository:lib:pull"]);
  });
});
