// The test API server on the wire, below any client library: discovery documents, content negotiation,
// exact Status bodies, list/delete response shapes, create-time system fields, dry run, finalizers, namespace
// termination, garbage collection, subresources, watch framing (bookmarks, timeouts, selector transitions),
// Tables, RBAC from stored objects, impersonation, and the test hooks (request log, interceptors).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { waitUntil } from "../support/index.js";
import { rawRequest, rawWatch } from "../kube-apiserver/client.js";
import { goUnmarshalObjectError } from "../kube-apiserver/gojson.js";
import { ApiError, startApiServer } from "../kube-apiserver/index.js";
import type { ApiServer, KubeObject } from "../kube-apiserver/index.js";

let server: ApiServer;

beforeAll(async () => {
  server = await startApiServer({
    namespaces: ["wire", "gc", "term", "watch"],
    users: { nobody: {}, grouped: { groups: ["team-a"] } },
    bookmarkIntervalMs: 100,
    namespaceDeletionDelayMs: 1000,
  });
});

afterAll(async () => {
  await server?.stop();
});

const get = (path: string, accept?: string): ReturnType<typeof rawRequest> =>
  rawRequest(server, "GET", path, { accept });
const post = (path: string, body: unknown, contentType?: string): ReturnType<typeof rawRequest> =>
  rawRequest(server, "POST", path, { body, contentType });

