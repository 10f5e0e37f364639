/**
 * When a failed Kubernetes write is worth another try, and how long to wait first. Optimistic concurrency means
 * a write can lose a race (409 Conflict, or a JSON patch `test` that no longer holds); apply's executor then
 * re-reads, re-plans and writes again after `defaultDelayMs`. Transport failures and overload statuses are
 * retried too, briefly: every write pullwarden makes is guarded (create fails if it exists, patches test what
 * they read, deletes carry preconditions), so repeating one is safe.
 */
import { KubeApiError, KubeTimeoutError, KubeUnreachableError, isRetryableStatus } from "./errors.js";

/**
 * A failure that may go away by itself: the connection dropped, or the server is overloaded. A server that did
 * not answer within a bound (KubeTimeoutError) is not: another try would only wait as long again.
 */
export function isTransient(error: unknown): boolean {
  return (
    (error instanceof KubeUnreachableError && !(error instanceof KubeTimeoutError)) ||
    (error instanceof KubeApiError && isRetryableStatus(error.status))
  );
}

/** Delay before try `attempt` (2, 3, ...), in ms: 20 ms doubling, with jitter. */
export function defaultDelayMs(attempt: number): number {
  const base = 20 * 2 ** Math.max(0, attempt - 2);
  return base + Math.floor(Math.random() * base);
}
