/**
 * The values of an access check. `AccessResult` is a discriminated union on `outcome` (stable strings, also
 * used in JSON output); every variant carries a one-line `fix`, a `steps` trace and a `blurred` flag.
 * Nothing in a result is secret: URLs are redacted, registry messages are redacted and shortened.
 */
import type { Platform } from "./platform.js";
import type { RealmProblem } from "./realm.js";
import type { NetworkReason, RedirectReason, TlsReason } from "./transport-error.js";

/** An image to check, shaped like `ImageReference` from src/reference. */
export interface ImageTarget {
  /** Registry host[:port] as in the reference; "docker.io" is Docker Hub. */
  readonly domain: string;
  /** Repository path, e.g. "library/nginx". */
  readonly path: string;
  readonly tag?: string;
  readonly digest?: string;
}

/**
 * A credential for one registry: a username and password (or token used as a password, e.g. ECR's `AWS` user
 * or a GHCR PAT), or an identity token (OAuth2 refresh token, docker config `identitytoken`).
 */
export type RegistryCredential =
  | { username: string; password: string }
  | {
      identityToken: string;
      /**
       * Used only when the token endpoint refuses the OAuth2 POST (404/405) and a GET with Basic is tried:
       * Basic `username:identityToken` (ACR uses 00000000-0000-0000-0000-000000000000). Default "" (as containerd).
       */
      username?: string;
    };

/** How the manifest request was authorized. */
export type AuthMode = "none" | "basic" | "anonymous-token" | "token";

export const AccessOutcome = {
  ok: "ok",
  unauthorized: "unauthorized",
  denied: "denied",
  notFound: "not-found",
  platformMissing: "platform-missing",
  tls: "tls",
  plainHttp: "plain-http",
  network: "network",
  rateLimited: "rate-limited",
  registryError: "registry-error",
  badRealm: "bad-realm",
} as const;
export type AccessOutcome = (typeof AccessOutcome)[keyof typeof AccessOutcome];

export type UnauthorizedReason =
  | "no-credential"
  | "credential-rejected"
  | "credential-unsupported"
  /** The answer came from another host after a redirect, which was (rightly) not sent the credential. */
  | "credential-withheld-on-redirect";
export type NotFoundWhat = "repository" | "tag" | "digest" | "unknown";
export type PlainHttpReason = "server-speaks-http" | "server-requires-https";
export type RegistryErrorReason =
  | "server-error"
  | "unexpected-status"
  | "unsupported-challenge"
  | "bad-token-response"
  | "token-rejected"
  | "body-too-large"
  | "bad-manifest"
  | RedirectReason;

export type AccessStepName = "ping" | "challenge" | "token" | "manifest" | "tags" | "config" | "platform";

/** One line of the trace: what was asked and what came back (URLs without query strings). */
export interface AccessStep {
  step: AccessStepName;
  method?: string;
  url?: string;
  status?: number;
  /** e.g. `bearer realm=https://auth/token service=reg`, `anonymous GET`, `TLS certificate ... (CODE)`. */
  detail?: string;
}

interface ResultBase {
  /** The image as checked, e.g. `127.0.0.1:5000/org/app:1.0`. */
  image: string;
  /** host[:port] contacted (Docker Hub: registry-1.docker.io). */
  registry: string;
  /** One line saying what happened. */
  message: string;
  /** One line saying what to do (stable per outcome and reason; see ACCESS_FIXES). */
  fix: string;
  /**
   * The registry's answer does not tell several outcomes apart (registries blur 401/403/404 on purpose so as
   * not to reveal which private repositories exist); `note` says which.
   */
  blurred: boolean;
  note?: string;
  steps: AccessStep[];
}

export interface OkResult extends ResultBase {
  outcome: "ok";
  /** Digest of the manifest (or index) the reference resolves to; "" in the rare case no way gave it. */
  digest: string;
  /** Its media type (Content-Type without parameters). */
  mediaType: string;
  auth: AuthMode;
  /** With `platform` requested: the platform found and, for an index, its manifest's digest. */
  platform?: { requested: Platform; matched: Platform; digest?: string };
}

export interface UnauthorizedResult extends ResultBase {
  outcome: "unauthorized";
  reason: UnauthorizedReason;
  status?: number;
}

export interface DeniedResult extends ResultBase {
  outcome: "denied";
  status?: number;
}

export interface NotFoundResult extends ResultBase {
  outcome: "not-found";
  what: NotFoundWhat;
  status?: number;
}

export interface PlatformMissingResult extends ResultBase {
  outcome: "platform-missing";
  platform: Platform;
  available: Platform[];
  digest: string;
  mediaType: string;
}

export interface TlsResult extends ResultBase {
  outcome: "tls";
  reason: TlsReason;
  code?: string;
}

export interface PlainHttpResult extends ResultBase {
  outcome: "plain-http";
  reason: PlainHttpReason;
}

export interface NetworkResult extends ResultBase {
  outcome: "network";
  reason: NetworkReason;
  code?: string;
}

export interface RateLimitedResult extends ResultBase {
  outcome: "rate-limited";
  /** Seconds to wait, from `Retry-After`, when the registry sent one. */
  retryAfterSeconds?: number;
  status: number;
}

export interface RegistryErrorResult extends ResultBase {
  outcome: "registry-error";
  reason: RegistryErrorReason;
  status?: number;
  /** The registry's error code, when it sent one (e.g. `UNAVAILABLE`, `TAG_INVALID`). */
  code?: string;
}

export interface BadRealmResult extends ResultBase {
  outcome: "bad-realm";
  reason: RealmProblem;
  /** The refused realm, redacted (no query); absent when there was none. */
  realm?: string;
}

export type AccessResult =
  | OkResult
  | UnauthorizedResult
  | DeniedResult
  | NotFoundResult
  | PlatformMissingResult
  | TlsResult
  | PlainHttpResult
  | NetworkResult
  | RateLimitedResult
  | RegistryErrorResult
  | BadRealmResult;