describe("discovery and negotiation", () => {
  it("serves the legacy discovery documents", async () => {
    const api = (await get("/api")).json<{ kind: string; versions: string[] }>();
    expect(api).toMatchObject({ kind: "APIVersions", versions: ["v1"] });
    const apis = (await get("/apis")).json<{
      groups: { name: string; preferredVersion: { groupVersion: string } }[];
    }>();
    expect(apis.groups.map((g) => g.name)).toEqual(
      expect.arrayContaining(["apps", "rbac.authorization.k8s.io", "coordination.k8s.io", "pullwarden.io"]),
    );
    const group = (await get("/apis/coordination.k8s.io")).json();
    expect(group).toMatchObject({
      kind: "APIGroup",
      preferredVersion: { groupVersion: "coordination.k8s.io/v1", version: "v1" },
    });
    const core = (await get("/api/v1")).json<{
      groupVersion: string;
      resources: { name: string; namespaced: boolean; verbs: string[] }[];
    }>();
    expect(core.groupVersion).toBe("v1");
    expect(core.resources.find((r) => r.name === "secrets")).toMatchObject({
      namespaced: true,
      kind: "Secret",
    });
    expect(core.resources.find((r) => r.name === "nodes")).toMatchObject({ namespaced: false });
    expect(core.resources.find((r) => r.name === "pods/status")?.verbs).toEqual(["get", "patch", "update"]);
    const crd = (await get("/apis/pullwarden.io/v1alpha1")).json<{ resources: { name: string }[] }>();
    expect(crd.resources).toEqual([
      expect.objectContaining({
        name: "pullsecretbindings",
        namespaced: true,
        kind: "PullSecretBinding",
        shortNames: ["psb"],
      }),
      expect.objectContaining({ name: "pullsecretbindings/status", verbs: ["get", "patch", "update"] }),
    ]);
    expect((await get("/version")).json()).toMatchObject({ major: "1", minor: "32", gitVersion: "v1.32.0" });
  });

  it("serves aggregated discovery when the Accept header asks for it", async () => {
    const res = await get(
      "/apis",
      "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json",
    );
    expect(res.headers["content-type"]).toBe(
      "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList",
    );
    const doc = res.json<{
      kind: string;
      items: {
        metadata: { name: string };
        versions: { resources: { resource: string; scope: string }[] }[];
      }[];
    }>();
    expect(doc.kind).toBe("APIGroupDiscoveryList");
    const beta = await get(
      "/api",
      "application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList",
    );
    expect(beta.json()).toMatchObject({
      apiVersion: "apidiscovery.k8s.io/v2beta1",
      items: [{ versions: [{ version: "v1" }] }],
    });
    const rbac = doc.items.find((i) => i.metadata.name === "rbac.authorization.k8s.io");
    expect(rbac?.versions[0]?.resources.map((r) => `${r.resource}:${r.scope}`)).toEqual([
      "clusterrolebindings:Cluster",
      "clusterroles:Cluster",
      "rolebindings:Namespaced",
      "roles:Namespaced",
    ]);
  });

  it("answers JSON when protobuf is preferred but JSON accepted, 406 when only protobuf is", async () => {
    const both = await get("/api/v1/namespaces/wire", "application/vnd.kubernetes.protobuf,application/json");
    expect(both.status).toBe(200);
    expect(both.headers["content-type"]).toBe("application/json");
    const only = await get("/api/v1/namespaces/wire", "application/vnd.kubernetes.protobuf");
    expect(only.status).toBe(406);
    expect(only.json()).toMatchObject({ reason: "NotAcceptable", code: 406 });
    const yaml = await get("/api/v1/namespaces/wire", "application/yaml");
    expect(yaml.headers["content-type"]).toBe("application/yaml");
    expect(yaml.text).toMatch(/^kind: Namespace\napiVersion: v1\n/);
  });

  it("OpenAPI: v3 names every group-version, v2 is not served", async () => {
    const v3 = (await get("/openapi/v3")).json<{ paths: Record<string, { serverRelativeURL: string }> }>();
    expect(Object.keys(v3.paths)).toEqual(
      expect.arrayContaining(["api/v1", "apis/apps/v1", "apis/pullwarden.io/v1alpha1"]),
    );
    const doc = (await get(v3.paths["api/v1"]?.serverRelativeURL ?? "")).json<{
      paths: Record<string, unknown>;
    }>();
    expect(doc.paths).toHaveProperty("/api/v1/namespaces/{namespace}/secrets/{name}");
    expect((await get("/openapi/v2")).status).toBe(404);
  });

  it("unknown paths and resources are a 404 Status with empty details", async () => {
    for (const path of [
      "/nope",
      "/api/v1/widgets",
      "/apis/pullwarden.io/v1alpha1/namespaces/wire/widgets/x",
    ]) {
      const res = await get(path);
      expect(res.status).toBe(404);
      expect(res.json()).toEqual({
        kind: "Status",
        apiVersion: "v1",
        metadata: {},
        status: "Failure",
        message: "the server could not find the requested resource",
        reason: "NotFound",
        details: {},
        code: 404,
      });
    }
  });

  it("renders Tables for kubectl", async () => {
    const res = await get(
      "/api/v1/namespaces/wire/serviceaccounts",
      "application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json",
    );
    expect(res.headers["content-type"]).toBe("application/json;as=Table;v=v1;g=meta.k8s.io");
    const table = res.json<{
      kind: string;
      columnDefinitions: { name: string }[];
      rows: { cells: unknown[]; object: { kind: string } }[];
    }>();
    expect(table.kind).toBe("Table");
    expect(table.columnDefinitions.map((c) => c.name)).toEqual(["Name", "Secrets", "Age"]);
    expect(table.rows[0]?.cells.slice(0, 2)).toEqual(["default", 0]);
    expect(table.rows[0]?.object.kind).toBe("PartialObjectMetadata");
  });
});

