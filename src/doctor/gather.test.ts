// doctor's gathering over an in-memory cluster port: what it reads (a constant number of lists per namespace,
// whatever the number of Pods), how failed reads become gaps, and how each Pod's objects are put together.
import { describe, expect, it } from "vitest";
import type { KubeObject, PodObject, SecretObject } from "../kube-model/index.js";
import { gatherDoctorEvidence, podStillThere } from "./gather.js";
import type { ClusterRead, DoctorClusterReader, DoctorTarget, ReadFailure } from "./gather.js";

const NOW = new Date("2026-06-01T10:00:00Z");

type Kind = "Pod" | "Event" | "ServiceAccount" | "Secret" | "ReplicaSet" | "Node";

/** A cluster in memory: objects by kind, reads that fail by `kind namespace` (or `kind *`), and a call log. */
class MemoryCluster implements DoctorClusterReader {
  readonly calls: string[] = [];
  readonly failing = new Map<string, ReadFailure>();
  constructor(private readonly objects: Partial<Record<Kind, KubeObject[]>>) {}

  private list<T extends KubeObject>(
    kind: Kind,
    namespace: string | undefined,
    name?: string,
  ): Promise<ClusterRead<readonly T[]>> {
    this.calls.push(`list ${kind}${namespace ? ` -n ${namespace}` : ""}${name ? ` ${name}` : ""}`);
    const failure = this.failing.get(`${kind} ${namespace ?? "*"}`);
    if (failure) return Promise.resolve({ ok: false, failure });
    const found = (this.objects[kind] ?? []).filter(
      (o) =>
        (namespace === undefined || o.metadata.namespace === namespace) &&
        (name === undefined || o.metadata.name === name),
    );
    return Promise.resolve({ ok: true, value: found as T[] });
  }

  listPods = (namespace: string | undefined, name?: string) => this.list<PodObject>("Pod", namespace, name);
  listEvents = (namespace: string | undefined) => this.list("Event", namespace);
  listServiceAccounts = (namespace: string | undefined) => this.list("ServiceAccount", namespace);
  listSecrets = (namespace: string | undefined) => this.list<SecretObject>("Secret", namespace);
  listSecretsNamed = (name: string) => this.list<SecretObject>("Secret", undefined, name);
  listReplicaSets = (namespace: string | undefined) => this.list("ReplicaSet", namespace);
  listNodes = (name?: string) => this.list("Node", undefined, name);
  getSecret(namespace: string, name: string): Promise<ClusterRead<SecretObject | undefined>> {
    this.calls.push(`get Secret -n ${namespace} ${name}`);
    const failure = this.failing.get(`get Secret ${namespace}/${name}`);
    if (failure) return Promise.resolve({ ok: false, failure });
    const found = (this.objects.Secret ?? []).find(
      (s) => s.metadata.namespace === namespace && s.metadata.name === name,
    );
    return Promise.resolve({ ok: true, value: found as SecretObject | undefined });
  }
}

const forbidden = (what: string): ReadFailure => ({
  forbidden: true,
  message: `cannot ${what} as dev`,
  error: new Error(`cannot ${what} as dev`),
});

function pod(
  namespace: string,
  name: string,
  options: { secrets?: string[]; node?: string; replicaSet?: string; waiting?: string; sa?: string } = {},
): PodObject {
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: {
      name,
      namespace,
      uid: `uid-${namespace}-${name}`,
      ...(options.replicaSet
        ? {
            ownerReferences: [
              {
                apiVersion: "apps/v1",
                kind: "ReplicaSet",
                name: options.replicaSet,
                uid: "rs",
                controller: true,
              },
            ],
          }
        : {}),
    },
    spec: {
      nodeName: options.node ?? "node-1",
      ...(options.sa ? { serviceAccountName: options.sa } : {}),
      imagePullSecrets: (options.secrets ?? []).map((n) => ({ name: n })),
      containers: [{ name: "app", image: "ghcr.io/acme/web:1" }],
    },
    status: {
      phase: "Pending",
      containerStatuses: [
        options.waiting === "running"
          ? { name: "app", state: { running: {} } }
          : { name: "app", state: { waiting: { reason: options.waiting ?? "ImagePullBackOff" } } },
      ],
    },
  };
}

