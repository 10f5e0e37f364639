/**
 * How long kubelet may cache a credential: until shortly before it expires. The margin is a quarter of an hour
 * (a pull that starts on a cached credential must still finish its token exchanges with it), or half the
 * remaining life for short-lived credentials (cloud-provider-aws's ecr-credential-provider caches for half the
 * remaining life of every token; that wastes six hours of a 12-hour ECR token).
 */
import { formatGoDuration } from "../duration.js";

export const CACHE_EXPIRY_MARGIN_MS = 15 * 60 * 1000;

/** The `cacheDuration` for a credential expiring at `expiresAt`: a Go duration, `0s` (do not cache) when spent. */
export function cacheDurationUntil(expiresAt: Date, now: Date): string {
  const remaining = expiresAt.getTime() - now.getTime();
  if (!(remaining > 0)) return "0s";
  const margin = Math.min(CACHE_EXPIRY_MARGIN_MS, remaining / 2);
  return formatGoDuration(remaining - margin);
}
