/**
 * Retrying Kubernetes writes. Optimistic concurrency means a write can lose a race (409 Conflict, or a JSON
 * patch `test` that no longer holds); the fix is always the same: re-read, recompute, write again. `attempt`
 * does all three, so each try works on fresh state. Transport failures and overload statuses are retried too,
 * briefly: every write pullwarden makes is guarded (create fails if it exists, patches test what they read,
 * deletes carry preconditions), so repeating one is safe.
 */
import { KubeApiError, KubeTimeoutError, KubeUnreachableError, isRetryableStatus } from "./errors.js";

export interface RetryOptions {
  /** Tries in all (default 5). */
  readonly attempts?: number;
  /** Delay before try `n` (2, 3, ...), in ms. Default: 20 ms doubling, with jitter. */
  readonly delayMs?: (attempt: number) => number;
  readonly sleep?: (ms: number) => Promise<void>;
  /** Which errors are worth another try. Default: `isConflict` or `isTransient`. */
  readonly retryIf?: (error: unknown) => boolean;
}

/**
 * The object changed since it was read (409 Conflict) or appeared since (409 AlreadyExists). A guarded JSON patch
 * whose `test` failed is a 422 the caller recognises (it knows its patch is guarded).
 */
export function isConflict(error: unknown): boolean {
  return error instanceof KubeApiError && (error.isConflict || error.isAlreadyExists);
}

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

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export function defaultDelayMs(attempt: number): number {
  const base = 20 * 2 ** Math.max(0, attempt - 2);
  return base + Math.floor(Math.random() * base);
}

/** Runs `attempt(n)` until it succeeds, a non-retryable error is thrown, or the tries run out (last error). */
export async function retry<T>(attempt: (n: number) => Promise<T>, options: RetryOptions = {}): Promise<T> {
  const attempts = options.attempts ?? 5;
  const retryIf = options.retryIf ?? ((e: unknown) => isConflict(e) || isTransient(e));
  const sleep = options.sleep ?? defaultSleep;
  const delay = options.delayMs ?? defaultDelayMs;
  for (let n = 1; ; n++) {
    try {
      return await attempt(n);
    } catch (error) {
      if (n >= attempts || !retryIf(error)) throw error;
      await sleep(delay(n + 1));
    }
  }
}

/** `retry` for read-modify-write: only conflicts are retried (re-read inside `attempt`). */
export function retryOnConflict<T>(
  attempt: (n: number) => Promise<T>,
  options: RetryOptions = {},
): Promise<T> {
  return retry(attempt, { ...options, retryIf: options.retryIf ?? isConflict });
}
