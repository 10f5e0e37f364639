// checkImages over an in-memory Transport (no sockets): kubelet's order (stop at the first ok, or at a failure
// no credential can change), the overall result, one check per (image, credential) however often it is asked
// for, one ping per registry (sharePings), and `attempts: "every"` for a diagnosis.
import { describe, expect, it } from "vitest";
import { parseNormalizedReference } from "../reference/index.js";
import type { ImageReference } from "../reference/index.js";
import { checkImages, selectResult } from "./check-images.js";
import type { Keychain, KeychainAttempt } from "./keychain.js";
import { sharePings } from "./share-pings.js";
import type { TransportRequest } from "./transport.js";
import type { AccessResult } from "./types.js";
import { memoryRegistry } from "../../test/support/memory-registry.js";

const as = (user: string, password: string): KeychainAttempt => ({
  id: `${user}:${password}`,
  label: { kind: "flags", source: "test", username: user },
  credential: { username: user, password },
});
const ANONYMOUS: KeychainAttempt = {
  id: "anonymous",
  label: { kind: "anonymous", anonymous: "no-credential-given" },
  credential: undefined,
};

interface Image {
  readonly reference: ImageReference;
  readonly attempts: readonly KeychainAttempt[];
}
const image = (text: string, attempts: readonly KeychainAttempt[]): Image => ({
  reference: parseNormalizedReference(text),
  attempts,
});
/** Each image brings its own attempts (as each Pod brings its own secrets to doctor). */
const ownAttempts: Keychain<Image> = { attemptsFor: (i) => Promise.resolve(i.attempts), warnings: [] };

const outcomes = (results: readonly (AccessResult | undefined)[]): string[] =>
  results.map((r) => {
    if (!r) return "not tried";
    const why = r.outcome === "not-found" ? r.what : "reason" in r ? r.reason : undefined;
    return why === undefined ? r.outcome : `${r.outcome} ${why}`;
  });

