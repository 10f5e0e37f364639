// Builders of Kubernetes API objects (as the API server returns them) for doctor's Evidence, so that tests go
// through evidenceFromObjects exactly as the live gatherer will. Tokens are assembled at run time so that no
// secret scanner mistakes the fixtures for leaked credentials; every password planted here is listed in
// PLANTED so tests can assert that none ever reaches a diagnosis.
import type { AccessResult } from "../../src/registry/index.js";
import { evidenceFromObjects } from "../../src/doctor/index.js";
import type { Evidence, EvidenceGap, ProbeEvidence, SecretElsewhere } from "../../src/doctor/index.js";

export const NOW = new Date("2026-06-01T10:00:00Z");
const NOW_S = Math.floor(NOW.getTime() / 1000);

/** Every secret value a fixture puts into a Secret. */
export const PLANTED = new Set<string>();

function plant<T extends string>(value: T): T {
  PLANTED.add(value);
  return value;
}

const alnum = (n: number, seed: number): string => {
  const chars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  let out = "";
  let x = seed * 7919 + 13;
  for (let i = 0; i < n; i++) {
    x = (x * 1103515245 + 12345) % 2147483648;
    out += chars[x % chars.length];
  }
  return out;
};

export const tokens = {
  classicPat: () => plant(`ghp${"_"}${alnum(36, 1)}`),
  fineGrainedPat: () => plant(`github${"_pat_"}${alnum(22, 2)}_${alnum(59, 3)}`),
  appToken: () => plant(`ghs${"_"}${alnum(36, 4)}`),
  password: () => plant(`Pa55-${alnum(20, 5)}`),
  /** An ECR password (base64 JSON with payload, datakey, expiration). */
  ecr: (expiresInSeconds: number) =>
    plant(
      Buffer.from(
        JSON.stringify({
          payload: Buffer.from(alnum(300, 6)).toString("base64"),
          datakey: Buffer.from(alnum(120, 7)).toString("base64"),
          version: "2",
          type: "DATA_KEY",
          expiration: NOW_S + expiresInSeconds,
        }),
      ).toString("base64"),
    ),
  /** An ACR refresh token (JWT, unsigned) for `registry`, valid from `nbfOffset` seconds. */
  acrRefresh: (registry: string, nbfOffset = -600) => {
    const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString("base64url");
    return plant(
      `${b64({ alg: "RS256", typ: "JWT" })}.${b64({
        jti: "365d2b3c-5a3a-4d8c-8e2e-3b3b6b3c1d2e",
        sub: "kubelet",
        nbf: NOW_S + nbfOffset,
        iat: NOW_S + nbfOffset,
        exp: NOW_S + nbfOffset + 3 * 3600,
        iss: "Azure Container Registry",
        aud: registry,
        version: "1.0",
        grant_type: "refresh_token",
        tenant: "72f988bf-86f1-41af-91ab-2d7cd011db47",
      })}.${alnum(40, 8)}`,
    );
  },
};

export interface Auth {
  username: string;
  password: string;
}

/** A Secret as the API returns it (data base64). */
export function dockerSecret(
  name: string,
  namespace: string,
  auths: Record<string, Auth>,
  options: { type?: string; key?: string; raw?: string } = {},
): Record<string, unknown> {
  const config = {
    auths: Object.fromEntries(
      Object.entries(auths).map(([host, a]) => [
        host,
        {
          username: a.username,
          password: a.password,
          auth: Buffer.from(`${a.username}:${a.password}`).toString("base64"),
        },
      ]),
    ),
  };
  const text = options.raw ?? JSON.stringify(config);
  return {
    apiVersion: "v1",
    kind: "Secret",
    metadata: { name, namespace, creationTimestamp: "2026-05-01T00:00:00Z", uid: `uid-${name}` },
    type: options.type ?? "kubernetes.io/dockerconfigjson",
    data: { [options.key ?? ".dockerconfigjson"]: Buffer.from(text).toString("base64") },
  };
}

export interface ContainerSpec {
  name?: string;
  image: string;
  reason?: string;
  message?: string;
  running?: boolean;
  pullPolicy?: string;
  init?: boolean;
}

