/**
 * The status the controller writes on its custom resources (pure). Computed from the same facts, it is the same
 * bytes (conditions keep their transition times; no "last seen" stamps), so an idle controller writes nothing.
 * - ClusterPullCredential: Ready (a valid credential is served), Verified (the registry accepted the last
 *   candidate), ExpiringSoon (a quarter of its life left: refreshes are failing), plus expiry, last refresh,
 *   next refresh (only for credentials that expire) and the fingerprint.
 * - ClusterPullSecretBinding: Ready (every selected namespace holds the Secret, bound where asked), counts and
 *   the namespaces where a foreign Secret has the name.
 */
import type {
  ClusterPullCredential,
  ClusterPullCredentialStatus,
  ClusterPullSecretBinding,
  ClusterPullSecretBindingStatus,
} from "../desired/index.js";
import { plural } from "../text/index.js";
import type { ConditionInput } from "./conditions.js";
import { mergeConditions, metaTime } from "./conditions.js";
import type { CredentialState } from "./credential-state.js";
import { isServable } from "./credential-state.js";
import { isExpiringSoon } from "./schedule.js";

const MAX_CONFLICTS_LISTED = 20;

export function credentialStatus(
  credential: ClusterPullCredential,
  state: CredentialState | undefined,
  now: Date,
  configurationProblem?: string,
): ClusterPullCredentialStatus {
  const served = state?.served;
  const servable = isServable(served, now);
  const failure = state?.lastFailure;
  const ready: ConditionInput = configurationProblem
    ? { type: "Ready", status: "False", reason: "InvalidSpec", message: configurationProblem }
    : servable
      ? {
          type: "Ready",
          status: "True",
          reason: "Serving",
          message: `serving ${plural(served.registries.length, "registry", "registries")}: ${served.registries.join(", ")}`,
        }
      : served
        ? {
            type: "Ready",
            status: "False",
            reason: "Expired",
            message: `the served credential expired and no new one could be obtained${failure ? `: ${failure.message}` : ""}`,
          }
        : {
            type: "Ready",
            status: "False",
            reason: failure ? failure.reason : "Pending",
            message: failure ? failure.message : "no credential obtained yet",
          };
  const verified: ConditionInput =
    failure?.reason === "VerifyFailed"
      ? { type: "Verified", status: "False", reason: "RegistryRejected", message: failure.message }
      : served
        ? {
            type: "Verified",
            status: "True",
            reason: "RegistryAccepted",
            message: `the registry accepted ${served.fingerprint}`,
          }
        : { type: "Verified", status: "Unknown", reason: "NotChecked", message: "no candidate checked yet" };
  const expiring = served !== undefined && isExpiringSoon(served, now);
  const expiringSoon: ConditionInput = expiring
    ? {
        type: "ExpiringSoon",
        status: "True",
        reason: "RefreshFailing",
        message: `the served credential expires ${served?.expiresAt?.toISOString() ?? ""} and has not been refreshed${failure ? `: ${failure.message}` : ""}`,
      }
    : { type: "ExpiringSoon", status: "False", reason: "NotExpiring", message: "" };
  const generation = credential.metadata["generation"];
  const observedGeneration = typeof generation === "number" ? generation : undefined;
  return {
    ...(observedGeneration !== undefined ? { observedGeneration } : {}),
    conditions: mergeConditions(
      credential.status?.conditions,
      [ready, verified, expiringSoon],
      now,
      observedGeneration,
    ),
    ...(served
      ? {
          registries: [...served.registries],
          ...(served.expiresAt ? { expiresAt: metaTime(served.expiresAt) } : {}),
          ...(state?.servedSince ? { lastRefreshTime: metaTime(state.servedSince) } : {}),
          ...(served.expiresAt && state ? { nextRefreshTime: metaTime(state.nextAttemptAt) } : {}),
          fingerprint: served.fingerprint,
        }
      : {}),
  };
}

/** What the controller found for one binding in this pass. */
export interface BindingOutcome {
  readonly namespaces: readonly string[];
  readonly inSync: number;
  readonly conflicts: readonly string[];
  /** Why nothing is written for it (a credential missing, not obtained yet, or expired). */
  readonly held?: string;
  /** Writes that failed this pass (one line each). */
  readonly failures: readonly string[];
  /** What is wrong with its spec (then nothing is done for it). */
  readonly invalid?: string;
  /** Scoped mode: the part of it the controller may not serve (../scope.ts), one line. */
  readonly outOfScope?: string;
}

export function bindingStatus(
  binding: ClusterPullSecretBinding,
  outcome: BindingOutcome,
  now: Date,
): ClusterPullSecretBindingStatus {
  const total = outcome.namespaces.length;
  const ready: ConditionInput = outcome.invalid
    ? { type: "Ready", status: "False", reason: "InvalidSpec", message: outcome.invalid }
    : outcome.held
      ? { type: "Ready", status: "False", reason: "CredentialUnavailable", message: outcome.held }
      : outcome.failures.length > 0
        ? { type: "Ready", status: "False", reason: "WriteFailed", message: outcome.failures[0] ?? "" }
        : outcome.conflicts.length > 0
          ? {
              type: "Ready",
              status: "False",
              reason: "SecretConflict",
              message: `a Secret named ${binding.spec.secretName} that pullwarden does not own exists in ${plural(outcome.conflicts.length, "namespace")} (left as is): ${outcome.conflicts.slice(0, 5).join(", ")}`,
            }
          : outcome.outOfScope
            ? { type: "Ready", status: "False", reason: "OutOfScope", message: outcome.outOfScope }
            : {
                type: "Ready",
                status: "True",
                reason: "InSync",
                message: `${binding.spec.secretName} is in sync in ${plural(total, "namespace")}`,
              };
  const generation = binding.metadata["generation"];
  const observedGeneration = typeof generation === "number" ? generation : undefined;
  return {
    ...(observedGeneration !== undefined ? { observedGeneration } : {}),
    conditions: mergeConditions(binding.status?.conditions, [ready], now, observedGeneration),
    namespaces: total,
    secretsInSync: outcome.inSync,
    ...(outcome.conflicts.length > 0 ? { conflicts: outcome.conflicts.slice(0, MAX_CONFLICTS_LISTED) } : {}),
  };
}
