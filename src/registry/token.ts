/**
 * Fetching a bearer token from a challenge's realm, as real clients do (distribution `session.go`,
 * containerd `auth/fetch.go`; wire-specs §7):
 *
 * - no credential: anonymous `GET <realm>?service=<s>&scope=<scope>`;
 * - username + password: the same GET with `Authorization: Basic` and `account=<username>` (docker, skopeo);
 * - identity token: OAuth2 `POST <realm>` form `grant_type=refresh_token&refresh_token=…&service=…&scope=…
 *   &client_id=pullwarden`; a 404/405 to the POST (registries without OAuth2 POST) falls back to the GET with
 *   Basic `<username>:<identity token>`, as docker and containerd do.
 *
 * The answer's `access_token` is preferred over `token`; `expires_in` defaults to 60 s and is raised to at
 * least 60 s; `issued_at` (RFC 3339) is the start of the lifetime, but never later than our clock (a server
 * clock running ahead must not stretch the cache). The realm must already be validated (`checkRealm`).
 */
import { classifyTokenAnswer } from "./classify.js";
import type { Classification } from "./classify.js";
import { redactUrl } from "./redact.js";
import { parseRegistryErrors, parseRetryAfter } from "./registry-errors.js";
import { CONTAINERS_IMAGE_MAX_TOKEN_BYTES } from "./runtime-limits.js";
import { tokenCacheKey } from "./token-cache.js";
import type { TokenCache } from "./token-cache.js";
import { TransportError } from "./transport-error.js";
import { credentialWithheldBy, describeRedirects, headerValue } from "./transport.js";
import type { Transport, TransportResponse } from "./transport.js";
import type { AccessStep, RegistryCredential } from "./types.js";

export const TOKEN_CLIENT_ID = "pullwarden";
/** distribution `minimumTokenLifetimeSeconds`: also the default when `expires_in` is missing. */
export const MINIMUM_TOKEN_LIFETIME_SECONDS = 60;

export type TokenGrant = "anonymous" | "basic" | "refresh_token";

export interface FetchTokenOptions {
  transport: Transport;
  /** A realm accepted by `checkRealm`. */
  realm: URL;
  service?: string;
  scopes: readonly string[];
  credential?: RegistryCredential;
  /** Shared cache (and in-flight de-duplication); without it every call asks the realm. */
  cache?: TokenCache;
  now?: () => Date;
}

export type TokenFailure =
  | { kind: "answer"; status: number; classification: Classification }
  | { kind: "transport"; error: TransportError }
  | { kind: "bad-response"; status: number; message: string };

export type TokenResult =
  | { ok: true; token: string; expiresAt: Date; grant: TokenGrant; fromCache: boolean; steps: AccessStep[] }
  | { ok: false; grant: TokenGrant; failure: TokenFailure; steps: AccessStep[] };

interface ParsedToken {
  token: string;
  expiresAt: Date;
}

/** Parses a token endpoint's JSON answer; a string says what is wrong with it. */
export function parseTokenResponse(body: Buffer | string, now: Date): ParsedToken | string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(typeof body === "string" ? body : body.toString("utf8"));
  } catch {
    return "the token response is not JSON";
  }
  if (typeof parsed !== "object" || parsed === null) return "the token response is not a JSON object";
  const r = parsed as Record<string, unknown>;
  const token =
    typeof r.access_token === "string" && r.access_token !== ""
      ? r.access_token
      : typeof r.token === "string" && r.token !== ""
        ? r.token
        : undefined;
  if (token === undefined) return "the token response holds no token";
  let expiresIn =
    typeof r.expires_in === "number" && Number.isFinite(r.expires_in) ? Math.floor(r.expires_in) : 0;
  if (expiresIn < MINIMUM_TOKEN_LIFETIME_SECONDS) expiresIn = MINIMUM_TOKEN_LIFETIME_SECONDS;
  let issuedAt = now.getTime();
  if (typeof r.issued_at === "string") {
    const t = Date.parse(r.issued_at);
    if (!Number.isNaN(t)) issuedAt = Math.min(t, now.getTime());
  }
  return { token, expiresAt: new Date(issuedAt + expiresIn * 1000) };
}

function grantOf(credential: RegistryCredential | undefined): TokenGrant {
  if (credential === undefined) return "anonymous";
  return "identityToken" in credential ? "refresh_token" : "basic";
}

function basicHeader(username: string, password: string): string {
  return `Basic ${Buffer.from(`${username}:${password}`, "utf8").toString("base64")}`;
}

function getUrl(o: FetchTokenOptions, account: string | undefined): URL {
  const url = new URL(o.realm.href);
  if (o.service) url.searchParams.append("service", o.service);
  for (const scope of o.scopes) url.searchParams.append("scope", scope);
  if (account) url.searchParams.append("account", account);
  return url;
}

function oauthErrorOf(res: TransportResponse): string | undefined {
  try {
    const e = (JSON.parse(res.body.toString("utf8")) as { error?: unknown }).error;
    return typeof e === "string" && /^[a-z_]{1,64}$/.test(e) ? e : undefined;
  } catch {
    return undefined;
  }
}

