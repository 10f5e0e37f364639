// Nothing changed → zero writes: once converged, reconcile passes and relists (the stall watchdog, every
// second here) make no write request at all (counted in the proxy's request log), and one source call per
// credential per refresh, never one per namespace; a restarted controller (a new process's state) writes
// nothing either: no Secret, no status, no Event.
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
  getCustom,
  writesIn,
} from "./harness.js";
import type { ControllerWorld } from "./harness.js";

const USER = { username: "robot", password: "idle-Canary-1" };
const NAMESPACES = ["team-a", "team-b", "team-c", "team-d"];

let api: TestCluster;
let world: ControllerWorld;

beforeEach(async () => {
  api = await startCluster({ namespaces: NAMESPACES });
  world = await controllerWorld(api, USER);
});
afterEach(async () => {
  await world?.stop();
  await api?.stop();
});

it("converged, it makes no write through several passes and relists; one source read for four namespaces", async () => {
  await createStaticCredential(api);
  await createObject(
    api,
    `${GROUP_PATH}/clusterpullsecretbindings`,
    binding("apps", {
      credentials: ["registry"],
      secretName: "registry-pull",
      namespaces: { names: NAMESPACES },
      serviceAccounts: ["default"],
    }),
  );
  const controller = await world.start({ relistIntervalMs: 1_000 });
  await waitUntil(
    "converged",
    async () => {
      const b = await getCustom(api, "clusterpullsecretbindings", "apps");
      return b.status?.["secretsInSync"] === NAMESPACES.length;
    },
    {
      timeoutMs: 30_000,
      describe: () =>
        world.logs
          .slice(-10)
          .map((l) => JSON.stringify(l))
          .join("\n"),
    },
  );
  await waitUntil(
    "every ServiceAccount bound",
    async () => {
      const sas = await Promise.all(
        NAMESPACES.map((ns) => api.objects.get("serviceaccounts", ns, "default")),
      );
      return sas.every((sa) => JSON.stringify(sa?.["imagePullSecrets"] ?? []).includes("registry-pull"));
    },
    { timeoutMs: 30_000 },
  );
  await controller.settle();
  api.clearRequestLog();
  const passes = controller.passes;
  // Relists every second: each makes the informers report every object again, and a pass follows.
  await new Promise((resolve) => setTimeout(resolve, 4_000));
  await controller.settle();
  expect(controller.passes).toBeGreaterThan(passes + 2);
  expect(describeRequests(writesIn(api.requestLog()))).toEqual([]);
  expect(api.requestLog().some((r) => r.verb === "list")).toBe(true);
  const sourceReads = await controller.metrics.registry.getSingleMetricAsString(
    "pullwarden_source_requests_total",
  );
  expect(sourceReads).toContain('pullwarden_source_requests_total{source="static"} 1');
}, 120_000);

it("a restarted controller, with nothing changed, writes nothing", async () => {
  await createStaticCredential(api);
  await createObject(
    api,
    `${GROUP_PATH}/clusterpullsecretbindings`,
    binding("apps", {
      credentials: ["registry"],
      secretName: "registry-pull",
      namespaces: { names: NAMESPACES },
      serviceAccounts: ["default"],
    }),
  );
  const first = await world.start();
  await waitUntil(
    "converged",
    async () => {
      const b = await getCustom(api, "clusterpullsecretbindings", "apps");
      const sas = await Promise.all(
        NAMESPACES.map((ns) => api.objects.get("serviceaccounts", ns, "default")),
      );
      return (
        b.status?.["secretsInSync"] === NAMESPACES.length &&
        sas.every((sa) => JSON.stringify(sa?.["imagePullSecrets"] ?? []).includes("registry-pull"))
      );
    },
    { timeoutMs: 30_000 },
  );
  await first.settle();
  await first.stop();
  api.clearRequestLog();
  const second = await world.start();
  await second.settle();
  await second.settle();
  expect(describeRequests(writesIn(api.requestLog()))).toEqual([]);
}, 120_000);
