/**
 * What GitHub's REST API says about a token used with ghcr.io, as findings: the pure half of the GHCR probe
 * (the request is made by probe-token.ts). A classic personal access token's answer carries two headers:
 *
 * - `X-OAuth-Scopes`: the token's scopes, comma-separated ("Scopes for OAuth apps",
 *   https://docs.github.com/en/apps/oauth-apps/building-oauth-apps/scopes-for-oauth-apps). A pull needs
 *   `read:packages`; `write:packages` and `delete:packages` include it, and more than that is more than a pull
 *   secret should hold. Fine-grained and GitHub App tokens get no such header (ghcr.io refuses them anyway,
 *   src/tokens/assess.ts says so offline, so they are never sent here).
 * - `GitHub-Authentication-Token-Expiration`: when the token expires, as `2021-10-07 19:07:53 UTC` (also seen
 *   with a numeric zone, `2023-04-26 20:23:29 -0700`); absent for a token without an expiry date.
 *
 * Header values come from a server, so they are read strictly and shown only through a whitelist (scope names)
 * or not at all (an unreadable date is not echoed). No finding ever holds the token.
 */
import type { RegistryHostInfo } from "../../hosts/index.js";
import type { TokenInfo } from "../../tokens/index.js";

export type GitHubTokenFindingCode =
  /** 401: GitHub does not know the token (revoked, expired, mistyped). */
  | "github-token-rejected"
  /** The scopes hold neither read:packages nor a scope that includes it. */
  | "github-token-missing-read-packages"
  /** Scopes beyond read:packages: more than a pull secret should be able to do. */
  | "github-token-broader-than-pull"
  /** An answer without X-OAuth-Scopes: not a classic token, so its rights cannot be read. */
  | "github-token-scopes-unknown"
  | "github-token-expired"
  | "github-token-expires-soon"
  /** A classic token without an expiry date. */
  | "github-token-never-expires"
  /** The expiry header is there but is not a date. */
  | "github-token-expiry-unreadable"
  /** The API did not give an answer that says anything (5xx, rate limit, timeout, a redirect...). */
  | "github-api-unanswered";

export interface GitHubTokenFinding {
  readonly severity: "error" | "warning" | "info";
  readonly code: GitHubTokenFindingCode;
  /** One line, no token. */
  readonly message: string;
  readonly fix?: string;
}

/** What the API answered: the status and the headers (names lower-cased, every value, as the transport keeps them). */
export interface GitHubApiAnswer {
  readonly status: number;
  readonly headers: Readonly<Record<string, readonly string[]>>;
}

export interface GitHubTokenReport {
  /** The token's scopes as listed (valid names only); undefined when the answer listed none. */
  readonly scopes?: readonly string[];
  readonly expiresAt?: Date;
  readonly findings: readonly GitHubTokenFinding[];
}

/** Warn this long before the expiry (the same week `secret inspect` warns about any credential). */
export const GITHUB_TOKEN_EXPIRES_SOON_MS = 7 * 24 * 3600 * 1000;

/** Scopes that allow a pull: read:packages, and the two that include it. */
const PULL_SCOPES = new Set(["read:packages", "write:packages", "delete:packages"]);

/** A scope name as GitHub spells them (`repo`, `admin:org`, `read:packages`, `repo_deployment`). */
const SCOPE_NAME = /^[a-z][a-z0-9_]*(:[a-z][a-z0-9_]*)?$/;
/** More scopes than GitHub has is not a list to show. */
const MAX_SCOPES = 64;

const NEW_TOKEN_FIX =
  "create a classic personal access token for a machine user with only the read:packages scope and an expiry date (https://github.com/settings/tokens/new?scopes=read:packages), and update the pull secret";

/** The scopes of an `X-OAuth-Scopes` header (every copy of it), or undefined without one. */
export function parseOAuthScopes(values: readonly string[] | undefined): string[] | undefined {
  if (values === undefined || values.length === 0) return undefined;
  const scopes = values
    .join(",")
    .split(",")
    .map((scope) => scope.trim())
    .filter((scope) => scope !== "" && scope.length <= 64 && SCOPE_NAME.test(scope));
  return [...new Set(scopes)].slice(0, MAX_SCOPES);
}

const EXPIRATION = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2}) (?:(UTC)|([+-])(\d{2})(\d{2}))$/;

/**
 * The date of a `GitHub-Authentication-Token-Expiration` value (`2021-10-07 19:07:53 UTC` or with a numeric
 * zone), or undefined when it is not one (no other format is guessed).
 */
export function parseTokenExpiration(value: string): Date | undefined {
  const match = EXPIRATION.exec(value.trim());
  if (!match) return undefined;
  const [, year, month, day, hour, minute, second, utc, sign, zoneHours, zoneMinutes] = match;
  const fields = [year, month, day, hour, minute, second].map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const [y, mo, d, h, mi, s] = fields;
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 59) return undefined;
  const offsetMinutes = utc ? 0 : (sign === "-" ? -1 : 1) * (Number(zoneHours) * 60 + Number(zoneMinutes));
  if (Math.abs(offsetMinutes) > 14 * 60) return undefined;
  const ms = Date.UTC(y, mo - 1, d, h, mi, s) - offsetMinutes * 60_000;
  const date = new Date(ms);
  // 2026-02-31 would roll over into March: not a date GitHub writes.
  if (new Date(Date.UTC(y, mo - 1, d)).getUTCDate() !== d) return undefined;
  return date;
}

