// A write the API server refuses (403: the controller's Role in one namespace lacks create) is retried by a
// pass after a bounded, jittered backoff (src/controller/schedule.ts writeRetryDelay), not only at the next
// relist or watch event: on the real control plane, under the chart ServiceAccount's own token, the Role is
// granted while nothing the controller watches changes, and the Secret appears within the backoff although the
// relist interval is 10 minutes. The refused creates stay few (no hot loop) and are counted in a metric.
import { describe, expect, it } from "vitest";
import type { KubeObject, TestCluster } from "../kube/harness.js";
import { waitUntil } from "../support/net.js";
import { applyRbac, rendered, serviceAccountKubeconfig } from "./chart-render.js";
import { bindStaticCredential, storedAuths, useControllerWorld } from "./harness.js";

const USER = { username: "robot", password: "retry-Canary-3" };
const SCOPE = ["team-a", "team-b"];
const ROLE_PATH = "/apis/rbac.authorization.k8s.io/v1/namespaces/team-b/roles/pw-pullwarden-controller";

type Role = KubeObject & { rules: { apiGroups: string[]; resources: string[]; verbs: string[] }[] };

async function role(api: TestCluster): Promise<Role> {
  const res = await api.controlPlane.request("GET", ROLE_PATH);
  expect(res.status).toBe(200);
  return JSON.parse(res.body) as Role;
}

async function putRole(api: TestCluster, object: Role): Promise<void> {
  const res = await api.controlPlane.request("PUT", ROLE_PATH, object);
  expect(res.status, res.body).toBe(200);
}

describe("a refused write on the real control plane", () => {
  const { api, world } = useControllerWorld({ namespaces: SCOPE, user: USER, per: "all" });

  it("is retried with backoff, and the Secret appears soon after the Role is granted", async () => {
    await applyRbac(api, await rendered([`scope.namespaces={${SCOPE.join(",")}}`]));
    const granted = await role(api);
    // team-b: Secrets may be read but not created.
    await putRole(api, {
      ...granted,
      rules: granted.rules.map((r) =>
        r.resources.includes("secrets") ? { ...r, verbs: ["get", "list", "watch"] } : r,
      ),
    });
    const kubeconfig = await serviceAccountKubeconfig(api);
    await bindStaticCredential(api, { namespaces: { names: SCOPE }, serviceAccounts: ["default"] });
    api.clearRequestLog();
    const controller = await world.start({ watchNamespaces: SCOPE, relistIntervalMs: 600_000 }, kubeconfig);
    const describe = () => world.logTail();
    const retries = () => world.logs.filter((l) => l["msg"] === "failed writes retry scheduled");
    await waitUntil(
      "team-a served, and two backoff retries scheduled for team-b",
      async () => (await storedAuths(api, "team-a", "registry-pull")) !== undefined && retries().length >= 2,
      { timeoutMs: 45_000, describe },
    );
    const refusedCreates = () =>
      api
        .requestLog()
        .filter(
          (r) =>
            r.status === 403 && r.verb === "create" && r.resource === "secrets" && r.namespace === "team-b",
        );
    // No hot loop: one refused create per retry (and per pass a watch event started), not hundreds.
    expect(refusedCreates().length).toBeGreaterThanOrEqual(2);
    expect(refusedCreates().length).toBeLessThanOrEqual(retries().length + 3);
    // Backoff grows: 5 s, then 10 s (± 20 %).
    const delays = retries().map((l) => l["inMs"] as number);
    expect(delays[0]).toBeGreaterThanOrEqual(5_000);
    expect(delays[1]).toBeGreaterThanOrEqual(10_000);
    expect(delays[1]).toBeLessThanOrEqual(12_000);

    // Granted; nothing the controller watches changes, the relist is 10 minutes away: only the retry serves it.
    const grantedAt = Date.now();
    await putRole(api, { ...granted, metadata: { ...granted.metadata, resourceVersion: undefined } });
    await waitUntil(
      "the Secret in team-b after the Role is granted",
      async () => (await storedAuths(api, "team-b", "registry-pull")) !== undefined,
      { timeoutMs: 35_000, describe },
    );
    expect(Date.now() - grantedAt).toBeLessThan(30_000);
    await waitUntil(
      "the ServiceAccount in team-b lists it",
      async () =>
        JSON.stringify(
          (await api.objects.get("serviceaccounts", "team-b", "default"))?.["imagePullSecrets"],
        ) === JSON.stringify([{ name: "registry-pull" }]),
      { timeoutMs: 30_000, describe },
    );
    const metrics = await controller.metrics.registry.getSingleMetricAsString(
      "pullwarden_write_retries_total",
    );
    expect(Number(/pullwarden_write_retries_total (\d+)/.exec(metrics)?.[1])).toBeGreaterThanOrEqual(2);
    expect(JSON.stringify(world.logs)).not.toContain(USER.password);
  }, 180_000);
});
