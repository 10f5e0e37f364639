/**
 * What the controller knows about one ClusterPullCredential, and how a refresh attempt changes it (pure):
 * - a candidate the registry accepted replaces the served credential (an Event says so); the same payload again
 *   changes nothing but the schedule;
 * - a failed mint or a candidate the registry rejected changes nothing that is served: the old credential keeps
 *   serving while it is valid, the next attempt backs off (capped by its remaining life), and a Warning Event
 *   is emitted only when the failure is new (not on every retry);
 * - the inputs (spec generation, the source Secret's version) changing makes a refresh due at once.
 */
import { createHash } from "node:crypto";
import type { DockerAuthInput } from "../dockerconfig/index.js";
import type { RefreshPolicy } from "./schedule.js";
import { nextRefreshTime, retryTime } from "./schedule.js";

/** A credential obtained from its source, not yet (or already) served. Holds secret values: never logged. */
export interface Candidate {
  /** One auths entry per registry (values included). */
  readonly entries: readonly DockerAuthInput[];
  readonly registries: readonly string[];
  /** sha256 prefix over the entries: tells two credentials apart, reveals nothing. */
  readonly fingerprint: string;
  readonly obtainedAt: Date;
  readonly expiresAt?: Date | undefined;
}

export type RefreshOutcome =
  | { readonly kind: "accepted"; readonly candidate: Candidate }
  | { readonly kind: "mint-failed"; readonly message: string }
  | { readonly kind: "verify-failed"; readonly candidate: Candidate; readonly message: string };

export type FailureReason = "MintFailed" | "VerifyFailed";

export interface CredentialState {
  /** What the served credential was obtained for (spec generation, source version); a change makes it due. */
  readonly inputs: string;
  readonly served?: Candidate;
  /** When the served credential was swapped in. */
  readonly servedSince?: Date;
  readonly nextAttemptAt: Date;
  readonly failures: number;
  readonly lastFailure?: { readonly reason: FailureReason; readonly message: string };
}

/** An Event to record (never a secret value in it). */
export interface EventNote {
  readonly type: "Normal" | "Warning";
  readonly reason: string;
  readonly message: string;
}

export function fingerprintOf(entries: readonly DockerAuthInput[]): string {
  const hash = createHash("sha256");
  for (const entry of [...entries].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))) {
    hash.update(JSON.stringify([entry.key, entry.username ?? "", entry.password ?? "", entry.auth ?? ""]));
    hash.update("\n");
  }
  return `sha256:${hash.digest("hex").slice(0, 16)}`;
}

/**
 * After a restart, the first candidate obtained is what the stored status says was served (same fingerprint):
 * the state it would have had, so the swap is no news (no Event) and the status keeps its lastRefreshTime (no
 * write). Any other candidate (a new cloud token) is a real swap.
 */
export function resumedState(
  status: { readonly fingerprint?: string; readonly lastRefreshTime?: string } | undefined,
  candidate: Candidate,
): CredentialState | undefined {
  if (status?.fingerprint !== candidate.fingerprint || status.lastRefreshTime === undefined) return undefined;
  const since = new Date(status.lastRefreshTime);
  if (Number.isNaN(since.getTime())) return undefined;
  return {
    inputs: "",
    served: { ...candidate, obtainedAt: since },
    servedSince: since,
    nextAttemptAt: since,
    failures: 0,
  };
}

export function isRefreshDue(state: CredentialState | undefined, inputs: string, now: Date): boolean {
  return state === undefined || state.inputs !== inputs || now.getTime() >= state.nextAttemptAt.getTime();
}

/** Whether the served credential may still be written (never an expired one). */
export function isServable(candidate: Candidate | undefined, now: Date): candidate is Candidate {
  return (
    candidate !== undefined &&
    (candidate.expiresAt === undefined || candidate.expiresAt.getTime() > now.getTime())
  );
}

function describeExpiry(candidate: Candidate): string {
  return candidate.expiresAt ? `expires ${candidate.expiresAt.toISOString()}` : "no known expiry";
}

export function afterRefresh(
  previous: CredentialState | undefined,
  inputs: string,
  outcome: RefreshOutcome,
  now: Date,
  policy: RefreshPolicy,
  random: () => number,
): { state: CredentialState; events: EventNote[] } {
  if (outcome.kind === "accepted") {
    const candidate = outcome.candidate;
    const unchanged = previous?.served?.fingerprint === candidate.fingerprint;
    // The same credential read again keeps its first obtainedAt (its lifetime did not restart)...
    // A source that hands out the same credential with a later expiry (a cloud re-mint) extends its life: the
    // schedule follows the expiry the source gave last, or it would loop on the old one once that passed.
    const served =
      unchanged && previous?.served
        ? { ...previous.served, expiresAt: candidate.expiresAt ?? previous.served.expiresAt }
        : candidate;
    // ...but is scheduled from now, so a re-read never loops on a time already past.
    const next = nextRefreshTime(
      { obtainedAt: unchanged ? now : candidate.obtainedAt, expiresAt: served.expiresAt },
      policy,
      random,
    );
    const events: EventNote[] = [];
    if (!unchanged) {
      events.push({
        type: "Normal",
        reason: "CredentialRefreshed",
        message: `verified and now serving ${candidate.registries.join(", ")} (${candidate.fingerprint}, ${describeExpiry(candidate)})`,
      });
    } else if (previous?.lastFailure) {
      events.push({
        type: "Normal",
        reason: "CredentialRecovered",
        message: `the source answers again and the registry accepts the credential (${candidate.fingerprint})`,
      });
    }
    return {
      state: {
        inputs,
        served,
        servedSince: unchanged && previous?.servedSince ? previous.servedSince : now,
        nextAttemptAt: next,
        failures: 0,
      },
      events,
    };
  }
  const reason: FailureReason = outcome.kind === "mint-failed" ? "MintFailed" : "VerifyFailed";
  const failures = (previous?.failures ?? 0) + 1;
  const served = previous?.served;
  const still = isServable(served, now)
    ? `still serving ${served.fingerprint} (${describeExpiry(served)})`
    : "nothing valid is served";
  const what =
    outcome.kind === "mint-failed"
      ? `could not obtain a new credential: ${outcome.message}`
      : `the new credential ${outcome.candidate.fingerprint} did not pass verification and was not written: ${outcome.message}`;
  const message = `${what}; ${still}`;
  const repeated = previous?.lastFailure?.reason === reason && previous.lastFailure.message === message;
  return {
    state: {
      inputs,
      ...(served ? { served } : {}),
      ...(previous?.servedSince ? { servedSince: previous.servedSince } : {}),
      nextAttemptAt: retryTime(failures, now, served?.expiresAt, random),
      failures,
      lastFailure: { reason, message },
    },
    events: repeated
      ? []
      : [
          {
            type: "Warning",
            reason: reason === "MintFailed" ? "CredentialRefreshFailed" : "CredentialVerifyFailed",
            message,
          },
        ],
  };
}
