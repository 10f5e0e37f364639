// The test API server through @kubernetes/client-node 1.4 (what product code uses): CRUD with typed APIs, the
// patch content types, optimistic concurrency (409), validation (422), RBAC (403), ServiceAccount admission,
// pagination, dry run, and Watch (ADDED/MODIFIED/DELETED, 410 Expired for a too-old resourceVersion).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  ApiException,
  CoreV1Api,
  CustomObjectsApi,
  KubeConfig,
  PatchStrategy,
  setHeaderOptions,
  Watch,
} from "@kubernetes/client-node";
import type { V1Pod, V1Secret } from "@kubernetes/client-node";
import { waitUntil } from "../support/index.js";
import { startApiServer } from "../kube-apiserver/index.js";
import type { ApiServer } from "../kube-apiserver/index.js";

let server: ApiServer;
let core: CoreV1Api;

function clientFor(user: string): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromFile(server.kubeconfigFor(user));
  return kc;
}

beforeAll(async () => {
  server = await startApiServer({
    namespaces: ["app", "w", "adm", "pages"],
    users: { reader: { rules: [{ verbs: ["get", "list"], resources: ["secrets"], namespaces: ["app"] }] } },
  });
  core = clientFor("admin").makeApiClient(CoreV1Api);
});

afterAll(async () => {
  await server?.stop();
});

interface StatusBody {
  kind: string;
  status: string;
  message: string;
  reason: string;
  code: number;
  details?: { name?: string; kind?: string; causes?: { reason: string; message: string; field: string }[] };
}

/** Runs a call that must fail with an ApiException; returns its code and parsed Status body. */
async function apiError(call: Promise<unknown>): Promise<{ code: number; body: StatusBody }> {
  try {
    await call;
  } catch (e) {
    if (!(e instanceof ApiException)) throw e;
    const body = (typeof e.body === "string" ? JSON.parse(e.body) : e.body) as StatusBody;
    return { code: e.code, body };
  }
  throw new Error("expected the call to fail");
}

const dockerConfig = (host: string): string =>
  Buffer.from(
    JSON.stringify({ auths: { [host]: { auth: Buffer.from("u:p").toString("base64") } } }),
  ).toString("base64");

function pullSecret(name: string, labels: Record<string, string> = {}): V1Secret {
  return {
    metadata: { name, labels },
    type: "kubernetes.io/dockerconfigjson",
    data: { ".dockerconfigjson": dockerConfig("registry.example") },
  };
}

