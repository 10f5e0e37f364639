/**
 * Offline credential classification: what kind of secret a pull credential holds, read from its shape
 * alone. Sources for the formats:
 * - GitHub prefixes: changelog 2021-03-31 "Authentication token format updates"; fine-grained PATs
 *   (changelog 2022-10-18); stateless installation tokens `ghs_<APPID>_<JWT>` (changelog 2026-04-24,
 *   2026-05-15: GitHub asks clients not to parse the JWT, so we don't).
 * - ECR: `GetAuthorizationToken` returns base64(`AWS:<password>`); the password itself is base64 JSON
 *   `{"payload","datakey","version","type":"DATA_KEY","expiration"}` (undocumented, best-effort only).
 * - ACR: refresh tokens are JWTs issued by "Azure Container Registry", used with the null-GUID username
 *   (Azure/acr `docs/AAD-OAuth.md`).
 *
 * Invariant: no returned string contains the secret. Labels and notes are fixed texts; claims are
 * copied only from decoded JWT payloads (never the encoded token) and sanitised.
 */
import { claimText, decodeJwtLoosely, numericDate } from "./jwt.js";
import type { DecodedJwt } from "./jwt.js";
import type { ClassifyTokenInput, TokenInfo, TokenKind } from "./types.js";

/** Username that tells ACR the password is an ACR refresh token (Azure/acr `docs/AAD-OAuth.md`). */
export const ACR_REFRESH_TOKEN_USERNAME = "00000000-0000-0000-0000-000000000000";

/** Username ECR expects with its authorization-token password. */
export const ECR_USERNAME = "AWS";

/** `iss` of tokens minted by ACR's `/oauth2/exchange` and `/oauth2/token`. */
export const ACR_ISSUER = "Azure Container Registry";

/** Beyond this length no decoding is attempted: real registry tokens are a few kilobytes at most. */
const MAX_DECODE_LENGTH = 64 * 1024;

interface PrefixRule {
  prefix: string;
  kind: TokenKind;
  label: string;
  /** The usual shape of the whole token; a mismatch only adds a note. */
  shape: RegExp;
  notes: string[];
}

const GHS_NOTES = [
  "ghs_ tokens are GitHub App installation tokens, and the GitHub Actions GITHUB_TOKEN is one too: the prefix cannot tell them apart.",
  "Installation tokens expire after 1 hour; a GITHUB_TOKEN expires when its job ends (at most 24 hours). Neither expiry can be read offline.",
];

// Order matters only for overlapping prefixes; none of these overlap.
const PREFIX_RULES: PrefixRule[] = [
  {
    prefix: "github_pat_",
    kind: "github-fine-grained-pat",
    label: "GitHub fine-grained personal access token",
    shape: /^github_pat_[A-Za-z0-9_]{36,251}$/,
    notes: ["GitHub Packages, including ghcr.io, does not support fine-grained personal access tokens."],
  },
  {
    prefix: "ghp_",
    kind: "github-classic-pat",
    label: "GitHub personal access token (classic)",
    shape: /^ghp_[A-Za-z0-9]{36,251}$/,
    notes: [
      "Scopes cannot be read offline: GET https://api.github.com/user with the token lists them in the X-OAuth-Scopes response header. Pulls need read:packages.",
      "A classic PAT may have an expiry date, which is not visible offline (GitHub reports it in the GitHub-Authentication-Token-Expiration response header).",
    ],
  },
  {
    prefix: "ghs_",
    kind: "github-installation-or-actions",
    label: "GitHub App installation token or Actions GITHUB_TOKEN",
    shape: /^ghs_[A-Za-z0-9._-]{36,}$/,
    notes: GHS_NOTES,
  },
  {
    prefix: "gho_",
    kind: "github-oauth",
    label: "GitHub OAuth app access token",
    shape: /^gho_[A-Za-z0-9]{36,251}$/,
    notes: ["Whether ghcr.io accepts OAuth app tokens for pulls is not documented by GitHub."],
  },
  {
    prefix: "ghu_",
    kind: "github-user-to-server",
    label: "GitHub App user access token (user-to-server)",
    shape: /^ghu_[A-Za-z0-9]{36,251}$/,
    notes: [
      "Whether ghcr.io accepts GitHub App user access tokens for pulls is not documented by GitHub.",
      "GitHub App user access tokens normally expire and must be refreshed with their ghr_ refresh token.",
    ],
  },
  {
    prefix: "ghr_",
    kind: "github-refresh",
    label: "GitHub refresh token",
    shape: /^ghr_[A-Za-z0-9]{36,251}$/,
    notes: [
      "A refresh token is exchanged at GitHub for a new user access token; it is never a registry password.",
    ],
  },
  {
    prefix: "dckr_pat_",
    kind: "dockerhub-pat",
    label: "Docker Hub personal access token",
    shape: /^dckr_pat_[A-Za-z0-9_-]{20,}$/,
    notes: [
      "The username must be the Docker ID that owns the token. For pulls, create it with the read-only access scope.",
    ],
  },
  {
    prefix: "glpat-",
    kind: "gitlab-pat",
    label: "GitLab personal access token",
    shape: /^glpat-[A-Za-z0-9_.-]{20,}$/,
    notes: [
      "GitLab container registries need the read_registry scope; a project or group deploy token limited to read_registry is a narrower alternative.",
    ],
  },
];

