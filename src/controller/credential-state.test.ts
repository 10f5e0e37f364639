import { describe, expect, it } from "vitest";
import type { Candidate } from "./credential-state.js";
import { afterRefresh, fingerprintOf, isRefreshDue, isServable, resumedState } from "./credential-state.js";
import { DEFAULT_REFRESH_POLICY } from "./schedule.js";

const HOUR = 3_600_000;
const t0 = new Date("2026-06-01T00:00:00Z");
const at = (ms: number) => new Date(t0.getTime() + ms);
const middle = () => 0.5;
const CANARY = "canary-Pa55w0rd-xyz";

function candidate(password: string, obtainedAt: Date, lifetime?: number): Candidate {
  const entries = [{ key: "registry.example:5000", username: "u", password }];
  return {
    entries,
    registries: ["registry.example:5000"],
    fingerprint: fingerprintOf(entries),
    obtainedAt,
    ...(lifetime !== undefined ? { expiresAt: new Date(obtainedAt.getTime() + lifetime) } : {}),
  };
}

describe("afterRefresh", () => {
  it("swaps in an accepted candidate, says so once, and schedules from its expiry", () => {
    const first = afterRefresh(
      undefined,
      "g1",
      { kind: "accepted", candidate: candidate("a", t0, 12 * HOUR) },
      t0,
      DEFAULT_REFRESH_POLICY,
      middle,
    );
    expect(first.state.served?.fingerprint).toBe(
      fingerprintOf([{ key: "registry.example:5000", username: "u", password: "a" }]),
    );
    expect(first.state.nextAttemptAt).toEqual(at(6 * HOUR));
    expect(first.events.map((e) => e.reason)).toEqual(["CredentialRefreshed"]);
    const again = afterRefresh(
      first.state,
      "g1",
      { kind: "accepted", candidate: candidate("a", at(HOUR), 12 * HOUR) },
      at(HOUR),
      DEFAULT_REFRESH_POLICY,
      middle,
    );
    expect(again.events).toEqual([]);
    expect(again.state.served?.fingerprint).toBe(first.state.served?.fingerprint);
    expect(again.state.served?.obtainedAt).toEqual(t0);
    expect(again.state.servedSince).toEqual(t0);
    // The same credential minted again with a later expiry lives that long: scheduled from the new expiry.
    expect(again.state.served?.expiresAt).toEqual(at(13 * HOUR));
    expect(again.state.nextAttemptAt).toEqual(at(7 * HOUR));
  });

  it("a failed mint keeps serving the old credential, backs off, and warns only when the failure is new", () => {
    const ok = afterRefresh(
      undefined,
      "g1",
      { kind: "accepted", candidate: candidate(CANARY, t0, 8_000) },
      t0,
      DEFAULT_REFRESH_POLICY,
      middle,
    ).state;
    const failed = afterRefresh(
      ok,
      "g1",
      { kind: "mint-failed", message: "ECR answered 500" },
      at(4_000),
      DEFAULT_REFRESH_POLICY,
      middle,
    );
    expect(failed.state.served).toBe(ok.served);
    expect(failed.state.failures).toBe(1);
    expect(failed.state.nextAttemptAt.getTime()).toBeLessThan(at(8_000).getTime());
    expect(failed.events).toEqual([
      {
        type: "Warning",
        reason: "CredentialRefreshFailed",
        message: `could not obtain a new credential: ECR answered 500; still serving ${ok.served?.fingerprint} (expires 2026-06-01T00:00:08.000Z)`,
      },
    ]);
    const failedAgain = afterRefresh(
      failed.state,
      "g1",
      { kind: "mint-failed", message: "ECR answered 500" },
      at(4_500),
      DEFAULT_REFRESH_POLICY,
      middle,
    );
    expect(failedAgain.events).toEqual([]);
    expect(failedAgain.state.failures).toBe(2);
    expect(JSON.stringify([failed.events, failedAgain.events])).not.toContain(CANARY);
  });

  it("a rejected candidate is never served", () => {
    const ok = afterRefresh(
      undefined,
      "g1",
      { kind: "accepted", candidate: candidate("old", t0) },
      t0,
      DEFAULT_REFRESH_POLICY,
      middle,
    ).state;
    const rejected = afterRefresh(
      ok,
      "g2",
      { kind: "verify-failed", candidate: candidate(CANARY, at(1)), message: "HTTP 401" },
      at(1),
      DEFAULT_REFRESH_POLICY,
      middle,
    );
    expect(rejected.state.served).toBe(ok.served);
    expect(rejected.state.lastFailure?.reason).toBe("VerifyFailed");
    expect(rejected.events[0]?.reason).toBe("CredentialVerifyFailed");
    expect(JSON.stringify(rejected)).not.toContain(CANARY);
  });
});

describe("isRefreshDue / isServable", () => {
  it("due when new, when inputs change, or at the scheduled time", () => {
    const state = afterRefresh(
      undefined,
      "g1",
      { kind: "accepted", candidate: candidate("a", t0, HOUR) },
      t0,
      DEFAULT_REFRESH_POLICY,
      middle,
    ).state;
    expect(isRefreshDue(undefined, "g1", t0)).toBe(true);
    expect(isRefreshDue(state, "g1", at(1000))).toBe(false);
    expect(isRefreshDue(state, "g2", at(1000))).toBe(true);
    expect(isRefreshDue(state, "g1", state.nextAttemptAt)).toBe(true);
  });
  it("an expired credential is never servable", () => {
    expect(isServable(candidate("a", t0, 1000), at(999))).toBe(true);
    expect(isServable(candidate("a", t0, 1000), at(1000))).toBe(false);
    expect(isServable(candidate("a", t0), at(100 * HOUR))).toBe(true);
  });
});

describe("resumedState (after a restart)", () => {
  it("the candidate the stored status names resumes without news; any other is a swap", () => {
    const again = candidate("a", t0);
    const status = { fingerprint: again.fingerprint, lastRefreshTime: "2026-05-01T00:00:00Z" };
    const resumed = resumedState(status, again);
    expect(resumed?.servedSince).toEqual(new Date("2026-05-01T00:00:00Z"));
    const next = afterRefresh(
      resumed,
      "g1",
      { kind: "accepted", candidate: again },
      t0,
      DEFAULT_REFRESH_POLICY,
      middle,
    );
    expect(next.events).toEqual([]);
    expect(next.state.servedSince).toEqual(new Date("2026-05-01T00:00:00Z"));
    expect(resumedState(status, candidate("b", t0))).toBeUndefined();
    expect(resumedState({ ...status, lastRefreshTime: "not a time" }, again)).toBeUndefined();
    expect(resumedState(undefined, again)).toBeUndefined();
  });
});
