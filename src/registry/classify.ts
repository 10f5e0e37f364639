/**
 * Pure classification of registry answers into access outcomes: a manifest request's status, error body and
 * challenge given how it was authorized, and a token endpoint's failure given which grant was used.
 *
 * The blurring rules (wire-specs §7): a token endpoint returns the *intersection* of what was asked and what
 * is granted, so a token without pull access is not an error there; the registry then answers 401
 * `insufficient_scope` for a repository you may not read AND for one that does not exist. Likewise 403 DENIED
 * (GHCR) and 401 to an anonymous client cover "private" and "missing" alike. Only a 404 after authorization,
 * or a credential refused at the token endpoint, is unambiguous.
 */
import type { Challenge } from "./challenge.js";
import { hasErrorCode } from "./registry-errors.js";
import type { RegistryErrorEntry } from "./registry-errors.js";
import type { AuthMode, NotFoundWhat, RegistryErrorReason, UnauthorizedReason } from "./types.js";

export type Classification =
  | { outcome: "unauthorized"; reason: UnauthorizedReason; blurred: boolean; note?: string; message: string }
  | { outcome: "denied"; blurred: boolean; note?: string; message: string }
  | { outcome: "not-found"; what: NotFoundWhat; blurred: boolean; note?: string; message: string }
  | { outcome: "rate-limited"; retryAfterSeconds?: number; blurred: false; message: string }
  | {
      outcome: "registry-error";
      reason: RegistryErrorReason;
      code?: string;
      blurred: false;
      note?: string;
      message: string;
    };

export const BLUR_NOTES = {
  anonymous: "Without a credential the registry does not tell a private repository from a missing one.",
  insufficientScope:
    "The registry answers 401 insufficient_scope both for a repository this credential may not pull and for one that does not exist: denied or not found.",
  forbidden:
    "Registries (GHCR among them) answer 403 both for a repository this credential may not pull and for one that does not exist: denied or not found.",
} as const;

export interface ManifestAnswer {
  status: number;
  errors: readonly RegistryErrorEntry[];
  /** Challenges of this response (`WWW-Authenticate`). */
  challenges: readonly Challenge[];
  /** How the request was authorized. */
  auth: AuthMode;
  /** Whether the check had a credential (even if it was not sent). */
  hasCredential: boolean;
  /** What the reference names: a tag or a digest. */
  reference: "tag" | "digest";
  /** The repository path and the tag/digest, for messages. */
  path: string;
  ref: string;
  retryAfterSeconds?: number;
  /**
   * host[:port] of the redirect target that answered, when the request's Authorization was withheld from it
   * (credentials never follow a redirect to another origin): a 401/403 then says nothing about the credential.
   */
  withheldBy?: string;
}

/** A 401/403 from a redirect target that was not sent the credential: not the credential's fault. */
function withheldOnRedirect(
  who: "registry" | "token service",
  withheldBy: string,
  detail: string,
): Classification {
  return {
    outcome: "unauthorized",
    reason: "credential-withheld-on-redirect",
    blurred: false,
    message: `the ${who} redirected the request to ${withheldBy}, which answered ${detail} without having received the credential (credentials are never sent to another host); the credential itself was not tested`,
  };
}

function codeSuffix(errors: readonly RegistryErrorEntry[]): string {
  const first = errors[0];
  return first ? ` (${first.code}${first.message ? `: ${first.message}` : ""})` : "";
}

