// The gathering edge's pure half: API objects (plain JSON, or client-node models with Date fields) → Evidence.
import { describe, expect, it } from "vitest";
import {
  eventEvidenceFromObject,
  evidenceFromObjects,
  nodeEvidenceFromObject,
  nodeProvider,
  podEvidenceFromObject,
  providerFromNodeName,
  secretEvidenceFromObject,
  serviceAccountEvidenceFromObject,
} from "../../src/doctor/index.js";
import {
  NOW,
  PLANTED,
  aksNode,
  dockerSecret,
  eksNode,
  node,
  pod,
  serviceAccount,
  tokens,
} from "./fixtures.js";

describe("podEvidenceFromObject", () => {
  it("reads containers of every kind with their waiting state, pull policy and pull secrets", () => {
    const object = pod({
      containers: [
        { name: "init", image: "busybox:1.36", init: true, reason: "ErrImagePull", message: "boom" },
        { name: "web", image: "ghcr.io/acme/web:1", pullPolicy: "Always" },
        { name: "side", image: "nginx", running: true },
      ],
      imagePullSecrets: ["a", "b"],
    });
    const evidence = podEvidenceFromObject(object, { kind: "Deployment", name: "web" });
    expect(evidence).toMatchObject({
      name: "web-7d9c8b6f5-x2x7k",
      namespace: "shop",
      serviceAccountName: "default",
      nodeName: "worker-2",
      imagePullSecrets: ["a", "b"],
      owner: { kind: "Deployment", name: "web", via: { kind: "ReplicaSet", name: "web-7d9c8b6f5" } },
    });
    expect(evidence.containers).toEqual([
      {
        name: "init",
        kind: "init",
        image: "busybox:1.36",
        waiting: { reason: "ErrImagePull", message: "boom" },
      },
      {
        name: "web",
        kind: "regular",
        image: "ghcr.io/acme/web:1",
        imagePullPolicy: "Always",
        waiting: { reason: "ImagePullBackOff" },
      },
      { name: "side", kind: "regular", image: "nginx", running: true },
    ]);
  });

  it("accepts client-node models (Date timestamps) and Pods without status", () => {
    const model = {
      metadata: { name: "p", namespace: "n", creationTimestamp: new Date("2026-06-01T09:00:00Z") },
      spec: { containers: [{ name: "c", image: "x" }] },
    };
    const evidence = podEvidenceFromObject(model);
    expect(evidence.createdAt?.toISOString()).toBe("2026-06-01T09:00:00.000Z");
    expect(evidence.containers).toEqual([{ name: "c", kind: "regular", image: "x" }]);
    expect(evidence.imagePullSecrets).toEqual([]);
    expect(podEvidenceFromObject(null)).toMatchObject({ name: "", namespace: "default", containers: [] });
    expect(
      podEvidenceFromObject({ spec: { containers: "nope", imagePullSecrets: [null, { name: 3 }] } }),
    ).toMatchObject({ containers: [], imagePullSecrets: ["", ""] });
  });
});

