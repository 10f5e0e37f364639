import { describe, expect, it } from "vitest";
import { DEFAULT_LEASE_TIMINGS, decideLease, microTime, releasedLease } from "./leader-election.js";

const t0 = new Date("2026-06-01T00:00:00.123Z");
const at = (ms: number) => new Date(t0.getTime() + ms);

describe("decideLease (client-go tryAcquireOrRenew)", () => {
  it("creates a missing lease with MicroTime (6 digits)", () => {
    const decision = decideLease(undefined, false, undefined, "a", t0, DEFAULT_LEASE_TIMINGS);
    expect(decision).toMatchObject({
      action: "create",
      spec: {
        holderIdentity: "a",
        leaseDurationSeconds: 15,
        acquireTime: "2026-06-01T00:00:00.123000Z",
        leaseTransitions: 0,
      },
    });
    expect(microTime(t0)).toMatch(/\.\d{6}Z$/);
  });

  it("waits while another holder's record was seen changing within the lease duration (local clock)", () => {
    const held = {
      holderIdentity: "b",
      leaseDurationSeconds: 15,
      renewTime: "1999-01-01T00:00:00.000000Z",
      leaseTransitions: 3,
    };
    const first = decideLease(held, true, undefined, "a", t0, DEFAULT_LEASE_TIMINGS);
    expect(first.action).toBe("wait");
    // The remote renewTime is ancient but we only just observed the record: still valid for 15 s from now.
    const later = decideLease(held, true, first.observed, "a", at(14_999), DEFAULT_LEASE_TIMINGS);
    expect(later.action).toBe("wait");
    const expired = decideLease(held, true, first.observed, "a", at(15_000), DEFAULT_LEASE_TIMINGS);
    expect(expired).toMatchObject({ action: "update", spec: { holderIdentity: "a", leaseTransitions: 4 } });
  });

  it("a renewed record restarts the clock", () => {
    const held = { holderIdentity: "b", leaseDurationSeconds: 15, renewTime: microTime(t0) };
    const first = decideLease(held, true, undefined, "a", t0, DEFAULT_LEASE_TIMINGS);
    const renewed = { ...held, renewTime: microTime(at(10_000)) };
    expect(decideLease(renewed, true, first.observed, "a", at(20_000), DEFAULT_LEASE_TIMINGS).action).toBe(
      "wait",
    );
  });

  it("renewing keeps acquireTime and transitions; a released lease is taken at once", () => {
    const mine = {
      holderIdentity: "a",
      leaseDurationSeconds: 15,
      acquireTime: "x",
      renewTime: "y",
      leaseTransitions: 2,
    };
    expect(decideLease(mine, true, undefined, "a", t0, DEFAULT_LEASE_TIMINGS)).toMatchObject({
      action: "update",
      spec: { acquireTime: "x", leaseTransitions: 2, renewTime: microTime(t0) },
    });
    const released = releasedLease({ ...mine, holderIdentity: "b" }, t0);
    expect(decideLease(released, true, undefined, "a", t0, DEFAULT_LEASE_TIMINGS).action).toBe("update");
  });
});