/** Classifies a non-2xx answer to a manifest HEAD/GET. */
export function classifyManifestAnswer(a: ManifestAnswer): Classification {
  const detail = `HTTP ${a.status}${codeSuffix(a.errors)}`;
  const anonymous = a.auth === "none" || a.auth === "anonymous-token";
  if (a.status === 401 || a.status === 403) {
    if (a.withheldBy !== undefined) return withheldOnRedirect("registry", a.withheldBy, detail);
    if (anonymous && !a.hasCredential) {
      return {
        outcome: "unauthorized",
        reason: "no-credential",
        blurred: true,
        note: BLUR_NOTES.anonymous,
        message: `the registry requires a credential to pull ${a.path} and none was given (${detail})`,
      };
    }
    if (a.status === 401 && a.auth === "basic") {
      return {
        outcome: "unauthorized",
        reason: "credential-rejected",
        blurred: false,
        message: `the registry rejected the credential (${detail})`,
      };
    }
    if (a.status === 401 && a.auth === "token") {
      const bearer = a.challenges.find((c) => c.scheme === "bearer");
      if (bearer?.params.error === "invalid_token") {
        return {
          outcome: "registry-error",
          reason: "token-rejected",
          blurred: false,
          message: `the registry refused the token issued by its own token service (${detail}, invalid_token)`,
        };
      }
      return {
        outcome: "denied",
        blurred: true,
        note: BLUR_NOTES.insufficientScope,
        message: `the credential was accepted but the token grants no pull access to ${a.path} (${detail}${
          bearer?.params.error ? `, ${bearer.params.error}` : ""
        })`,
      };
    }
    if (a.status === 401) {
      // A credential was at hand but not usable for what the registry asked (e.g. Basic vs identity token).
      return {
        outcome: "unauthorized",
        reason: "credential-unsupported",
        blurred: false,
        message: `the registry requires a credential this check could not present (${detail})`,
      };
    }
    return {
      outcome: "denied",
      blurred: true,
      note: BLUR_NOTES.forbidden,
      message: `access to ${a.path} is denied (${detail})`,
    };
  }
  if (a.status === 404) {
    let what: NotFoundWhat = "unknown";
    if (hasErrorCode(a.errors, "NAME_UNKNOWN")) what = "repository";
    else if (hasErrorCode(a.errors, "MANIFEST_UNKNOWN")) what = a.reference;
    const subject =
      what === "repository"
        ? `repository ${a.path}`
        : what === "unknown"
          ? `${a.path}:${a.ref}`
          : `${what} ${a.ref} in ${a.path}`;
    return { outcome: "not-found", what, blurred: false, message: `${subject} not found (${detail})` };
  }
  if (a.status === 429) {
    return {
      outcome: "rate-limited",
      blurred: false,
      ...(a.retryAfterSeconds !== undefined ? { retryAfterSeconds: a.retryAfterSeconds } : {}),
      message: `the registry is rate-limiting (${detail}${
        a.retryAfterSeconds !== undefined ? `, retry after ${a.retryAfterSeconds} s` : ""
      })`,
    };
  }
  const code = a.errors[0]?.code;
  return {
    outcome: "registry-error",
    reason: a.status >= 500 ? "server-error" : "unexpected-status",
    ...(code ? { code } : {}),
    blurred: false,
    message: `the registry answered ${detail}`,
  };
}

export interface TokenAnswer {
  status: number;
  errors: readonly RegistryErrorEntry[];
  grant: "anonymous" | "basic" | "refresh_token";
  retryAfterSeconds?: number;
  /** OAuth2 error code (`invalid_grant` ...) from a JSON `{"error": ...}` body, if any. */
  oauthError?: string;
  /** As in ManifestAnswer: the redirect target the credential was withheld from. */
  withheldBy?: string;
}

/** Classifies a failed token request (any status but 2xx). */
export function classifyTokenAnswer(a: TokenAnswer): Classification {
  const detail = `HTTP ${a.status}${codeSuffix(a.errors)}${a.oauthError ? ` (${a.oauthError})` : ""}`;
  const refused =
    a.status === 401 ||
    a.status === 403 ||
    (a.grant === "refresh_token" && a.status === 400 && a.oauthError !== "unsupported_grant_type");
  if (refused) {
    if (a.withheldBy !== undefined && (a.status === 401 || a.status === 403)) {
      return withheldOnRedirect("token service", a.withheldBy, detail);
    }
    if (a.grant === "anonymous") {
      return {
        outcome: "unauthorized",
        reason: "no-credential",
        blurred: false,
        message: `the token service refuses anonymous tokens (${detail})`,
      };
    }
    return {
      outcome: "unauthorized",
      reason: "credential-rejected",
      blurred: false,
      message: `the token service rejected the ${a.grant === "basic" ? "username and password" : "identity token"} (${detail})`,
    };
  }
  if (a.status === 429) {
    return {
      outcome: "rate-limited",
      blurred: false,
      ...(a.retryAfterSeconds !== undefined ? { retryAfterSeconds: a.retryAfterSeconds } : {}),
      message: `the token service is rate-limiting (${detail})`,
    };
  }
  const code = a.errors[0]?.code;
  return {
    outcome: "registry-error",
    reason: a.status >= 500 ? "server-error" : "unexpected-status",
    ...(code ? { code } : {}),
    blurred: false,
    message: `the token service answered ${detail}`,
  };
}
