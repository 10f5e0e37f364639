// kube/ against a real kube-apiserver (test/kube/real-cluster.ts) through @kubernetes/client-node: plain objects out, errors mapped to one line
// (a 403 becomes "cannot VERB RESOURCE in NAMESPACE as USER; check with: kubectl auth can-i ...", a lost race a
// 409), and loadClusterObjects (one list per kind, per namespace or cluster-wide; failures as values). A failing
// exec credential plugin is one redacted line.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  KubeApiError,
  KubeClient,
  KubeForbiddenError,
  KubeUnreachableError,
  loadClusterObjects,
} from "../../src/kube/index.js";
import { makeScratchDir, removeScratchDir } from "../support/index.js";
import { conflict } from "../support/kube-status.js";
import { startCluster } from "./harness.js";
import type { TestCluster } from "./harness.js";

let api: TestCluster;

beforeAll(async () => {
  api = await startCluster({
    namespaces: ["team-a", "team-b"],
    users: {
      viewer: {
        rules: [
          {
            verbs: ["get", "list"],
            resources: ["secrets", "pods", "serviceaccounts", "configmaps"],
            namespaces: ["team-a"],
          },
        ],
      },
    },
    objects: [
      {
        apiVersion: "v1",
        kind: "Secret",
        metadata: { name: "pull", namespace: "team-a", labels: { tier: "x" } },
        type: "kubernetes.io/dockerconfigjson",
        data: { ".dockerconfigjson": Buffer.from('{"auths":{}}').toString("base64") },
      },
      {
        apiVersion: "v1",
        kind: "Pod",
        metadata: { name: "p", namespace: "team-b" },
        spec: { containers: [{ name: "c", image: "x" }] },
      },
    ],
  });
});
afterAll(async () => api?.stop());

const client = (user = "admin") => KubeClient.connect({ kubeconfig: api.kubeconfigFor(user), env: {} });

