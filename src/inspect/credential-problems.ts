/**
 * Problems about the credential itself (as opposed to the document's shape): expired or not-yet-valid tokens,
 * credential kinds the registry rejects (a GitHub App token or fine-grained PAT on GHCR), static ECR tokens
 * that die within 12 hours. Codes are stable and documented in docs/secret-inspect.md.
 */
import type { Problem } from "../dockerconfig/index.js";
import type { PullAcceptance, TokenInfo } from "../tokens/index.js";

export type InspectProblemCode =
  | "credential-expired"
  | "credential-not-yet-valid"
  | "credential-rejected-by-registry"
  | "credential-expires-soon"
  | "static-short-lived-token";

/** A document problem from the dockerconfig parser, or a credential problem with the fix to apply. */
export type InspectProblem = (Problem | (Omit<Problem, "code"> & { code: InspectProblemCode })) & {
  fix?: string;
};

const SOON_MS = 7 * 24 * 3600 * 1000;

export function credentialProblems(
  key: string,
  token: TokenInfo,
  acceptance: PullAcceptance,
  now: Date,
): InspectProblem[] {
  const fix = acceptance.fix ? { fix: acceptance.fix } : {};
  const message = acceptance.reason.replace(/\.$/, "");
  switch (acceptance.verdict) {
    case "expired":
      return [{ severity: "error", code: "credential-expired", key, message, ...fix }];
    case "not-yet-valid":
      return [{ severity: "warning", code: "credential-not-yet-valid", key, message, ...fix }];
    case "rejected":
      return [{ severity: "error", code: "credential-rejected-by-registry", key, message, ...fix }];
    default:
      break;
  }
  const problems: InspectProblem[] = [];
  if (token.kind === "ecr-token" || token.kind === "acr-refresh-token") {
    problems.push({
      severity: "warning",
      code: "static-short-lived-token",
      key,
      message: `${token.label} in a static secret stops working when it expires; keep it fresh with rotation or use node identity`,
    });
  } else if (token.expiresAt && token.expiresAt.getTime() - now.getTime() < SOON_MS) {
    problems.push({
      severity: "warning",
      code: "credential-expires-soon",
      key,
      message: `${token.label} expires ${token.expiresAt.toISOString()}`,
    });
  }
  return problems;
}
