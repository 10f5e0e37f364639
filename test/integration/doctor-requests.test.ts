// `doctor --all` reads a constant number of lists per namespace, whatever the number of Pods (no per-Pod event
// queries), and a 403 is reported as a gap naming the permission, never fatal past the Pod list. Against a real
// kube-apiserver (test/kube/real-cluster.ts): Pods with the status kubelet writes (status subresource), their
// events, real RBAC for the 403s.
import { afterEach, describe, expect, it } from "vitest";
import { runPullwarden } from "../cli/run-cli.js";
import { startCluster } from "../kube/harness.js";
import type { TestCluster } from "../kube/harness.js";

const NOW = new Date("2026-06-01T00:00:00Z");
let api: TestCluster | undefined;
afterEach(async () => {
  await api?.stop();
  api = undefined;
});

const b64 = (s: string): string => Buffer.from(s).toString("base64");

async function seedFailingPods(server: TestCluster, ns: string, count: number): Promise<void> {
  const objects: unknown[] = [];
  for (let i = 0; i < count; i++) {
    const name = `app-${i}`;
    objects.push({
      apiVersion: "v1",
      kind: "Pod",
      metadata: { name, namespace: ns, uid: `u-${ns}-${i}` },
      spec: {
        nodeName: `node-${i % 3}`,
        imagePullSecrets: [{ name: i % 2 === 0 ? "regcred" : "missing" }],
        containers: [{ name: "app", image: "ghcr.io/acme/web:1.4.2" }],
      },
      status: {
        phase: "Pending",
        containerStatuses: [
          {
            name: "app",
            image: "ghcr.io/acme/web:1.4.2",
            state: { waiting: { reason: "ImagePullBackOff" } },
          },
        ],
      },
    });
    objects.push({
      apiVersion: "v1",
      kind: "Event",
      metadata: { name: `${name}.1`, namespace: ns },
      involvedObject: {
        kind: "Pod",
        name,
        namespace: ns,
        uid: `u-${ns}-${i}`,
        fieldPath: "spec.containers{app}",
      },
      reason: "Failed",
      type: "Warning",
      message:
        'Failed to pull image "ghcr.io/acme/web:1.4.2": failed to pull and unpack image "ghcr.io/acme/web:1.4.2": failed to resolve reference "ghcr.io/acme/web:1.4.2": pulling from host ghcr.io failed with status code [manifests 1.4.2]: 401 Unauthorized',
    });
  }
  objects.push({
    apiVersion: "v1",
    kind: "Secret",
    metadata: { name: "regcred", namespace: ns },
    type: "kubernetes.io/dockerconfigjson",
    data: { ".dockerconfigjson": b64(JSON.stringify({ auths: { "docker.io": { auth: b64("u:p") } } })) },
  });
  await server.objects.seed(...(objects as never[]));
}

async function listCalls(
  count: number,
): Promise<{ lists: number; perResource: Record<string, number>; code: number }> {
  const server = await startCluster({ namespaces: ["a", "b"] });
  api = server;
  await seedFailingPods(server, "a", count);
  await seedFailingPods(server, "b", count);
  server.clearRequestLog();
  const r = await runPullwarden(
    ["doctor", "--all", "-n", "a,b", "-o", "json", "--kubeconfig", server.kubeconfigPath],
    {
      now: NOW,
    },
  );
  const log = server.requestLog();
  const perResource: Record<string, number> = {};
  for (const entry of log)
    perResource[`${entry.verb} ${entry.resource}`] =
      (perResource[`${entry.verb} ${entry.resource}`] ?? 0) + 1;
  expect(log.every((entry) => entry.verb === "list")).toBe(true);
  await server.stop();
  api = undefined;
  return { lists: log.length, perResource, code: r.code };
}

describe("doctor --all request count", () => {
  it("is the same for 3 and 120 Pods per namespace (no per-Pod queries)", async () => {
    const small = await listCalls(3);
    const large = await listCalls(120);
    expect(small.code).toBe(1);
    expect(large.lists).toBe(small.lists);
    // per namespace: pods, events, serviceaccounts, secrets; plus one node list and one cluster-wide lookup
    // of the missing secret name
    expect(large.perResource["list events"]).toBe(2);
    expect(large.perResource["list pods"]).toBe(2);
    expect(large.lists).toBeLessThanOrEqual(2 * 5 + 2);
  });

  it("-A: cluster-wide lists", async () => {
    const server = await startCluster({ namespaces: ["a", "b"] });
    api = server;
    await seedFailingPods(server, "a", 50);
    await seedFailingPods(server, "b", 50);
    server.clearRequestLog();
    const r = await runPullwarden(
      ["doctor", "--all", "-A", "-o", "json", "--kubeconfig", server.kubeconfigPath],
      { now: NOW },
    );
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout) as { findings: number; requests: number };
    expect(report.findings).toBe(100);
    expect(server.requestLog().length).toBe(report.requests);
    expect(report.requests).toBeLessThanOrEqual(6);
  });
});

describe("doctor: permission gaps (403)", () => {
  it("cannot list secrets: reported with the kubectl auth can-i line, still diagnosed", async () => {
    const server = await startCluster({
      namespaces: ["shop"],
      users: {
        dev: {
          rules: [
            {
              verbs: ["get", "list"],
              resources: ["pods", "events", "serviceaccounts"],
              namespaces: ["shop"],
            },
          ],
        },
      },
    });
    api = server;
    await seedFailingPods(server, "shop", 2);
    const r = await runPullwarden(
      ["doctor", "app-1", "-n", "shop", "--kubeconfig", server.kubeconfigFor("dev")],
      {
        now: NOW,
      },
    );
    expect(r.code).toBe(1);
    expect(r.stdout).toContain("cannot list secrets in shop");
    expect(r.stdout).toContain("kubectl auth can-i list secrets -n shop");
    expect(r.stdout).toContain("kubectl auth can-i get secrets -n shop");
    expect(r.stdout).toContain("nodes");
  });

  it("a namespace whose Pods cannot be listed: said which permission, exit 4 when nothing else is found", async () => {
    const server = await startCluster({
      namespaces: ["shop", "secret-ns"],
      users: {
        dev: {
          rules: [
            {
              verbs: ["list"],
              resources: ["pods", "events", "serviceaccounts", "secrets"],
              namespaces: ["shop"],
            },
          ],
        },
      },
    });
    api = server;
    const r = await runPullwarden(
      ["doctor", "--all", "-n", "secret-ns", "--kubeconfig", server.kubeconfigFor("dev")],
      { now: NOW },
    );
    expect(r.code).toBe(4);
    expect(r.stdout).toContain("kubectl auth can-i list pods -n secret-ns");
    const single = await runPullwarden(
      ["doctor", "x", "-n", "secret-ns", "--kubeconfig", server.kubeconfigFor("dev")],
      { now: NOW },
    );
    expect(single.code).toBe(4);
    expect(single.stderr).toContain("kubectl auth can-i list pods -n secret-ns");
  });

  it("a Pod deleted while being diagnosed is reported", async () => {
    const server = await startCluster({ namespaces: ["shop"] });
    api = server;
    await seedFailingPods(server, "shop", 1);
    let deleted = false;
    server.intercept(async (request) => {
      if (!deleted && request.resource === "events") {
        deleted = true;
        await server.objects.delete("pods", "shop", "app-0");
      }
      return undefined;
    });
    const r = await runPullwarden(["doctor", "app-0", "-n", "shop", "--kubeconfig", server.kubeconfigPath], {
      now: NOW,
    });
    expect(r.stdout).toContain("deleted while doctor ran");
  });
});
