/**
 * Types of offline credential classification. Nothing in these values ever holds the secret: labels,
 * notes, reasons and fixes are fixed texts; JWT claims are copied only for the non-secret registered
 * claims (`iss`, `sub`, `aud`, times), truncated and stripped of control characters.
 */
import type { RegistryHostInfo } from "../hosts/index.js";

export type TokenKind =
  | "github-classic-pat"
  | "github-fine-grained-pat"
  | "github-installation-or-actions"
  | "github-oauth"
  | "github-user-to-server"
  | "github-refresh"
  | "dockerhub-pat"
  | "gitlab-pat"
  | "ecr-token"
  | "acr-refresh-token"
  | "jwt"
  | "password"
  | "empty";

/**
 * A finer, machine-readable shape inside a `TokenKind` (an addition to the brief's `TokenInfo`):
 * - `ghs-stateless`: the 2026 stateless installation-token format `ghs_<APPID>_<JWT>` (never parsed).
 * - `ecr-authorization-token`: the whole `authorizationToken` (base64 of `AWS:<password>`) was given
 *   as the password; it belongs in a docker-config `auth` field, not in `password`.
 * - `acr-access-token`: an ACR-issued JWT that carries `access` (an access token), not a refresh token.
 * - `entra-id-token`: a Microsoft Entra ID (AAD) token, which ACR needs exchanged first.
 * - `legacy-github-token-shape`: 40 hex characters, the pre-2021 unprefixed GitHub token format.
 * - `malformed`: the prefix or JWT header matched but the rest does not have the expected shape.
 */
export type TokenVariant =
  | "ghs-stateless"
  | "ecr-authorization-token"
  | "acr-access-token"
  | "entra-id-token"
  | "legacy-github-token-shape"
  | "malformed";

export interface TokenInfo {
  kind: TokenKind;
  /** Human text such as "GitHub personal access token (classic)"; never contains the secret. */
  label: string;
  variant?: TokenVariant;
  expiresAt?: Date;
  issuedAt?: Date;
  notBefore?: Date;
  /** Non-secret JWT claims, only when present (and strings). */
  subject?: string;
  issuer?: string;
  /** `aud`; an array audience is joined with ", ". */
  audience?: string;
  /** Advice and observations; never the secret. */
  notes: string[];
}

export interface ClassifyTokenInput {
  username?: string;
  password: string;
}

export type PullVerdict = "accepted" | "rejected" | "unknown" | "expired" | "not-yet-valid";

export interface PullAcceptance {
  verdict: PullVerdict;
  /** Why; never contains the secret. */
  reason: string;
  /** What to do next. Always set by `assessPullCredential`, optional in the type for callers building their own. */
  fix?: string;
}

export interface AssessPullCredentialInput {
  registry: RegistryHostInfo;
  username?: string;
  token: TokenInfo;
  now: Date;
  /**
   * Set when the pull happens inside the GitHub Actions job that minted the token (e.g. a kind
   * cluster in CI). Only then can a `ghs_` token be the job's GITHUB_TOKEN that GHCR accepts.
   * Default false: a Kubernetes pull secret is used outside any Actions run.
   */
  insideGithubActionsRun?: boolean;
}
