/**
 * Why an ACR credential could not be minted: the cloud sources' CloudCredentialError (exit 4, `identity`,
 * `retryable`) with a stable ACR or Azure code (docs/exit-codes.md), whether trying again can help decided by
 * the code, and how long the registry asked a caller to wait.
 */
import { CloudCredentialError } from "../../errors.js";
import type { PullwardenErrorOptions } from "../../errors.js";

export type AcrErrorCode =
  /** No link of the identity chain could give an Entra ID token (the message names each link and why). */
  | "E_AZURE_NO_IDENTITY"
  /** Managed identity was asked for, but the instance metadata service did not answer. */
  | "E_AZURE_IMDS_UNAVAILABLE"
  /** The federated (Kubernetes ServiceAccount) token is expired, before or as Entra ID said. */
  | "E_AZURE_FEDERATED_EXPIRED"
  /** Entra ID (or IMDS) refused to issue a token for another reason. */
  | "E_AZURE_IDENTITY"
  /** ACR refused the Entra ID token (401/403 at /oauth2/exchange or /oauth2/token): AcrPull is missing. */
  | "E_ACR_PULL_DENIED"
  /** ACR answered 429. */
  | "E_ACR_THROTTLED"
  /** ACR answered 5xx, or could not be reached. */
  | "E_ACR_UNAVAILABLE"
  /** ACR or the identity endpoint did not answer within the deadline. */
  | "E_ACR_TIMEOUT"
  /** ACR's answer is not what its protocol says (not JSON, no token, too large, a redirect). */
  | "E_ACR_RESPONSE"
  /** The refresh token ACR returned is already expired by this machine's clock. */
  | "E_ACR_CLOCK_SKEW";

const RETRYABLE: ReadonlySet<AcrErrorCode> = new Set([
  "E_AZURE_IMDS_UNAVAILABLE",
  "E_ACR_THROTTLED",
  "E_ACR_UNAVAILABLE",
  "E_ACR_TIMEOUT",
]);

export interface AcrErrorOptions extends PullwardenErrorOptions {
  /** Who asked (`managed identity (client id …)`); never a secret. */
  identity?: string;
  /** Seconds the registry asked to wait (`Retry-After`). */
  retryAfterSeconds?: number;
}

export class AcrCredentialError extends CloudCredentialError {
  declare readonly code: AcrErrorCode;
  readonly retryAfterSeconds: number | undefined;

  constructor(code: AcrErrorCode, message: string, options: AcrErrorOptions = {}) {
    const { retryAfterSeconds, ...rest } = options;
    // retryable: the same call may succeed later without a change (throttling, 5xx, timeouts, IMDS hiccups).
    super(code, message, { ...rest, retryable: RETRYABLE.has(code) });
    this.retryAfterSeconds = retryAfterSeconds;
  }
}
