// --dry-run: the controller computes and logs what it would do, and writes nothing (no Secret, no
// ServiceAccount patch, no status, no Event), while its credential is still obtained and verified.
import { expect, it } from "vitest";
import { waitUntil } from "../support/net.js";
import { bindStaticCredential, describeRequests, useControllerWorld, writesIn } from "./harness.js";

const USER = { username: "robot", password: "dry-Canary-1" };

const { api, world } = useControllerWorld({ namespaces: ["team-a"], user: USER });

it("logs the writes it would make and makes none", async () => {
  await bindStaticCredential(api, { namespaces: { names: ["team-a"] }, serviceAccounts: ["default"] });
  api.clearRequestLog();
  const controller = await world.start({ dryRun: true });
  await waitUntil("a planned write", () => world.logs.some((l) => l["msg"] === "would write"), {
    timeoutMs: 30_000,
  });
  await controller.settle();
  expect(
    world.logs
      .filter((l) => l["msg"] === "would write")
      .map((l) => `${String(l["action"])} ${String(l["namespace"])} ${String(l["object"])}`),
  ).toContain("create-secret team-a secret/registry-pull");
  expect(world.logs.some((l) => l["msg"] === "would update status")).toBe(true);
  expect(world.logs.some((l) => l["msg"] === "event" && l["reason"] === "CredentialRefreshed")).toBe(true);
  expect(describeRequests(writesIn(api.requestLog()))).toEqual([]);
  expect(JSON.stringify(world.logs)).not.toContain(USER.password);
}, 120_000);
