/**
 * A layout declares the *kind* of credential a registry will get, never its value. To judge the kind with the
 * same rules and words `secret inspect` uses, each kind is mapped to a placeholder of its documented shape and
 * classified by `tokens.classifyToken`; `tokens.assessPullCredential` then says whether the registry accepts it.
 * The placeholders are fixed, public strings (zeros), not secrets.
 */
import type { RegistryHostInfo } from "../hosts/index.js";
import { assessPullCredential, classifyToken } from "../tokens/index.js";
import type { PullAcceptance, TokenInfo } from "../tokens/index.js";
import type { CredentialType } from "./layout-types.js";

const PLACEHOLDER_VALUES: Record<CredentialType, string> = {
  "classic-pat": `ghp_${"0".repeat(36)}`,
  "fine-grained-pat": `github_pat_${"0".repeat(22)}_${"0".repeat(59)}`,
  "github-app": `ghs_${"0".repeat(36)}`,
  "github-actions-token": `ghs_${"0".repeat(36)}`,
  "dockerhub-pat": `dckr_pat_${"0".repeat(27)}`,
  password: "placeholder-password",
  "robot-account": "placeholder-password",
  "access-token": "placeholder-password",
  "acr-scoped-token": "placeholder-password",
  "acr-service-principal": "placeholder-password",
  "acr-admin-user": "placeholder-password",
};

/** Human names of the declared kinds, for plan texts. */
export const CREDENTIAL_TYPE_LABELS: Record<CredentialType, string> = {
  "classic-pat": "classic personal access token",
  "fine-grained-pat": "fine-grained personal access token",
  "github-app": "GitHub App installation token",
  "github-actions-token": "GitHub Actions GITHUB_TOKEN",
  "dockerhub-pat": "Docker Hub personal access token",
  password: "password",
  "robot-account": "robot account",
  "access-token": "access token",
  "acr-scoped-token": "ACR repository-scoped token",
  "acr-service-principal": "service principal",
  "acr-admin-user": "ACR admin user",
};

/** "a classic personal access token", "an ACR admin user". */
export function withArticle(label: string): string {
  return `${/^[aeiouAEIOU]/.test(label) ? "an" : "a"} ${label}`;
}

/** The end of the day an `expires: YYYY-MM-DD` date names, in UTC; undefined for an impossible date. */
export function expiryInstant(expires: string | undefined): Date | undefined {
  if (expires === undefined) return undefined;
  const date = new Date(`${expires}T23:59:59Z`);
  if (Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== expires) return undefined;
  return date;
}

export function declaredTokenInfo(type: CredentialType, expires?: string): TokenInfo {
  const info = classifyToken({ password: PLACEHOLDER_VALUES[type] });
  const expiresAt = expiryInstant(expires);
  return expiresAt ? { ...info, expiresAt } : info;
}

export interface DeclaredCredential {
  readonly type: CredentialType;
  readonly username?: string;
  readonly expires?: string;
}

/** Would `registry` accept a credential of this declared kind for pulls at `now`? */
export function assessDeclaredCredential(
  registry: RegistryHostInfo,
  credential: DeclaredCredential,
  now: Date,
): PullAcceptance {
  const username =
    credential.username ??
    (credential.type === "acr-admin-user" && registry.kind === "acr" ? registry.registryName : undefined);
  return assessPullCredential({
    registry,
    ...(username !== undefined ? { username } : {}),
    token: declaredTokenInfo(credential.type, credential.expires),
    now,
  });
}

/**
 * Why ghcr.io takes only classic PATs, in the words `tokens` uses for the two rejected kinds, plus its fix.
 * Used by the GHCR decision so the plan explains the rule even when the layout declares the right kind.
 */
export function ghcrTokenRules(registry: RegistryHostInfo, now: Date): { rejected: string[]; fix: string } {
  const fineGrained = assessDeclaredCredential(registry, { type: "fine-grained-pat" }, now);
  const app = assessDeclaredCredential(registry, { type: "github-app" }, now);
  return { rejected: [fineGrained.reason, app.reason], fix: fineGrained.fix ?? "" };
}
