// The cause catalogue holds together: one definition per id, in catalogue order; wordings with unique ids and
// priorities (their order decides which cause a message gets); every cause a wording or an alternative can
// name is one the message engine can score and fix.
import { describe, expect, it } from "vitest";
import { CAUSE_DEFINITIONS, CAUSES, INFORMATIONAL_CAUSES, WORDINGS, isCauseId } from "./index.js";
import { CAUSE_IDS, GENERIC_AUTH_CAUSES } from "./ids.js";

describe("the cause catalogue", () => {
  it("has one definition per id, in catalogue order, and the public summary of each", () => {
    expect(CAUSE_DEFINITIONS.map((c) => c.id)).toEqual([...CAUSE_IDS]);
    expect(new Set(CAUSE_IDS).size).toBe(CAUSE_IDS.length);
    expect(Object.keys(CAUSES)).toEqual([...CAUSE_IDS]);
    for (const cause of CAUSE_DEFINITIONS) {
      expect(cause.title, cause.id).not.toBe("");
      expect(cause.checks.length, cause.id).toBeGreaterThan(0);
      expect(CAUSES[cause.id]).toEqual({
        title: cause.title,
        category: cause.category,
        checks: cause.checks,
      });
    }
    expect([...INFORMATIONAL_CAUSES]).toEqual(["cached-image-credentials-verified"]);
    expect(isCauseId("ecr-token-expired")).toBe(true);
    expect(isCauseId("toString")).toBe(false);
  });

  it("matches wordings in one total order: unique ids and priorities, sorted", () => {
    const ids = WORDINGS.map((w) => w.id);
    expect(new Set(ids).size).toBe(ids.length);
    const priorities = WORDINGS.map((w) => w.priority);
    expect(new Set(priorities).size).toBe(priorities.length);
    expect(priorities).toEqual([...priorities].sort((a, b) => a - b));
    for (const wording of WORDINGS) {
      expect(wording.priority, wording.id).toBeGreaterThanOrEqual(1000);
      expect(wording.priority, wording.id).toBeLessThan(9000);
    }
  });

  it("scores every cause a message can report, and offers only known causes as alternatives", () => {
    const reported = new Set(WORDINGS.map((w) => w.cause));
    // containerd 1.6's host-status wording refines its cause by the status it quotes.
    reported.add("registry-access-denied");
    reported.add("image-not-found");
    reported.add("image-pull-failed");
    for (const id of reported) {
      const cause = CAUSE_DEFINITIONS.find((c) => c.id === id);
      expect(cause?.message?.score, id).toBeGreaterThan(0);
      expect(cause?.fix, id).toBeDefined();
    }
    for (const wording of WORDINGS)
      for (const alternative of wording.alternatives ?? []) {
        expect(isCauseId(alternative), `${wording.id} → ${alternative}`).toBe(true);
        expect(CAUSE_DEFINITIONS.find((c) => c.id === alternative)?.fix, alternative).toBeDefined();
      }
    for (const cause of CAUSE_DEFINITIONS)
      for (const explained of cause.message?.explains ?? []) expect(isCauseId(explained)).toBe(true);
    for (const id of GENERIC_AUTH_CAUSES) expect(isCauseId(id)).toBe(true);
  });
});
