import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  WRITE_RETRY_MAX_MS,
  writeRetryDelay,
  DEFAULT_REFRESH_POLICY,
  RETRY_BASE_MS,
  RETRY_EXPIRED_MAX_MS,
  RETRY_MAX_MS,
  isExpiringSoon,
  nextRefreshTime,
  refreshPolicyOf,
  retryTime,
} from "./schedule.js";

const HOUR = 3_600_000;
const t0 = new Date("2026-06-01T00:00:00Z");
const at = (ms: number) => new Date(t0.getTime() + ms);
const middle = () => 0.5;

describe("nextRefreshTime", () => {
  it("refreshes an ECR token (12 h) at half its lifetime without jitter at the middle of the range", () => {
    expect(
      nextRefreshTime({ obtainedAt: t0, expiresAt: at(12 * HOUR) }, DEFAULT_REFRESH_POLICY, middle),
    ).toEqual(at(6 * HOUR));
  });

  it("jitters by ± jitterFraction of the lifetime", () => {
    const credential = { obtainedAt: t0, expiresAt: at(10 * HOUR) };
    expect(nextRefreshTime(credential, DEFAULT_REFRESH_POLICY, () => 0)).toEqual(at(4 * HOUR));
    expect(nextRefreshTime(credential, DEFAULT_REFRESH_POLICY, () => 0.999999).getTime()).toBeCloseTo(
      at(6 * HOUR).getTime(),
      -2,
    );
  });

  it("refreshes at the latest when minRemaining is left", () => {
    const policy = {
      ...DEFAULT_REFRESH_POLICY,
      rotationFraction: 0.9,
      jitterFraction: 0,
      minRemainingMs: 3 * HOUR,
    };
    expect(nextRefreshTime({ obtainedAt: t0, expiresAt: at(12 * HOUR) }, policy, middle)).toEqual(
      at(9 * HOUR),
    );
  });

  it("a lifetime shorter than the floor refreshes at its fraction, never before 10 % of it", () => {
    const credential = { obtainedAt: t0, expiresAt: at(6_000) };
    expect(nextRefreshTime(credential, DEFAULT_REFRESH_POLICY, middle)).toEqual(at(3_000));
    const early = { ...DEFAULT_REFRESH_POLICY, rotationFraction: 0.1, jitterFraction: 0.25 };
    expect(nextRefreshTime(credential, early, () => 0)).toEqual(at(600));
  });

  it("a credential without expiry is rechecked every recheckInterval (± jitter)", () => {
    expect(nextRefreshTime({ obtainedAt: t0 }, DEFAULT_REFRESH_POLICY, middle)).toEqual(at(HOUR));
  });

  it("never after 90 % of the lifetime, though rotation + jitter may exceed it (fast-check's counterexample)", () => {
    const policy = {
      ...DEFAULT_REFRESH_POLICY,
      rotationFraction: 0.9,
      jitterFraction: 0.25,
      minRemainingMs: 90,
    };
    expect(nextRefreshTime({ obtainedAt: t0, expiresAt: at(100) }, policy, () => 0.999999)).toEqual(at(90));
    expect(nextRefreshTime({ obtainedAt: t0, expiresAt: at(10 * HOUR) }, policy, () => 0.999999)).toEqual(
      at(9 * HOUR),
    );
  });

  it("property: always after it was obtained and before it expires", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 100, max: 48 * HOUR }),
        fc.double({ min: 0.1, max: 0.9, noNaN: true }),
        fc.double({ min: 0, max: 0.25, noNaN: true }),
        fc.integer({ min: 1, max: 4 * HOUR }),
        fc.double({ min: 0, max: 0.999999, noNaN: true }),
        (lifetime, rotationFraction, jitterFraction, minRemainingMs, r) => {
          const policy = { ...DEFAULT_REFRESH_POLICY, rotationFraction, jitterFraction, minRemainingMs };
          const next = nextRefreshTime(
            { obtainedAt: t0, expiresAt: at(lifetime) },
            policy,
            () => r,
          ).getTime();
          expect(next).toBeGreaterThan(t0.getTime());
          expect(next).toBeLessThan(at(lifetime).getTime());
        },
      ),
    );
  });
});

