/**
 * What ECR's GetAuthorizationToken answers, turned into a registry credential. The answer is
 * `authorizationData: [{authorizationToken, expiresAt, proxyEndpoint}]` (one per registry id asked for); the token
 * is standard base64 of `AWS:<password>`, decoded as kubernetes/cloud-provider-aws' ecr-credential-provider does
 * (`base64.StdEncoding.DecodeString`, then split on the first ':'). The expiry is the answer's `expiresAt`, never
 * an assumed 12 hours. A malformed answer is an error that never shows the token.
 */
import { decodeGoBase64 } from "../../dockerconfig/go-base64.js";
import { CloudCredentialError } from "../../errors.js";

/** One entry of the answer, as the SDK types it. */
export interface AuthorizationData {
  readonly authorizationToken?: string | undefined;
  readonly expiresAt?: Date | undefined;
  readonly proxyEndpoint?: string | undefined;
}

export interface EcrLogin {
  readonly username: string;
  readonly password: string;
  /** When ECR says the token stops working; undefined when the answer did not say. */
  readonly expiresAt: Date | undefined;
}

function malformed(why: string, identity: string): CloudCredentialError {
  return new CloudCredentialError("E_ECR_RESPONSE", `ECR GetAuthorizationToken answered ${why}`, {
    identity,
    hint: "retry; if it persists, the endpoint is not ECR's API (check AWS_ENDPOINT_URL_ECR and any proxy)",
  });
}

/**
 * The login an answer holds: the entry of `accountId` (its proxyEndpoint names it) when several came back,
 * else the only one. `identity` is named in errors.
 */
export function loginFromAuthorizationData(
  entries: readonly AuthorizationData[] | undefined,
  accountId: string | undefined,
  identity: string,
): EcrLogin {
  if (entries === undefined || entries.length === 0) throw malformed("no authorizationData", identity);
  const entry =
    entries.length === 1
      ? entries[0]
      : entries.find((candidate) => candidate.proxyEndpoint?.includes(`//${accountId ?? ""}.`));
  if (entry === undefined) {
    throw malformed(
      `${entries.length} authorizationData entries, none for account ${accountId ?? "?"}`,
      identity,
    );
  }
  const token = entry.authorizationToken;
  if (typeof token !== "string" || token === "") throw malformed("no authorizationToken", identity);
  const decoded = decodeGoBase64(token, "std");
  if (!decoded.ok)
    throw malformed(`an authorizationToken that is not standard base64 (${decoded.failure})`, identity);
  const text = new TextDecoder("utf-8", { fatal: false }).decode(decoded.bytes);
  const colon = text.indexOf(":");
  if (colon <= 0 || colon === text.length - 1) {
    throw malformed("an authorizationToken that is not user:password", identity);
  }
  const expiresAt = entry.expiresAt;
  if (expiresAt !== undefined && (!(expiresAt instanceof Date) || Number.isNaN(expiresAt.getTime()))) {
    throw malformed("an expiresAt that is not a time", identity);
  }
  return { username: text.slice(0, colon), password: text.slice(colon + 1), expiresAt };
}