describe("KubeClient", () => {
  it("returns plain JSON objects with kind, apiVersion and the server's timestamps", async () => {
    const kube = client();
    const [secret] = await kube.list("Secret", { namespace: "team-a", labelSelector: "tier=x" });
    expect(secret).toMatchObject({
      apiVersion: "v1",
      kind: "Secret",
      metadata: { name: "pull", namespace: "team-a", labels: { tier: "x" } },
      type: "kubernetes.io/dockerconfigjson",
    });
    expect(secret?.metadata.creationTimestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(await kube.getSecret("team-a", "missing")).toBeUndefined();
    expect(kube.requests).toEqual({ reads: 2, writes: 0 });
    expect(kube.target).toMatchObject({ context: "admin", user: "admin", server: api.url });
  });

  it("returns objects as the server sent them, with fields client-node's models do not know", async () => {
    // A server newer than client-node's models: the real v1.37.2 sends no field client-node 1.4 lacks (checked
    // for ReplicaSet, Pod spec, status and containers) and drops unknown ones, so the proxy plays the newer
    // server: it answers the read with the real ReplicaSet plus a field from the future.
    const [stored] = await api.objects.seed({
      apiVersion: "apps/v1",
      kind: "ReplicaSet",
      metadata: { name: "rs", namespace: "team-a" },
      spec: {
        replicas: 0,
        selector: { matchLabels: { app: "rs" } },
        template: { metadata: { labels: { app: "rs" } }, spec: { containers: [{ name: "c", image: "x" }] } },
      },
    });
    const fromTheFuture = structuredClone(stored) as unknown as {
      spec: { template: { spec: Record<string, unknown> } };
    };
    fromTheFuture.spec.template.spec.fieldFromANewerServer = "kept";
    const stop = api.intercept((request) =>
      request.verb === "get" && request.resource === "replicasets" && request.name === "rs"
        ? { reply: fromTheFuture }
        : undefined,
    );
    try {
      const workload = await client().getWorkload("ReplicaSet", "team-a", "rs");
      expect(workload).toMatchObject({ apiVersion: "apps/v1", kind: "ReplicaSet" });
      expect(workload?.spec?.template?.spec).toMatchObject({ fieldFromANewerServer: "kept" });
    } finally {
      stop();
      await api.objects.delete("replicasets.apps", "team-a", "rs");
    }
  });

  it("turns a 403 into one line with the user the server saw and the kubectl auth can-i command", async () => {
    const viewer = client("viewer");
    const denied = await viewer.list("Secret", { namespace: "team-b" }).catch((e: unknown) => e);
    expect(denied).toBeInstanceOf(KubeForbiddenError);
    expect((denied as KubeForbiddenError).message).toBe(
      "cannot list secrets in team-b as viewer; check with: kubectl auth can-i list secrets -n team-b",
    );
    expect((denied as KubeForbiddenError).exitCode).toBe(4);
    const cluster = await viewer.list("Namespace").catch((e: unknown) => e);
    expect((cluster as Error).message).toBe(
      "cannot list namespaces at cluster scope as viewer; check with: kubectl auth can-i list namespaces",
    );
    const create = await viewer
      .createSecret("team-a", {
        apiVersion: "v1",
        kind: "Secret",
        metadata: { name: "n" },
        type: "Opaque",
        data: {},
      })
      .catch((e: unknown) => e);
    expect((create as Error).message).toBe(
      "cannot create secrets in team-a as viewer; check with: kubectl auth can-i create secrets -n team-a",
    );
    const rbac = await viewer.list("RoleBinding", { namespace: "team-a" }).catch((e: unknown) => e);
    expect((rbac as Error).message).toBe(
      "cannot list rolebindings.rbac.authorization.k8s.io in team-a as viewer; check with: kubectl auth can-i list rolebindings.rbac.authorization.k8s.io -n team-a",
    );
  });

  it("keeps the server's words for other errors (404 namespace, 409, 422)", async () => {
    const kube = client();
    const body = {
      apiVersion: "v1",
      kind: "Secret",
      metadata: { name: "pull" },
      type: "kubernetes.io/dockerconfigjson",
      data: {},
    };
    const invalid = (await kube.createSecret("team-b", body).catch((e: unknown) => e)) as KubeApiError;
    expect(invalid).toBeInstanceOf(KubeApiError);
    expect(invalid.status).toBe(422);
    expect(invalid.message).toBe('Secret "pull" is invalid: data[.dockerconfigjson]: Required value');
    const gone = (await kube.createSecret("nowhere", body).catch((e: unknown) => e)) as KubeApiError;
    expect(gone.isNamespaceNotFound).toBe(true);
    expect(gone.message).toBe('namespaces "nowhere" not found');
    const exists = (await kube
      .createSecret("team-a", { ...body, data: { ".dockerconfigjson": "e30=" } })
      .catch((e: unknown) => e)) as KubeApiError;
    expect(exists.isAlreadyExists).toBe(true);
  });

  it("a write that lost a race is a 409 KubeApiError, which apply's executor re-reads and retries", async () => {
    const kube = client();
    const stop = api.intercept((request) =>
      request.verb === "patch" && request.resource === "secrets" ? conflict("secrets", "pull") : undefined,
    );
    const current = await kube.getSecret("team-a", "pull");
    const patch = {
      metadata: { resourceVersion: current?.metadata.resourceVersion, labels: { patched: "yes" } },
    };
    try {
      const lost = (await kube
        .mergePatchSecret("team-a", "pull", patch)
        .catch((e: unknown) => e)) as KubeApiError;
      expect(lost).toBeInstanceOf(KubeApiError);
      expect(lost.status).toBe(409);
      expect(lost.isConflict).toBe(true);
    } finally {
      stop();
    }
    const patched = await kube.mergePatchSecret("team-a", "pull", patch);
    expect(patched.metadata.labels).toMatchObject({ patched: "yes" });
  });

  it("an API server that is not there is KubeUnreachableError", async () => {
    const kube = client();
    const stop = api.intercept(() => "close");
    try {
      const error = (await kube.serverVersion().catch((e: unknown) => e)) as KubeUnreachableError;
      expect(error).toBeInstanceOf(KubeUnreachableError);
      expect(error.message).toBe(
        `cannot reach the Kubernetes API server at ${api.url}: the connection was closed by the server (ECONNRESET)`,
      );
    } finally {
      stop();
    }
  });
});

describe("loadClusterObjects", () => {
  it("lists each kind once cluster-wide, as plain objects", async () => {
    api.clearRequestLog();
    const progress: string[] = [];
    const objects = await loadClusterObjects({
      kubeconfig: api.kubeconfigPath,
      env: {},
      kinds: [
        "Namespace",
        "Pod",
        "Secret",
        "ServiceAccount",
        "ClusterRole",
        "Event",
        "Node",
        "ConfigMap",
        "Role",
        "RoleBinding",
        "ClusterRoleBinding",
      ],
      onProgress: (p) => progress.push(`${p.kind} ${p.done}/${p.total}`),
    });
    expect(objects.failures).toEqual([]);
    expect(objects.byKind.Namespace?.map((n) => n.metadata.name)).toEqual(
      expect.arrayContaining(["default", "kube-system", "team-a", "team-b"]),
    );
    expect(objects.byKind.Pod?.map((p) => `${p.metadata.namespace}/${p.metadata.name}`)).toEqual([
      "team-b/p",
    ]);
    expect(
      objects.byKind.ServiceAccount?.every((sa) => sa.kind === "ServiceAccount" && sa.apiVersion === "v1"),
    ).toBe(true);
    expect(objects.byKind.ClusterRole?.[0]).toMatchObject({
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "ClusterRole",
    });
    expect(objects.objects.length).toBe(
      Object.values(objects.byKind).reduce((n, list) => n + (list?.length ?? 0), 0),
    );
    expect(objects.requests).toBe(11);
    expect(api.requestLog().filter((r) => r.verb === "list")).toHaveLength(11);
    expect(progress).toHaveLength(11);
    expect(progress.at(-1)).toMatch(/ 11\/11$/);
  });

  it("per namespace with a label selector; what the user may not list is a failure value, not an exception", async () => {
    api.clearRequestLog();
    const objects = await loadClusterObjects({
      client: client("viewer"),
      kinds: ["Secret", "Pod", "Node"],
      namespace: ["team-a", "team-b"],
      labelSelector: "tier=x",
    });
    expect(objects.byKind.Secret?.map((s) => s.metadata.name)).toEqual(["pull"]);
    expect(objects.failures.map((f) => `${f.kind} ${f.namespace ?? "*"}: ${f.error.message}`)).toEqual([
      "Secret team-b: cannot list secrets in team-b as viewer; check with: kubectl auth can-i list secrets -n team-b",
      "Pod team-b: cannot list pods in team-b as viewer; check with: kubectl auth can-i list pods -n team-b",
      "Node *: cannot list nodes at cluster scope as viewer; check with: kubectl auth can-i list nodes",
    ]);
    expect(api.requestLog().every((r) => r.query["labelSelector"] === "tier=x")).toBe(true);
  });

  it("throws when the API server cannot be reached", async () => {
    const stop = api.intercept(() => "close");
    try {
      await expect(loadClusterObjects({ client: client(), kinds: ["Pod"] })).rejects.toBeInstanceOf(
        KubeUnreachableError,
      );
    } finally {
      stop();
    }
  });
});

describe("a kubeconfig exec credential plugin that fails", () => {
  it("its stderr (client-node's error message) becomes one short line with credentials redacted", async () => {
    const dir = makeScratchDir("exec-plugin");
    try {
      const plugin = join(dir, "plugin.sh");
      const token = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJjYW5hcnkifQ.c2lnbmF0dXJlLWNhbmFyeQ";
      writeFileSync(
        plugin,
        `#!/bin/sh\necho 'login failed: token=CANARY-PW-1 rejected' >&2\necho 'retry with Bearer CANARYBEARER42 or ${token}' >&2\nexit 1\n`,
        { mode: 0o755 },
      );
      const kubeconfig = join(dir, "kubeconfig");
      writeFileSync(
        kubeconfig,
        [
          "apiVersion: v1",
          "kind: Config",
          "clusters: [{name: c, cluster: {server: 'https://127.0.0.1:1'}}]",
          `users: [{name: u, user: {exec: {apiVersion: client.authentication.k8s.io/v1, command: '${plugin}', interactiveMode: Never}}}]`,
          "contexts: [{name: x, context: {cluster: c, user: u}}]",
          "current-context: x",
          "",
        ].join("\n"),
      );
      const error = (await KubeClient.connect({ kubeconfig, env: {} })
        .serverVersion()
        .catch((e: unknown) => e)) as Error;
      expect(error.message).toBe(
        "get version failed: login failed: token=<redacted> rejected retry with Bearer <redacted> or <redacted>",
      );
    } finally {
      removeScratchDir(dir);
    }
  });
});