const secret = (namespace: string, name: string): SecretObject => ({
  apiVersion: "v1",
  kind: "Secret",
  metadata: { name, namespace },
  type: "kubernetes.io/dockerconfigjson",
  data: { ".dockerconfigjson": Buffer.from('{"auths":{}}').toString("base64") },
});

const obj = (kind: string, namespace: string | undefined, name: string, extra: object = {}): KubeObject => ({
  apiVersion: "v1",
  kind,
  metadata: { name, ...(namespace ? { namespace } : {}) },
  ...extra,
});

const replicaSet = (namespace: string, name: string, deployment: string): KubeObject => ({
  apiVersion: "apps/v1",
  kind: "ReplicaSet",
  metadata: {
    name,
    namespace,
    ownerReferences: [
      { apiVersion: "apps/v1", kind: "Deployment", name: deployment, uid: "d", controller: true },
    ],
  },
});

function cluster(podsPerNamespace: number): MemoryCluster {
  const pods: KubeObject[] = [];
  for (const ns of ["a", "b"])
    for (let i = 0; i < podsPerNamespace; i++)
      pods.push(
        pod(ns, `app-${i}`, { secrets: [i % 2 === 0 ? "regcred" : "missing"], node: `node-${i % 3}` }),
      );
  return new MemoryCluster({
    Pod: pods,
    Secret: [secret("a", "regcred"), secret("b", "regcred"), secret("c", "missing")],
    ServiceAccount: [obj("ServiceAccount", "a", "default"), obj("ServiceAccount", "b", "default")],
    Node: [
      obj("Node", undefined, "node-0"),
      obj("Node", undefined, "node-1"),
      obj("Node", undefined, "node-2"),
    ],
  });
}

const all = (namespaces: string[] | undefined): DoctorTarget => ({ kind: "all", namespaces });