/** `ghs_<APPID>_<JWT>`: the 2026 stateless installation-token format (about 520 characters, two dots). */
const GHS_STATELESS = /^ghs_\d+_[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

const STD_BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;
const HEX40 = /^[0-9a-f]{40}$/;
const ENTRA_ISSUER =
  /^https:\/\/(sts\.windows\.net|login\.microsoftonline\.(com|us)|login\.chinacloudapi\.cn|sts\.chinacloudapi\.cn)\//i;

/** A TokenInfo being filled in. */
type Draft = TokenInfo;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Parse an ECR password (base64 JSON with `payload`/`datakey` or `type: "DATA_KEY"`); undefined if not one. */
function parseEcrPassword(password: string): { expiresAt?: Date; notes: string[] } | undefined {
  if (password.length < 16 || password.length % 4 !== 0 || !STD_BASE64.test(password)) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(password, "base64").toString("utf8"));
  } catch {
    return undefined;
  }
  if (!isRecord(parsed)) return undefined;
  const looksEcr =
    parsed.type === "DATA_KEY" || (typeof parsed.payload === "string" && typeof parsed.datakey === "string");
  if (!looksEcr) return undefined;
  const notes: string[] = [];
  const expiresAt = numericDate(parsed.expiration);
  if (expiresAt === undefined) {
    notes.push(
      parsed.expiration === undefined
        ? "The token carries no expiration field; its 12-hour lifetime cannot be checked offline."
        : "The token's expiration field is not a number of seconds; its expiry cannot be read.",
    );
  }
  return expiresAt === undefined ? { notes } : { expiresAt, notes };
}

/** `authorizationToken` of GetAuthorizationToken: base64 of `AWS:<ECR password>`. */
function parseEcrAuthorizationToken(password: string): { expiresAt?: Date; notes: string[] } | undefined {
  if (password.length < 16 || password.length % 4 !== 0 || !STD_BASE64.test(password)) return undefined;
  const decoded = Buffer.from(password, "base64").toString("utf8");
  if (!decoded.startsWith(`${ECR_USERNAME}:`)) return undefined;
  return parseEcrPassword(decoded.slice(ECR_USERNAME.length + 1));
}

function ecrNotes(): string[] {
  return [
    "ECR tokens live 12 hours. A token stored in a Secret must be rotated before then (a refresher job, or kubelet's ecr-credential-provider, which keeps no Secret at all).",
    "The ECR token format is undocumented; the expiry read here is best-effort (GetAuthorizationToken's expiresAt is authoritative).",
  ];
}

