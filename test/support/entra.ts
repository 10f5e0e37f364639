// A fake Microsoft Entra ID on https://127.0.0.1 (test CA) for workload identity federation: what
// WorkloadIdentityCredential and ClientAssertionCredential (@azure/identity 4.13.1, MSAL node) call with
// `authorityHost` pointing here and `disableInstanceDiscovery: true` (so nothing leaves loopback). Wire format
// as captured in shared/reference/controller-and-provider.md §C.4:
//   GET  /{tenant}/v2.0/.well-known/openid-configuration → token_endpoint, issuer, authorization_endpoint,
//        end_session_endpoint, jwks_uri
//   POST /{tenant}/oauth2/v2.0/token?client-request-id=…  form client_id, scope, grant_type=client_credentials,
//        client_assertion=<ServiceAccount token>, client_assertion_type=urn:ietf:params:oauth:client-assertion-type:jwt-bearer
//        → 200 {"token_type":"Bearer","expires_in":3599,"ext_expires_in":3599,"access_token":"…"}
// Errors are Entra's OAuth error bodies ({"error","error_description":"AADSTSnnnnn: …","error_codes":[n],…}).
// The assertion is checked as Entra checks a federated identity credential: signature with the issuer's key,
// iss and sub matching the federation, aud api://AzureADTokenExchange, and its validity time against this
// server's clock (which a test may skew).
import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { createServer } from "node:https";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { decodeJwt, exportJWK, generateKeyPair, jwtVerify, SignJWT } from "jose";
import type { CryptoKey } from "jose";
import type { EntraIssuer, EntraPrincipal } from "./entra-tokens.js";
import { LOOPBACK } from "./net.js";
import type { Pki } from "./tls.js";

export const FEDERATION_AUDIENCE = "api://AzureADTokenExchange";
const ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

/** The cluster's ServiceAccount token issuer (what kube-apiserver signs projected tokens with). */
export interface ServiceAccountIssuer {
  issuer: string;
  publicKey: CryptoKey;
  /** A projected ServiceAccount token for `system:serviceaccount:NS:NAME`. */
  token(options: {
    namespace: string;
    name: string;
    lifetimeSeconds?: number;
    now?: Date;
    audience?: string;
  }): Promise<string>;
}

export async function createServiceAccountIssuer(
  issuer = "https://oidc.test.invalid/cluster",
): Promise<ServiceAccountIssuer> {
  const { privateKey, publicKey } = await generateKeyPair("RS256");
  await exportJWK(publicKey); // proves the key is exportable as a JWKS would serve it
  return {
    issuer,
    publicKey,
    token: ({
      namespace,
      name,
      lifetimeSeconds = 3600,
      now = new Date(),
      audience = FEDERATION_AUDIENCE,
    }) => {
      const iat = Math.floor(now.getTime() / 1000);
      return new SignJWT({ "kubernetes.io": { namespace, serviceaccount: { name, uid: randomUUID() } } })
        .setProtectedHeader({ alg: "RS256", kid: "sa-key" })
        .setIssuer(issuer)
        .setSubject(`system:serviceaccount:${namespace}:${name}`)
        .setAudience(audience)
        .setIssuedAt(iat)
        .setNotBefore(iat)
        .setExpirationTime(iat + lifetimeSeconds)
        .sign(privateKey);
    },
  };
}

/** An app registration (or user-assigned identity) with one federated identity credential. */
export interface Federation {
  principal: EntraPrincipal;
  issuer: ServiceAccountIssuer;
  /** `system:serviceaccount:NS:NAME`. */
  subject: string;
}

export interface EntraFault {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
  times?: number;
}

export interface EntraRequestRecord {
  method: string;
  path: string;
  grantType?: string;
  clientId?: string;
  scope?: string;
  assertionType?: string;
  /** Whether a client_assertion came (never its value). */
  assertion: boolean;
  clientRequestId: boolean;
  status: number;
  /** AADSTS code of an error answer. */
  errorCode?: number;
}