async function requestToken(o: FetchTokenOptions, now: () => Date): Promise<TokenResult> {
  const grant = grantOf(o.credential);
  const steps: AccessStep[] = [];
  const credential = o.credential;

  const send = async (
    method: "GET" | "POST",
    url: URL,
    headers: Record<string, string>,
    body?: string,
    detail?: string,
  ): Promise<TransportResponse> => {
    const step: AccessStep = { step: "token", method, url: redactUrl(url), ...(detail ? { detail } : {}) };
    steps.push(step);
    try {
      const res = await o.transport.request({
        method,
        url,
        headers,
        ...(body !== undefined ? { body } : {}),
        maxBodyBytes: CONTAINERS_IMAGE_MAX_TOKEN_BYTES,
      });
      step.status = res.status;
      const redirects = describeRedirects(res);
      if (redirects !== undefined) step.detail = `${detail ? `${detail}; ` : ""}${redirects}`;
      return res;
    } catch (error) {
      if (error instanceof TransportError) {
        step.detail = `${detail ? `${detail}; ` : ""}${error.message.slice(error.message.indexOf(": ") + 2)}`;
      }
      throw error;
    }
  };

  let res: TransportResponse;
  try {
    if (credential === undefined) {
      res = await send("GET", getUrl(o, undefined), { accept: "application/json" }, undefined, "anonymous");
    } else if ("identityToken" in credential) {
      const form = new URLSearchParams();
      form.set("grant_type", "refresh_token");
      form.set("refresh_token", credential.identityToken);
      if (o.service) form.set("service", o.service);
      if (o.scopes.length > 0) form.set("scope", o.scopes.join(" "));
      form.set("client_id", TOKEN_CLIENT_ID);
      res = await send(
        "POST",
        o.realm,
        { accept: "application/json", "content-type": "application/x-www-form-urlencoded" },
        form.toString(),
        "OAuth2 refresh_token grant",
      );
      if (res.status === 404 || res.status === 405) {
        const username = credential.username ?? "";
        res = await send(
          "GET",
          getUrl(o, username || undefined),
          { accept: "application/json", authorization: basicHeader(username, credential.identityToken) },
          undefined,
          "POST unsupported: GET with Basic",
        );
      }
    } else {
      res = await send(
        "GET",
        getUrl(o, credential.username),
        { accept: "application/json", authorization: basicHeader(credential.username, credential.password) },
        undefined,
        "Basic",
      );
    }
  } catch (error) {
    if (error instanceof TransportError)
      return { ok: false, grant, failure: { kind: "transport", error }, steps };
    throw error;
  }

  if (res.status < 200 || res.status >= 300) {
    const oauthError = oauthErrorOf(res);
    const retryAfter = parseRetryAfter(headerValue(res, "retry-after"), now());
    const withheldBy = credentialWithheldBy(res);
    const classification = classifyTokenAnswer({
      status: res.status,
      errors: parseRegistryErrors(res.body),
      grant,
      ...(retryAfter !== undefined ? { retryAfterSeconds: retryAfter } : {}),
      ...(oauthError ? { oauthError } : {}),
      ...(withheldBy !== undefined ? { withheldBy } : {}),
    });
    return { ok: false, grant, failure: { kind: "answer", status: res.status, classification }, steps };
  }
  if (res.truncated) {
    return {
      ok: false,
      grant,
      failure: {
        kind: "bad-response",
        status: res.status,
        message: "the token response is larger than 1 MiB, the most CRI-O and skopeo read",
      },
      steps,
    };
  }
  const parsed = parseTokenResponse(res.body, now());
  if (typeof parsed === "string") {
    return {
      ok: false,
      grant,
      failure: { kind: "bad-response", status: res.status, message: parsed },
      steps,
    };
  }
  return { ok: true, token: parsed.token, expiresAt: parsed.expiresAt, grant, fromCache: false, steps };
}

/**
 * A token for `scopes` at `realm`: from the cache when a valid one is there, else from one request shared by
 * every concurrent caller with the same key. Failures are values, never cached.
 */
export async function fetchToken(o: FetchTokenOptions): Promise<TokenResult> {
  const now = o.now ?? (() => new Date());
  const cache = o.cache;
  if (!cache) return requestToken(o, now);
  const key = tokenCacheKey({
    realm: o.realm.href,
    service: o.service ?? "",
    scopes: o.scopes,
    identity: cache.identityOf(o.credential),
  });
  const hit = cache.get(key, now().getTime());
  if (hit) {
    return {
      ok: true,
      token: hit.token,
      expiresAt: new Date(hit.expiresAt),
      grant: grantOf(o.credential),
      fromCache: true,
      steps: [{ step: "token", url: redactUrl(o.realm), detail: "cached token" }],
    };
  }
  const result = await cache.inFlight(key, async () => {
    const r = await requestToken(o, now);
    if (r.ok) cache.set(key, { token: r.token, expiresAt: r.expiresAt.getTime() });
    return r;
  });
  // Each caller gets its own copy of the trace.
  return { ...result, steps: result.steps.map((s) => ({ ...s })) } as TokenResult;
}
