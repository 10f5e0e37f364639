/**
 * Running many asynchronous calls, a few at a time (lists per namespace, writes per namespace, registry checks).
 * Pure; no timers.
 */

/**
 * Maps `items` through `fn` with at most `limit` calls in flight; results keep the input order. The first call
 * that rejects stops new calls from starting, and its error is thrown once the calls in flight have settled, so
 * nothing is still running (or writing) after the caller has moved on.
 */
export async function mapWithConcurrency<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const width = Math.max(1, Math.min(Math.floor(limit) || 1, items.length));
  const results = new Array<R>(items.length);
  let next = 0;
  let failed: { error: unknown } | undefined;
  const worker = async (): Promise<void> => {
    while (!failed && next < items.length) {
      const index = next++;
      try {
        results[index] = await fn(items[index] as T, index);
      } catch (error) {
        failed ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: width }, worker));
  if (failed) throw failed.error;
  return results;
}
