/**
 * When to refresh a credential, from its real expiry (pure; the random source is injected):
 * - a credential with a known lifetime is refreshed when `rotationFraction` of it has passed (default 0.5, the
 *   msi-acrpull and ecr-credential-provider choice), ± `jitterFraction` of it so credentials minted together do
 *   not refresh together, and at the latest when `minRemaining` is left (a floor on remaining life, for
 *   lifetimes long enough to have one), never before 10 % of the lifetime nor after 90 % of it;
 * - a credential without a known expiry (a static password) is re-read and re-verified every `recheckInterval`;
 * - after a failure, exponential backoff from 5 s, capped at 5 min and at a quarter of the remaining lifetime, so
 *   a still-valid credential gets several more attempts before it expires, however short it is; once it has
 *   expired, capped at 30 s: nothing valid is served then, so pulls fail until the source answers again, and
 *   one call per 30 s per controller is no load on ECR or Entra ID;
 * - a failed Secret or ServiceAccount write (403, conflicts given up) is retried by a pass after an exponential
 *   backoff from 5 s, capped at 1 min and at a quarter of the relist interval, so it does not wait for a relist;
 * - `ExpiringSoon` once a quarter of the lifetime or less remains (the refresh should have happened long before).
 */
import type { RefreshPolicySpec } from "../desired/index.js";
import { parseGoDuration } from "../duration.js";

export interface RefreshPolicy {
  readonly rotationFraction: number;
  readonly jitterFraction: number;
  readonly minRemainingMs: number;
  readonly recheckIntervalMs: number;
}

export const DEFAULT_REFRESH_POLICY: RefreshPolicy = {
  rotationFraction: 0.5,
  jitterFraction: 0.1,
  minRemainingMs: 30 * 60_000,
  recheckIntervalMs: 60 * 60_000,
};

/** The earliest refresh, as a fraction of the lifetime, whatever the floor says. */
const EARLIEST_FRACTION = 0.1;
/** Backoff after a failure: first delay, cap, and never sooner than this. */
export const RETRY_BASE_MS = 5_000;
export const RETRY_MAX_MS = 5 * 60_000;
/** The cap once the credential served has expired (pulls fail until a refresh succeeds). */
export const RETRY_EXPIRED_MAX_MS = 30_000;
const RETRY_MIN_MS = 250;
/** ExpiringSoon below this fraction of the lifetime. */
const EXPIRING_SOON_FRACTION = 0.25;

/** The policy a spec asks for, defaults filled in (the CRD schema already bounds every field). */
export function refreshPolicyOf(spec: RefreshPolicySpec | undefined): RefreshPolicy {
  const duration = (text: string | undefined, fallback: number): number => {
    const ms = text === undefined ? undefined : parseGoDuration(text);
    return ms !== undefined && ms > 0 ? ms : fallback;
  };
  const clamp = (value: number | undefined, lo: number, hi: number, fallback: number): number =>
    value === undefined || !Number.isFinite(value) ? fallback : Math.min(hi, Math.max(lo, value));
  return {
    rotationFraction: clamp(spec?.rotationFraction, 0.1, 0.9, DEFAULT_REFRESH_POLICY.rotationFraction),
    jitterFraction: clamp(spec?.jitterFraction, 0, 0.25, DEFAULT_REFRESH_POLICY.jitterFraction),
    minRemainingMs: duration(spec?.minRemaining, DEFAULT_REFRESH_POLICY.minRemainingMs),
    recheckIntervalMs: duration(spec?.recheckInterval, DEFAULT_REFRESH_POLICY.recheckIntervalMs),
  };
}

/** `random()` in [0, 1) → [-1, 1). */
const spread = (random: () => number): number => 2 * random() - 1;

/** When a credential obtained at `obtainedAt` (and expiring at `expiresAt`, if known) is refreshed. */
export function nextRefreshTime(
  credential: { readonly obtainedAt: Date; readonly expiresAt?: Date | undefined },
  policy: RefreshPolicy,
  random: () => number,
): Date {
  const start = credential.obtainedAt.getTime();
  if (credential.expiresAt === undefined) {
    const interval = policy.recheckIntervalMs;
    return new Date(start + interval * (1 + policy.jitterFraction * spread(random)));
  }
  const lifetime = credential.expiresAt.getTime() - start;
  if (lifetime <= 0) return credential.obtainedAt;
  const earliest = start + lifetime * EARLIEST_FRACTION;
  const planned = start + lifetime * (policy.rotationFraction + policy.jitterFraction * spread(random));
  // The floor applies when the lifetime allows it; a credential that lives less than minRemaining (a test's
  // seconds, a short ACR token) is refreshed at its fraction, not at once.
  const floor = credential.expiresAt.getTime() - policy.minRemainingMs;
  // Never after 90 % of it either: rotationFraction + jitterFraction may exceed 1 (0.9 + 0.25).
  const latest = Math.min(
    floor > earliest ? floor : Number.POSITIVE_INFINITY,
    start + lifetime * (1 - EARLIEST_FRACTION),
  );
  // Down to the millisecond: rounding up could land on the expiry itself for a lifetime of milliseconds.
  return new Date(Math.floor(Math.min(Math.max(planned, earliest), latest)));
}

/** When to try again after `failures` (≥ 1) failed attempts in a row. */
export function retryTime(
  failures: number,
  now: Date,
  expiresAt: Date | undefined,
  random: () => number,
): Date {
  let delay = Math.min(RETRY_BASE_MS * 2 ** Math.max(0, failures - 1), RETRY_MAX_MS);
  const remaining = expiresAt === undefined ? undefined : expiresAt.getTime() - now.getTime();
  if (remaining !== undefined) delay = Math.min(delay, remaining > 0 ? remaining / 4 : RETRY_EXPIRED_MAX_MS);
  // Up to 10 % later, so replicas of a failure do not retry in step.
  delay = Math.max(RETRY_MIN_MS, delay * (1 + 0.1 * random()));
  return new Date(now.getTime() + delay);
}

/** The cap on the backoff between retries of failed writes (well under the default 5 min relist). */
export const WRITE_RETRY_MAX_MS = 60_000;

/**
 * How long to wait before a pass retries writes that failed `failures` (≥ 1) passes in a row: 5 s doubling,
 * capped at WRITE_RETRY_MAX_MS and at a quarter of the relist interval, up to 20 % later (replicas of a failure
 * do not retry in step), never sooner than 250 ms (no hot loop).
 */
export function writeRetryDelay(failures: number, relistIntervalMs: number, random: () => number): number {
  const cap = Math.min(WRITE_RETRY_MAX_MS, relistIntervalMs / 4);
  const delay = Math.min(RETRY_BASE_MS * 2 ** Math.max(0, Math.min(failures - 1, 30)), cap);
  return Math.round(Math.max(RETRY_MIN_MS, delay * (1 + 0.2 * random())));
}

/** Whether a credential is close enough to its expiry to say so (condition, Event, alert). */
export function isExpiringSoon(
  credential: { readonly obtainedAt: Date; readonly expiresAt?: Date | undefined },
  now: Date,
): boolean {
  if (credential.expiresAt === undefined) return false;
  const remaining = credential.expiresAt.getTime() - now.getTime();
  const lifetime = credential.expiresAt.getTime() - credential.obtainedAt.getTime();
  return remaining <= lifetime * EXPIRING_SOON_FRACTION;
}
