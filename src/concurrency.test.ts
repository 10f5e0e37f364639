import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { mapWithConcurrency } from "./concurrency.js";

/** A call that settles when the test says so. */
function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve = (): void => undefined;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

describe("mapWithConcurrency", () => {
  it("keeps the input order and never runs more than the limit at once", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.nat(5)), fc.integer({ min: 1, max: 6 }), async (delays, limit) => {
        let running = 0;
        let most = 0;
        const results = await mapWithConcurrency(delays, limit, async (delay, index) => {
          most = Math.max(most, ++running);
          for (let i = 0; i < delay; i++) await Promise.resolve();
          running--;
          return index * 2;
        });
        expect(results).toEqual(delays.map((_, index) => index * 2));
        expect(most).toBeLessThanOrEqual(limit);
      }),
    );
  });

  it("treats a limit below 1 or not a number as 1", async () => {
    for (const limit of [0, -3, Number.NaN, 0.5]) {
      let running = 0;
      await mapWithConcurrency([1, 2, 3], limit, async () => {
        expect(++running).toBe(1);
        await Promise.resolve();
        running--;
      });
    }
    expect(await mapWithConcurrency([], 4, async () => 1)).toEqual([]);
  });

  it("after a rejection starts nothing new, lets the calls in flight finish, then throws the first error", async () => {
    const slow = deferred();
    const started: number[] = [];
    let slowFinished = false;
    const run = mapWithConcurrency([0, 1, 2, 3, 4], 2, async (item) => {
      started.push(item);
      if (item === 0) {
        await slow.promise;
        slowFinished = true;
        return item;
      }
      throw new Error(`failed ${item}`);
    });
    let settled = false;
    void run.catch(() => (settled = true));
    await new Promise((resolve) => setImmediate(resolve));
    expect(started).toEqual([0, 1]);
    expect(settled).toBe(false);
    slow.resolve();
    await expect(run).rejects.toThrow("failed 1");
    expect(slowFinished).toBe(true);
    expect(started).toEqual([0, 1]);
  });
});