export interface FakeEntra {
  /** `https://127.0.0.1:PORT`: the authorityHost. */
  url: string;
  tenantId: string;
  requests(): EntraRequestRecord[];
  fail(fault: EntraFault): void;
  setDelay(ms: number): void;
  /** Shifts this server's clock (clock skew between the client and Entra ID). */
  setClockOffset(ms: number): void;
  stop(): Promise<void>;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

export async function startFakeEntra(options: {
  pki: Pki;
  tenantId: string;
  issuer: EntraIssuer;
  federations: Federation[];
}): Promise<FakeEntra> {
  const log: EntraRequestRecord[] = [];
  const faults: EntraFault[] = [];
  let delayMs = 0;
  let clockOffsetMs = 0;
  let base = "";

  function send(
    res: ServerResponse,
    status: number,
    body: unknown,
    headers: Record<string, string> = {},
  ): void {
    res.writeHead(status, { "content-type": "application/json; charset=utf-8", ...headers });
    res.end(typeof body === "string" ? body : JSON.stringify(body));
  }

  function oauthError(error: string, code: number, text: string, now: Date): Record<string, unknown> {
    const traceId = randomUUID();
    const correlationId = randomUUID();
    return {
      error,
      error_description: `AADSTS${code}: ${text} Trace ID: ${traceId} Correlation ID: ${correlationId} Timestamp: ${now.toISOString()}`,
      error_codes: [code],
      timestamp: now.toISOString(),
      trace_id: traceId,
      correlation_id: correlationId,
      error_uri: `${base}/error?code=${code}`,
    };
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "https://127.0.0.1");
    const rec: EntraRequestRecord = {
      method: req.method ?? "",
      path: url.pathname,
      assertion: false,
      clientRequestId: url.searchParams.has("client-request-id"),
      status: 0,
    };
    log.push(rec);
    const reply = (status: number, body: unknown, headers?: Record<string, string>): void => {
      rec.status = status;
      const codes = (body as { error_codes?: unknown })?.error_codes;
      if (Array.isArray(codes) && typeof codes[0] === "number") rec.errorCode = codes[0];
      send(res, status, body, headers);
    };
    if (delayMs > 0) await new Promise((r) => setTimeout(r, delayMs));
    const now = new Date(Date.now() + clockOffsetMs);
    const [, tenant, ...rest] = url.pathname.split("/");
    const route = rest.join("/");
    if (tenant !== options.tenantId) {
      return reply(400, oauthError("invalid_tenant", 90002, `Tenant '${tenant ?? ""}' not found.`, now));
    }
    if (req.method === "GET" && route === "v2.0/.well-known/openid-configuration") {
      return reply(200, {
        token_endpoint: `${base}/${tenant}/oauth2/v2.0/token`,
        issuer: `${base}/${tenant}/v2.0`,
        authorization_endpoint: `${base}/${tenant}/oauth2/v2.0/authorize`,
        end_session_endpoint: `${base}/${tenant}/oauth2/v2.0/logout`,
        jwks_uri: `${base}/${tenant}/discovery/v2.0/keys`,
        token_endpoint_auth_methods_supported: [
          "client_secret_post",
          "private_key_jwt",
          "client_secret_basic",
        ],
        response_types_supported: ["code", "id_token", "code id_token", "id_token token"],
        subject_types_supported: ["pairwise"],
        id_token_signing_alg_values_supported: ["RS256"],
      });
    }
    if (req.method !== "POST" || route !== "oauth2/v2.0/token") {
      return reply(
        404,
        oauthError("invalid_request", 900561, "The endpoint only accepts POST requests.", now),
      );
    }
    const form = new URLSearchParams(await readBody(req));
    rec.grantType = form.get("grant_type") ?? undefined;
    rec.clientId = form.get("client_id") ?? undefined;
    rec.scope = form.get("scope") ?? undefined;
    rec.assertionType = form.get("client_assertion_type") ?? undefined;
    const assertion = form.get("client_assertion");
    rec.assertion = assertion !== null;

    const fault = faults[0];
    if (fault) {
      fault.times = (fault.times ?? 1) - 1;
      if (fault.times <= 0) faults.shift();
      return reply(
        fault.status,
        fault.body ?? oauthError("temporarily_unavailable", 50196, "The server is busy.", now),
        fault.headers,
      );
    }
    if (rec.grantType !== "client_credentials") {
      return reply(
        400,
        oauthError("unsupported_grant_type", 70003, "The app requested an unsupported grant type.", now),
      );
    }
    const federation = options.federations.find((f) => f.principal.clientId === rec.clientId);
    if (!federation) {
      return reply(
        400,
        oauthError(
          "unauthorized_client",
          700016,
          `Application with identifier '${rec.clientId ?? ""}' was not found in the directory.`,
          now,
        ),
      );
    }
    if (rec.assertionType !== ASSERTION_TYPE || assertion === null) {
      return reply(
        400,
        oauthError(
          "invalid_request",
          7000218,
          "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.",
          now,
        ),
      );
    }
    let claims: ReturnType<typeof decodeJwt>;
    try {
      claims = decodeJwt(assertion);
    } catch {
      return reply(400, oauthError("invalid_client", 50027, "JWT token is invalid or malformed.", now));
    }
    const nowSeconds = Math.floor(now.getTime() / 1000);
    if (
      typeof claims.exp !== "number" ||
      claims.exp <= nowSeconds ||
      (typeof claims.nbf === "number" && claims.nbf > nowSeconds + 300)
    ) {
      return reply(
        400,
        oauthError(
          "invalid_client",
          700024,
          `Client assertion is not within its valid time range. Current time: ${now.toISOString()}, expiry time of assertion ${typeof claims.exp === "number" ? new Date(claims.exp * 1000).toISOString() : "none"}.`,
          now,
        ),
      );
    }
    try {
      await jwtVerify(assertion, federation.issuer.publicKey, {
        issuer: federation.issuer.issuer,
        subject: federation.subject,
        audience: FEDERATION_AUDIENCE,
        currentDate: now,
      });
    } catch {
      return reply(
        400,
        oauthError(
          "invalid_request",
          70021,
          "No matching federated identity record found for presented assertion.",
          now,
        ),
      );
    }
    const scope = rec.scope ?? "";
    if (!scope.endsWith("/.default")) {
      return reply(
        400,
        oauthError("invalid_scope", 1002012, `The provided value for scope ${scope} is not valid.`, now),
      );
    }
    const token = await options.issuer.mint({
      tenantId: options.tenantId,
      principal: federation.principal,
      audience: scope.slice(0, -"/.default".length),
      now,
    });
    reply(200, { token_type: "Bearer", expires_in: 3599, ext_expires_in: 3599, access_token: token });
  }

  const server = createServer(
    { cert: readFileSync(options.pki.serverCertFile), key: readFileSync(options.pki.serverKeyFile) },
    (req, res) => {
      handle(req, res).catch((e: unknown) => {
        if (!res.headersSent) send(res, 500, { error: "server_error", error_description: String(e) });
        else res.destroy();
      });
    },
  );
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, LOOPBACK, () => resolve());
  });
  base = `https://${LOOPBACK}:${(server.address() as AddressInfo).port}`;
  return {
    url: base,
    tenantId: options.tenantId,
    requests: () => [...log],
    fail: (fault) => {
      faults.push({ ...fault });
    },
    setDelay: (ms) => {
      delayMs = ms;
    },
    setClockOffset: (ms) => {
      clockOffsetMs = ms;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
