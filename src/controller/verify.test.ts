import { describe, expect, it } from "vitest";
import { memoryRegistry } from "../../test/support/memory-registry.js";
import { fingerprintOf } from "./credential-state.js";
import type { Candidate } from "./credential-state.js";
import { verifyCandidate } from "./verify.js";

function candidate(entries: Candidate["entries"]): Candidate {
  return {
    entries,
    registries: entries.map((e) => e.key),
    fingerprint: fingerprintOf(entries),
    obtainedAt: new Date(0),
  };
}

const CANARY = "right-Canary-7";

describe("verifyCandidate (the access engine, on an in-memory registry)", () => {
  it("ping mode: a password the registry accepts passes (the probe repository need not exist)", async () => {
    const transport = memoryRegistry({ ci: CANARY }, {});
    expect(
      await verifyCandidate(candidate([{ key: "r.example", username: "ci", password: CANARY }]), undefined, {
        transport,
      }),
    ).toEqual({ ok: true });
  });

  it("ping mode: a rejected password fails with the engine's redacted one-liner", async () => {
    const transport = memoryRegistry({ ci: "other" }, {});
    const result = await verifyCandidate(
      candidate([{ key: "https://r.example/", username: "ci", password: CANARY }]),
      undefined,
      { transport },
    );
    expect(result.ok).toBe(false);
    expect(!result.ok && result.message).toMatch(/^r\.example: unauthorized: /);
    expect(JSON.stringify(result)).not.toContain(CANARY);
  });

  it("ping mode: every registry of the candidate is checked; one unreachable fails it", async () => {
    const transport = memoryRegistry({ ci: CANARY }, {});
    const result = await verifyCandidate(
      candidate([
        { key: "r.example", username: "ci", password: CANARY },
        { key: "unreachable.example", username: "ci", password: CANARY },
      ]),
      undefined,
      { transport },
    );
    expect(!result.ok && result.message).toMatch(/^unreachable\.example: network: /);
  });

  it("image mode: the entry kubelet would pick must pull the image (manifest HEAD)", async () => {
    const transport = memoryRegistry({ ci: CANARY }, { "org/app": ["1"] });
    const ok = candidate([{ key: "r.example", username: "ci", password: CANARY }]);
    expect(await verifyCandidate(ok, { image: "r.example/org/app:1" }, { transport })).toEqual({ ok: true });
    const missing = await verifyCandidate(ok, { image: "r.example/org/app:2" }, { transport });
    expect(!missing.ok && missing.message).toMatch(/^r\.example: not-found: /);
  });

  it("image mode: an image reference that does not parse fails verification, not the controller", async () => {
    const transport = memoryRegistry({}, {});
    const result = await verifyCandidate(
      candidate([{ key: "r.example", username: "ci", password: "x" }]),
      { image: "UPPER/Case::bad" },
      { transport },
    );
    expect(!result.ok && result.message).toMatch(/^verify\.image: /);
  });
});
