/**
 * Leader election on a coordination.k8s.io/v1 Lease, with client-go's semantics
 * (k8s.io/client-go/tools/leaderelection/leaderelection.go `tryAcquireOrRenew`), as a pure decision:
 * - a lease held by another identity is valid while `observedTime + leaseDurationSeconds > now`, where
 *   `observedTime` is the **local** time this replica last saw the record change (never the remote renewTime,
 *   so clock skew between replicas does not matter);
 * - acquiring or renewing writes the whole record with the resourceVersion read (optimistic concurrency: two
 *   replicas cannot both win); a takeover sets acquireTime and increments leaseTransitions;
 * - releasing on shutdown empties holderIdentity, so a follower takes over without waiting for the lease to
 *   run out.
 * Times are MicroTime with exactly 6 fractional digits (a real kube-apiserver rejects 3).
 */

export interface LeaseSpecRecord {
  readonly holderIdentity?: string;
  readonly leaseDurationSeconds?: number;
  readonly acquireTime?: string;
  readonly renewTime?: string;
  readonly leaseTransitions?: number;
}

export interface LeaseTimings {
  /** How long a lease is valid after it was last seen to change (client-go and controller-runtime: 15 s). */
  readonly leaseDurationMs: number;
  /** A leader that could not renew for this long stops leading (10 s). */
  readonly renewDeadlineMs: number;
  /** Time between attempts (2 s). */
  readonly retryPeriodMs: number;
}

export const DEFAULT_LEASE_TIMINGS: LeaseTimings = {
  leaseDurationMs: 15_000,
  renewDeadlineMs: 10_000,
  retryPeriodMs: 2_000,
};

/** metav1.MicroTime as the API server parses it: RFC 3339 with exactly 6 fractional digits. */
export function microTime(date: Date): string {
  return date.toISOString().replace(/\.(\d{3})Z$/, ".$1000Z");
}

/** What this replica last saw of the lease, and when (its own clock). */
export interface ObservedLease {
  readonly record: string;
  readonly at: Date;
}

export type LeaseDecision =
  | { readonly action: "create" | "update"; readonly spec: LeaseSpecRecord; readonly observed: ObservedLease }
  | { readonly action: "wait"; readonly holder: string; readonly observed: ObservedLease };

function recordKey(spec: LeaseSpecRecord | undefined): string {
  return JSON.stringify([
    spec?.holderIdentity ?? "",
    spec?.leaseDurationSeconds ?? 0,
    spec?.acquireTime ?? "",
    spec?.renewTime ?? "",
    spec?.leaseTransitions ?? 0,
  ]);
}

export function decideLease(
  current: LeaseSpecRecord | undefined,
  exists: boolean,
  previouslyObserved: ObservedLease | undefined,
  identity: string,
  now: Date,
  timings: LeaseTimings,
): LeaseDecision {
  const durationSeconds = Math.ceil(timings.leaseDurationMs / 1000);
  const nowText = microTime(now);
  if (!exists) {
    const spec = {
      holderIdentity: identity,
      leaseDurationSeconds: durationSeconds,
      acquireTime: nowText,
      renewTime: nowText,
      leaseTransitions: 0,
    };
    return { action: "create", spec, observed: { record: recordKey(spec), at: now } };
  }
  const key = recordKey(current);
  const observed =
    previouslyObserved && previouslyObserved.record === key ? previouslyObserved : { record: key, at: now };
  const holder = current?.holderIdentity ?? "";
  const duration = (current?.leaseDurationSeconds ?? durationSeconds) * 1000;
  if (holder !== "" && holder !== identity && observed.at.getTime() + duration > now.getTime()) {
    return { action: "wait", holder, observed };
  }
  const renewing = holder === identity;
  const spec: LeaseSpecRecord = {
    holderIdentity: identity,
    leaseDurationSeconds: durationSeconds,
    acquireTime: renewing && current?.acquireTime ? current.acquireTime : nowText,
    renewTime: nowText,
    leaseTransitions: renewing ? (current?.leaseTransitions ?? 0) : (current?.leaseTransitions ?? 0) + 1,
  };
  return { action: "update", spec, observed: { record: recordKey(spec), at: now } };
}

/** The record written when a leader steps down (client-go's ReleaseOnCancel). */
export function releasedLease(current: LeaseSpecRecord, now: Date): LeaseSpecRecord {
  return {
    ...current,
    holderIdentity: "",
    leaseDurationSeconds: 1,
    renewTime: microTime(now),
    acquireTime: microTime(now),
  };
}