describe("authentication and authorization", () => {
  it("401 for an unknown token, anonymous requests are system:anonymous", async () => {
    const bad = await rawRequest(server, "GET", "/api/v1/namespaces", {
      user: null,
      headers: { Authorization: "Bearer nope" },
    });
    expect(bad.status).toBe(401);
    expect(bad.json()).toEqual({
      kind: "Status",
      apiVersion: "v1",
      metadata: {},
      status: "Failure",
      message: "Unauthorized",
      reason: "Unauthorized",
      code: 401,
    });
    const anon = await rawRequest(server, "GET", "/api/v1/namespaces", { user: null });
    expect(anon.status).toBe(403);
    expect(anon.json<{ message: string }>().message).toBe(
      'namespaces is forbidden: User "system:anonymous" cannot list resource "namespaces" in API group "" at the cluster scope',
    );
    const discovery = await rawRequest(server, "GET", "/api", { user: null });
    expect(discovery.json<{ message: string }>().message).toBe(
      'forbidden: User "system:anonymous" cannot get path "/api"',
    );
    expect((await rawRequest(server, "GET", "/version", { user: null })).status).toBe(200);
  });

  it("RBAC objects in the store grant access; a binding to a missing role is reported", async () => {
    const path = "/api/v1/namespaces/wire/configmaps";
    expect((await rawRequest(server, "GET", path, { user: "grouped" })).status).toBe(403);
    await post("/apis/rbac.authorization.k8s.io/v1/clusterrolebindings", {
      metadata: { name: "team-a-view" },
      roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "view" },
      subjects: [{ kind: "Group", name: "team-a", apiGroup: "rbac.authorization.k8s.io" }],
    });
    expect((await rawRequest(server, "GET", path, { user: "grouped" })).status).toBe(200);
    await post("/apis/rbac.authorization.k8s.io/v1/namespaces/wire/rolebindings", {
      metadata: { name: "dangling" },
      roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: "gone" },
      subjects: [{ kind: "User", name: "nobody" }],
    });
    const denied = await rawRequest(server, "DELETE", "/api/v1/namespaces/wire/secrets/x", {
      user: "nobody",
    });
    expect(denied.json<{ message: string }>().message).toBe(
      'secrets "x" is forbidden: User "nobody" cannot delete resource "secrets" in API group "" in the namespace "wire": RBAC: role.rbac.authorization.k8s.io "gone" not found',
    );
  });

  it("SubjectAccessReview and impersonation headers", async () => {
    const sar = await post("/apis/authorization.k8s.io/v1/subjectaccessreviews", {
      apiVersion: "authorization.k8s.io/v1",
      kind: "SubjectAccessReview",
      spec: {
        user: "grouped",
        groups: ["team-a"],
        resourceAttributes: { namespace: "wire", verb: "list", resource: "pods" },
      },
    });
    expect(sar.status).toBe(201);
    expect(sar.json<{ status: { allowed: boolean } }>().status.allowed).toBe(true);
    const as = await rawRequest(server, "GET", "/api/v1/namespaces/wire/secrets", {
      headers: { "Impersonate-User": "nobody" },
    });
    expect(as.status).toBe(403);
    expect(server.requestLog().at(-1)?.user).toBe("nobody");
  });
});

