// Nothing changed → zero writes: once converged, reconcile passes and relists (the stall watchdog, every
// second here) make no write request at all (counted in the proxy's request log), and one source call per
// credential per refresh, never one per namespace; a restarted controller (a new process's state) writes
// nothing either: no Secret, no status, no Event.
import { expect, it } from "vitest";
import { waitUntil } from "../support/net.js";
import {
  bindStaticCredential,
  describeRequests,
  getCustom,
  useControllerWorld,
  writesIn,
} from "./harness.js";

const USER = { username: "robot", password: "idle-Canary-1" };
const NAMESPACES = ["team-a", "team-b", "team-c", "team-d"];

const { api, world } = useControllerWorld({ namespaces: NAMESPACES, user: USER });

it("converged, it makes no write through several passes and relists; one source read for four namespaces", async () => {
  await bindStaticCredential(api, { namespaces: { names: NAMESPACES }, serviceAccounts: ["default"] });
  const controller = await world.start({ relistIntervalMs: 1_000 });
  await waitUntil(
    "converged",
    async () => {
      const b = await getCustom(api, "clusterpullsecretbindings", "apps");
      return b.status?.["secretsInSync"] === NAMESPACES.length;
    },
    { timeoutMs: 30_000, describe: () => world.logTail(10) },
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
  await bindStaticCredential(api, { namespaces: { names: NAMESPACES }, serviceAccounts: ["default"] });
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