describe("checkImages", () => {
  const users = { ci: "right" };
  const tags = { "org/app": ["1"] };

  it("tries the attempts in order and stops at the first ok, as kubelet does", async () => {
    const transport = memoryRegistry(users, tags);
    const [report] = await checkImages(
      [image("r.example/org/app:1", [as("ci", "wrong"), as("ci", "right"), as("other", "x")])],
      ownAttempts,
      { transport },
    );
    expect(outcomes(report?.attempts.map((a) => a.result) ?? [])).toEqual([
      "unauthorized credential-rejected",
      "ok",
      "not tried",
    ]);
    expect(report?.attempts.map((a) => a.skipped)).toEqual([undefined, undefined, "earlier-attempt-ok"]);
    expect(report?.selected).toBe(2);
    expect(report?.result.outcome).toBe("ok");
    expect(transport.calls).toEqual([
      "GET r.example/v2/ -",
      "HEAD r.example/v2/org/app/manifests/1 ci",
      "HEAD r.example/v2/org/app/manifests/1 ci",
    ]);
    expect(transport.closed).toBe(false);
  });

  it("without an ok, the most informative failure: a missing tag says more than a rejected credential", async () => {
    const transport = memoryRegistry(users, tags);
    const [report] = await checkImages(
      [image("r.example/org/app:2", [as("ci", "wrong"), as("ci", "right"), ANONYMOUS])],
      ownAttempts,
      { transport },
    );
    expect(outcomes(report?.attempts.map((a) => a.result) ?? [])).toEqual([
      "unauthorized credential-rejected",
      "not-found tag",
      "unauthorized no-credential",
    ]);
    expect(report?.selected).toBe(2);
  });

  it("after a failure no credential can change, the remaining attempts are not made", async () => {
    const transport = memoryRegistry(users, tags);
    const [report] = await checkImages(
      [image("unreachable.example/app:1", [as("ci", "right"), as("ci", "other")])],
      ownAttempts,
      { transport },
    );
    expect(outcomes(report?.attempts.map((a) => a.result) ?? [])).toEqual(["network refused", "not tried"]);
    expect(report?.attempts[1]?.skipped).toBe("registry-unreachable");
    expect(transport.calls).toEqual(["GET unreachable.example/v2/ -"]);
  });

  it("the same image (however written) with the same credential is checked once, and every image shares one ping", async () => {
    const transport = memoryRegistry(users, { ...tags, "org/other": ["1"] });
    const right = as("ci", "right");
    const reports = await checkImages(
      [
        image("r.example/org/app:1", [right]),
        image("r.example/org/other:1", [right]),
        image("r.example/org/app:1", [ANONYMOUS, right]),
        image("r.example/org/app:1", [right]),
      ],
      ownAttempts,
      { transport },
    );
    expect(reports.map((r) => `${r.result.outcome} ${r.selected}`)).toEqual(["ok 1", "ok 1", "ok 2", "ok 1"]);
    expect(transport.calls).toEqual([
      "GET r.example/v2/ -",
      "HEAD r.example/v2/org/app/manifests/1 ci",
      "HEAD r.example/v2/org/other/manifests/1 ci",
      "HEAD r.example/v2/org/app/manifests/1 -",
    ]);
  });

  it('attempts: "every" makes every attempt, even after an ok, in one batch', async () => {
    const transport = memoryRegistry(users, tags);
    const [report] = await checkImages(
      [image("r.example/org/app:1", [ANONYMOUS, as("ci", "right"), as("ci", "wrong")])],
      ownAttempts,
      { transport, attempts: "every" },
    );
    expect(outcomes(report?.attempts.map((a) => a.result) ?? [])).toEqual([
      "unauthorized no-credential",
      "ok",
      "unauthorized credential-rejected",
    ]);
    expect(report?.attempts.every((a) => a.skipped === undefined)).toBe(true);
    expect(report?.selected).toBe(2);
  });

  it("a keychain's failure stops the run before any request", async () => {
    const transport = memoryRegistry(users, tags);
    const failing: Keychain = { attemptsFor: () => Promise.reject(new Error("helper failed")), warnings: [] };
    await expect(
      checkImages([{ reference: parseNormalizedReference("r.example/org/app:1") }], failing, { transport }),
    ).rejects.toThrow("helper failed");
    expect(transport.calls).toEqual([]);
  });
});

describe("selectResult", () => {
  const result = (outcome: string, reason?: string): AccessResult =>
    ({ outcome, ...(reason ? { reason } : {}) }) as AccessResult;

  it.each<[string, AccessResult[], number]>([
    ["the first ok", [result("unauthorized", "credential-rejected"), result("ok"), result("ok")], 1],
    [
      "a rejected credential over no credential",
      [result("unauthorized", "no-credential"), result("unauthorized", "credential-rejected")],
      1,
    ],
    [
      "no credential ranks below a network failure",
      [result("network", "refused"), result("unauthorized", "no-credential")],
      0,
    ],
    ["the earliest on a tie", [result("denied"), result("denied")], 0],
    ["platform-missing over not-found", [result("not-found", "tag"), result("platform-missing")], 1],
  ])("%s", (_, results, index) => {
    expect(selectResult(results)).toBe(index);
  });
});

describe("sharePings", () => {
  it("one request per registry ping; requests with credentials and other paths pass through", async () => {
    const inner = memoryRegistry({}, {});
    const shared = sharePings(inner);
    const ping: TransportRequest = { method: "GET", url: "https://r.example/v2/" };
    await Promise.all([shared.request(ping), shared.request(ping)]);
    await shared.request({
      method: "GET",
      url: "https://r.example/v2/",
      headers: { Authorization: "Basic eDp5" },
    });
    await shared.request({ method: "GET", url: "https://r.example/v2/org/app/tags/list" });
    expect(inner.calls).toEqual([
      "GET r.example/v2/ -",
      "GET r.example/v2/ x",
      "GET r.example/v2/org/app/tags/list -",
    ]);
    shared.close();
    expect(inner.closed).toBe(true);
  });
});