describe("retryTime", () => {
  it("backs off exponentially from 5 s up to 5 min", () => {
    const noJitter = () => 0;
    const far = at(100 * HOUR);
    expect(retryTime(1, t0, far, noJitter)).toEqual(at(RETRY_BASE_MS));
    expect(retryTime(3, t0, far, noJitter)).toEqual(at(4 * RETRY_BASE_MS));
    expect(retryTime(30, t0, far, noJitter)).toEqual(at(RETRY_MAX_MS));
  });

  it("once the credential has expired, retries at least every 30 s (pulls fail until one succeeds)", () => {
    const noJitter = () => 0;
    const expired = at(-1);
    expect(retryTime(1, t0, expired, noJitter)).toEqual(at(RETRY_BASE_MS));
    expect(retryTime(3, t0, expired, noJitter)).toEqual(at(4 * RETRY_BASE_MS));
    expect(retryTime(4, t0, expired, noJitter)).toEqual(at(RETRY_EXPIRED_MAX_MS));
    expect(retryTime(30, t0, expired, noJitter)).toEqual(at(RETRY_EXPIRED_MAX_MS));
    // Without a known expiry (a static password), the usual cap.
    expect(retryTime(30, t0, undefined, noJitter)).toEqual(at(RETRY_MAX_MS));
  });

  it("property: a still-valid credential is retried at least 4 times before it expires", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2_000, max: 24 * HOUR }),
        fc.integer({ min: 1, max: 40 }),
        (remaining, failures) => {
          let now = t0;
          const expiresAt = at(remaining);
          for (let i = 0; i < 4; i++) now = retryTime(failures + i, now, expiresAt, () => 0.999);
          expect(now.getTime()).toBeLessThan(expiresAt.getTime());
        },
      ),
    );
  });
});

describe("isExpiringSoon", () => {
  it("true once a quarter of the lifetime is left", () => {
    const credential = { obtainedAt: t0, expiresAt: at(12 * HOUR) };
    expect(isExpiringSoon(credential, at(8 * HOUR))).toBe(false);
    expect(isExpiringSoon(credential, at(9 * HOUR))).toBe(true);
    expect(isExpiringSoon({ obtainedAt: t0 }, at(100 * HOUR))).toBe(false);
  });

  it("a short lifetime is not expiring soon at its planned refresh", () => {
    const credential = { obtainedAt: t0, expiresAt: at(8_000) };
    expect(isExpiringSoon(credential, at(4_000))).toBe(false);
    expect(isExpiringSoon(credential, at(6_500))).toBe(true);
  });
});

describe("refreshPolicyOf", () => {
  it("fills defaults and reads Go durations", () => {
    expect(refreshPolicyOf(undefined)).toEqual(DEFAULT_REFRESH_POLICY);
    expect(refreshPolicyOf({ rotationFraction: 0.7, minRemaining: "1h30m", recheckInterval: "10s" })).toEqual(
      {
        ...DEFAULT_REFRESH_POLICY,
        rotationFraction: 0.7,
        minRemainingMs: 90 * 60_000,
        recheckIntervalMs: 10_000,
      },
    );
  });
  it("out-of-range or unreadable values fall back or clamp", () => {
    expect(refreshPolicyOf({ rotationFraction: 5, jitterFraction: -1, minRemaining: "soon" })).toEqual({
      ...DEFAULT_REFRESH_POLICY,
      rotationFraction: 0.9,
      jitterFraction: 0,
    });
  });
});

describe("writeRetryDelay", () => {
  it("doubles from 5 s, capped at a minute and at a quarter of the relist interval", () => {
    const at = (failures: number, relist = 5 * 60_000) => writeRetryDelay(failures, relist, () => 0);
    expect([1, 2, 3, 4, 5, 6, 50].map((n) => at(n))).toEqual([
      5_000, 10_000, 20_000, 40_000, 60_000, 60_000, 60_000,
    ]);
    expect(at(6, 60_000)).toBe(15_000);
    expect(at(1, 100)).toBe(250);
  });
  it("property: jittered by at most 20 %, never a hot loop, never past the cap's 20 %", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 10_000 }),
        fc.integer({ min: 1, max: 24 * 3_600_000 }),
        fc.double({ min: 0, max: 0.999, noNaN: true }),
        (failures, relist, r) => {
          const delay = writeRetryDelay(failures, relist, () => r);
          expect(delay).toBeGreaterThanOrEqual(250);
          expect(delay).toBeLessThanOrEqual(
            Math.max(250, Math.ceil(Math.min(WRITE_RETRY_MAX_MS, relist / 4) * 1.2)),
          );
        },
      ),
    );
  });
});
