/**
 * ACR's token endpoints, spoken directly (the JS SDK does not export them: `@azure/container-registry` keeps
 * `exchangeAadAccessTokenForAcrRefreshToken` in its generated, unexported code). Wire format: Azure/acr
 * `docs/AAD-OAuth.md` and https://learn.microsoft.com/rest/api/containerregistry/access-tokens/get:
 *
 *   POST https://<login server>/oauth2/exchange  grant_type=access_token&service=<login server>&tenant=<tenant>
 *        &access_token=<Entra ID token>                → 200 {"refresh_token": "<JWT>"}
 *   POST https://<login server>/oauth2/token     grant_type=refresh_token&service=<login server>
 *        &scope=repository:<repo>:pull&refresh_token=<ACR refresh token> → 200 {"access_token": "<JWT>"}
 *   errors: {"errors":[{"code","message","detail"}]}
 *
 * The request goes through the registry client's one I/O edge (registry/transport.ts): a deadline per
 * exchange, a capped body, and no redirect followed (the form carries a token: it is sent to the login server
 * named, over https, and nowhere else). Lifetimes are not documented: expiry is the token's own `exp`.
 */
import { classifyNetworkError, describeFailure, TransportError } from "../../registry/transport-error.js";
import type { Transport, TransportResponse } from "../../registry/transport.js";
import { parseRegistryErrors, parseRetryAfter } from "../../registry/registry-errors.js";
import { decodeJwtLoosely, numericDate } from "../../tokens/jwt.js";
import { AcrCredentialError } from "./errors.js";
import type { AcrTarget } from "./clouds.js";

/** A token response is a few kilobytes; anything longer is not one. */
export const MAX_TOKEN_RESPONSE_BYTES = 64 * 1024;

/** Who asks, for messages and the fix command: never a secret. */
export interface AcrRequester {
  /** `managed identity (client id …)`. */
  readonly identity: string;
  /** What `az role assignment create --assignee` takes for this identity (a client id, object id or UPN). */
  readonly assignee?: string;
}

export interface AcrHttp {
  readonly transport: Transport;
  readonly now: () => Date;
}

export interface AcrToken {
  readonly token: string;
  /** The JWT's `exp`; undefined when the token carries none. */
  readonly expiresAt?: Date;
}

type Endpoint = "/oauth2/exchange" | "/oauth2/token";

/** The command that grants pull, for a hint. */
export function acrPullFix(target: AcrTarget, requester: AcrRequester): string {
  const assignee = requester.assignee ?? "<client id or object id of the identity>";
  return `az role assignment create --assignee ${assignee} --role AcrPull --scope $(az acr show --name ${target.registryName} --query id --output tsv)`;
}

function failureOf(
  error: unknown,
  target: AcrTarget,
  endpoint: Endpoint,
  requester: AcrRequester,
): AcrCredentialError {
  const failure = error instanceof TransportError ? error.failure : classifyNetworkError(error);
  const where = `POST https://${target.loginServer}${endpoint}`;
  const base = { cause: error, identity: requester.identity };
  if (failure.kind === "network" && failure.reason === "timeout") {
    return new AcrCredentialError("E_ACR_TIMEOUT", `${where}: no answer within the deadline`, {
      ...base,
      hint: "check the network path to the registry (proxy, firewall, private endpoint DNS), then try again",
    });
  }
  if (failure.kind === "redirect") {
    return new AcrCredentialError(
      "E_ACR_RESPONSE",
      `${where}: answered with a redirect, which is not followed (the request carries a token)`,
      { ...base, hint: `check that ${target.loginServer} is the registry's login server` },
    );
  }
  return new AcrCredentialError(
    "E_ACR_UNAVAILABLE",
    `${where}: ${describeFailure(failure)}${failure.code ? ` (${failure.code})` : ""}`,
    { ...base, hint: "check the registry's name and the network path to it, then try again" },
  );
}

function registrySaid(res: TransportResponse): string {
  const errors = parseRegistryErrors(res.body);
  return errors.length === 0
    ? `HTTP ${res.status}`
    : `HTTP ${res.status}: ${errors.map((e) => (e.message ? `${e.code} ${e.message}` : e.code)).join("; ")}`;
}

