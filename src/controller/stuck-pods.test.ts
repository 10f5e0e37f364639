import { describe, expect, it } from "vitest";
import type { Action, StuckPodSkip } from "../apply/model.js";
import { DEFAULT_RESTART_LIMIT, decideStuckPods, refill } from "./stuck-pods.js";
import type { RestartPodAction } from "./stuck-pods.js";

const restart = (pod: string, serviceAccount = "default", namespace = "team-a"): RestartPodAction => ({
  namespace,
  object: `pod/${pod}`,
  type: "restart-pod",
  pod,
  uid: `uid-${pod}`,
  controller: "ReplicaSet/web-1",
  serviceAccount,
  secretName: "registry-pull",
  reason: "ImagePullBackOff",
});

const skipped = (pod: string, why: StuckPodSkip): Action => ({
  namespace: "team-a",
  object: `pod/${pod}`,
  type: "warn",
  message: `stuck in ImagePullBackOff (registry.example/app:1), not restarted: because ${why}`,
  hint: "do something",
  notRestarted: why,
});

const NOW = 1_000_000;
const base = {
  accountEntries: (_ns: string, sa: string) =>
    sa === "default" ? ["other", "registry-pull"] : sa === "late" ? ["other"] : undefined,
  told: new Set<string>(),
  podUid: (_ns: string, pod: string) => `uid-${pod}`,
  bucket: undefined,
  nowMs: NOW,
};

describe("decideStuckPods", () => {
  it.each([
    ["ServiceAccount lists the secret: restarted", [restart("a")], ["a"], 0],
    ["ServiceAccount not there yet: waits", [restart("a", "late")], [], 1],
    ["ServiceAccount missing from the cache: waits", [restart("a", "gone")], [], 1],
  ])("%s", (_name, actions, restarted, waiting) => {
    const decision = decideStuckPods(actions, base);
    expect(decision.restarts.map((r) => r.pod)).toEqual(restarted);
    expect(decision.waitingForAccount).toBe(waiting);
  });

  it.each<[StuckPodSkip, boolean]>([
    ["no-controller", true],
    ["unknown-controller", true],
    ["controller-gone", true],
    ["template-lists-others", true],
    ["not-covered", false],
    ["unreadable-controller", false],
  ])("a Pod not restarted because %s is told: %s", (why, told) => {
    const decision = decideStuckPods([skipped("bare", why)], base);
    expect(decision.restarts).toEqual([]);
    expect(decision.notes.map((n) => n.note.reason)).toEqual(told ? ["StuckPodNotRestarted"] : []);
    if (told)
      expect(decision.notes[0]?.note).toMatchObject({
        type: "Warning",
        message: `stuck in ImagePullBackOff (registry.example/app:1), not restarted: because ${why} (do something)`,
      });
  });

  it("tells a Pod once (per uid)", () => {
    const first = decideStuckPods([skipped("bare", "no-controller")], base);
    const told = new Set(first.notes.map((n) => n.key));
    expect(decideStuckPods([skipped("bare", "no-controller")], { ...base, told }).notes).toEqual([]);
    const recreated = { ...base, told, podUid: () => "another-uid" };
    expect(decideStuckPods([skipped("bare", "no-controller")], recreated).notes).toHaveLength(1);
  });

  it("each restart has a Normal Event naming the controller and the secret, never a value", () => {
    const { notes } = decideStuckPods([restart("a")], base);
    expect(notes.map((n) => n.note)).toEqual([
      {
        type: "Normal",
        reason: "StuckPodRestarted",
        message:
          "deleted while stuck in ImagePullBackOff: ReplicaSet/web-1 recreates it, and ServiceAccount default now gives new Pods registry-pull",
      },
    ]);
  });

  it("rate-limits with a token bucket that refills over the minute", () => {
    const limit = { perMinute: 3 };
    const many = ["a", "b", "c", "d", "e"].map((p) => restart(p));
    const first = decideStuckPods(many, { ...base, limit });
    expect(first.restarts.map((r) => r.pod)).toEqual(["a", "b", "c"]);
    expect(first.rateLimited).toBe(2);
    const soon = decideStuckPods(many.slice(3), {
      ...base,
      limit,
      bucket: first.bucket,
      nowMs: NOW + 10_000,
    });
    expect(soon.restarts).toEqual([]);
    const later = decideStuckPods(many.slice(3), {
      ...base,
      limit,
      bucket: first.bucket,
      nowMs: NOW + 20_000,
    });
    expect(later.restarts.map((r) => r.pod)).toEqual(["d"]);
  });

  it("a full bucket does not grow past the limit", () => {
    expect(refill({ tokens: 10, atMs: 0 }, 3_600_000, DEFAULT_RESTART_LIMIT).tokens).toBe(10);
    expect(refill(undefined, 5, DEFAULT_RESTART_LIMIT)).toEqual({ tokens: 10, atMs: 5 });
  });
});
