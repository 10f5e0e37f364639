// Two controller processes (the built CLI: `pullwarden controller run`) elect a leader on a real Lease: the
// follower keeps its caches warm and writes nothing; SIGKILL the leader and the follower takes over once the
// lease runs out (client-go's rule), with no double writes (each Secret created once, counted per replica in
// the proxy's request log). Both serve /healthz, /readyz and /metrics.
import { join } from "node:path";
import { afterEach, beforeEach, expect, it } from "vitest";
import { waitUntil } from "../support/net.js";
import { startServer } from "../support/processes.js";
import type { ServerProcess } from "../support/processes.js";
import { REPO_ROOT } from "../support/tools.js";
import type { RequestRecord } from "../kube/real-cluster.js";
import {
  CONTROLLER_NAMESPACE,
  bindStaticCredential,
  jsonLogLines,
  storedAuths,
  useControllerWorld,
  writesIn,
} from "./harness.js";

const USER = { username: "robot", password: "leader-Canary-1" };
const LEASE = "pullwarden-controller";

const { api, world } = useControllerWorld({ namespaces: ["team-a"], user: USER });
const replicas = new Map<string, ServerProcess>();

beforeEach(async () => {
  for (const name of ["replica-a", "replica-b"]) await api.addUser(name, { rules: "cluster-admin" });
});
// Registered after useControllerWorld's, so it runs before the world and the cluster stop.
afterEach(async () => {
  await Promise.all([...replicas.values()].map((r) => r.stop()));
  replicas.clear();
});

function startReplica(name: string): ServerProcess {
  const replica = startServer(
    process.execPath,
    [
      join(REPO_ROOT, "dist/bin/main.js"),
      "controller",
      "run",
      "--kubeconfig",
      api.kubeconfigFor(name),
      "--namespace",
      CONTROLLER_NAMESPACE,
      "--identity",
      name,
      "--lease-name",
      LEASE,
      "--lease-duration",
      "3s",
      "--renew-deadline",
      "2s",
      "--retry-period",
      "500ms",
      "--http-address",
      "127.0.0.1:0",
      "--ca-file",
      world.registry.caFile ?? "",
    ],
    { env: { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: "/nonexistent" } },
  );
  replicas.set(name, replica);
  return replica;
}

async function httpGet(replica: ServerProcess, path: string): Promise<{ status: number; body: string }> {
  const port = jsonLogLines(replica).find((l) => l["msg"] === "controller starting")?.["httpPort"];
  const res = await fetch(`http://127.0.0.1:${String(port)}${path}`);
  return { status: res.status, body: await res.text() };
}

async function holder(): Promise<string | undefined> {
  const lease = await api.objects.get("leases.coordination.k8s.io", CONTROLLER_NAMESPACE, LEASE);
  return (lease?.["spec"] as { holderIdentity?: string } | undefined)?.holderIdentity || undefined;
}

it("one leader writes, the follower is warm and silent; after SIGKILL the follower takes over, no double writes", async () => {
  await bindStaticCredential(api, { namespaces: { names: ["team-a", "team-late"] } });
  const a = startReplica("replica-a");
  const b = startReplica("replica-b");
  const describe = () => `replica-a:\n${a.logs().slice(-2000)}\nreplica-b:\n${b.logs().slice(-2000)}`;
  await waitUntil(
    "a leader and its Secret",
    async () =>
      (await holder()) !== undefined && (await storedAuths(api, "team-a", "registry-pull")) !== undefined,
    { timeoutMs: 60_000, describe },
  );
  const leaderName = (await holder()) as string;
  const leader = replicas.get(leaderName) as ServerProcess;
  const followerName = leaderName === "replica-a" ? "replica-b" : "replica-a";
  const follower = replicas.get(followerName) as ServerProcess;
  await waitUntil(
    "both ready",
    async () => (await httpGet(a, "/readyz")).status === 200 && (await httpGet(b, "/readyz")).status === 200,
    { timeoutMs: 30_000, describe },
  );
  expect((await httpGet(leader, "/healthz")).status).toBe(200);
  expect((await httpGet(leader, "/metrics")).body).toMatch(/^pullwarden_leader_is_leader 1$/m);
  expect((await httpGet(follower, "/metrics")).body).toMatch(/^pullwarden_leader_is_leader 0$/m);
  // Silent: no write but, when both replicas started at once, the Lease create it lost (409), as client-go's
  // elector loses it: both find no Lease and try to create it; the API server accepts one.
  const lostElection = (r: RequestRecord): boolean =>
    r.resource === "leases" && r.verb === "create" && r.status === 409;
  expect(writesIn(api.requestLog()).filter((r) => r.user === followerName && !lostElection(r))).toEqual([]);

  const killedAt = Date.now();
  leader.child.kill("SIGKILL");
  await waitUntil("the follower leads", async () => (await holder()) === followerName, {
    timeoutMs: 30_000,
    describe,
  });
  const tookOverAfterMs = Date.now() - killedAt;
  await api.objects.seed({ apiVersion: "v1", kind: "Namespace", metadata: { name: "team-late" } });
  await waitUntil(
    "team-late's Secret, from the new leader",
    async () => (await storedAuths(api, "team-late", "registry-pull")) !== undefined,
    { timeoutMs: 30_000, describe },
  );
  const creates = writesIn(api.requestLog()).filter((r) => r.resource === "secrets" && r.verb === "create");
  expect(creates.map((r) => `${r.user} ${r.namespace}`).sort()).toEqual(
    [`${followerName} team-late`, `${leaderName} team-a`].sort(),
  );
  const lease = await api.objects.get("leases.coordination.k8s.io", CONTROLLER_NAMESPACE, LEASE);
  expect((lease?.["spec"] as { leaseTransitions?: number }).leaseTransitions).toBeGreaterThanOrEqual(1);
  console.log(`takeover after SIGKILL: ${tookOverAfterMs} ms (lease duration 3 s, retry period 0.5 s)`);

  // Graceful stop of the new leader releases the Lease (holderIdentity emptied) and exits 0.
  await follower.stop();
  expect(follower.child.exitCode).toBe(0);
  expect(await holder()).toBeUndefined();
  expect(follower.logs()).not.toContain(USER.password);
}, 180_000);