function applyClaims(draft: Draft, decoded: DecodedJwt): void {
  const claims = decoded.claims;
  if (claims === undefined) {
    draft.notes.push("The JWT payload is not a JSON object, so no claims (expiry, issuer) could be read.");
    return;
  }
  const times: Array<["exp" | "iat" | "nbf", "expiresAt" | "issuedAt" | "notBefore"]> = [
    ["exp", "expiresAt"],
    ["iat", "issuedAt"],
    ["nbf", "notBefore"],
  ];
  for (const [claim, field] of times) {
    const raw = claims[claim];
    if (raw === undefined) continue;
    const date = numericDate(raw);
    if (date === undefined)
      draft.notes.push(`The JWT "${claim}" claim is not a number of seconds; it was ignored.`);
    else draft[field] = date;
  }
  if (typeof claims.iss === "string") draft.issuer = claimText(claims.iss);
  if (typeof claims.sub === "string") draft.subject = claimText(claims.sub);
  if (typeof claims.aud === "string") draft.audience = claimText(claims.aud);
  else if (Array.isArray(claims.aud) && claims.aud.every((a) => typeof a === "string")) {
    draft.audience = claimText(claims.aud.join(", "));
  }
  if (claims.exp === undefined) draft.notes.push("The JWT has no exp claim: it never expires by itself.");
}

function classifyJwt(decoded: DecodedJwt, nullGuidUser: boolean): Draft {
  const draft: Draft = { kind: "jwt", label: "JSON Web Token (JWT)", notes: [] };
  applyClaims(draft, decoded);
  const claims = decoded.claims;
  const iss = claims?.iss;
  if (iss === ACR_ISSUER || (nullGuidUser && iss === undefined)) {
    draft.kind = "acr-refresh-token";
    draft.label = "Azure Container Registry refresh token";
    if (claims !== undefined && claims.access !== undefined && claims.grant_type !== "refresh_token") {
      draft.variant = "acr-access-token";
      draft.label = "Azure Container Registry access token";
      draft.notes.push(
        "This JWT carries an access claim: it is an ACR access token (short-lived, scoped to repositories), not the refresh token that docker login with the null-GUID username expects.",
      );
    } else if (iss === undefined) {
      draft.notes.push(
        "Classified from the null-GUID username only: the token has no readable issuer claim.",
      );
    }
    return draft;
  }
  if (typeof iss === "string" && ENTRA_ISSUER.test(iss)) {
    draft.variant = "entra-id-token";
    draft.label = "Microsoft Entra ID (Azure AD) access token";
    draft.notes.push(
      "ACR does not take Entra ID tokens as passwords: exchange it at https://<registry>/oauth2/exchange for an ACR refresh token first.",
    );
    return draft;
  }
  // Service-account token issuers vary per cluster (EKS, GKE, AKS, self-managed); `sub` is the reliable marker.
  if (typeof claims?.sub === "string" && claims.sub.startsWith("system:serviceaccount:")) {
    draft.label = "Kubernetes service-account token (JWT)";
    draft.notes.push(
      "A Kubernetes service-account token is not a registry credential; registries accept it only through a credential provider that exchanges it (KEP-4412).",
    );
  }
  if (decoded.alg.toLowerCase() === "none") draft.notes.push('The JWT is unsigned (alg "none").');
  return draft;
}