export function pod(options: {
  name?: string;
  namespace?: string;
  containers: ContainerSpec[];
  imagePullSecrets?: string[];
  serviceAccount?: string;
  node?: string;
  createdAt?: string;
  owner?: { kind: string; name: string } | null;
}): Record<string, unknown> {
  const name = options.name ?? "web-7d9c8b6f5-x2x7k";
  const build = (list: ContainerSpec[]) => ({
    specs: list.map((c, i) => ({
      name: c.name ?? `c${i}`,
      image: c.image,
      ...(c.pullPolicy ? { imagePullPolicy: c.pullPolicy } : {}),
    })),
    statuses: list.map((c, i) => ({
      name: c.name ?? `c${i}`,
      image: c.image,
      ready: Boolean(c.running),
      restartCount: 0,
      state: c.running
        ? { running: { startedAt: "2026-06-01T09:00:00Z" } }
        : {
            waiting: { reason: c.reason ?? "ImagePullBackOff", ...(c.message ? { message: c.message } : {}) },
          },
    })),
  });
  const init = build(options.containers.filter((c) => c.init));
  const regular = build(options.containers.filter((c) => !c.init));
  const owner = options.owner === undefined ? { kind: "ReplicaSet", name: "web-7d9c8b6f5" } : options.owner;
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: {
      name,
      namespace: options.namespace ?? "shop",
      uid: "8f6c2a1e-1111-2222-3333-444455556666",
      creationTimestamp: options.createdAt ?? "2026-06-01T09:50:00Z",
      ...(owner
        ? {
            ownerReferences: [
              { apiVersion: "apps/v1", kind: owner.kind, name: owner.name, controller: true, uid: "x" },
            ],
          }
        : {}),
    },
    spec: {
      ...(init.specs.length > 0 ? { initContainers: init.specs } : {}),
      containers: regular.specs,
      serviceAccountName: options.serviceAccount ?? "default",
      ...(options.node ? { nodeName: options.node } : { nodeName: "worker-2" }),
      ...(options.imagePullSecrets
        ? { imagePullSecrets: options.imagePullSecrets.map((n) => ({ name: n })) }
        : {}),
    },
    status: {
      phase: "Pending",
      ...(init.statuses.length > 0 ? { initContainerStatuses: init.statuses } : {}),
      containerStatuses: regular.statuses,
    },
  };
}

export function failedEvent(
  image: string,
  message: string,
  container = "c0",
  count = 4,
): Record<string, unknown> {
  return {
    apiVersion: "v1",
    kind: "Event",
    metadata: { name: "web.17f", namespace: "shop" },
    involvedObject: {
      kind: "Pod",
      name: "web-7d9c8b6f5-x2x7k",
      namespace: "shop",
      fieldPath: `spec.containers{${container}}`,
    },
    reason: "Failed",
    message: `Failed to pull image "${image}": ${message}`,
    type: "Warning",
    count,
    firstTimestamp: "2026-06-01T09:51:00Z",
    lastTimestamp: "2026-06-01T09:59:00Z",
    source: { component: "kubelet", host: "worker-2" },
  };
}

export function event(reason: string, message: string, type = "Warning"): Record<string, unknown> {
  return {
    apiVersion: "v1",
    kind: "Event",
    metadata: { name: "web.18a", namespace: "shop" },
    involvedObject: { kind: "Pod", name: "web-7d9c8b6f5-x2x7k", namespace: "shop" },
    reason,
    message,
    type,
    count: 3,
    lastTimestamp: "2026-06-01T09:59:30Z",
  };
}

export function serviceAccount(
  name: string,
  secrets: string[],
  options: { changedAt?: string; namespace?: string } = {},
): Record<string, unknown> {
  return {
    apiVersion: "v1",
    kind: "ServiceAccount",
    metadata: {
      name,
      namespace: options.namespace ?? "shop",
      creationTimestamp: "2026-01-01T00:00:00Z",
      ...(options.changedAt
        ? {
            managedFields: [
              {
                manager: "kubectl-patch",
                operation: "Update",
                apiVersion: "v1",
                time: options.changedAt,
                fieldsType: "FieldsV1",
                fieldsV1: { "f:imagePullSecrets": {} },
              },
            ],
          }
        : {}),
    },
    ...(secrets.length > 0 ? { imagePullSecrets: secrets.map((n) => ({ name: n })) } : {}),
  };
}