/** A finding for an API that gave no usable answer; `why` is one line with no token in it. */
export function unanswered(why: string): GitHubTokenFinding {
  return {
    severity: "info",
    code: "github-api-unanswered",
    message: `could not read the token's scopes from the GitHub API: ${why}`,
    fix: "check the token's scopes at https://github.com/settings/tokens (a pull needs read:packages)",
  };
}

function dateText(date: Date): string {
  return date.toISOString().replace(/\.000Z$/, "Z");
}

function expiryFindings(
  header: readonly string[] | undefined,
  classic: boolean,
  now: Date,
): { expiresAt?: Date; findings: GitHubTokenFinding[] } {
  const value = header?.[0];
  if (value === undefined) {
    return classic
      ? {
          findings: [
            {
              severity: "info",
              code: "github-token-never-expires",
              message: "the token has no expiry date: a leaked copy works until someone revokes it",
              fix: NEW_TOKEN_FIX,
            },
          ],
        }
      : { findings: [] };
  }
  const expiresAt = parseTokenExpiration(value);
  if (!expiresAt) {
    return {
      findings: [
        {
          severity: "info",
          code: "github-token-expiry-unreadable",
          message: "the GitHub API sent an expiry date pullwarden cannot read",
          fix: "see the token's expiry at https://github.com/settings/tokens",
        },
      ],
    };
  }
  const left = expiresAt.getTime() - now.getTime();
  if (left <= 0) {
    return {
      expiresAt,
      findings: [
        {
          severity: "error",
          code: "github-token-expired",
          message: `the token expired ${dateText(expiresAt)}`,
          fix: NEW_TOKEN_FIX,
        },
      ],
    };
  }
  if (left < GITHUB_TOKEN_EXPIRES_SOON_MS) {
    const days = Math.floor(left / (24 * 3600 * 1000));
    const hours = Math.floor(left / (3600 * 1000));
    return {
      expiresAt,
      findings: [
        {
          severity: "warning",
          code: "github-token-expires-soon",
          message: `the token expires ${dateText(expiresAt)} (in ${days >= 1 ? `${days} day(s)` : `${hours} hour(s)`})`,
          fix: "regenerate it at https://github.com/settings/tokens (same scopes) and update the pull secret before then",
        },
      ],
    };
  }
  return { expiresAt, findings: [] };
}

/** Whether a token with these scopes may pull from ghcr.io: read:packages, or a scope that includes it. */
export function scopesAllowPull(scopes: readonly string[]): boolean {
  return scopes.some((scope) => PULL_SCOPES.has(scope));
}

function scopeFindings(scopes: readonly string[]): GitHubTokenFinding[] {
  if (!scopesAllowPull(scopes)) {
    return [
      {
        severity: "error",
        code: "github-token-missing-read-packages",
        message: `the token's scopes (${scopes.join(", ") || "none"}) do not include read:packages: ghcr.io refuses its pulls of private images`,
        fix: NEW_TOKEN_FIX,
      },
    ];
  }
  const beyond = scopes.filter((scope) => scope !== "read:packages");
  if (beyond.length === 0) return [];
  return [
    {
      severity: "warning",
      code: "github-token-broader-than-pull",
      message: `the token can do more than pull: it also has ${beyond.join(", ")}`,
      fix: NEW_TOKEN_FIX,
    },
  ];
}

/** The findings about a token from the API's answer to `GET /user` with it. Pure. */
export function judgeGitHubTokenAnswer(answer: GitHubApiAnswer, now: Date): GitHubTokenReport {
  const { status, headers } = answer;
  if (status === 401) {
    return {
      findings: [
        {
          severity: "error",
          code: "github-token-rejected",
          message:
            "the GitHub API does not accept the token (HTTP 401): it was revoked, has expired or is not the whole token",
          fix: NEW_TOKEN_FIX,
        },
      ],
    };
  }
  if (status < 200 || status > 299) {
    const limited = status === 429 || (status === 403 && headers["x-ratelimit-remaining"]?.[0] === "0");
    return { findings: [unanswered(limited ? `rate limited (HTTP ${status})` : `HTTP ${status}`)] };
  }
  const scopes = parseOAuthScopes(headers["x-oauth-scopes"]);
  const expiry = expiryFindings(headers["github-authentication-token-expiration"], scopes !== undefined, now);
  const findings: GitHubTokenFinding[] =
    scopes === undefined
      ? [
          {
            severity: "warning",
            code: "github-token-scopes-unknown",
            message:
              "the GitHub API lists no scopes for the token (no X-OAuth-Scopes header): it is not a classic personal access token, which is all ghcr.io accepts",
            fix: NEW_TOKEN_FIX,
          },
        ]
      : scopeFindings(scopes);
  return {
    ...(scopes !== undefined ? { scopes } : {}),
    ...(expiry.expiresAt ? { expiresAt: expiry.expiresAt } : {}),
    findings: [...findings, ...expiry.findings],
  };
}

/**
 * Whether a credential is worth asking the GitHub API about: a token that may be a classic one (what ghcr.io
 * accepts) sent to ghcr.io. Fine-grained PATs, App installation tokens and refresh tokens are refused offline
 * (src/tokens/assess.ts), and anything else is not a GitHub token: neither is sent to GitHub.
 */
export function isGitHubTokenToProbe(registry: RegistryHostInfo, token: TokenInfo): boolean {
  if (registry.kind !== "ghcr") return false;
  switch (token.kind) {
    case "github-classic-pat":
    case "github-oauth":
    case "github-user-to-server":
      return true;
    case "password":
      return token.variant === "legacy-github-token-shape";
    default:
      return false;
  }
}
