/**
 * Which Pods stuck in ErrImagePull/ImagePullBackOff the controller deletes, and what it tells them (pure).
 *
 * A Pod gets its ServiceAccount's imagePullSecrets only when it is admitted, so a Pod admitted before the
 * binding (or a moment after: admission reads a cached ServiceAccount) never gets the secret; only a new Pod
 * does. apply's `reconcile` (restartStuck) already picks the candidates: stuck Pods of a bound ServiceAccount
 * that lack the secret, whose controller (ReplicaSet, StatefulSet, DaemonSet, Job) recreates them with it, and
 * whose failing image the secret covers. On top of that the controller:
 * - restarts a Pod only once the ServiceAccount, as its cache holds it, lists the secret (else the new Pod
 *   would be admitted without it, too);
 * - rate-limits deletions with a token bucket (a misconfiguration must not delete a fleet at once);
 * - tells a Pod it will not restart (a bare Pod, a template listing other secrets) with one Warning Event per
 *   Pod, and each restart with a Normal Event.
 * Never a bare Pod: nothing would recreate it.
 */
import type { Action, StuckPodSkip, WriteAction } from "../apply/model.js";
import type { EventNote } from "./credential-state.js";

export type RestartPodAction = Extract<WriteAction, { type: "restart-pod" }>;

export interface RestartLimit {
  /** Deletions allowed per minute (also the burst). */
  readonly perMinute: number;
}

export const DEFAULT_RESTART_LIMIT: RestartLimit = { perMinute: 10 };

/** A token bucket: `tokens` available at `atMs`. */
export interface RestartBucket {
  readonly tokens: number;
  readonly atMs: number;
}

export interface PodNote {
  readonly namespace: string;
  readonly pod: string;
  /** Tells the Pod once per uid (a recreated Pod has a new one). */
  readonly key: string;
  readonly note: EventNote;
}

export interface StuckPodDecision {
  readonly restarts: readonly RestartPodAction[];
  /** Candidates left for a later pass: the ServiceAccount does not list the secret yet, or no token left. */
  readonly waitingForAccount: number;
  readonly rateLimited: number;
  readonly notes: readonly PodNote[];
  readonly bucket: RestartBucket;
}

/** Skips worth telling the Pod about: a person must act. The others are not ours (another registry) or pass. */
const TOLD: ReadonlySet<StuckPodSkip> = new Set([
  "no-controller",
  "unknown-controller",
  "controller-gone",
  "template-lists-others",
]);

export function refill(bucket: RestartBucket | undefined, nowMs: number, limit: RestartLimit): RestartBucket {
  if (!bucket) return { tokens: limit.perMinute, atMs: nowMs };
  const earned = ((nowMs - bucket.atMs) / 60_000) * limit.perMinute;
  return { tokens: Math.min(limit.perMinute, bucket.tokens + Math.max(0, earned)), atMs: nowMs };
}

export function decideStuckPods(
  actions: readonly Action[],
  input: {
    /** The ServiceAccount's imagePullSecrets names as the cache holds them (undefined: not there). */
    readonly accountEntries: (namespace: string, serviceAccount: string) => readonly string[] | undefined;
    /** Pod keys (`namespace/name/uid`) already told why they are not restarted. */
    readonly told: ReadonlySet<string>;
    readonly podUid: (namespace: string, pod: string) => string | undefined;
    readonly bucket: RestartBucket | undefined;
    readonly nowMs: number;
    readonly limit?: RestartLimit;
  },
): StuckPodDecision {
  const limit = input.limit ?? DEFAULT_RESTART_LIMIT;
  let bucket = refill(input.bucket, input.nowMs, limit);
  const restarts: RestartPodAction[] = [];
  const notes: PodNote[] = [];
  let waitingForAccount = 0;
  let rateLimited = 0;
  for (const action of actions) {
    if (action.type === "restart-pod") {
      const entries = input.accountEntries(action.namespace, action.serviceAccount);
      if (!entries?.includes(action.secretName)) {
        waitingForAccount++;
        continue;
      }
      if (bucket.tokens < 1) {
        rateLimited++;
        continue;
      }
      bucket = { ...bucket, tokens: bucket.tokens - 1 };
      restarts.push(action);
      notes.push({
        namespace: action.namespace,
        pod: action.pod,
        key: `${action.namespace}/${action.pod}/${action.uid ?? ""}/restarted`,
        note: {
          type: "Normal",
          reason: "StuckPodRestarted",
          message: `deleted while stuck in ${action.reason}: ${action.controller} recreates it, and ServiceAccount ${action.serviceAccount} now gives new Pods ${action.secretName}`,
        },
      });
    } else if (action.type === "warn" && action.notRestarted && TOLD.has(action.notRestarted)) {
      const pod = action.object.slice("pod/".length);
      const key = `${action.namespace}/${pod}/${input.podUid(action.namespace, pod) ?? ""}/skipped`;
      if (input.told.has(key)) continue;
      notes.push({
        namespace: action.namespace,
        pod,
        key,
        note: {
          type: "Warning",
          reason: "StuckPodNotRestarted",
          message: `${action.message}${action.hint ? ` (${action.hint})` : ""}`,
        },
      });
    }
  }
  return { restarts, waitingForAccount, rateLimited, notes, bucket };
}
