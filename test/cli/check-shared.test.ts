// `pullwarden check -f` shares work across images, seen from the server side of a scriptable registry
// (test/registry/support): one ping per registry, one token request per repository and credential.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { imageFor, startFakeRegistry } from "../registry/support/fake-registry.js";
import type { FakeRegistry } from "../registry/support/fake-registry.js";
import { makeScratchDir, removeScratchDir } from "../support/index.js";
import { parseJsonOutput, runPullwarden } from "./run-cli.js";
import type { CheckJsonReport } from "../../src/cli/commands/check/render.js";

const USER = { username: "shared-user", password: "Shared-pw-3Xk9-never-printed" };
const REPOS = ["team/a", "team/b", "team/c", "team/d", "team/e"];
const app = imageFor({ os: "linux", architecture: "amd64" });

let reg: FakeRegistry;
let dir: string;

beforeAll(async () => {
  dir = makeScratchDir("check-shared");
  reg = await startFakeRegistry({
    auth: "bearer",
    users: [USER],
    repositories: Object.fromEntries(REPOS.map((repo) => [repo, { "1.0": app.image }])),
    blobs: app.blobs,
  });
});

afterAll(async () => {
  await reg?.close();
  removeScratchDir(dir);
});

describe("check -f against one registry", () => {
  it("one ping for the registry and one token per repository, however many images", async () => {
    const refs = REPOS.flatMap((repo) =>
      ["1.0", "2.0", "3.0", "4.0"].map((tag) => `${reg.host}/${repo}:${tag}`),
    );
    const list = join(dir, "images.txt");
    writeFileSync(list, `${refs.join("\n")}\n`);
    const before = reg.server.requests.length;
    const result = await runPullwarden(
      ["check", "-f", list, "--plain-http", "--username", USER.username, "--password-stdin", "-o", "json"],
      { stdin: USER.password },
    );
    expect(result.stdout + result.stderr).not.toContain(USER.password);
    expect(result.code).toBe(1);
    const report = parseJsonOutput<CheckJsonReport>(result);
    expect(report.summary).toMatchObject({ images: 20, ok: 5, outcomes: { ok: 5, "not-found": 15 } });
    // Every check's trace still starts with the (shared) ping.
    for (const image of report.images)
      expect(image.attempts[0]?.result?.steps[0]).toMatchObject({ step: "ping" });

    const requests = reg.server.requests.slice(before);
    expect(requests.filter((r) => r.url === "/v2/")).toHaveLength(1);
    expect(reg.tokenRequests).toHaveLength(REPOS.length);
    expect(requests.filter((r) => r.url.includes("/manifests/")).length).toBeGreaterThanOrEqual(refs.length);
  });
});