describe("create, list, delete", () => {
  it("fills system fields, honours generateName and dryRun=All", async () => {
    const res = await post("/api/v1/namespaces/wire/configmaps", {
      metadata: { generateName: "cfg-" },
      data: { a: "b" },
    });
    expect(res.status).toBe(201);
    const cm = res.json<KubeObject>();
    expect(cm.metadata.name).toMatch(/^cfg-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
    expect(cm.metadata.uid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(cm.metadata.creationTimestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(Object.keys(cm)).toEqual(["kind", "apiVersion", "metadata", "data"]);

    const rvBefore = server.objects.resourceVersion();
    const dry = await post("/api/v1/namespaces/wire/configmaps?dryRun=All", { metadata: { name: "dry" } });
    expect(dry.status).toBe(201);
    expect(dry.json<KubeObject>().metadata.resourceVersion).toBeUndefined();
    expect(server.objects.resourceVersion()).toBe(rvBefore);

    const withRv = await post("/api/v1/namespaces/wire/configmaps", {
      metadata: { name: "rv", resourceVersion: "5" },
    });
    expect(withRv.status).toBe(500);
    expect(withRv.json<{ message: string }>().message).toBe(
      "resourceVersion should not be set on objects to be created",
    );
    const wrongNs = await post("/api/v1/namespaces/wire/configmaps", {
      metadata: { name: "n", namespace: "other" },
    });
    expect(wrongNs.json()).toMatchObject({
      code: 400,
      reason: "BadRequest",
      message: "the namespace of the provided object does not match the namespace sent on the request",
    });
    const badB64 = await post("/api/v1/namespaces/wire/secrets", {
      metadata: { name: "b" },
      data: { k: "not base64!" },
    });
    expect(badB64.json()).toMatchObject({
      code: 400,
      message: 'Secret in version "v1" cannot be handled as a Secret: illegal base64 data at input byte 3',
    });
  });

  it("Secrets: stringData is folded into data; immutable secrets keep their data", async () => {
    const created = (
      await post("/api/v1/namespaces/wire/secrets", {
        metadata: { name: "frozen" },
        immutable: true,
        stringData: { k: "v" },
      })
    ).json<KubeObject>();
    expect(created.data).toEqual({ k: "dg==" });
    expect(created.stringData).toBeUndefined();
    const res = await rawRequest(server, "PATCH", "/api/v1/namespaces/wire/secrets/frozen", {
      body: { data: { k: "dzI=" } },
      contentType: "application/merge-patch+json",
    });
    expect(res.status).toBe(422);
    expect(res.json<{ message: string }>().message).toBe(
      'Secret "frozen" is invalid: data: Forbidden: field is immutable when `immutable` is set',
    );
  });

  it("lists carry the List kind and resourceVersion; typed items have no kind", async () => {
    const res = await get("/api/v1/namespaces/wire/serviceaccounts");
    const list = res.json<{
      kind: string;
      apiVersion: string;
      metadata: { resourceVersion: string };
      items: KubeObject[];
    }>();
    expect(list.kind).toBe("ServiceAccountList");
    expect(list.apiVersion).toBe("v1");
    expect(list.metadata.resourceVersion).toBe(server.objects.resourceVersion());
    expect(list.items[0]).not.toHaveProperty("kind");
    expect(list.items[0]?.metadata.name).toBe("default");
  });

  it("DELETE answers a Status for secrets and the object for ServiceAccounts and Pods", async () => {
    await post("/api/v1/namespaces/wire/secrets", { metadata: { name: "del" }, stringData: { k: "v" } });
    const uid = server.objects.get("secrets", "wire", "del")?.metadata.uid;
    const s = await rawRequest(server, "DELETE", "/api/v1/namespaces/wire/secrets/del");
    expect(s.status).toBe(200);
    expect(s.json()).toEqual({
      kind: "Status",
      apiVersion: "v1",
      metadata: {},
      status: "Success",
      details: { name: "del", kind: "secrets", uid },
    });
    await post("/api/v1/namespaces/wire/serviceaccounts", { metadata: { name: "del" } });
    const sa = await rawRequest(server, "DELETE", "/api/v1/namespaces/wire/serviceaccounts/del", {
      body: { propagationPolicy: "Background" },
    });
    expect(sa.json<KubeObject>()).toMatchObject({ kind: "ServiceAccount", metadata: { name: "del" } });
    const precondition = await rawRequest(
      server,
      "DELETE",
      "/api/v1/namespaces/wire/serviceaccounts/default",
      {
        body: { preconditions: { uid: "0000" } },
      },
    );
    expect(precondition.status).toBe(409);
    expect(precondition.json<{ message: string }>().message).toMatch(
      /^Operation cannot be fulfilled on serviceaccounts "default": Precondition failed: UID in precondition: 0000, UID in object meta: /,
    );
  });

  it("deletecollection with a label selector", async () => {
    for (const [name, team] of [
      ["c1", "a"],
      ["c2", "a"],
      ["c3", "b"],
    ]) {
      await post("/api/v1/namespaces/wire/configmaps", { metadata: { name, labels: { team } } });
    }
    const res = await rawRequest(
      server,
      "DELETE",
      "/api/v1/namespaces/wire/configmaps?labelSelector=team%3Da",
    );
    expect(res.json<{ kind: string; items: KubeObject[] }>().items.map((i) => i.metadata.name)).toEqual([
      "c1",
      "c2",
    ]);
    expect(server.objects.get("configmaps", "wire", "c3")).toBeDefined();
  });

  it("finalizers hold a deleted object until they are removed", async () => {
    await post("/api/v1/namespaces/wire/configmaps", {
      metadata: { name: "held", finalizers: ["example.com/hold"] },
    });
    const del = await rawRequest(server, "DELETE", "/api/v1/namespaces/wire/configmaps/held");
    expect(del.json<KubeObject>().metadata.deletionTimestamp).toBeDefined();
    expect(server.objects.get("configmaps", "wire", "held")?.metadata.deletionTimestamp).toBeDefined();
    await rawRequest(server, "PATCH", "/api/v1/namespaces/wire/configmaps/held", {
      body: [{ op: "remove", path: "/metadata/finalizers" }],
      contentType: "application/json-patch+json",
    });
    expect(server.objects.get("configmaps", "wire", "held")).toBeUndefined();
  });

  it("deleting an owner deletes its dependents (background garbage collection)", async () => {
    const dep = (
      await post("/apis/apps/v1/namespaces/gc/deployments", {
        metadata: { name: "web" },
        spec: {
          selector: { matchLabels: { app: "web" } },
          template: {
            metadata: { labels: { app: "web" } },
            spec: { containers: [{ name: "c", image: "i" }] },
          },
        },
      })
    ).json<KubeObject>();
    const ownerRef = (kind: string, o: KubeObject): unknown => ({
      apiVersion: "apps/v1",
      kind,
      name: o.metadata.name,
      uid: o.metadata.uid,
      controller: true,
    });
    const rs = (
      await post("/apis/apps/v1/namespaces/gc/replicasets", {
        metadata: { name: "web-1", ownerReferences: [ownerRef("Deployment", dep)] },
        spec: {
          selector: { matchLabels: { app: "web" } },
          template: {
            metadata: { labels: { app: "web" } },
            spec: { containers: [{ name: "c", image: "i" }] },
          },
        },
      })
    ).json<KubeObject>();
    server.objects.seed({
      apiVersion: "v1",
      kind: "Pod",
      metadata: {
        name: "web-1-abcde",
        namespace: "gc",
        ownerReferences: [ownerRef("ReplicaSet", rs) as never],
      },
      spec: { containers: [{ name: "c", image: "i" }] },
    });
    await rawRequest(server, "DELETE", "/apis/apps/v1/namespaces/gc/deployments/web");
    expect(server.objects.list("replicasets.apps", "gc")).toEqual([]);
    expect(server.objects.list("pods", "gc")).toEqual([]);
  });

  it("a deleted namespace is Terminating (no new content) until its contents are gone", async () => {
    await post("/api/v1/namespaces/term/configmaps", { metadata: { name: "inside" } });
    const del = await rawRequest(server, "DELETE", "/api/v1/namespaces/term");
    expect(del.json<KubeObject>()).toMatchObject({ status: { phase: "Terminating" } });
    const blocked = await post("/api/v1/namespaces/term/configmaps", { metadata: { name: "late" } });
    expect(blocked.status).toBe(403);
    expect(blocked.json()).toMatchObject({
      message:
        'configmaps "late" is forbidden: unable to create new content in namespace term because it is being terminated',
      details: { causes: [{ reason: "NamespaceTerminating", field: "metadata.namespace" }] },
    });
    const again = await rawRequest(server, "DELETE", "/api/v1/namespaces/term");
    expect(again.status).toBe(409);
    await waitUntil(
      "the namespace to go",
      () => server.objects.get("namespaces", undefined, "term") === undefined,
    );
    expect(server.objects.list("configmaps", "term")).toEqual([]);
    const gone = await post("/api/v1/namespaces/term/configmaps", { metadata: { name: "later" } });
    expect(gone.json<{ message: string }>().message).toBe('namespaces "term" not found');
  });
});

describe("updates and subresources", () => {
  it("pods: status only through /status, spec mostly immutable", async () => {
    const created = (
      await post("/api/v1/namespaces/wire/pods", {
        metadata: { name: "p" },
        spec: { containers: [{ name: "c", image: "i:1" }] },
      })
    ).json<KubeObject>();
    const status = {
      phase: "Running",
      containerStatuses: [
        { name: "c", ready: false, restartCount: 3, state: { waiting: { reason: "ImagePullBackOff" } } },
      ],
    };
    const viaMain = await rawRequest(server, "PATCH", "/api/v1/namespaces/wire/pods/p", {
      body: { status },
      contentType: "application/merge-patch+json",
    });
    expect(viaMain.json<KubeObject>().status).toEqual(created.status);
    const viaStatus = await rawRequest(server, "PATCH", "/api/v1/namespaces/wire/pods/p/status", {
      body: { status },
      contentType: "application/merge-patch+json",
    });
    expect(viaStatus.json<KubeObject>().status).toMatchObject({ phase: "Running" });
    const table = await get("/api/v1/namespaces/wire/pods/p", "application/json;as=Table;v=v1;g=meta.k8s.io");
    expect(table.json<{ rows: { cells: unknown[] }[] }>().rows[0]?.cells.slice(0, 4)).toEqual([
      "p",
      "0/1",
      "ImagePullBackOff",
      "3",
    ]);

    const image = await rawRequest(server, "PATCH", "/api/v1/namespaces/wire/pods/p", {
      body: { spec: { containers: [{ name: "c", image: "i:2" }] } },
      contentType: "application/strategic-merge-patch+json",
    });
    expect(image.status).toBe(200);
    const secrets = await rawRequest(server, "PATCH", "/api/v1/namespaces/wire/pods/p", {
      body: { spec: { imagePullSecrets: [{ name: "late" }] } },
      contentType: "application/strategic-merge-patch+json",
    });
    expect(secrets.status).toBe(422);
    expect(secrets.json<{ message: string }>().message).toMatch(
      /^Pod "p" is invalid: spec: Forbidden: pod updates may not change fields other than `spec.containers\[\*\].image`,/,
    );
  });

  it("an unchanged update does not bump the resourceVersion", async () => {
    const sa = server.objects.get("serviceaccounts", "wire", "default") as KubeObject;
    const res = await rawRequest(server, "PUT", "/api/v1/namespaces/wire/serviceaccounts/default", {
      body: sa,
    });
    expect(res.status).toBe(200);
    expect(res.json<KubeObject>().metadata.resourceVersion).toBe(sa.metadata.resourceVersion);
    const renamed = await rawRequest(server, "PUT", "/api/v1/namespaces/wire/serviceaccounts/default", {
      body: { ...sa, metadata: { ...sa.metadata, name: "other" } },
    });
    expect(renamed.json<{ message: string }>().message).toBe(
      "the name of the object (other) does not match the name on the URL (default)",
    );
  });

  it("events: field selectors on involvedObject", async () => {
    for (const [name, pod] of [
      ["e1", "a"],
      ["e2", "b"],
    ]) {
      await post("/api/v1/namespaces/wire/events", {
        metadata: { name },
        involvedObject: { kind: "Pod", name: pod, namespace: "wire", uid: `uid-${pod}` },
        reason: "Failed",
        type: "Warning",
        message: "Failed to pull image",
      });
    }
    const res = await get(
      "/api/v1/namespaces/wire/events?fieldSelector=involvedObject.name%3Db,involvedObject.kind%3DPod",
    );
    expect(res.json<{ items: KubeObject[] }>().items.map((e) => e.metadata.name)).toEqual(["e2"]);
    const bad = await get("/api/v1/namespaces/wire/configmaps?fieldSelector=data.a%3Db");
    expect(bad.json<{ message: string }>().message).toBe(
      '"data.a" is not a known field selector: only "metadata.name", "metadata.namespace"',
    );
  });
});

describe("watch", () => {
  it("streams newline-delimited events, bookmarks, and ends at timeoutSeconds", async () => {
    const rv = server.objects.resourceVersion();
    const w = rawWatch(
      server,
      `/api/v1/namespaces/watch/configmaps?watch=1&resourceVersion=${rv}&allowWatchBookmarks=true&timeoutSeconds=1`,
    );
    expect(await w.status).toBe(200);
    await post("/api/v1/namespaces/watch/configmaps", { metadata: { name: "one" } });
    await w.ended;
    expect(w.events[0]).toMatchObject({
      type: "ADDED",
      object: { kind: "ConfigMap", metadata: { name: "one" } },
    });
    const bookmark = w.events.find((e) => e.type === "BOOKMARK");
    expect(bookmark?.object).toEqual({
      kind: "ConfigMap",
      apiVersion: "v1",
      metadata: { resourceVersion: expect.stringMatching(/^\d+$/) },
    });
  });

  it("selector transitions: leaving the selection is DELETED, entering it ADDED", async () => {
    await post("/api/v1/namespaces/watch/configmaps", {
      metadata: { name: "moving", labels: { pick: "yes" } },
    });
    const w = rawWatch(server, "/api/v1/namespaces/watch/configmaps?watch=true&labelSelector=pick%3Dyes");
    await waitUntil("initial ADDED", () => w.events.length === 1);
    const relabel = (value: string): ReturnType<typeof rawRequest> =>
      rawRequest(server, "PATCH", "/api/v1/namespaces/watch/configmaps/moving", {
        body: { metadata: { labels: { pick: value } } },
        contentType: "application/merge-patch+json",
      });
    await relabel("no");
    await relabel("yes");
    await waitUntil("three events", () => w.events.length === 3);
    w.close();
    expect(w.events.map((e) => e.type)).toEqual(["ADDED", "DELETED", "ADDED"]);
  });

  it("sendInitialEvents ends the initial list with a marked BOOKMARK; a stale RV gets 410 Expired", async () => {
    const w = rawWatch(
      server,
      "/api/v1/namespaces/watch/configmaps?watch=1&sendInitialEvents=true&resourceVersionMatch=NotOlderThan&allowWatchBookmarks=true&resourceVersion=",
    );
    await waitUntil("initial events", () => w.events.some((e) => e.type === "BOOKMARK"));
    w.close();
    const marker = w.events.find((e) => e.type === "BOOKMARK");
    expect((marker?.object.metadata as { annotations: unknown }).annotations).toEqual({
      "k8s.io/initial-events-end": "true",
    });
    expect(w.events.filter((e) => e.type === "ADDED").length).toBeGreaterThan(0);

    const old = server.objects.resourceVersion();
    await post("/api/v1/namespaces/watch/configmaps", { metadata: { name: "bump" } });
    server.objects.compact();
    const stale = rawWatch(server, `/api/v1/namespaces/watch/configmaps?watch=1&resourceVersion=${old}`);
    expect(await stale.status).toBe(200);
    await stale.ended;
    expect(stale.events).toEqual([
      {
        type: "ERROR",
        object: {
          kind: "Status",
          apiVersion: "v1",
          metadata: {},
          status: "Failure",
          message: `too old resource version: ${old} (${server.objects.resourceVersion()})`,
          reason: "Expired",
          code: 410,
        },
      },
    ]);
  });
});

describe("test hooks", () => {
  it("interceptors can fail or drop requests; the request log records them", async () => {
    server.clearRequestLog();
    let calls = 0;
    const remove = server.intercept((r) => {
      if (r.verb !== "update" || r.resource !== "serviceaccounts") return undefined;
      calls++;
      return calls === 1 ? new ApiError(500, "InternalError", "injected") : "close";
    });
    const sa = server.objects.get("serviceaccounts", "wire", "default") as KubeObject;
    const first = await rawRequest(server, "PUT", "/api/v1/namespaces/wire/serviceaccounts/default", {
      body: sa,
    });
    expect(first.status).toBe(500);
    await expect(
      rawRequest(server, "PUT", "/api/v1/namespaces/wire/serviceaccounts/default", { body: sa }),
    ).rejects.toThrow();
    remove();
    const third = await rawRequest(server, "PUT", "/api/v1/namespaces/wire/serviceaccounts/default", {
      body: sa,
    });
    expect(third.status).toBe(200);
    const updates = server
      .requestLog()
      .filter((r) => r.verb === "update" && r.resource === "serviceaccounts");
    expect(updates.map((r) => r.status)).toEqual([500, undefined, 200]);
  });

  it("also serves plain http (tls: false), where tokens still authenticate", async () => {
    const plain = await startApiServer({ tls: false, namespaces: ["n"] });
    try {
      expect(plain.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const res = await rawRequest(plain, "GET", "/api/v1/namespaces/n/serviceaccounts/default");
      expect(res.status).toBe(200);
    } finally {
      await plain.stop();
    }
  });
});

describe("Go wording", () => {
  it("reports JSON errors the way Go's encoding/json does (as the server validates .dockerconfigjson)", () => {
    const cases: [string, string | undefined][] = [
      ['{"auths":{}}', undefined],
      ["null", undefined],
      ['{"auths":}', "invalid character '}' looking for beginning of value"],
      ['{"a" 1}', "invalid character '1' after object key"],
      ['{"a":1 "b":2}', "invalid character '\"' after object key:value pair"],
      ["{'a':1}", "invalid character '\\'' looking for beginning of object key string"],
      ['{"a":[1 2]}', "invalid character '2' after array element"],
      ['{"a":tru}', "invalid character '}' in literal true (expecting 'e')"],
      ['{"a":"\\q"}', "invalid character 'q' in string escape code"],
      ['{"a":01}', "invalid character '1' after object key:value pair"],
      ["{} x", "invalid character 'x' after top-level value"],
      ['{"a":', "unexpected end of JSON input"],
      ["", "unexpected end of JSON input"],
      ["[]", "json: cannot unmarshal array into Go value of type map[string]interface {}"],
      ['"s"', "json: cannot unmarshal string into Go value of type map[string]interface {}"],
    ];
    for (const [input, expected] of cases) {
      expect(goUnmarshalObjectError(Buffer.from(input)), input).toBe(expected);
    }
  });
});
