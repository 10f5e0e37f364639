// spec.restartStuckPods on the real control plane, with kube-controller-manager's ReplicaSet controller: a Pod
// admitted before its ServiceAccount had the secret, stuck in ImagePullBackOff (status written through the
// status subresource, as kubelet would), is deleted once the ServiceAccount lists the secret, and its
// ReplicaSet recreates it with the secret; a bare Pod in the same state is never deleted and is told why (one
// Warning Event); a binding without the opt-in restarts nothing; the metric counts both.
import { expect, it } from "vitest";
import { waitUntil } from "../support/net.js";
import { imagePullBackOffStatus } from "../support/pod-status.js";
import { bindStaticCredential, createBinding, useControllerWorld } from "./harness.js";

const USER = { username: "robot", password: "stuck-Canary-7" };

const { api, world } = useControllerWorld({ namespaces: ["team-a", "team-b"], user: USER });

interface Pod {
  metadata: { name: string; uid: string; ownerReferences?: { kind: string }[] };
  spec: { imagePullSecrets?: { name: string }[] };
}

async function request(method: string, path: string, body?: unknown): Promise<unknown> {
  const res = await api.controlPlane.request(method, path, body);
  if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${res.body}`);
  return JSON.parse(res.body) as unknown;
}

async function pods(namespace: string): Promise<Pod[]> {
  return ((await request("GET", `/api/v1/namespaces/${namespace}/pods`)) as { items: Pod[] }).items;
}

const podSpec = (image: string) => ({
  serviceAccountName: "default",
  containers: [{ name: "app", image }],
});

/** What kubelet reports while it backs off pulling `image`. */
async function markStuck(namespace: string, pod: Pod, image: string): Promise<void> {
  const path = `/api/v1/namespaces/${namespace}/pods/${pod.metadata.name}`;
  const current = (await request("GET", path)) as Record<string, unknown>;
  await request("PUT", `${path}/status`, {
    ...current,
    status: imagePullBackOffStatus(image),
  });
}

async function stuckReplicaSetPod(namespace: string, image: string): Promise<Pod> {
  await request("POST", `/apis/apps/v1/namespaces/${namespace}/replicasets`, {
    apiVersion: "apps/v1",
    kind: "ReplicaSet",
    metadata: { name: "web" },
    spec: {
      replicas: 1,
      selector: { matchLabels: { app: "web" } },
      template: { metadata: { labels: { app: "web" } }, spec: podSpec(image) },
    },
  });
  let pod: Pod | undefined;
  await waitUntil(
    "kube-controller-manager creates the ReplicaSet's Pod",
    async () => (pod = (await pods(namespace)).find((p) => p.metadata.ownerReferences)) !== undefined,
    { timeoutMs: 30_000 },
  );
  await markStuck(namespace, pod as Pod, image);
  return pod as Pod;
}

it("deletes a stuck Pod its ReplicaSet recreates with the secret, never a bare one, and only when opted in", async () => {
  const image = `${world.registry.host}/team/app:1`;
  const stuck = await stuckReplicaSetPod("team-a", image);
  expect(stuck.spec.imagePullSecrets).toBeUndefined();
  const bare = (await request("POST", "/api/v1/namespaces/team-a/pods", {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name: "lonely" },
    spec: podSpec(image),
  })) as Pod;
  await markStuck("team-a", bare, image);
  const untouched = await stuckReplicaSetPod("team-b", image);

  await bindStaticCredential(api, {
    namespaces: { names: ["team-a"] },
    serviceAccounts: ["default"],
    restartStuckPods: true,
  });
  await createBinding(api, "no-restarts", {
    credentials: ["registry"],
    secretName: "registry-pull",
    namespaces: { names: ["team-b"] },
    serviceAccounts: ["default"],
  });
  api.clearRequestLog();
  const controller = await world.start({ restartStuckPods: true });
  const describe = () => world.logTail();
  let replacement: Pod | undefined;
  await waitUntil(
    "the ReplicaSet's new Pod, with the secret",
    async () => {
      const now = await pods("team-a");
      replacement = now.find((p) => p.metadata.ownerReferences && p.metadata.uid !== stuck.metadata.uid);
      return replacement !== undefined && !now.some((p) => p.metadata.uid === stuck.metadata.uid);
    },
    { timeoutMs: 45_000, describe },
  );
  expect(replacement?.spec.imagePullSecrets).toEqual([{ name: "registry-pull" }]);
  await waitUntil(
    "the bare Pod told why",
    async () =>
      (
        (await request("GET", "/api/v1/namespaces/team-a/events")) as { items: Record<string, unknown>[] }
      ).items.some((e) => e["reason"] === "StuckPodNotRestarted"),
    { timeoutMs: 30_000, describe },
  );
  await controller.settle();
  await controller.settle();

  // The bare Pod is still there; team-b (no opt-in) is untouched.
  expect((await pods("team-a")).map((p) => p.metadata.uid)).toContain(bare.metadata.uid);
  expect((await pods("team-b")).map((p) => p.metadata.uid)).toEqual([untouched.metadata.uid]);
  const deletes = api
    .requestLog()
    .filter((r) => r.verb === "delete" && r.resource === "pods")
    .map((r) => `${r.namespace}/${r.name} ${r.status}`);
  expect(deletes).toEqual([`team-a/${stuck.metadata.name} 200`]);

  const events = (
    (await request("GET", "/api/v1/namespaces/team-a/events")) as { items: Record<string, unknown>[] }
  ).items
    .filter((e) => /^StuckPod/.test(String(e["reason"])))
    .map((e) => [(e["involvedObject"] as { name: string }).name, e["type"], e["reason"], e["message"]]);
  expect(events).toEqual(
    expect.arrayContaining([
      [
        stuck.metadata.name,
        "Normal",
        "StuckPodRestarted",
        "deleted while stuck in ImagePullBackOff: ReplicaSet/web recreates it, and ServiceAccount default now gives new Pods registry-pull",
      ],
      [
        "lonely",
        "Warning",
        "StuckPodNotRestarted",
        `stuck in ImagePullBackOff (${image}), not restarted: no controller would recreate it (delete it and create it again yourself)`,
      ],
    ]),
  );
  expect(events).toHaveLength(2);
  const metric = await controller.metrics.registry.getSingleMetricAsString("pullwarden_stuck_pods_total");
  expect(metric).toContain('pullwarden_stuck_pods_total{result="restarted"} 1');
  expect(metric).toContain('pullwarden_stuck_pods_total{result="not_restartable"} 1');
  expect(JSON.stringify(world.logs)).not.toContain(USER.password);
  expect(JSON.stringify(events)).not.toContain(USER.password);
}, 180_000);