describe("CRUD", () => {
  it("create, read and list secrets", async () => {
    const created = await core.createNamespacedSecret({
      namespace: "app",
      body: pullSecret("one", { tier: "a" }),
    });
    expect(created.metadata?.uid).toMatch(/^[0-9a-f-]{36}$/);
    expect(created.metadata?.resourceVersion).toMatch(/^\d+$/);
    expect(created.metadata?.creationTimestamp).toBeInstanceOf(Date);
    await core.createNamespacedSecret({ namespace: "app", body: pullSecret("two", { tier: "b" }) });

    const read = await core.readNamespacedSecret({ namespace: "app", name: "one" });
    expect(read.data?.[".dockerconfigjson"]).toBe(dockerConfig("registry.example"));

    server.clearRequestLog();
    const list = await core.listNamespacedSecret({ namespace: "app", labelSelector: "tier in (a)" });
    expect(list.items.map((s) => s.metadata?.name)).toEqual(["one"]);
    expect(list.metadata?.resourceVersion).toBe(server.objects.resourceVersion());
    const lists = server.requestLog().filter((r) => r.verb === "list" && r.resource === "secrets");
    expect(lists).toHaveLength(1);
    expect(lists[0]?.query).toEqual({ labelSelector: "tier in (a)" });

    const all = await core.listSecretForAllNamespaces({
      fieldSelector: "type=kubernetes.io/dockerconfigjson",
    });
    expect(all.items.map((s) => `${s.metadata?.namespace}/${s.metadata?.name}`)).toEqual([
      "app/one",
      "app/two",
    ]);
  });

  it("errors: 404 NotFound, 409 AlreadyExists, 422 Invalid as Status bodies", async () => {
    const nf = await apiError(core.readNamespacedSecret({ namespace: "app", name: "nope" }));
    expect(nf.code).toBe(404);
    expect(nf.body).toEqual({
      kind: "Status",
      apiVersion: "v1",
      metadata: {},
      status: "Failure",
      message: 'secrets "nope" not found',
      reason: "NotFound",
      details: { name: "nope", kind: "secrets" },
      code: 404,
    });

    const dup = await apiError(core.createNamespacedSecret({ namespace: "app", body: pullSecret("one") }));
    expect(dup.code).toBe(409);
    expect(dup.body.reason).toBe("AlreadyExists");
    expect(dup.body.message).toBe('secrets "one" already exists');

    const invalid = await apiError(
      core.createNamespacedSecret({
        namespace: "app",
        body: { metadata: { name: "Bad_Name" }, type: "kubernetes.io/dockerconfigjson", data: {} },
      }),
    );
    expect(invalid.code).toBe(422);
    expect(invalid.body.reason).toBe("Invalid");
    expect(invalid.body.message).toBe(
      `Secret "Bad_Name" is invalid: [metadata.name: Invalid value: "Bad_Name": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*'), data[.dockerconfigjson]: Required value]`,
    );
    expect(invalid.body.details?.causes).toEqual([
      expect.objectContaining({ reason: "FieldValueInvalid", field: "metadata.name" }),
      { reason: "FieldValueRequired", message: "Required value", field: "data[.dockerconfigjson]" },
    ]);
  });

  it("update with a stale resourceVersion is a 409 Conflict", async () => {
    const current = await core.readNamespacedSecret({ namespace: "app", name: "two" });
    const stale = structuredClone(current);
    current.metadata = { ...current.metadata, labels: { tier: "b", fresh: "yes" } };
    const updated = await core.replaceNamespacedSecret({ namespace: "app", name: "two", body: current });
    expect(Number(updated.metadata?.resourceVersion)).toBeGreaterThan(
      Number(stale.metadata?.resourceVersion),
    );

    stale.metadata = { ...stale.metadata, labels: { tier: "b", stale: "yes" } };
    const conflict = await apiError(
      core.replaceNamespacedSecret({ namespace: "app", name: "two", body: stale }),
    );
    expect(conflict.code).toBe(409);
    expect(conflict.body).toMatchObject({
      reason: "Conflict",
      message:
        'Operation cannot be fulfilled on secrets "two": the object has been modified; please apply your changes to the latest version and try again',
      details: { name: "two", kind: "secrets" },
    });

    stale.type = "Opaque";
    stale.metadata.resourceVersion = updated.metadata?.resourceVersion;
    const immutable = await apiError(
      core.replaceNamespacedSecret({ namespace: "app", name: "two", body: stale }),
    );
    expect(immutable.code).toBe(422);
    expect(immutable.body.message).toBe(
      'Secret "two" is invalid: type: Invalid value: "Opaque": field is immutable',
    );
  });

  it("patch with each content type", async () => {
    await core.createNamespacedServiceAccount({ namespace: "app", body: { metadata: { name: "bot" } } });
    server.clearRequestLog();
    const name = { namespace: "app", name: "bot" };

    // The generated client's default patch content type is JSON patch.
    await core.patchNamespacedServiceAccount({
      ...name,
      body: [{ op: "add", path: "/imagePullSecrets", value: [{ name: "one" }] }],
    });
    await core.patchNamespacedServiceAccount(
      { ...name, body: [{ op: "add", path: "/imagePullSecrets/-", value: { name: "two" } }] },
      setHeaderOptions("Content-Type", PatchStrategy.JsonPatch),
    );
    await core.patchNamespacedServiceAccount(
      { ...name, body: { metadata: { labels: { owner: "pullwarden" } } } },
      setHeaderOptions("Content-Type", PatchStrategy.MergePatch),
    );
    const smp = await core.patchNamespacedServiceAccount(
      { ...name, body: { metadata: { annotations: { a: "1" } }, secrets: [{ name: "tok" }] } },
      setHeaderOptions("Content-Type", PatchStrategy.StrategicMergePatch),
    );
    expect(smp.imagePullSecrets).toEqual([{ name: "one" }, { name: "two" }]);
    expect(smp.metadata?.labels).toEqual({ owner: "pullwarden" });
    expect(smp.metadata?.annotations).toEqual({ a: "1" });
    expect(smp.secrets).toEqual([{ name: "tok" }]);

    const applied = await core.patchNamespacedServiceAccount(
      {
        ...name,
        fieldManager: "pullwarden",
        body: {
          apiVersion: "v1",
          kind: "ServiceAccount",
          metadata: { name: "bot", labels: { applied: "yes" } },
        },
      },
      setHeaderOptions("Content-Type", PatchStrategy.ServerSideApply),
    );
    expect(applied.metadata?.labels).toEqual({ owner: "pullwarden", applied: "yes" });

    expect(server.requestLog().map((r) => r.contentType)).toEqual([
      "application/json-patch+json",
      "application/json-patch+json",
      "application/merge-patch+json",
      "application/strategic-merge-patch+json",
      "application/apply-patch+yaml",
    ]);

    const stale = await apiError(
      core.patchNamespacedServiceAccount(
        { ...name, body: { metadata: { resourceVersion: "1", labels: { x: "y" } } } },
        setHeaderOptions("Content-Type", PatchStrategy.MergePatch),
      ),
    );
    expect(stale.code).toBe(409);
    expect(stale.body.reason).toBe("Conflict");
  });

  it("custom resources: CRUD, merge patch, and 415 for strategic merge patch", async () => {
    const custom = clientFor("admin").makeApiClient(CustomObjectsApi);
    const target = {
      group: "pullwarden.io",
      version: "v1alpha1",
      namespace: "app",
      plural: "pullsecretbindings",
    };
    const created = (await custom.createNamespacedCustomObject({
      ...target,
      body: {
        apiVersion: "pullwarden.io/v1alpha1",
        kind: "PullSecretBinding",
        metadata: { name: "b1" },
        spec: { secret: "one" },
      },
    })) as { metadata: { generation: number } };
    expect(created.metadata.generation).toBe(1);
    const patched = (await custom.patchNamespacedCustomObject(
      { ...target, name: "b1", body: { spec: { secret: "two" } } },
      setHeaderOptions("Content-Type", PatchStrategy.MergePatch),
    )) as { spec: { secret: string }; metadata: { generation: number } };
    expect(patched.spec.secret).toBe("two");
    expect(patched.metadata.generation).toBe(2);
    const smp = await apiError(
      custom.patchNamespacedCustomObject(
        { ...target, name: "b1", body: { spec: { secret: "three" } } },
        setHeaderOptions("Content-Type", PatchStrategy.StrategicMergePatch),
      ),
    );
    expect(smp.code).toBe(415);
    expect(smp.body.message).toBe(
      "the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml",
    );
    const list = (await custom.listNamespacedCustomObject(target)) as {
      kind: string;
      items: { kind: string }[];
    };
    expect(list.kind).toBe("PullSecretBindingList");
    expect(list.items[0]?.kind).toBe("PullSecretBinding");
  });

  it("pagination with limit/continue, and dryRun=All", async () => {
    for (const n of ["p1", "p2", "p3"])
      await core.createNamespacedSecret({ namespace: "pages", body: pullSecret(n) });
    const first = await core.listNamespacedSecret({ namespace: "pages", limit: 2 });
    expect(first.items.map((s) => s.metadata?.name)).toEqual(["p1", "p2"]);
    expect(first.metadata?.remainingItemCount).toBe(1);
    const rest = await core.listNamespacedSecret({
      namespace: "pages",
      limit: 2,
      _continue: first.metadata?._continue,
    });
    expect(rest.items.map((s) => s.metadata?.name)).toEqual(["p3"]);
    expect(rest.metadata?._continue).toBeUndefined();

    const dry = await core.createNamespacedSecret({
      namespace: "pages",
      body: pullSecret("dry"),
      dryRun: "All",
    });
    expect(dry.metadata?.uid).toBeDefined();
    expect(dry.metadata?.resourceVersion).toBeUndefined();
    expect(server.objects.get("secrets", "pages", "dry")).toBeUndefined();
  });

  it("RBAC: 403 Forbidden with the real message", async () => {
    const reader = clientFor("reader").makeApiClient(CoreV1Api);
    expect((await reader.listNamespacedSecret({ namespace: "app" })).items.length).toBeGreaterThan(0);
    const denied = await apiError(reader.deleteNamespacedSecret({ namespace: "app", name: "one" }));
    expect(denied.code).toBe(403);
    expect(denied.body).toMatchObject({
      reason: "Forbidden",
      message:
        'secrets "one" is forbidden: User "reader" cannot delete resource "secrets" in API group "" in the namespace "app"',
      details: { name: "one", kind: "secrets" },
    });
    server.setRbac("reader", [{ verbs: ["delete"], resources: ["secrets"], namespaces: ["app"] }]);
    await reader.deleteNamespacedSecret({ namespace: "app", name: "one" });
    expect(server.objects.get("secrets", "app", "one")).toBeUndefined();
  });
});

