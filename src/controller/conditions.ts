/**
 * metav1.Condition bookkeeping, as apimachinery's `meta.SetStatusCondition` does it
 * (k8s.io/apimachinery/pkg/api/meta/conditions.go): `lastTransitionTime` changes only when the status does, so
 * a status computed again from the same facts is byte-identical and costs no write.
 */
import type { Condition } from "../desired/index.js";

/** RFC 3339 with seconds, as metav1.Time serialises (`2026-06-01T00:00:00Z`). */
export function metaTime(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, "Z");
}

export type ConditionInput = Omit<Condition, "lastTransitionTime" | "observedGeneration">;

/** `wanted` conditions in their order, keeping each one's transition time when its status did not change. */
export function mergeConditions(
  previous: readonly Condition[] | undefined,
  wanted: readonly ConditionInput[],
  now: Date,
  observedGeneration: number | undefined,
): Condition[] {
  return wanted.map((condition) => {
    const before = previous?.find((c) => c.type === condition.type);
    return {
      type: condition.type,
      status: condition.status,
      ...(observedGeneration !== undefined ? { observedGeneration } : {}),
      lastTransitionTime:
        before && before.status === condition.status ? before.lastTransitionTime : metaTime(now),
      reason: condition.reason,
      message: condition.message,
    };
  });
}
