// The controller keeps watching through what breaks watches: an etcd compaction (the next watch from an old
// resourceVersion gets 410 Gone: the informer relists) and a kube-apiserver restart (every watch and list fails
// for a while: client-node's informer would stop; ours restarts with backoff) and watches that hang without an
// answer (the relist is the stall watchdog). After each, a namespace created later still gets its Secret,
// without a restart of the controller.
import { beforeEach, expect, it } from "vitest";
import { waitUntil } from "../support/net.js";
import { bindStaticCredential, storedAuths, useControllerWorld } from "./harness.js";

const USER = { username: "robot", password: "faults-Canary-1" };

const { api, world } = useControllerWorld({ namespaces: ["team-a"], user: USER });

beforeEach(async () => {
  await bindStaticCredential(api, {
    namespaces: { names: ["team-a"], selector: { matchLabels: { pulls: "yes" } } },
  });
});

const logTail = () => world.logTail();

async function newNamespaceGetsItsSecret(name: string): Promise<void> {
  await api.objects.seed({
    apiVersion: "v1",
    kind: "Namespace",
    metadata: { name, labels: { pulls: "yes" } },
  });
  await waitUntil(
    `${name}'s secret`,
    async () => (await storedAuths(api, name, "registry-pull")) !== undefined,
    {
      timeoutMs: 60_000,
      describe: logTail,
    },
  );
}

it("after an etcd compaction (410 Gone on re-watch), a new namespace still gets its Secret", async () => {
  await world.start();
  await waitUntil(
    "first secret",
    async () => (await storedAuths(api, "team-a", "registry-pull")) !== undefined,
    { timeoutMs: 30_000, describe: logTail },
  );
  api.clearRequestLog();
  await api.controlPlane.compact();
  await newNamespaceGetsItsSecret("after-compaction");
  // The namespaces informer listed again after the compaction (a 410, or the restart's broken watch).
  expect(api.requestLog().some((r) => r.verb === "list" && r.resource === "namespaces")).toBe(true);
}, 180_000);

it("after kube-apiserver was down and back, a new namespace still gets its Secret (informers restarted)", async () => {
  const controller = await world.start();
  await waitUntil(
    "first secret",
    async () => (await storedAuths(api, "team-a", "registry-pull")) !== undefined,
    { timeoutMs: 30_000, describe: logTail },
  );
  await api.controlPlane.stopComponent("kube-apiserver");
  await new Promise((resolve) => setTimeout(resolve, 3_000));
  await api.controlPlane.startComponent("kube-apiserver");
  await newNamespaceGetsItsSecret("after-restart");
  const restarts = await controller.metrics.registry.getSingleMetricAsString(
    "pullwarden_informer_restarts_total",
  );
  expect(restarts).toMatch(/pullwarden_informer_restarts_total\{resource="namespaces"\} [1-9]/);
}, 180_000);

it("while every namespaces watch hangs without an answer, the relist (the stall watchdog) still finds a new namespace", async () => {
  api.intercept((request) =>
    request.verb === "watch" && request.resource === "namespaces" ? "stall" : undefined,
  );
  await world.start({ relistIntervalMs: 1_500 });
  await waitUntil(
    "first secret",
    async () => (await storedAuths(api, "team-a", "registry-pull")) !== undefined,
    { timeoutMs: 30_000, describe: logTail },
  );
  await newNamespaceGetsItsSecret("while-stalled");
  expect(
    api.requestLog().filter((r) => r.verb === "watch" && r.resource === "namespaces").length,
  ).toBeGreaterThanOrEqual(2);
}, 120_000);