describe("admission", () => {
  it("a Pod gets the ServiceAccount's imagePullSecrets only when it has none, and only at creation", async () => {
    await core.patchNamespacedServiceAccount(
      { namespace: "adm", name: "default", body: { imagePullSecrets: [{ name: "sa-secret" }] } },
      setHeaderOptions("Content-Type", PatchStrategy.MergePatch),
    );
    const pod = (name: string, extra: Partial<NonNullable<V1Pod["spec"]>> = {}): V1Pod => ({
      metadata: { name },
      spec: { containers: [{ name: "app", image: "registry.example/app:1.0" }], ...extra },
    });
    const plain = await core.createNamespacedPod({ namespace: "adm", body: pod("plain") });
    expect(plain.spec?.serviceAccountName).toBe("default");
    expect(plain.spec?.imagePullSecrets).toEqual([{ name: "sa-secret" }]);
    expect(plain.spec?.containers[0]?.imagePullPolicy).toBe("IfNotPresent");
    expect(plain.status?.phase).toBe("Pending");

    const own = await core.createNamespacedPod({
      namespace: "adm",
      body: pod("own", { imagePullSecrets: [{ name: "pod-secret" }] }),
    });
    expect(own.spec?.imagePullSecrets).toEqual([{ name: "pod-secret" }]);

    await core.patchNamespacedServiceAccount(
      {
        namespace: "adm",
        name: "default",
        body: { imagePullSecrets: [{ name: "sa-secret" }, { name: "later" }] },
      },
      setHeaderOptions("Content-Type", PatchStrategy.MergePatch),
    );
    const again = await core.readNamespacedPod({ namespace: "adm", name: "plain" });
    expect(again.spec?.imagePullSecrets).toEqual([{ name: "sa-secret" }]);

    const missing = await apiError(
      core.createNamespacedPod({ namespace: "adm", body: pod("lost", { serviceAccountName: "ghost" }) }),
    );
    expect(missing.code).toBe(403);
    expect(missing.body.message).toBe(
      'pods "lost" is forbidden: error looking up service account adm/ghost: serviceaccount "ghost" not found',
    );
  });
});