/** The token field of a 200 answer, or the error the answer means. Pure: tested against hostile answers. */
export function readTokenResponse(
  res: TransportResponse,
  field: "refresh_token" | "access_token",
  context: { target: AcrTarget; endpoint: Endpoint; requester: AcrRequester; now: Date },
): AcrToken {
  const { target, endpoint, requester } = context;
  const where = `ACR ${target.loginServer} (${endpoint})`;
  const identity = requester.identity;
  if (res.status === 401 || res.status === 403) {
    return deny(
      `${where} refused the token of ${identity} (${registrySaid(res)}): it does not hold the AcrPull role on ${target.registryName} (or a role with pull), or the token is for another tenant`,
    );
  }
  if (res.status === 429) {
    const retryAfterSeconds = parseRetryAfter(res.headers["retry-after"]?.[0], context.now);
    throw new AcrCredentialError(
      "E_ACR_THROTTLED",
      `${where} is throttling requests (${registrySaid(res)})${retryAfterSeconds !== undefined ? `; it asks to wait ${retryAfterSeconds} s` : ""}`,
      {
        identity,
        ...(retryAfterSeconds !== undefined ? { retryAfterSeconds } : {}),
        hint: "try again later; mint less often (a refresh token lasts about 3 hours: reuse it until it nears expiry)",
      },
    );
  }
  if (res.status >= 500) {
    throw new AcrCredentialError("E_ACR_UNAVAILABLE", `${where} failed (${registrySaid(res)})`, {
      identity,
      hint: "try again later; https://azure.status.microsoft shows outages",
    });
  }
  if (res.status !== 200) {
    throw new AcrCredentialError("E_ACR_RESPONSE", `${where} answered ${registrySaid(res)}`, {
      identity,
      hint: `check that ${target.loginServer} is an Azure Container Registry login server`,
    });
  }
  const malformed = (what: string): never => {
    throw new AcrCredentialError("E_ACR_RESPONSE", `${where} answered 200 but ${what}`, {
      identity,
      hint: `check that ${target.loginServer} is an Azure Container Registry login server`,
    });
  };
  if (res.truncated) malformed(`its body is over ${MAX_TOKEN_RESPONSE_BYTES} bytes`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(res.body.toString("utf8"));
  } catch {
    return malformed("its body is not JSON");
  }
  const token =
    typeof parsed === "object" && parsed !== null ? (parsed as Record<string, unknown>)[field] : undefined;
  if (typeof token !== "string" || token === "") return malformed(`holds no ${field}`);
  const jwt = decodeJwtLoosely(token);
  if (!jwt?.claims) return malformed(`its ${field} is not a JWT`);
  const expiresAt = numericDate(jwt.claims["exp"]);
  if (expiresAt !== undefined && expiresAt.getTime() <= context.now.getTime()) {
    throw new AcrCredentialError(
      "E_ACR_CLOCK_SKEW",
      `${where} issued a ${field} that expired at ${expiresAt.toISOString()}, before this machine's time ${context.now.toISOString()}: the clocks disagree`,
      { identity, hint: "synchronise this machine's clock (NTP: timedatectl status), then try again" },
    );
  }
  return { token, ...(expiresAt ? { expiresAt } : {}) };

  function deny(message: string): never {
    throw new AcrCredentialError("E_ACR_PULL_DENIED", message, {
      identity,
      hint: acrPullFix(target, requester),
    });
  }
}

async function postForm(
  endpoint: Endpoint,
  form: URLSearchParams,
  field: "refresh_token" | "access_token",
  target: AcrTarget,
  requester: AcrRequester,
  http: AcrHttp,
): Promise<AcrToken> {
  let res: TransportResponse;
  try {
    res = await http.transport.request({
      method: "POST",
      url: `https://${target.loginServer}${endpoint}`,
      headers: { "content-type": "application/x-www-form-urlencoded", accept: "application/json" },
      body: form.toString(),
      maxBodyBytes: MAX_TOKEN_RESPONSE_BYTES,
    });
  } catch (error) {
    throw failureOf(error, target, endpoint, requester);
  }
  return readTokenResponse(res, field, { target, endpoint, requester, now: http.now() });
}

/** Exchanges an Entra ID access token (scope ACR_SCOPE) for an ACR refresh token. */
export function exchangeForRefreshToken(
  target: AcrTarget,
  entraToken: string,
  tenantId: string,
  requester: AcrRequester,
  http: AcrHttp,
): Promise<AcrToken> {
  const form = new URLSearchParams({
    grant_type: "access_token",
    service: target.loginServer,
    tenant: tenantId,
    access_token: entraToken,
  });
  return postForm("/oauth2/exchange", form, "refresh_token", target, requester, http);
}

/**
 * Exchanges an ACR refresh token for an access token limited to `scopes` (`repository:team/app:pull`), for a
 * consumer that must hand out less than the whole registry.
 */
export function exchangeForAccessToken(
  target: AcrTarget,
  refreshToken: string,
  scopes: readonly string[],
  requester: AcrRequester,
  http: AcrHttp,
): Promise<AcrToken> {
  const form = new URLSearchParams({
    grant_type: "refresh_token",
    service: target.loginServer,
    refresh_token: refreshToken,
  });
  for (const scope of scopes) form.append("scope", scope);
  return postForm("/oauth2/token", form, "access_token", target, requester, http);
}