describe("gatherDoctorEvidence", () => {
  it("reads a constant number of lists per namespace, whatever the number of Pods", async () => {
    const small = cluster(3);
    const large = cluster(60);
    await gatherDoctorEvidence({ cluster: small, target: all(["a", "b"]), now: NOW });
    const result = await gatherDoctorEvidence({ cluster: large, target: all(["a", "b"]), now: NOW });
    expect(large.calls).toEqual(small.calls);
    expect(large.calls).toEqual([
      "list Pod -n a",
      "list Pod -n b",
      "list Event -n a",
      "list Event -n b",
      "list ServiceAccount -n a",
      "list Secret -n a",
      "list ServiceAccount -n b",
      "list Secret -n b",
      "list Node",
      "list Secret missing",
    ]);
    expect(result.pods).toHaveLength(120);
    expect(result.failures).toEqual([]);
  });

  it("-A: cluster-wide lists, and the missing Secret is found elsewhere without another request", async () => {
    const c = cluster(4);
    const result = await gatherDoctorEvidence({ cluster: c, target: all(undefined), now: NOW });
    expect(c.calls).toEqual(["list Pod", "list Event", "list ServiceAccount", "list Secret", "list Node"]);
    const withMissing = result.pods.find((p) => p.objects.secretErrors?.["missing"]);
    expect(withMissing?.objects.elsewhere).toEqual([
      { name: "missing", namespaces: [{ namespace: "c", type: "kubernetes.io/dockerconfigjson" }] },
    ]);
  });

  it("--all keeps only the Pods with pull trouble", async () => {
    const c = new MemoryCluster({
      Pod: [pod("a", "broken"), pod("a", "fine", { waiting: "running" })],
      ServiceAccount: [obj("ServiceAccount", "a", "default")],
    });
    const result = await gatherDoctorEvidence({ cluster: c, target: all(["a"]), now: NOW });
    expect(result.pods.map((p) => (p.objects.pod as PodObject).metadata.name)).toEqual(["broken"]);
    expect(result.pods[0]?.pullTrouble).toBe(true);
  });

  it("puts together each Pod's objects: its events, ServiceAccount, Secrets, node and the Deployment to fix", async () => {
    const event = obj("Event", "a", "web.1", {
      involvedObject: { kind: "Pod", namespace: "a", name: "web-1", uid: "uid-a-web-1" },
      reason: "Failed",
      message: 'Failed to pull image "ghcr.io/acme/web:1": 401 Unauthorized',
    });
    const otherUid = obj("Event", "a", "web.2", {
      involvedObject: { kind: "Pod", namespace: "a", name: "web-1", uid: "an-older-pod" },
      reason: "Failed",
      message: "old",
    });
    const c = new MemoryCluster({
      Pod: [pod("a", "web-1", { secrets: ["regcred"], replicaSet: "web-7d9", sa: "builder" })],
      Event: [event, otherUid],
      ServiceAccount: [obj("ServiceAccount", "a", "builder", { imagePullSecrets: [{ name: "sa-cred" }] })],
      Secret: [secret("a", "regcred"), secret("a", "sa-cred"), secret("a", "unrelated")],
      ReplicaSet: [replicaSet("a", "web-7d9", "web")],
      Node: [obj("Node", undefined, "node-1")],
    });
    const result = await gatherDoctorEvidence({
      cluster: c,
      target: { kind: "pod", namespace: "a", name: "web-1" },
      now: NOW,
    });
    expect(c.calls).toEqual([
      "list Pod -n a web-1",
      "list Event -n a",
      "list ServiceAccount -n a",
      "list Secret -n a",
      "list ReplicaSet -n a",
      "list Node node-1",
    ]);
    const [gathered] = result.pods;
    expect(gathered?.objects.events).toEqual([event]);
    expect(gathered?.objects.owner).toEqual({ kind: "Deployment", name: "web" });
    expect(Object.keys(gathered?.objects.secrets ?? {})).toEqual(["regcred", "sa-cred"]);
    expect(gathered?.podSecrets.map((s) => s.metadata.name)).toEqual(["regcred"]);
    expect(gathered?.objects.namespaceSecrets).toHaveLength(3);
    expect((gathered?.objects.node as KubeObject).metadata.name).toBe("node-1");
    expect(gathered?.objects.gaps).toEqual([]);
    expect(gathered?.objects.observedAt).toBe(NOW);
  });

  it("a forbidden Secret list: a gap naming the permission, and the referenced Secrets read one by one", async () => {
    const c = new MemoryCluster({
      Pod: [pod("a", "x", { secrets: ["regcred", "gone"] }), pod("a", "y", { secrets: ["regcred"] })],
      ServiceAccount: [obj("ServiceAccount", "a", "default")],
      Secret: [secret("a", "regcred")],
    });
    c.failing.set("Secret a", forbidden("list secrets in a"));
    c.failing.set("Node *", forbidden("list nodes"));
    const result = await gatherDoctorEvidence({ cluster: c, target: all(["a"]), now: NOW });
    expect(c.calls.filter((call) => call.startsWith("get"))).toEqual([
      "get Secret -n a regcred",
      "get Secret -n a gone",
    ]);
    const x = result.pods[0]?.objects;
    expect(x?.secretErrors).toEqual({ gone: { state: "missing" } });
    expect(x?.namespaceSecrets).toBeUndefined();
    expect(x?.gaps).toEqual([
      {
        subject: "namespace-secrets",
        reason: "forbidden",
        permission: "list secrets in namespace a",
        detail: "cannot list secrets in a as dev",
      },
      {
        subject: "node",
        name: "node-1",
        reason: "forbidden",
        permission: "list nodes (cluster scope)",
        detail: "cannot list nodes as dev",
      },
    ]);
  });

  it("a Secret that cannot be read is a gap of its own; a failed lookup elsewhere drops the elsewhere list", async () => {
    const c = new MemoryCluster({
      Pod: [pod("a", "x", { secrets: ["locked", "missing"] })],
      ServiceAccount: [obj("ServiceAccount", "a", "default")],
    });
    c.failing.set("Secret a", forbidden("list secrets in a"));
    c.failing.set("get Secret a/locked", forbidden("get secrets in a"));
    c.failing.set("Secret *", forbidden("list secrets at cluster scope"));
    const result = await gatherDoctorEvidence({ cluster: c, target: all(["a"]), now: NOW });
    const objects = result.pods[0]?.objects;
    expect(objects?.secretErrors).toEqual({
      locked: { state: "forbidden", detail: "cannot get secrets in a as dev" },
      missing: { state: "missing" },
    });
    expect(objects?.elsewhere).toBeUndefined();
    expect(objects?.gaps?.map((g) => `${g.subject} ${g.name ?? ""} ${g.permission ?? ""}`)).toEqual([
      "secret locked get secrets in namespace a",
      "namespace-secrets  list secrets in namespace a",
      "node node-1 ",
      "other-namespaces  list secrets in all namespaces",
    ]);
  });

  it("deploy/NAME: the Pods of the ReplicaSets the Deployment owns; none owned is a failure", async () => {
    const c = new MemoryCluster({
      Pod: [
        pod("a", "web-1", { replicaSet: "web-7d9" }),
        pod("a", "api-1", { replicaSet: "api-55f" }),
        pod("a", "bare"),
      ],
      ReplicaSet: [replicaSet("a", "web-7d9", "web"), replicaSet("a", "api-55f", "api")],
    });
    const web = await gatherDoctorEvidence({
      cluster: c,
      target: { kind: "deployment", namespace: "a", name: "web" },
      now: NOW,
    });
    expect(web.pods.map((p) => (p.objects.pod as PodObject).metadata.name)).toEqual(["web-1"]);
    expect(web.pods[0]?.objects.owner).toEqual({ kind: "Deployment", name: "web" });
    expect(c.calls.filter((call) => call.startsWith("list ReplicaSet"))).toEqual(["list ReplicaSet -n a"]);
    const none = await gatherDoctorEvidence({
      cluster: c,
      target: { kind: "deployment", namespace: "a", name: "db" },
      now: NOW,
    });
    expect(none).toEqual({ pods: [], failures: ["no ReplicaSet of deployment db"] });
  });

  it("a failed Pod list ends doctor POD with the port's error, and is one failure line for --all", async () => {
    const c = new MemoryCluster({ Pod: [pod("b", "x")] });
    const failure = forbidden("list pods in a");
    c.failing.set("Pod a", failure);
    await expect(
      gatherDoctorEvidence({ cluster: c, target: { kind: "pod", namespace: "a", name: "x" }, now: NOW }),
    ).rejects.toBe(failure.error);
    const result = await gatherDoctorEvidence({ cluster: c, target: all(["a", "b"]), now: NOW });
    expect(result.failures).toEqual(["cannot list pods in a as dev"]);
    expect(result.pods).toHaveLength(1);
  });

  it("an API server that cannot be reached stops the gathering (the port throws)", async () => {
    const c = cluster(1);
    const unreachable = new Error("connect ECONNREFUSED");
    c.listEvents = () => Promise.reject(unreachable);
    await expect(gatherDoctorEvidence({ cluster: c, target: all(["a"]), now: NOW })).rejects.toBe(
      unreachable,
    );
  });
});

describe("podStillThere", () => {
  it("tells whether the Pod (same uid) is still listed", async () => {
    const c = cluster(1);
    const [gathered] = (await gatherDoctorEvidence({ cluster: c, target: all(["a"]), now: NOW })).pods;
    if (!gathered) throw new Error("no Pod gathered");
    expect(await podStillThere(c, gathered)).toBe(true);
    expect(await podStillThere(new MemoryCluster({}), gathered)).toBe(false);
    const replaced = new MemoryCluster({
      Pod: [{ ...pod("a", "app-0"), metadata: { name: "app-0", namespace: "a", uid: "new" } }],
    });
    expect(await podStillThere(replaced, gathered)).toBe(false);
    const blind = new MemoryCluster({});
    blind.failing.set("Pod a", forbidden("list pods in a"));
    expect(await podStillThere(blind, gathered)).toBeUndefined();
  });
});