describe("eventEvidenceFromObject", () => {
  it("reads core/v1 events", () => {
    expect(
      eventEvidenceFromObject({
        reason: "Failed",
        message: "m",
        type: "Warning",
        count: 4,
        firstTimestamp: "2026-06-01T09:00:00Z",
        lastTimestamp: "2026-06-01T09:05:00Z",
        involvedObject: { fieldPath: "spec.containers{web}" },
        source: { component: "kubelet", host: "worker-1" },
      }),
    ).toEqual({
      type: "Warning",
      reason: "Failed",
      message: "m",
      count: 4,
      firstSeen: new Date("2026-06-01T09:00:00Z"),
      lastSeen: new Date("2026-06-01T09:05:00Z"),
      fieldPath: "spec.containers{web}",
      node: "worker-1",
    });
  });

  it("reads events.k8s.io/v1 events (note, regarding, series)", () => {
    expect(
      eventEvidenceFromObject({
        reason: "BackOff",
        note: 'Back-off pulling image "x"',
        type: "Normal",
        eventTime: new Date("2026-06-01T09:00:00Z"),
        series: { count: 7, lastObservedTime: "2026-06-01T09:09:00Z" },
        regarding: { fieldPath: "spec.initContainers{init}" },
        reportingInstance: "worker-3",
      }),
    ).toMatchObject({
      reason: "BackOff",
      message: 'Back-off pulling image "x"',
      count: 7,
      lastSeen: new Date("2026-06-01T09:09:00Z"),
      fieldPath: "spec.initContainers{init}",
      node: "worker-3",
    });
  });

  it("ignores empty events", () => {
    expect(eventEvidenceFromObject({})).toBeUndefined();
    expect(eventEvidenceFromObject("garbage")).toBeUndefined();
  });
});

describe("serviceAccountEvidenceFromObject", () => {
  it("reads imagePullSecrets and when they were last written (managedFields)", () => {
    expect(
      serviceAccountEvidenceFromObject(
        serviceAccount("builder", ["a", "b"], { changedAt: "2026-06-01T09:30:00Z" }),
      ),
    ).toEqual({
      name: "builder",
      imagePullSecrets: ["a", "b"],
      createdAt: new Date("2026-01-01T00:00:00Z"),
      imagePullSecretsChangedAt: new Date("2026-06-01T09:30:00Z"),
    });
    expect(serviceAccountEvidenceFromObject({})).toBeUndefined();
  });
});

describe("secretEvidenceFromObject", () => {
  const read = (secret: Record<string, unknown>) =>
    secretEvidenceFromObject(secret, { now: NOW, referencedBy: ["pod"] });

  it("a usable pull secret: entries with the token kind, never the password", () => {
    const secret = read(
      dockerSecret("ghcr-pull", "shop", { "ghcr.io": { username: "bot", password: tokens.classicPat() } }),
    );
    expect(secret).toMatchObject({
      name: "ghcr-pull",
      namespace: "shop",
      state: "found",
      type: "kubernetes.io/dockerconfigjson",
      dataKeys: [".dockerconfigjson"],
    });
    expect(secret.docker?.kubelet).toBe("uses");
    expect(secret.docker?.entries[0]?.credential?.token.kind).toBe("github-classic-pat");
    const json = JSON.stringify(secret);
    for (const planted of PLANTED) expect(json).not.toContain(planted);
  });

  it("kubelet ignores a docker config under the wrong type", () => {
    expect(
      read(dockerSecret("x", "shop", { "ghcr.io": { username: "u", password: "p" } }, { type: "Opaque" }))
        .docker?.kubelet,
    ).toBe("ignores");
  });

  it("kubelet fails on garbage data, and the evidence says why without the bytes", () => {
    const secret = read(dockerSecret("x", "shop", {}, { raw: "not json at all: hunter2hunter2" }));
    expect(secret.docker?.kubelet).toBe("fails");
    expect(secret.docker?.unreadable?.code).toMatch(/^E_/);
    expect(JSON.stringify(secret)).not.toContain("hunter2hunter2");
  });

  it("no docker key: only the key names", () => {
    const secret = read(dockerSecret("x", "shop", {}, { type: "Opaque", key: "token" }));
    expect(secret.docker).toBeUndefined();
    expect(secret.dataKeys).toEqual(["token"]);
  });
});

