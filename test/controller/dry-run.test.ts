// --dry-run: the controller computes and logs what it would do, and writes nothing (no Secret, no
// ServiceAccount patch, no status, no Event), while its credential is still obtained and verified.
import { afterEach, beforeEach, expect, it } from "vitest";
import { startCluster } from "../kube/harness.js";
import type { TestCluster } from "../kube/harness.js";
import { waitUntil } from "../support/net.js";
import {
  GROUP_PATH,
  binding,
  controllerWorld,
  createObject,
  createStaticCredential,
  describeRequests,
  writesIn,
} from "./harness.js";
import type { ControllerWorld } from "./harness.js";

const USER = { username: "robot", password: "dry-Canary-1" };

let api: TestCluster;
let world: ControllerWorld;

beforeEach(async () => {
  api = await startCluster({ namespaces: ["team-a"] });
  world = await controllerWorld(api, USER);
});
afterEach(async () => {
  await world?.stop();
  await api?.stop();
});

it("logs the writes it would make and makes none", async () => {
  await createStaticCredential(api);
  await createObject(
    api,
    `${GROUP_PATH}/clusterpullsecretbindings`,
    binding("apps", {
      credentials: ["registry"],
      secretName: "registry-pull",
      namespaces: { names: ["team-a"] },
      serviceAccounts: ["default"],
    }),
  );
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
