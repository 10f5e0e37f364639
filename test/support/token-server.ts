// A docker/distribution-compatible token server (HTTPS, Node) issuing RS256 JWTs that registry 2.8 accepts.
//
// It serves what real clients send to the realm (see shared/reference/test-infra.md):
//   - GET  /token?service=&scope=...&account=  with Basic auth (skopeo, dockerd, containerd's fallback)
//   - GET  /token without credentials (anonymous)
//   - POST /token form grant_type=password (containerd), grant_type=refresh_token (identity tokens), client_id
// Bad credentials get 401 on both GET and POST. Refresh tokens are ones this server issued.
//
// With `acr`, it is also Azure Container Registry's token service (Azure/acr docs/AAD-OAuth.md; wire captures in
// shared/reference/controller-and-provider.md §C.4), served at ACR's paths (`/oauth2/token` is the realm):
//   - POST /oauth2/exchange form grant_type=access_token, service, tenant, access_token=<Entra ID token>
//     → 200 {"refresh_token": <JWT: iss "Azure Container Registry", aud service, exp, grant_type, tenant, …>}
//   - POST /oauth2/token (and /token) grant_type=refresh_token with that refresh token → an access token, and
//     what docker, skopeo and containerd send for username 00000000-0000-0000-0000-000000000000 with the refresh
//     token as password: GET with Basic, POST grant_type=password.
// Errors are {"errors":[{"code","message"}]}. A principal without an AcrPull/AcrPush role assignment is refused
// at the exchange with 401 (UNVERIFIED: real ACR may instead mint a refresh token and grant nothing at
// /oauth2/token; both end in a denied pull).
import { createSign, randomBytes, randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { createServer } from "node:https";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { LOOPBACK } from "./net.js";
import type { SigningKey } from "./tls.js";

export interface TokenUser {
  username: string;
  password: string;
  /**
   * Optional per-repository grants: repository name (exact, or a prefix ending in `/*`) → allowed actions
   * (`*` allows everything). Without it the user gets every action requested (except under `denied/`).
   */
  grants?: Record<string, string[]>;
}

/** One requested scope, e.g. `repository:org/app:pull,push`. */
export interface ScopeRequest {
  type: string;
  name: string;
  actions: string[];
}

/** Decides which of the requested actions `account` (undefined = anonymous) gets. */
export type GrantPolicy = (
  scope: ScopeRequest,
  account: string | undefined,
  user: TokenUser | undefined,
) => string[];

/** The null-GUID username that says "the password is an ACR refresh token". */
export const ACR_REFRESH_TOKEN_USERNAME = "00000000-0000-0000-0000-000000000000";

export type AcrRole = "AcrPull" | "AcrPush";

/** An Entra ID principal, as a verified access token names it. */
export interface AcrPrincipal {
  tenantId: string;
  clientId: string;
  objectId: string;
}

export interface AcrOptions {
  /** The principal of an Entra ID access token for ACR's audience; undefined when it is not a valid one. */
  verifyEntraToken(token: string): Promise<AcrPrincipal | undefined>;
  /** Role assignments on the registry, by object id or client id. */
  roles?: Record<string, AcrRole>;
  /** Refresh token lifetime in seconds (default 10800, the ~3 hours ACR gives). */
  refreshTokenTtlSeconds?: number;
}

/** A canned answer of the ACR endpoints (faults): a JSON value, or a string sent as it is. */
export interface AcrFault {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
  /** Answer this many requests with it (default 1). */
  times?: number;
  /** Only for this endpoint (default both). */
  endpoint?: "/oauth2/exchange" | "/oauth2/token";
}

export interface TokenServerOptions {
  /** TLS certificate/key files for the HTTPS listener (a cert for 127.0.0.1, e.g. Pki.serverCertFile). */
  tlsCertFile: string;
  tlsKeyFile: string;
  signing: SigningKey;
  users?: TokenUser[];
  issuer?: string;
  service?: string;
  /** Token lifetime in seconds (default 300). */
  ttlSeconds?: number;
  /** Actions an anonymous client gets on repositories (default: none). */
  anonymousActions?: string[];
  /** Replaces the default policy entirely. */
  policy?: GrantPolicy;
  /** Also serve ACR's token exchange (see the top of this file). */
  acr?: AcrOptions;
}

/** What a client sent (secrets are never stored: only which kind of credential was presented). */
export interface TokenRequestRecord {
  time: Date;
  method: string;
  path: string;
  /** `grant_type` of a POST; undefined for GET. */
  grantType?: string;
  clientId?: string;
  /** `account` query parameter of a GET. */
  account?: string;
  service?: string;
  /** Scopes as sent (each `type:name:actions`). */
  scopes: string[];
  /** Which credential came with the request (`access_token`: an Entra ID token at /oauth2/exchange). */
  credential: "basic" | "password" | "refresh_token" | "access_token" | "none";
  /** The credential was an ACR refresh token (the null-GUID username, or grant_type=refresh_token). */
  acrRefreshToken?: boolean;
  /** `tenant` sent to /oauth2/exchange. */
  tenant?: string;
  /** Username presented (Basic user or form `username`), when any. */
  username?: string;
  /** Whether `offline_token=true` (GET) or `access_type=offline` (POST) asked for a refresh token. */
  offline: boolean;
  status: number;
  /** The authenticated subject, when authentication succeeded. */
  subject?: string;
  /** The access list put into the issued token. */
  granted?: ScopeRequest[];
}

export interface TokenServer {
  /** `https://127.0.0.1:PORT/token`: the registry's `auth.token.realm`. */
  realm: string;
  url: string;
  port: number;
  issuer: string;
  service: string;
  signing: SigningKey;
  /** Requests received so far (for assertions; do not print: it is only meant to be inspected). */
  requests(): TokenRequestRecord[];
  clearRequests(): void;
  /** Adds or replaces a user. */
  setUser(user: TokenUser): void;
  removeUser(username: string): void;
  /** A refresh token (identity token) for `username`, as an ACR/`docker login` flow would store it. */
  issueRefreshToken(username: string): string;
  revokeRefreshToken(token: string): void;
  /** Signs an arbitrary token (for tests that need expired/foreign tokens). */
  signToken(
    subject: string | undefined,
    access: ScopeRequest[],
    opts?: { expiresInSeconds?: number },
  ): string;
  /** ACR: assigns (or with undefined, removes) a role on the registry for an object id or client id. */
  setAcrRole(principalId: string, role: AcrRole | undefined): void;
  /** ACR: answers the next request(s) of the ACR endpoints with a canned response. */
  failAcr(fault: AcrFault): void;
  /** ACR: waits this long before answering the ACR endpoints (a slow registry). */
  setAcrDelay(ms: number): void;
  stop(): Promise<void>;
}

const REPO_ACTIONS = ["pull", "push", "delete"];

export function parseScope(scope: string): ScopeRequest | undefined {
  const first = scope.indexOf(":");
  const last = scope.lastIndexOf(":");
  if (first <= 0 || last === first) return undefined;
  return {
    type: scope.slice(0, first),
    name: scope.slice(first + 1, last),
    actions: scope
      .slice(last + 1)
      .split(",")
      .filter(Boolean),
  };
}

function grantsFor(user: TokenUser, name: string): string[] | undefined {
  if (!user.grants) return undefined;
  const exact = user.grants[name];
  if (exact) return exact;
  for (const [pattern, actions] of Object.entries(user.grants)) {
    if (pattern.endsWith("/*") && name.startsWith(pattern.slice(0, -1))) return actions;
    if (pattern === "*") return actions;
  }
  return [];
}

function defaultPolicy(anonymousActions: string[]): GrantPolicy {
  return (scope, account, user) => {
    if (scope.type === "registry" && scope.name === "catalog") {
      return account ? scope.actions.filter((a) => a === "*") : [];
    }
    if (scope.type !== "repository") return [];
    if (scope.name.startsWith("denied/")) return [];
    if (!account || !user) return scope.actions.filter((a) => anonymousActions.includes(a));
    const allowed = grantsFor(user, scope.name) ?? ["*"];
    if (allowed.includes("*")) return scope.actions.filter((a) => a === "*" || REPO_ACTIONS.includes(a));
    return scope.actions.filter((a) => allowed.includes(a));
  };
}

function b64url(data: string | Buffer): string {
  return Buffer.from(data).toString("base64url");
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

function parseBasic(header: string | undefined): { username: string; password: string } | undefined {
  if (!header || !/^basic /i.test(header)) return undefined;
  const decoded = Buffer.from(header.slice(6).trim(), "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  if (colon < 0) return { username: decoded, password: "" };
  return { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

export async function startTokenServer(opts: TokenServerOptions): Promise<TokenServer> {
  const issuer = opts.issuer ?? "test-issuer";
  const service = opts.service ?? "test-registry";
  const ttl = opts.ttlSeconds ?? 300;
  const users = new Map<string, TokenUser>((opts.users ?? []).map((u) => [u.username, u]));
  const refreshTokens = new Map<string, string>();
  const policy = opts.policy ?? defaultPolicy(opts.anonymousActions ?? []);
  const log: TokenRequestRecord[] = [];
  const acrRoles = new Map<string, AcrRole>(Object.entries(opts.acr?.roles ?? {}));
  /** ACR refresh tokens issued, and whom for. */
  const acrRefreshTokens = new Map<string, { principal: AcrPrincipal; exp: number }>();
  const acrFaults: AcrFault[] = [];
  let acrDelayMs = 0;

  function signToken(
    subject: string | undefined,
    access: ScopeRequest[],
    o: { expiresInSeconds?: number } = {},
  ): string {
    const now = Math.floor(Date.now() / 1000);
    const header = { typ: "JWT", alg: "RS256", kid: opts.signing.kid };
    const claims = {
      iss: issuer,
      sub: subject ?? "",
      aud: service, // registry 2.8 rejects an array here
      exp: now + (o.expiresInSeconds ?? ttl),
      nbf: now - 10,
      iat: now,
      jti: randomUUID(),
      access,
    };
    const input = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(claims))}`;
    const sig = createSign("RSA-SHA256").update(input).sign(opts.signing.keyPem);
    return `${input}.${b64url(sig)}`;
  }

  function acrRoleOf(principal: AcrPrincipal): AcrRole | undefined {
    return acrRoles.get(principal.objectId) ?? acrRoles.get(principal.clientId);
  }

  /** An ACR refresh token: a JWT with ACR's claim set (docs/AAD-OAuth.md), remembered for its owner. */
  function issueAcrRefreshToken(principal: AcrPrincipal): string {
    const now = Math.floor(Date.now() / 1000);
    const exp = now + (opts.acr?.refreshTokenTtlSeconds ?? 10_800);
    const header = { typ: "JWT", alg: "RS256", kid: opts.signing.kid };
    const claims = {
      jti: randomUUID(),
      sub: principal.objectId,
      nbf: now - 10,
      exp,
      iat: now,
      iss: "Azure Container Registry",
      aud: service,
      version: "1.0",
      grant_type: "refresh_token",
      appid: principal.clientId,
      tenant: principal.tenantId,
      permissions: { actions: ["read"], notActions: null },
      roles: [],
    };
    const input = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(claims))}`;
    const sig = createSign("RSA-SHA256").update(input).sign(opts.signing.keyPem);
    const token = `${input}.${b64url(sig)}`;
    acrRefreshTokens.set(token, { principal, exp });
    return token;
  }

  /** The principal of a live ACR refresh token this server issued. */
  function acrPrincipalOf(token: string): AcrPrincipal | undefined {
    const entry = acrRefreshTokens.get(token);
    if (!entry || entry.exp <= Math.floor(Date.now() / 1000)) return undefined;
    return entry.principal;
  }

  /** The actions an ACR principal's role grants on a repository scope (checked at every token, as ACR does). */
  function acrGrant(scope: ScopeRequest, principal: AcrPrincipal): string[] {
    if (scope.type !== "repository" || scope.name.startsWith("denied/")) return [];
    const role = acrRoleOf(principal);
    const allowed = role === "AcrPush" ? ["pull", "push"] : role === "AcrPull" ? ["pull"] : [];
    return scope.actions.filter((a) => allowed.includes(a));
  }

  function issueRefreshToken(username: string): string {
    const token = `rt-${randomBytes(24).toString("hex")}`;
    refreshTokens.set(token, username);
    return token;
  }

  function send(
    res: ServerResponse,
    status: number,
    body: unknown,
    headers: Record<string, string> = {},
  ): void {
    res.writeHead(status, { "content-type": "application/json", ...headers });
    res.end(JSON.stringify(body));
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "https://127.0.0.1");
    const rec: TokenRequestRecord = {
      time: new Date(),
      method: req.method ?? "",
      path: url.pathname,
      scopes: [],
      credential: "none",
      offline: false,
      status: 0,
    };
    log.push(rec);
    const reply = (status: number, body: unknown, headers?: Record<string, string>): void => {
      rec.status = status;
      send(res, status, body, headers);
    };
    const unauthorized = (message: string): void =>
      reply(
        401,
        { errors: [{ code: "UNAUTHORIZED", message }] },
        { "www-authenticate": 'Basic realm="token"' },
      );

    const acrPath = url.pathname === "/oauth2/exchange" || url.pathname === "/oauth2/token";
    if (opts.acr && acrPath) {
      if (acrDelayMs > 0) await new Promise((r) => setTimeout(r, acrDelayMs));
      const fault = acrFaults.find((f) => f.endpoint === undefined || f.endpoint === url.pathname);
      if (fault) {
        fault.times = (fault.times ?? 1) - 1;
        if (fault.times <= 0) acrFaults.splice(acrFaults.indexOf(fault), 1);
        rec.status = fault.status;
        res.writeHead(fault.status, { "content-type": "application/json", ...fault.headers });
        res.end(typeof fault.body === "string" ? fault.body : JSON.stringify(fault.body ?? { errors: [] }));
        return;
      }
      if (url.pathname === "/oauth2/exchange") return acrExchange(req, rec, reply);
    }
    if (url.pathname !== "/token" && !(opts.acr && url.pathname === "/oauth2/token"))
      return reply(404, { errors: [{ code: "NOT_FOUND", message: "not found" }] });

    let params: URLSearchParams;
    if (req.method === "GET") {
      params = url.searchParams;
    } else if (req.method === "POST") {
      params = new URLSearchParams(await readBody(req));
    } else {
      return reply(405, { errors: [{ code: "UNSUPPORTED", message: "method not allowed" }] });
    }

    rec.service = params.get("service") ?? undefined;
    rec.clientId = params.get("client_id") ?? undefined;
    rec.scopes = params.getAll("scope").flatMap((s) => s.split(" ").filter(Boolean));
    let subject: string | undefined;
    let acrPrincipal: AcrPrincipal | undefined;

    if (req.method === "GET") {
      rec.account = params.get("account") ?? undefined;
      rec.offline = params.get("offline_token") === "true";
      const basic = parseBasic(req.headers.authorization);
      if (basic && opts.acr && basic.username === ACR_REFRESH_TOKEN_USERNAME) {
        rec.credential = "basic";
        rec.username = basic.username;
        rec.acrRefreshToken = true;
        acrPrincipal = acrPrincipalOf(basic.password);
        if (!acrPrincipal) return unauthorized("invalid refresh token");
        subject = acrPrincipal.objectId;
      } else if (basic) {
        rec.credential = "basic";
        rec.username = basic.username;
        const user = users.get(basic.username);
        if (!user || user.password !== basic.password) return unauthorized("authentication failed");
        subject = user.username;
      }
    } else {
      const grantType = params.get("grant_type") ?? "";
      rec.grantType = grantType;
      rec.offline = params.get("access_type") === "offline";
      if (grantType === "password" && opts.acr && params.get("username") === ACR_REFRESH_TOKEN_USERNAME) {
        rec.credential = "password";
        rec.username = ACR_REFRESH_TOKEN_USERNAME;
        rec.acrRefreshToken = true;
        acrPrincipal = acrPrincipalOf(params.get("password") ?? "");
        if (!acrPrincipal) return unauthorized("invalid refresh token");
        subject = acrPrincipal.objectId;
      } else if (
        grantType === "refresh_token" &&
        opts.acr &&
        acrPrincipalOf(params.get("refresh_token") ?? "")
      ) {
        rec.credential = "refresh_token";
        rec.acrRefreshToken = true;
        acrPrincipal = acrPrincipalOf(params.get("refresh_token") ?? "");
        subject = acrPrincipal?.objectId;
        rec.username = subject;
      } else if (grantType === "password") {
        rec.credential = "password";
        const username = params.get("username") ?? "";
        rec.username = username;
        const user = users.get(username);
        if (!user || user.password !== (params.get("password") ?? "")) {
          return unauthorized("authentication failed");
        }
        subject = user.username;
      } else if (grantType === "refresh_token") {
        rec.credential = "refresh_token";
        const owner = refreshTokens.get(params.get("refresh_token") ?? "");
        if (!owner || !users.has(owner)) return unauthorized("invalid refresh token");
        subject = owner;
        rec.username = owner;
      } else {
        return reply(400, { error: "unsupported_grant_type" });
      }
    }

    if (rec.service !== undefined && rec.service !== service) {
      return reply(400, { errors: [{ code: "DENIED", message: `unknown service ${rec.service}` }] });
    }

    const user = subject ? users.get(subject) : undefined;
    const granted = rec.scopes
      .map(parseScope)
      .filter((s): s is ScopeRequest => s !== undefined)
      .map((s) => ({
        type: s.type,
        name: s.name,
        actions: acrPrincipal ? acrGrant(s, acrPrincipal) : policy(s, subject, user),
      }));
    rec.subject = subject;
    rec.granted = granted;

    const token = signToken(subject, granted);
    const body: Record<string, unknown> = {
      token,
      access_token: token,
      expires_in: ttl,
      issued_at: new Date().toISOString(),
    };
    // A refresh token is handed out when asked for (docker/containerd "offline" access) and on refresh; an
    // ACR refresh token is only ever minted by /oauth2/exchange.
    if (acrPrincipal) {
      if (rec.grantType === "refresh_token") body.refresh_token = params.get("refresh_token");
    } else if (subject && (rec.offline || rec.grantType === "refresh_token")) {
      body.refresh_token =
        rec.grantType === "refresh_token" ? params.get("refresh_token") : issueRefreshToken(subject);
    }
    reply(200, body);
  }

  /** POST /oauth2/exchange: an Entra ID access token for an ACR refresh token. */
  async function acrExchange(
    req: IncomingMessage,
    rec: TokenRequestRecord,
    reply: (status: number, body: unknown, headers?: Record<string, string>) => void,
  ): Promise<void> {
    const acrError = (status: number, code: string, message: string): void =>
      reply(status, { errors: [{ code, message }] });
    if (req.method !== "POST") return acrError(405, "UNSUPPORTED", "method not allowed");
    const params = new URLSearchParams(await readBody(req));
    const grantType = params.get("grant_type") ?? "";
    rec.grantType = grantType;
    rec.service = params.get("service") ?? undefined;
    rec.tenant = params.get("tenant") ?? undefined;
    rec.credential = params.has("access_token") ? "access_token" : "none";
    if (grantType !== "access_token" && grantType !== "access_token_refresh_token") {
      return acrError(400, "UNSUPPORTED", `grant_type ${grantType} is not supported`);
    }
    if (rec.service !== service) return acrError(400, "DENIED", `unknown service ${rec.service ?? ""}`);
    const principal = await opts.acr?.verifyEntraToken(params.get("access_token") ?? "");
    if (!principal) return acrError(401, "UNAUTHORIZED", "the access token is invalid or expired");
    if (rec.tenant !== undefined && rec.tenant !== principal.tenantId) {
      return acrError(401, "UNAUTHORIZED", "the access token is for another tenant");
    }
    rec.subject = principal.objectId;
    if (!acrRoleOf(principal)) {
      return acrError(
        401,
        "UNAUTHORIZED",
        "authentication required, visit https://aka.ms/acr/authorization for more information.",
      );
    }
    reply(200, { refresh_token: issueAcrRefreshToken(principal) });
  }

  const server = createServer(
    { cert: readFileSync(opts.tlsCertFile), key: readFileSync(opts.tlsKeyFile) },
    (req, res) => {
      handle(req, res).catch((e: unknown) => {
        if (!res.headersSent) send(res, 500, { errors: [{ code: "INTERNAL", message: String(e) }] });
        else res.destroy();
      });
    },
  );
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, LOOPBACK, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const url = `https://${LOOPBACK}:${port}`;

  return {
    realm: `${url}/token`,
    url,
    port,
    issuer,
    service,
    signing: opts.signing,
    requests: () => [...log],
    clearRequests: () => {
      log.length = 0;
    },
    setUser: (user) => {
      users.set(user.username, user);
    },
    removeUser: (username) => {
      users.delete(username);
    },
    issueRefreshToken,
    revokeRefreshToken: (token) => {
      refreshTokens.delete(token);
    },
    signToken,
    setAcrRole: (principalId, role) => {
      if (role) acrRoles.set(principalId, role);
      else acrRoles.delete(principalId);
    },
    failAcr: (fault) => {
      acrFaults.push({ ...fault });
    },
    setAcrDelay: (ms) => {
      acrDelayMs = ms;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