describe("watch", () => {
  interface Seen {
    type: string;
    name?: string;
    rv?: string;
    status?: StatusBody;
  }

  async function watch(
    path: string,
    query: Record<string, string | boolean>,
    until: (seen: Seen[]) => boolean,
  ): Promise<Seen[]> {
    const seen: Seen[] = [];
    let finished = false;
    const controller = await new Watch(clientFor("admin")).watch(
      path,
      query,
      (type, obj: { metadata?: { name?: string; resourceVersion?: string } } & Partial<StatusBody>) => {
        seen.push(
          type === "ERROR"
            ? { type, status: obj as StatusBody }
            : { type, name: obj.metadata?.name, rv: obj.metadata?.resourceVersion },
        );
      },
      () => {
        finished = true;
      },
    );
    try {
      await waitUntil("watch events", () => until(seen) || finished, {
        timeoutMs: 10_000,
        describe: () => JSON.stringify(seen),
      });
    } finally {
      controller.abort();
    }
    return seen;
  }

  it("receives ADDED, MODIFIED and DELETED from a resourceVersion", async () => {
    const from = server.objects.resourceVersion();
    const events = watch("/api/v1/namespaces/w/secrets", { resourceVersion: from }, (s) =>
      s.some((e) => e.type === "DELETED"),
    );
    await waitUntil("the watch to open", () =>
      server.requestLog().some((r) => r.verb === "watch" && r.namespace === "w"),
    );
    await core.createNamespacedSecret({ namespace: "w", body: pullSecret("live") });
    await core.patchNamespacedSecret(
      { namespace: "w", name: "live", body: { metadata: { labels: { v: "2" } } } },
      setHeaderOptions("Content-Type", PatchStrategy.MergePatch),
    );
    await core.deleteNamespacedSecret({ namespace: "w", name: "live" });
    const seen = await events;
    expect(seen.map((e) => `${e.type} ${e.name}`)).toEqual(["ADDED live", "MODIFIED live", "DELETED live"]);
    const rvs = seen.map((e) => Number(e.rv));
    expect(rvs[0]).toBeGreaterThan(Number(from));
    expect(rvs[1]).toBeGreaterThan(rvs[0] as number);
    expect(rvs[2]).toBeGreaterThan(rvs[1] as number);
  });

  it("a too-old resourceVersion gets an ERROR event with a 410 Expired Status", async () => {
    const old = server.objects.resourceVersion();
    await core.createNamespacedSecret({ namespace: "w", body: pullSecret("after") });
    server.objects.compact();
    const seen = await watch("/api/v1/namespaces/w/secrets", { resourceVersion: old }, (s) => s.length > 0);
    expect(seen).toHaveLength(1);
    expect(seen[0]?.type).toBe("ERROR");
    expect(seen[0]?.status).toEqual({
      kind: "Status",
      apiVersion: "v1",
      metadata: {},
      status: "Failure",
      message: `too old resource version: ${old} (${server.objects.resourceVersion()})`,
      reason: "Expired",
      code: 410,
    });
  });

  it("without a resourceVersion, starts with the current objects as ADDED", async () => {
    const seen = await watch(
      "/api/v1/namespaces/w/secrets",
      { allowWatchBookmarks: true },
      (s) => s.length > 0,
    );
    expect(seen[0]).toMatchObject({ type: "ADDED", name: "after" });
  });
});
