// checkMany: order, concurrency limit, one shared token request per repository and credential.
import { afterEach, describe, expect, it } from "vitest";
import { checkMany, mapWithConcurrency } from "../../src/registry/index.js";
import { imageFor, startFakeRegistry } from "./support/fake-registry.js";
import type { FakeRegistry } from "./support/fake-registry.js";

const USER = { username: "testuser", password: "Pa55-word+/secret" };
const app = imageFor({ os: "linux", architecture: "amd64" });
let reg: FakeRegistry | undefined;

afterEach(async () => {
  await reg?.close();
  reg = undefined;
});

describe("mapWithConcurrency", () => {
  it("keeps order and never runs more than the limit", async () => {
    let running = 0;
    let peak = 0;
    const out = await mapWithConcurrency([5, 1, 4, 2, 3, 0, 6], 3, async (n) => {
      running++;
      peak = Math.max(peak, running);
      await new Promise((r) => setTimeout(r, n * 3));
      running--;
      return n * 10;
    });
    expect(out).toEqual([50, 10, 40, 20, 30, 0, 60]);
    expect(peak).toBe(3);
    expect(await mapWithConcurrency([], 4, () => Promise.resolve(1))).toEqual([]);
    expect(await mapWithConcurrency([1, 2], 0, (n) => Promise.resolve(n))).toEqual([1, 2]);
  });
});

describe("checkMany", () => {
  it("checks many images with a limit, one token per repository, results in order", async () => {
    let inFlight = 0;
    let peak = 0;
    reg = await startFakeRegistry({
      auth: "bearer",
      users: [USER],
      repositories: {
        "org/app": { "1.0": app.image, "1.1": app.image, "1.2": app.image, "1.3": app.image },
        "org/other": { "1.0": app.image },
      },
      hook: async (req) => {
        if (!req.url?.includes("/manifests/")) return false;
        inFlight++;
        peak = Math.max(peak, inFlight);
        await new Promise((r) => setTimeout(r, 20));
        inFlight--;
        return false;
      },
    });
    const host = reg.host;
    const items = [
      ...["1.0", "1.1", "1.2", "1.3", "9.9"].map((tag) => ({
        image: { domain: host, path: "org/app", tag },
        credential: USER,
      })),
      { image: { domain: host, path: "org/other", tag: "1.0" }, credential: USER },
      { image: { domain: host, path: "org/other", tag: "1.0" } },
    ];
    const results = await checkMany(items, { concurrency: 3, plainHttp: true });
    expect(results.map((r) => r.outcome)).toEqual([
      "ok",
      "ok",
      "ok",
      "ok",
      "not-found",
      "ok",
      "unauthorized",
    ]);
    expect(results.map((r) => r.image)).toEqual(items.map((i) => `${host}/${i.image.path}:${i.image.tag}`));
    expect(peak).toBeLessThanOrEqual(3);
    // org/app with USER, org/other with USER, org/other anonymous.
    expect(reg.tokenRequests).toHaveLength(3);
    // One transport: connections are reused across the checks.
    expect(reg.server.connections()).toBeLessThanOrEqual(3);
  });
});