describe("nodes", () => {
  it.each([
    [
      "azure:///subscriptions/x/resourceGroups/mc_x/providers/Microsoft.Compute/virtualMachineScaleSets/y/virtualMachines/0",
      { "kubernetes.azure.com/cluster": "MC_x" },
      "aks",
    ],
    [
      "azure:///subscriptions/x/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/vm",
      {},
      "azure",
    ],
    ["aws:///eu-west-1a/i-0a1b2c3d", { "eks.amazonaws.com/nodegroup": "ng" }, "eks"],
    ["aws:///eu-west-1a/i-0a1b2c3d", {}, "aws"],
    ["aws:///eu-west-1a/fargate-ip-10-0-1-2", { "eks.amazonaws.com/compute-type": "fargate" }, "eks-fargate"],
    [
      "gce://proj/europe-west1-b/gke-c-pool-1234abcd-wxyz",
      { "cloud.google.com/gke-nodepool": "pool" },
      "gke",
    ],
    ["kind://docker/kind/kind-worker", {}, "kind"],
    [undefined, {}, "other"],
  ] as const)("%s → %s", (providerID, labels, expected) => {
    expect(nodeProvider(providerID, labels)).toBe(expected);
  });

  it.each([
    ["aks-nodepool1-38291746-vmss000002", "aks"],
    ["ip-10-0-1-23.eu-west-1.compute.internal", "eks"],
    ["ip-192-168-12-7.ec2.internal", "eks"],
    ["fargate-ip-10-0-1-2.eu-west-1.compute.internal", "eks-fargate"],
    ["gke-prod-default-pool-3f2a1b4c-x7kq", "gke"],
    ["kind-control-plane", "kind"],
    ["worker-1", undefined],
  ])("node name %s → %s", (name, expected) => {
    expect(providerFromNodeName(name)).toBe(expected);
  });

  it("reads platform, runtime, kubelet and the clock from the lease", () => {
    const evidence = nodeEvidenceFromObject(node({ arch: "arm64", runtime: "cri-o://1.30.4" }), {
      lease: { spec: { renewTime: new Date("2026-06-01T10:00:05Z") } },
      observedAt: NOW,
    });
    expect(evidence).toMatchObject({
      name: "worker-2",
      provider: "other",
      architecture: "arm64",
      os: "linux",
      containerRuntimeVersion: "cri-o://1.30.4",
      kubeletVersion: "v1.31.4",
      ready: true,
      clock: { heartbeat: new Date("2026-06-01T10:00:05Z"), observedAt: NOW, source: "lease" },
    });
    expect(nodeEvidenceFromObject(aksNode())?.provider).toBe("aks");
    expect(nodeEvidenceFromObject(eksNode())?.provider).toBe("eks");
    expect(nodeEvidenceFromObject({})).toBeUndefined();
  });
});

describe("evidenceFromObjects", () => {
  it("looks up the Pod's and the ServiceAccount's secrets, in the Pod's order, marking who references each", () => {
    const evidence = evidenceFromObjects({
      now: NOW,
      pod: pod({ containers: [{ image: "x" }], imagePullSecrets: ["b", "a"] }),
      serviceAccount: serviceAccount("default", ["a", "c"]),
      secrets: { a: dockerSecret("a", "shop", {}), b: dockerSecret("b", "shop", {}) },
      secretErrors: {
        c: {
          state: "forbidden",
          detail: 'secrets "c" is forbidden: User "dev" cannot get resource "secrets"',
        },
      },
    });
    expect(evidence.source).toBe("cluster");
    expect(evidence.secrets?.map((s) => [s.name, s.state, s.referencedBy])).toEqual([
      ["b", "found", ["pod"]],
      ["a", "found", ["pod", "serviceaccount"]],
      ["c", "forbidden", ["serviceaccount"]],
    ]);
    expect(evidence.secrets?.[2]?.detail).toContain("cannot get resource");
  });

  it("leaves what was not gathered undefined", () => {
    const evidence = evidenceFromObjects({ now: NOW, pod: pod({ containers: [{ image: "x" }] }) });
    expect(evidence.secrets).toBeUndefined();
    expect(evidence.serviceAccount).toBeUndefined();
    expect(evidence.node).toBeUndefined();
    expect(evidence.events).toEqual([]);
  });
});
