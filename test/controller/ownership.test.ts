// A Secret with the binding's name that pullwarden does not own is never touched: it stays byte for byte, the
// binding says SecretConflict (condition and one Warning Event), the create is not retried on every pass (only
// after a relist interval), and the other namespaces are served as usual. A Secret pullwarden apply wrote (its
// managed-by label without the controller's writer label) is not the controller's either.
import { expect, it } from "vitest";
import { waitUntil } from "../support/net.js";
import {
  bindStaticCredential,
  condition,
  getCustom,
  pullSecret,
  storedAuths,
  useControllerWorld,
  writesIn,
} from "./harness.js";

const USER = { username: "robot", password: "owner-Canary-1" };
const FOREIGN = JSON.stringify({
  auths: { "other.example": { auth: Buffer.from("x:y").toString("base64") } },
});

const { api, world } = useControllerWorld({ namespaces: ["team-a", "team-b"], user: USER });

it("leaves a foreign Secret with the target name alone and says so once", async () => {
  await api.objects.seed(pullSecret("team-a", "registry-pull", FOREIGN));
  const before = await api.objects.get("secrets", "team-a", "registry-pull");
  await bindStaticCredential(api, {
    namespaces: { names: ["team-a", "team-b"] },
    serviceAccounts: ["default"],
  });
  const controller = await world.start();
  await waitUntil(
    "SecretConflict",
    async () =>
      condition(await getCustom(api, "clusterpullsecretbindings", "apps"), "Ready")?.reason ===
      "SecretConflict",
    { timeoutMs: 30_000, describe: () => world.logTail(10) },
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

it("leaves a Secret pullwarden apply wrote alone (refused from its cache, no write) and labels its own as the controller's", async () => {
  const applys = pullSecret("team-a", "registry-pull", FOREIGN);
  applys.metadata.labels = { "app.kubernetes.io/managed-by": "pullwarden" };
  await api.objects.seed(applys);
  const before = await api.objects.get("secrets", "team-a", "registry-pull");
  await bindStaticCredential(api, {
    namespaces: { names: ["team-a", "team-b"] },
    serviceAccounts: ["default"],
  });
  api.clearRequestLog();
  await world.start();
  await waitUntil(
    "SecretConflict",
    async () =>
      condition(await getCustom(api, "clusterpullsecretbindings", "apps"), "Ready")?.reason ===
      "SecretConflict",
    { timeoutMs: 30_000 },
  );
  const after = await api.objects.get("secrets", "team-a", "registry-pull");
  expect(after?.metadata.resourceVersion).toBe(before?.metadata.resourceVersion);
  // The cache holds apply's Secret (it carries pullwarden's label), so not even a create is tried.
  expect(writesIn(api.requestLog()).filter((r) => r.namespace === "team-a")).toEqual([]);
  const own = await api.objects.get("secrets", "team-b", "registry-pull");
  expect(own?.metadata.labels).toEqual({
    "app.kubernetes.io/managed-by": "pullwarden",
    "pullwarden.io/writer": "controller",
  });
  const events = (await api.objects.list("events", "default")).filter(
    (e) => (e["involvedObject"] as { name?: string }).name === "apps",
  );
  expect(events.map((e) => e["message"])).toEqual([
    "a Secret named registry-pull that the controller does not own (someone else's, or one pullwarden apply wrote) exists in team-a: left as is (rename it, or pick another secretName)",
  ]);
}, 120_000);
