/**
 * Failures below HTTP (TLS, connection, DNS, timeouts) and of the transport's own rules (redirects), as one
 * EnvironmentError subclass with a stable `kind`/`reason`. `classifyNetworkError` maps Node's error codes;
 * it is pure so the mapping is tested by table.
 */
import { EnvironmentError } from "../errors.js";
import type { PullwardenErrorOptions } from "../errors.js";
import { redactUrl } from "./redact.js";

export type TlsReason = "unknown-authority" | "hostname-mismatch" | "expired" | "other";
export type NetworkReason = "dns" | "refused" | "timeout" | "reset" | "unreachable" | "other";
export type RedirectReason = "too-many-redirects" | "forbidden-redirect" | "bad-redirect";

export type TransportFailure =
  | { kind: "tls"; reason: TlsReason; code?: string }
  /** An HTTPS request answered by a plain-HTTP server (OpenSSL "wrong version number"). */
  | { kind: "plain-http"; reason: "server-speaks-http"; code?: string }
  | { kind: "network"; reason: NetworkReason; code?: string }
  | { kind: "redirect"; reason: RedirectReason; code?: string };

const UNKNOWN_AUTHORITY = new Set([
  "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
  "SELF_SIGNED_CERT_IN_CHAIN",
  "DEPTH_ZERO_SELF_SIGNED_CERT",
  "UNABLE_TO_GET_ISSUER_CERT_LOCALLY",
  "UNABLE_TO_GET_ISSUER_CERT",
  "CERT_UNTRUSTED",
  "CERT_SIGNATURE_FAILURE",
]);
const EXPIRED = new Set(["CERT_HAS_EXPIRED", "CERT_NOT_YET_VALID"]);
const NETWORK: Record<string, NetworkReason> = {
  ENOTFOUND: "dns",
  EAI_AGAIN: "dns",
  EAI_FAIL: "dns",
  EAI_NONAME: "dns",
  ECONNREFUSED: "refused",
  ETIMEDOUT: "timeout",
  ESOCKETTIMEDOUT: "timeout",
  ECONNRESET: "reset",
  EPIPE: "reset",
  ECONNABORTED: "reset",
  UND_ERR_SOCKET: "reset",
  EHOSTUNREACH: "unreachable",
  ENETUNREACH: "unreachable",
  EHOSTDOWN: "unreachable",
  ENETDOWN: "unreachable",
};

/** Maps a Node networking error (by `code`, and the OpenSSL text for EPROTO) to a transport failure. */
export function classifyNetworkError(error: unknown): TransportFailure {
  if (error instanceof TransportError) return error.failure;
  const e = (typeof error === "object" && error !== null ? error : {}) as {
    code?: unknown;
    message?: unknown;
  };
  const code = typeof e.code === "string" ? e.code : undefined;
  const message = typeof e.message === "string" ? e.message : "";
  const withCode = <T extends TransportFailure>(f: T): T => (code ? { ...f, code } : f);
  if (code && UNKNOWN_AUTHORITY.has(code)) return withCode({ kind: "tls", reason: "unknown-authority" });
  if (code === "ERR_TLS_CERT_ALTNAME_INVALID") return withCode({ kind: "tls", reason: "hostname-mismatch" });
  if (code && EXPIRED.has(code)) return withCode({ kind: "tls", reason: "expired" });
  if (
    code === "ERR_SSL_WRONG_VERSION_NUMBER" ||
    code === "ERR_SSL_PACKET_LENGTH_TOO_LONG" ||
    (code === "EPROTO" && /wrong version number|packet length too long|record layer failure/i.test(message))
  ) {
    return withCode({ kind: "plain-http", reason: "server-speaks-http" });
  }
  if (code && NETWORK[code]) return withCode({ kind: "network", reason: NETWORK[code] });
  if (
    code === "EPROTO" ||
    code?.startsWith("ERR_SSL_") ||
    code?.startsWith("ERR_TLS_") ||
    code?.startsWith("CERT_") ||
    /certificate|ssl|tls/i.test(message)
  ) {
    return withCode({ kind: "tls", reason: "other" });
  }
  if (/socket hang up/i.test(message)) return withCode({ kind: "network", reason: "reset" });
  return withCode({ kind: "network", reason: "other" });
}

const DESCRIPTIONS: Record<string, string> = {
  "tls/unknown-authority": "TLS certificate signed by an unknown authority",
  "tls/hostname-mismatch": "TLS certificate is not valid for this host name",
  "tls/expired": "TLS certificate expired or not yet valid",
  "tls/other": "TLS handshake failed",
  "plain-http/server-speaks-http": "server gave an HTTP response to an HTTPS request",
  "network/dns": "host name does not resolve",
  "network/refused": "connection refused",
  "network/timeout": "timed out",
  "network/reset": "connection reset",
  "network/unreachable": "network unreachable",
  "network/other": "network error",
  "redirect/too-many-redirects": "too many redirects",
  "redirect/forbidden-redirect":
    "redirect refused (to a link-local or metadata address, or a request body to another origin)",
  "redirect/bad-redirect": "redirect to an invalid or non-HTTP location",
};

export function describeFailure(f: TransportFailure): string {
  return DESCRIPTIONS[`${f.kind}/${f.reason}`] ?? `${f.kind} error`;
}

/** A request that got no HTTP response. The message names the method and the redacted URL, never secrets. */
export class TransportError extends EnvironmentError {
  readonly failure: TransportFailure;
  /** The redacted URL of the failed request. */
  readonly url: string;
  readonly method: string;

  constructor(
    failure: TransportFailure,
    method: string,
    url: string | URL,
    options: PullwardenErrorOptions = {},
  ) {
    const safeUrl = redactUrl(url);
    super(
      `E_REGISTRY_${failure.kind.toUpperCase().replace("-", "_")}`,
      `${method} ${safeUrl}: ${describeFailure(failure)}${failure.code ? ` (${failure.code})` : ""}`,
      options,
    );
    this.failure = failure;
    this.url = safeUrl;
    this.method = method;
  }
}