function classifyTrimmed(password: string, username: string | undefined): Draft {
  for (const rule of PREFIX_RULES) {
    if (!password.startsWith(rule.prefix)) continue;
    const draft: Draft = { kind: rule.kind, label: rule.label, notes: [...rule.notes] };
    if (rule.prefix === "ghs_" && GHS_STATELESS.test(password)) {
      draft.variant = "ghs-stateless";
      draft.label = "GitHub App installation token or Actions GITHUB_TOKEN (stateless format)";
      draft.notes.push(
        "Stateless installation-token format ghs_<APPID>_<JWT>: GitHub asks clients not to parse the embedded JWT, so its claims were not read.",
      );
    } else if (!rule.shape.test(password)) {
      draft.variant = "malformed";
      draft.notes.push(
        `The value starts with ${rule.prefix} but does not have the usual shape of this token type (length or characters differ): it may be truncated or contain stray characters.`,
      );
    }
    return draft;
  }

  const nullGuidUser = username?.trim().toLowerCase() === ACR_REFRESH_TOKEN_USERNAME;
  if (password.length <= MAX_DECODE_LENGTH) {
    const decoded = decodeJwtLoosely(password);
    if (decoded !== undefined) return classifyJwt(decoded, nullGuidUser);

    const ecr = parseEcrPassword(password);
    if (ecr !== undefined) {
      const draft: Draft = {
        kind: "ecr-token",
        label: "Amazon ECR authorization token (password part)",
        notes: [...ecrNotes(), ...ecr.notes],
      };
      if (ecr.expiresAt !== undefined) draft.expiresAt = ecr.expiresAt;
      return draft;
    }
    const ecrAuth = parseEcrAuthorizationToken(password);
    if (ecrAuth !== undefined) {
      const draft: Draft = {
        kind: "ecr-token",
        label: "Amazon ECR authorizationToken (base64 of AWS:password)",
        variant: "ecr-authorization-token",
        notes: [
          "This is the whole authorizationToken from GetAuthorizationToken. It belongs in a docker-config auth field as is; as a password, use only the part after AWS: once base64-decoded.",
          ...ecrNotes(),
          ...ecrAuth.notes,
        ],
      };
      if (ecrAuth.expiresAt !== undefined) draft.expiresAt = ecrAuth.expiresAt;
      return draft;
    }
  }

  const draft: Draft = { kind: "password", label: "Password or opaque token", notes: [] };
  if (HEX40.test(password)) {
    draft.variant = "legacy-github-token-shape";
    draft.notes.push(
      "40 hexadecimal characters is the pre-2021 GitHub token format (no prefix); it may be an old classic PAT or OAuth token.",
    );
  }
  if (password.length > MAX_DECODE_LENGTH) {
    draft.notes.push("The value is unusually long for a registry credential; it was not decoded.");
  }
  return draft;
}

function usernameNotes(draft: Draft, username: string | undefined): void {
  if (username === undefined) return;
  const user = username.trim();
  if (user !== username) {
    draft.notes.push("The username has leading or trailing whitespace; registries compare it literally.");
  }
  if (user === ECR_USERNAME && draft.kind !== "ecr-token") {
    draft.notes.push(
      "The username AWS is what ECR expects, but the password is not in the known ECR token format.",
    );
  }
  if (user.toLowerCase() === ECR_USERNAME.toLowerCase() && user !== ECR_USERNAME) {
    draft.notes.push("ECR expects the username AWS in capitals.");
  }
  if (user.toLowerCase() === ACR_REFRESH_TOKEN_USERNAME && draft.kind !== "acr-refresh-token") {
    draft.notes.push(
      "The null-GUID username tells ACR that the password is an ACR refresh token (a JWT from /oauth2/exchange), which this is not.",
    );
  }
}

function toInfo(draft: Draft): TokenInfo {
  const info: TokenInfo = { kind: draft.kind, label: draft.label, notes: draft.notes };
  if (draft.variant !== undefined) info.variant = draft.variant;
  if (draft.expiresAt !== undefined) info.expiresAt = draft.expiresAt;
  if (draft.issuedAt !== undefined) info.issuedAt = draft.issuedAt;
  if (draft.notBefore !== undefined) info.notBefore = draft.notBefore;
  if (draft.subject !== undefined) info.subject = draft.subject;
  if (draft.issuer !== undefined) info.issuer = draft.issuer;
  if (draft.audience !== undefined) info.audience = draft.audience;
  return info;
}

/**
 * Classify a registry credential offline. Never throws and never puts the secret (or the username) into
 * the result. The username only steers the classification (`AWS`, the ACR null GUID).
 */
export function classifyToken(input: ClassifyTokenInput): TokenInfo {
  try {
    const raw = typeof input?.password === "string" ? input.password : "";
    const username = typeof input?.username === "string" ? input.username : undefined;
    const password = raw.trim();
    if (password === "") {
      const notes = raw === "" ? [] : ["The password consists of whitespace only."];
      return { kind: "empty", label: "No password", notes };
    }
    const draft = classifyTrimmed(password, username);
    if (password !== raw) {
      draft.notes.unshift(
        "The password has leading or trailing whitespace (often a newline from echo or a file); registries compare it literally and will reject it. It was classified without the whitespace.",
      );
    }
    usernameNotes(draft, username);
    return toInfo(draft);
  } catch {
    // Defensive only: every step above is total on strings.
    return {
      kind: "password",
      label: "Password or opaque token",
      notes: ["The value could not be inspected."],
    };
  }
}
