// A Secret with the binding's name that pullwarden does not own is never touched: it stays byte for byte, the
// binding says SecretConflict (condition and one Warning Event), the create is not retried on every pass (only
// after a relist interval), and the other namespaces are served as usual.
import { afterEach, beforeEach, expect, it } from "vitest";
import { startCluster } from "../kube/harness.js";
import type { TestCluster } from "../kube/harness.js";
import { waitUntil } from "../support/net.js";
import {
  GROUP_PATH,
  binding,
  condition,
  controllerWorld,
  createObject,
  createStaticCredential,
  getCustom,
  pullSecret,
  storedAuths,
  writesIn,
} from "./harness.js";
import type { ControllerWorld } from "./harness.js";

const USER = { username: "robot", password: "owner-Canary-1" };
const FOREIGN = JSON.stringify({
  auths: { "other.example": { auth: Buffer.from("x:y").toString("base64") } },
});

let api: TestCluster;
let world: ControllerWorld;

beforeEach(async () => {
  api = await startCluster({ namespaces: ["team-a", "team-b"] });
  world = await controllerWorld(api, USER);
});
afterEach(async () => {
  await world?.stop();
  await api?.stop();
});

it("leaves a foreign Secret with the target name alone and says so once", async () => {
  await api.objects.seed(pullSecret("team-a", "registry-pull", FOREIGN));
  const before = await api.objects.get("secrets", "team-a", "registry-pull");
  await createStaticCredential(api);
  await createObject(
    api,
    `${GROUP_PATH}/clusterpullsecretbindings`,
    binding("apps", {
      credentials: ["registry"],
      secretName: "registry-pull",
      namespaces: { names: ["team-a", "team-b"] },
      serviceAccounts: ["default"],
    }),
  );
  const controller = await world.start();
  await waitUntil(
    "SecretConflict",
    async () =>
      condition(await getCustom(api, "clusterpullsecretbindings", "apps"), "Ready")?.reason ===
      "SecretConflict",
    {
      timeoutMs: 30_000,
      describe: () =>
        world.logs
          .slice(-10)
          .map((l) => JSON.stringify(l))
          .join("\n"),
    },
  );
  // Passes that follow (each namespace change starts one) do not try again: a conflict is looked at again
  // only after a relist interval.
  const passes = controller.passes;
  for (const round of [1, 2, 3]) {
    await api.objects.put({
      apiVersion: "v1",
      kind: "Namespace",
      metadata: { name: "team-b", labels: { round: String(round) } },
    });
    await controller.settle();
  }
  expect(controller.passes).toBeGreaterThanOrEqual(passes + 3);
  const b = await getCustom(api, "clusterpullsecretbindings", "apps");
  expect(b.status).toMatchObject({ namespaces: 2, secretsInSync: 1, conflicts: ["team-a"] });
  expect(condition(b, "Ready")?.message).toContain("team-a");
  const after = await api.objects.get("secrets", "team-a", "registry-pull");
  expect(after?.metadata.resourceVersion).toBe(before?.metadata.resourceVersion);
  expect(after?.metadata.labels).toBeUndefined();
  expect((await storedAuths(api, "team-b", "registry-pull"))?.[world.registry.host]?.username).toBe(
    USER.username,
  );
  const teamAWrites = writesIn(api.requestLog()).filter((r) => r.namespace === "team-a");
  expect(teamAWrites.map((r) => `${r.verb} ${r.resource}`)).toEqual(["create secrets"]);
  expect(
    JSON.stringify(
      (await api.objects.get("serviceaccounts", "team-a", "default"))?.["imagePullSecrets"] ?? [],
    ),
  ).not.toContain("registry-pull");
  const events = (await api.objects.list("events", "default")).filter(
    (e) => (e["involvedObject"] as { name?: string }).name === "apps",
  );
  expect(events.map((e) => [e["type"], e["reason"]])).toEqual([["Warning", "SecretConflict"]]);
}, 120_000);
