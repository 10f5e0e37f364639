// checkMany: order, concurrency limit, one shared token request per repository and credential.
import { afterEach, describe, expect, it } from "vitest";
import { checkMany } from "../../src/registry/index.js";
import { imageFor, startFakeRegistry } from "./support/fake-registry.js";
import type { FakeRegistry } from "./support/fake-registry.js";

const USER = { username: "testuser", password: "Pa55-word+/secret" };
const app = imageFor({ os: "linux", architecture: "amd64" });
let reg: FakeRegistry | undefined;

afterEach(async () => {
  await reg?.close();
  reg = undefined;
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