export function node(options: {
  name?: string;
  providerID?: string;
  labels?: Record<string, string>;
  arch?: string;
  runtime?: string;
  kubelet?: string;
}): Record<string, unknown> {
  return {
    apiVersion: "v1",
    kind: "Node",
    metadata: {
      name: options.name ?? "worker-2",
      labels: {
        "kubernetes.io/arch": options.arch ?? "amd64",
        "kubernetes.io/os": "linux",
        ...(options.labels ?? {}),
      },
    },
    spec: options.providerID ? { providerID: options.providerID } : {},
    status: {
      conditions: [{ type: "Ready", status: "True", lastHeartbeatTime: "2026-06-01T09:58:00Z" }],
      nodeInfo: {
        architecture: options.arch ?? "amd64",
        operatingSystem: "linux",
        kubeletVersion: options.kubelet ?? "v1.31.4",
        containerRuntimeVersion: options.runtime ?? "containerd://1.7.22",
      },
    },
  };
}

export const aksNode = (clientId = "5d0c2e0f-3b7a-4c1e-9f2d-6a8b7c9d0e1f") =>
  node({
    name: "aks-nodepool1-38291746-vmss000002",
    providerID:
      "azure:///subscriptions/1a2b3c4d-0000-0000-0000-000000000000/resourceGroups/mc_shop-rg_shop-aks_westeurope/providers/Microsoft.Compute/virtualMachineScaleSets/aks-nodepool1-38291746-vmss/virtualMachines/2",
    labels: {
      "kubernetes.azure.com/cluster": "MC_shop-rg_shop-aks_westeurope",
      "kubernetes.azure.com/agentpool": "nodepool1",
      "kubernetes.azure.com/kubelet-identity-client-id": clientId,
    },
  });

export const eksNode = () =>
  node({
    name: "ip-10-0-1-23.eu-west-1.compute.internal",
    providerID: "aws:///eu-west-1a/i-0a1b2c3d4e5f67890",
    labels: { "eks.amazonaws.com/nodegroup": "general", "alpha.eksctl.io/cluster-name": "shop" },
  });

export function probe(
  image: string,
  credential: ProbeEvidence["credential"],
  result: Partial<AccessResult> & { outcome: AccessResult["outcome"] },
  scopes?: string[],
): ProbeEvidence {
  const base = {
    image,
    registry: "ghcr.io",
    message: `${result.outcome}`,
    fix: "",
    blurred: false,
    steps: [],
  };
  return {
    image,
    credential,
    result: { ...base, ...result } as AccessResult,
    ...(scopes ? { githubTokenScopes: scopes } : {}),
  };
}

export interface Scenario {
  pod: Record<string, unknown>;
  events?: Record<string, unknown>[];
  serviceAccount?: Record<string, unknown>;
  secrets?: Record<string, unknown>[];
  missing?: string[];
  namespaceSecrets?: Record<string, unknown>[];
  elsewhere?: SecretElsewhere[];
  node?: Record<string, unknown>;
  lease?: Record<string, unknown>;
  observedAt?: Date;
  probes?: ProbeEvidence[];
  gaps?: EvidenceGap[];
  /** The controller the gatherer resolved; null for a bare Pod (default Deployment/web). */
  owner?: { kind: string; name: string } | null;
}

/** Evidence as the live gatherer builds it. */
export function evidence(s: Scenario): Evidence {
  const secrets: Record<string, unknown> = {};
  for (const secret of s.secrets ?? []) secrets[(secret["metadata"] as { name: string }).name] = secret;
  const secretErrors = Object.fromEntries(
    (s.missing ?? []).map((name) => [name, { state: "missing" as const }]),
  );
  return evidenceFromObjects({
    now: NOW,
    pod: s.pod,
    ...(s.owner === null ? {} : { owner: s.owner ?? { kind: "Deployment", name: "web" } }),
    events: s.events ?? [],
    serviceAccount: s.serviceAccount ?? serviceAccount("default", []),
    secrets,
    secretErrors,
    namespaceSecrets: s.namespaceSecrets ?? [...(s.secrets ?? [])],
    elsewhere: s.elsewhere ?? [],
    ...(s.node ? { node: s.node } : {}),
    ...(s.lease ? { nodeLease: s.lease } : {}),
    observedAt: s.observedAt ?? NOW,
    ...(s.probes ? { probes: s.probes } : {}),
    ...(s.gaps ? { gaps: s.gaps } : {}),
  });
}
