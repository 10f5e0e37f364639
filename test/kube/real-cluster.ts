// The Kubernetes suites' cluster: a real control plane (test/support/control-plane.ts: etcd, kube-apiserver,
// kube-controller-manager) behind the recording, fault-injecting proxy (test/support/kube-proxy.ts), set up from
// options (namespaces, users with allow rules turned into RBAC objects, seeded objects).
//
// One control plane per test file (vitest runs each file in its own process; the process-exit handler and the
// watchdog stop it). Each startCluster() call of the file starts from a clean slate (reset()): the namespaces it
// asks for again are emptied in place, other namespaces of the previous call are deleted (and finalized for real
// by the namespace controller, which the call waits for), and the users' RBAC objects go.
//
// Seeded objects are real: they go through validation, admission and defaulting (a Pod gets its
// ServiceAccount's token volume, a Secret's stringData is folded), controllers run (a ReplicaSet keeps its
// replica count, the garbage collector deletes Pods whose owner does not exist), deleting a namespace makes it
// Terminating until its content is gone.
import { randomBytes } from "node:crypto";
import { join } from "node:path";
import { startControlPlane } from "../support/control-plane.js";
import type { ControlPlane, KubeResponse } from "../support/control-plane.js";
import { writeKubeconfig } from "../support/kubeconfig.js";
import { startKubeProxy } from "../support/kube-proxy.js";
import type { KubeProxy, ProxyInterceptor, RequestRecord } from "../support/kube-proxy.js";
import { waitUntil } from "../support/net.js";
import type { ClientCert } from "../support/tls.js";

export type { RequestRecord };

/** A Kubernetes object as JSON, as tests write it and read it back (only the fields the harness uses are typed). */
export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: {
    name?: string;
    namespace?: string;
    uid?: string;
    resourceVersion?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    [field: string]: unknown;
  };
  [field: string]: unknown;
}

/** One allow rule. Omitted apiGroups/resources mean "*"; omitted namespaces means every namespace. */
export interface RbacRule {
  verbs: string[];
  apiGroups?: string[];
  resources?: string[];
  resourceNames?: string[];
  /** Restricts the rule to these namespaces (a RoleBinding in each); omitted: cluster-wide (a ClusterRoleBinding). */
  namespaces?: string[];
  nonResourceURLs?: string[];
}

/** A user's rules: a list of allow rules, or full access. */
export type UserRules = RbacRule[] | "cluster-admin";

export interface UserSpec {
  /** Bearer token the proxy maps to the user's client certificate (defaults to a random one). */
  token?: string;
  groups?: string[];
  /** Defaults to no rules (everything but discovery and self reviews is denied). */
  rules?: UserRules;
}

export interface ClusterOptions {
  /** Namespaces to create (besides default, kube-system, kube-public, kube-node-lease). */
  namespaces?: string[];
  /** Users besides `admin` (system:masters), with allow rules turned into RBAC objects. */
  users?: Record<string, UserSpec>;
  /** Objects to create (as admin, in order) after the namespaces. */
  objects?: KubeObject[];
  /**
   * A control plane of its own (started now, stopped by stop()) instead of the file's shared one, for a test
   * that needs a second cluster while the file's cluster keeps its state. Costs a control plane start.
   */
  dedicated?: boolean;
  /**
   * kube-controller-manager controllers (default: test/support's CONTROLLERS). Decided by the call that starts
   * the control plane: the file's first call, or a dedicated one.
   */
  controllers?: readonly string[];
}

/** Direct access to the cluster's objects as admin, not through the proxy (so not in the request log). */
export interface ClusterObjects {
  seed(...objects: KubeObject[]): Promise<KubeObject[]>;
  get(resource: string, namespace: string | undefined, name: string): Promise<KubeObject | undefined>;
  list(resource: string, namespace?: string): Promise<KubeObject[]>;
  /** Replaces an object (and its status, through the status subresource, when it has one). */
  put(object: KubeObject): Promise<KubeObject>;
  /** Deletes at once (grace period 0); false when it did not exist. A namespace becomes Terminating. */
  delete(resource: string, namespace: string | undefined, name: string): Promise<boolean>;
}

export interface TestCluster {
  /** The proxy's URL: what every kubeconfig names. */
  url: string;
  caPem: string;
  /** A kubeconfig (bearer tokens, one context per user named after it) whose current context is admin. */
  kubeconfigPath: string;
  kubeconfigFor(user: string, namespace?: string): string;
  token(user: string): string;
  objects: ClusterObjects;
  requestLog(): readonly RequestRecord[];
  clearRequestLog(): void;
  /** Answer or drop requests before the real server sees them; an interceptor may be async. */
  intercept(fn: ProxyInterceptor): () => void;
  setRbac(user: string, rules: UserRules): Promise<void>;
  addUser(name: string, spec?: UserSpec): Promise<string>;
  /** The real control plane underneath (restart, compaction, component logs). */
  controlPlane: ControlPlane;
  /** Stops the proxy (the control plane stays for the file's next cluster). Idempotent. */
  stop(): Promise<void>;
}

interface ResourceInfo {
  group: string;
  version: string;
  plural: string;
  kind: string;
  namespaced: boolean;
  status: boolean;
}

const RESOURCES: ResourceInfo[] = [
  { group: "", version: "v1", plural: "namespaces", kind: "Namespace", namespaced: false, status: true },
  { group: "", version: "v1", plural: "nodes", kind: "Node", namespaced: false, status: true },
  { group: "", version: "v1", plural: "secrets", kind: "Secret", namespaced: true, status: false },
  { group: "", version: "v1", plural: "configmaps", kind: "ConfigMap", namespaced: true, status: false },
  {
    group: "",
    version: "v1",
    plural: "serviceaccounts",
    kind: "ServiceAccount",
    namespaced: true,
    status: false,
  },
  { group: "", version: "v1", plural: "pods", kind: "Pod", namespaced: true, status: true },
  { group: "", version: "v1", plural: "events", kind: "Event", namespaced: true, status: false },
  { group: "apps", version: "v1", plural: "deployments", kind: "Deployment", namespaced: true, status: true },
  { group: "apps", version: "v1", plural: "replicasets", kind: "ReplicaSet", namespaced: true, status: true },
  { group: "apps", version: "v1", plural: "daemonsets", kind: "DaemonSet", namespaced: true, status: true },
  {
    group: "apps",
    version: "v1",
    plural: "statefulsets",
    kind: "StatefulSet",
    namespaced: true,
    status: true,
  },
  { group: "batch", version: "v1", plural: "jobs", kind: "Job", namespaced: true, status: true },
  { group: "batch", version: "v1", plural: "cronjobs", kind: "CronJob", namespaced: true, status: true },
  {
    group: "coordination.k8s.io",
    version: "v1",
    plural: "leases",
    kind: "Lease",
    namespaced: true,
    status: false,
  },
  {
    group: "rbac.authorization.k8s.io",
    version: "v1",
    plural: "roles",
    kind: "Role",
    namespaced: true,
    status: false,
  },
  {
    group: "rbac.authorization.k8s.io",
    version: "v1",
    plural: "rolebindings",
    kind: "RoleBinding",
    namespaced: true,
    status: false,
  },
  {
    group: "rbac.authorization.k8s.io",
    version: "v1",
    plural: "clusterroles",
    kind: "ClusterRole",
    namespaced: false,
    status: false,
  },
  {
    group: "rbac.authorization.k8s.io",
    version: "v1",
    plural: "clusterrolebindings",
    kind: "ClusterRoleBinding",
    namespaced: false,
    status: false,
  },
];

function byResource(resource: string): ResourceInfo {
  const dot = resource.indexOf(".");
  const plural = dot < 0 ? resource : resource.slice(0, dot);
  const group = dot < 0 ? "" : resource.slice(dot + 1);
  const found = RESOURCES.find((r) => r.plural === plural && (dot < 0 || r.group === group));
  if (!found) throw new Error(`real cluster: unknown resource ${resource}`);
  return found;
}

function byKind(apiVersion: string, kind: string): ResourceInfo {
  const group = apiVersion.includes("/") ? apiVersion.slice(0, apiVersion.indexOf("/")) : "";
  const found = RESOURCES.find((r) => r.kind === kind && r.group === group);
  if (!found) throw new Error(`real cluster: unknown kind ${apiVersion}/${kind}`);
  return found;
}

function pathOf(r: ResourceInfo, namespace: string | undefined, name?: string, subresource?: string): string {
  const base = r.group === "" ? `/api/${r.version}` : `/apis/${r.group}/${r.version}`;
  const ns = r.namespaced ? `/namespaces/${encodeURIComponent(namespace ?? "default")}` : "";
  return `${base}${ns}/${r.plural}${name ? `/${encodeURIComponent(name)}` : ""}${subresource ? `/${subresource}` : ""}`;
}

const SYSTEM_NAMESPACES = new Set(["default", "kube-system", "kube-public", "kube-node-lease"]);
/** Label on every RBAC object made for a test user (deleted by the next startCluster of the file). */
const USER_LABEL = "pullwarden.test/user";

let shared: Promise<ControlPlane> | undefined;

function fail(what: string, res: KubeResponse): never {
  throw new Error(`real cluster: ${what}: HTTP ${res.status} ${res.body.slice(0, 500)}`);
}

export async function startCluster(options: ClusterOptions = {}): Promise<TestCluster> {
  const planeOptions = { users: {}, ...(options.controllers ? { controllers: options.controllers } : {}) };
  shared ??= options.dedicated ? undefined : startControlPlane(planeOptions);
  const cp = options.dedicated
    ? await startControlPlane(planeOptions)
    : await (shared as Promise<ControlPlane>);
  const req = cp.request;

  // A clean slate: whatever an earlier cluster of this file created goes first.
  await reset(cp, options.namespaces ?? []);

  const objects = clusterObjects(cp);
  for (const ns of options.namespaces ?? []) {
    if ((await req("GET", `/api/v1/namespaces/${ns}`)).status === 200) continue; // emptied by reset()
    const res = await req("POST", "/api/v1/namespaces", {
      apiVersion: "v1",
      kind: "Namespace",
      metadata: { name: ns },
    });
    if (res.status !== 201) fail(`create namespace ${ns}`, res);
  }
  // The ServiceAccount admission plugin refuses Pods until the namespace's default ServiceAccount exists.
  for (const ns of options.namespaces ?? []) {
    await waitUntil(
      `the default ServiceAccount of ${ns}`,
      async () => (await req("GET", `/api/v1/namespaces/${ns}/serviceaccounts/default`)).status === 200,
      { timeoutMs: 30_000 },
    );
  }

  const tokens = new Map<string, string>();
  const certs = new Map<string, ClientCert>();
  const addIdentity = async (name: string, spec: UserSpec): Promise<void> => {
    const token = spec.token ?? `pw-${name}-${randomBytes(12).toString("hex")}`;
    // Client certificates outlive a cluster of the file (the control plane is shared): made once per name.
    if (!cp.users().includes(name)) await cp.addUser(name, { groups: spec.groups ?? [] });
    certs.set(name, cp.credentials(name));
    tokens.set(name, token);
  };
  await addIdentity("admin", {});
  for (const [name, spec] of Object.entries(options.users ?? {})) {
    await addIdentity(name, spec);
    await setRbac(cp, name, spec.rules ?? []);
  }

  const proxy: KubeProxy = await startKubeProxy({
    upstream: cp.url,
    pki: cp.pki,
    identity: (token) => {
      for (const [user, t] of tokens) if (t === token) return { user, cert: certs.get(user) as ClientCert };
      return undefined;
    },
  });

  const kubeconfigFiles = new Map<string, { user: string; namespace?: string }>();
  const writeAll = (): void => {
    for (const [path, spec] of kubeconfigFiles)
      writeKubeconfig(path, {
        server: proxy.url,
        caPem: cp.caPem,
        users: [...tokens].map(([name, token]) => ({ name, token })),
        currentUser: spec.user,
        namespace: spec.namespace,
      });
  };
  const kubeconfigFor = (user: string, namespace?: string): string => {
    if (!tokens.has(user)) throw new Error(`unknown user ${user}`);
    const path = join(
      cp.dir,
      `proxy-kubeconfig-${proxy.port}-${user.replace(/[^a-zA-Z0-9-]/g, "_")}${namespace ? `-${namespace}` : ""}`,
    );
    kubeconfigFiles.set(path, { user, namespace });
    writeAll();
    return path;
  };
  const kubeconfigPath = kubeconfigFor("admin");

  for (const obj of options.objects ?? []) await objects.seed(obj);

  return {
    url: proxy.url,
    caPem: cp.caPem,
    kubeconfigPath,
    kubeconfigFor,
    token: (user) => {
      const t = tokens.get(user);
      if (!t) throw new Error(`unknown user ${user}`);
      return t;
    },
    objects,
    requestLog: () => proxy.requestLog(),
    clearRequestLog: () => proxy.clearRequestLog(),
    intercept: (fn) => proxy.intercept(fn),
    setRbac: (user, rules) => setRbac(cp, user, rules),
    async addUser(name, spec = {}) {
      await addIdentity(name, spec);
      await setRbac(cp, name, spec.rules ?? []);
      writeAll();
      return tokens.get(name) as string;
    },
    controlPlane: cp,
    async stop() {
      await proxy.close();
      if (options.dedicated) await cp.stop();
    },
  };
}

/** Namespaced kinds a test may leave behind, workloads first (so that they create no Pods while Pods go). */
const WIPED = [
  "deployments.apps",
  "replicasets.apps",
  "daemonsets.apps",
  "statefulsets.apps",
  "cronjobs.batch",
  "jobs.batch",
  "pods",
  "secrets",
  "configmaps",
  "serviceaccounts",
  "events",
  "leases.coordination.k8s.io",
  "rolebindings.rbac.authorization.k8s.io",
  "roles.rbac.authorization.k8s.io",
];

/** What a namespace holds when the cluster made it and nothing else touched it. */
const BOOTSTRAP = new Set(["configmaps/kube-root-ca.crt", "serviceaccounts/default"]);

/**
 * A clean slate for the next cluster of the file. A namespace it will create again (and that is not
 * Terminating) is emptied in place: every object a test may have made is deleted, the `default` ServiceAccount
 * and the namespace's own metadata are put back as the cluster made them. That takes a fraction of a second,
 * where deleting a namespace takes seconds (the namespace controller finalizes it). Other non-system namespaces
 * are deleted, and the test users' RBAC objects go.
 */
async function reset(cp: ControlPlane, keep: readonly string[]): Promise<void> {
  const namespaces = await cp.request("GET", "/api/v1/namespaces");
  if (namespaces.status !== 200) fail("list namespaces", namespaces);
  const items = (namespaces.json?.items ?? []) as KubeObject[];
  const deleted: string[] = [];
  for (const item of items) {
    const ns = item.metadata.name as string;
    const terminating = item.metadata.deletionTimestamp !== undefined;
    const finalizers = (item.metadata.finalizers as string[] | undefined) ?? [];
    // kube-system holds the controllers' own ServiceAccounts (and the API server's identity Leases): left alone.
    if (SYSTEM_NAMESPACES.has(ns) && ns !== "default") continue;
    if (ns === "default" || (keep.includes(ns) && !terminating)) {
      await emptyNamespace(cp, item);
      continue;
    }
    // Its Pods go at once (one bound to a node would wait for a kubelet forever and hold the namespace).
    await emptyNamespace(cp, item, false);
    // A finalizer a test put on a namespace (to keep it Terminating) would hold it forever.
    if (finalizers.length > 0)
      await cp.request(
        "PATCH",
        `/api/v1/namespaces/${ns}`,
        { metadata: { finalizers: null } },
        {
          contentType: "application/merge-patch+json",
        },
      );
    const res = await cp.request("DELETE", `/api/v1/namespaces/${ns}`);
    if (res.status !== 200 && res.status !== 202 && res.status !== 404 && res.status !== 409)
      fail(`delete namespace ${ns}`, res);
    deleted.push(ns);
  }
  // Cluster-scoped RBAC objects the cluster did not make itself (its own carry kubernetes.io/bootstrapping):
  // the test users' and whatever a test created.
  for (const plural of ["clusterrolebindings", "clusterroles"]) {
    const res = await cp.request(
      "DELETE",
      `/apis/rbac.authorization.k8s.io/v1/${plural}?labelSelector=${encodeURIComponent("!kubernetes.io/bootstrapping")}`,
    );
    if (res.status !== 200) fail(`delete ${plural}`, res);
  }
  if (deleted.length > 0) {
    await waitUntil(
      `namespaces ${deleted.join(", ")} to be finalized`,
      async () => {
        const list = await cp.request("GET", "/api/v1/namespaces");
        const left = ((list.json?.items ?? []) as KubeObject[]).map((n) => n.metadata.name as string);
        return deleted.every((n) => !left.includes(n));
      },
      { timeoutMs: 60_000, intervalMs: 100 },
    );
  }
}

/** Deletes what tests made in a namespace and puts its metadata and `default` ServiceAccount back. */
async function emptyNamespace(cp: ControlPlane, namespace: KubeObject, restore = true): Promise<void> {
  const ns = namespace.metadata.name as string;
  for (const resource of WIPED) {
    const r = byResource(resource);
    const keep = [...BOOTSTRAP].filter((b) => b.startsWith(`${r.plural}/`)).map((b) => b.split("/")[1]);
    const selector = keep.map((name) => `metadata.name!=${name}`).join(",");
    // One deletecollection, at once: a Pod bound to a node (no kubelet here) would otherwise wait forever.
    const res = await cp.request(
      "DELETE",
      `${pathOf(r, ns)}?gracePeriodSeconds=0${selector ? `&fieldSelector=${encodeURIComponent(selector)}` : ""}`,
    );
    if (res.status !== 200) fail(`delete ${resource} in ${ns}`, res);
    // What a finalizer holds back (a test's own) is released.
    for (const item of (res.json?.items ?? []) as KubeObject[]) {
      if (((item.metadata.finalizers as string[] | undefined) ?? []).length === 0) continue;
      await cp.request(
        "PATCH",
        pathOf(r, ns, item.metadata.name as string),
        { metadata: { finalizers: null } },
        { contentType: "application/merge-patch+json" },
      );
    }
  }
  if (!restore) return;
  // The default ServiceAccount as the serviceaccount controller makes it: no imagePullSecrets, labels or
  // annotations. (Deleting it would do too, but the controller recreates it only after a moment.)
  const sa = await cp.request("GET", `/api/v1/namespaces/${ns}/serviceaccounts/default`);
  if (sa.status === 200 && sa.json) {
    const meta = sa.json.metadata as Record<string, unknown>;
    if (
      sa.json.imagePullSecrets ||
      sa.json.secrets ||
      meta.labels ||
      meta.annotations ||
      sa.json.automountServiceAccountToken !== undefined
    ) {
      const res = await cp.request("PUT", `/api/v1/namespaces/${ns}/serviceaccounts/default`, {
        apiVersion: "v1",
        kind: "ServiceAccount",
        metadata: { name: "default", namespace: ns, resourceVersion: meta.resourceVersion },
      });
      if (res.status !== 200) fail(`reset serviceaccount ${ns}/default`, res);
    }
  }
  // The namespace's labels and annotations as they were made (kubernetes.io/metadata.name only).
  const labels = (namespace.metadata.labels ?? {}) as Record<string, string>;
  const extraLabels = Object.keys(labels).filter((k) => k !== "kubernetes.io/metadata.name");
  const annotations = Object.keys((namespace.metadata.annotations ?? {}) as Record<string, string>);
  if (extraLabels.length > 0 || annotations.length > 0) {
    const patch = {
      metadata: {
        labels: Object.fromEntries(extraLabels.map((k) => [k, null])),
        annotations: Object.fromEntries(annotations.map((k) => [k, null])),
      },
    };
    const res = await cp.request("PATCH", `/api/v1/namespaces/${ns}`, patch, {
      contentType: "application/merge-patch+json",
    });
    if (res.status !== 200) fail(`reset namespace ${ns}`, res);
  }
}

/** Replaces a user's RBAC objects by ones that grant exactly `rules`; waits until the authorizer sees them. */
async function setRbac(cp: ControlPlane, user: string, rules: UserRules): Promise<void> {
  const label = `${USER_LABEL}=${encodeURIComponent(user.replace(/[^A-Za-z0-9._-]/g, "_"))}`;
  const labels = { [USER_LABEL]: user.replace(/[^A-Za-z0-9._-]/g, "_") };
  await cp.request("DELETE", `/apis/rbac.authorization.k8s.io/v1/clusterrolebindings?labelSelector=${label}`);
  await cp.request("DELETE", `/apis/rbac.authorization.k8s.io/v1/clusterroles?labelSelector=${label}`);
  const namespaces = await cp.request("GET", "/api/v1/namespaces");
  for (const ns of ((namespaces.json?.items ?? []) as KubeObject[]).map((n) => n.metadata.name as string))
    await cp.request(
      "DELETE",
      `/apis/rbac.authorization.k8s.io/v1/namespaces/${ns}/rolebindings?labelSelector=${label}`,
    );

  const subject = { apiGroup: "rbac.authorization.k8s.io", kind: "User", name: user };
  const create = async (path: string, body: unknown): Promise<void> => {
    const res = await cp.request("POST", path, body);
    if (res.status !== 201) fail(`RBAC for ${user}: POST ${path}`, res);
  };
  const prefix = `pw-test:${user}`;
  if (rules === "cluster-admin") {
    await create("/apis/rbac.authorization.k8s.io/v1/clusterrolebindings", {
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "ClusterRoleBinding",
      metadata: { name: `${prefix}:cluster-admin`, labels },
      roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "cluster-admin" },
      subjects: [subject],
    });
  } else {
    for (const [i, rule] of rules.entries()) {
      const roleName = `${prefix}:${i}`;
      await create("/apis/rbac.authorization.k8s.io/v1/clusterroles", {
        apiVersion: "rbac.authorization.k8s.io/v1",
        kind: "ClusterRole",
        metadata: { name: roleName, labels },
        rules: [policyRule(rule)],
      });
      const roleRef = { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: roleName };
      if (rule.namespaces && !rule.nonResourceURLs) {
        for (const ns of rule.namespaces) {
          const res = await cp.request(
            "POST",
            `/apis/rbac.authorization.k8s.io/v1/namespaces/${ns}/rolebindings`,
            {
              apiVersion: "rbac.authorization.k8s.io/v1",
              kind: "RoleBinding",
              metadata: { name: roleName, labels },
              roleRef,
              subjects: [subject],
            },
          );
          // A rule for a namespace that does not exist grants nothing.
          if (res.status !== 201 && !(res.status === 404 && res.json?.reason === "NotFound"))
            fail(`RBAC for ${user} in ${ns}`, res);
        }
      } else {
        await create("/apis/rbac.authorization.k8s.io/v1/clusterrolebindings", {
          apiVersion: "rbac.authorization.k8s.io/v1",
          kind: "ClusterRoleBinding",
          metadata: { name: roleName, labels },
          roleRef,
          subjects: [subject],
        });
      }
    }
  }
  // The RBAC authorizer reads bindings from informers: wait until a SubjectAccessReview agrees with the rules.
  const first = rules === "cluster-admin" ? undefined : rules[0];
  const attrs =
    rules === "cluster-admin"
      ? { resourceAttributes: { verb: "*", group: "*", resource: "*" } }
      : first?.nonResourceURLs
        ? { nonResourceAttributes: { verb: first.verbs[0], path: first.nonResourceURLs[0] } }
        : first
          ? {
              resourceAttributes: {
                verb: first.verbs[0] === "*" ? "get" : first.verbs[0],
                group: first.apiGroups?.[0] === "*" ? "" : (first.apiGroups?.[0] ?? ""),
                resource:
                  first.resources?.[0] === "*" || !first.resources
                    ? "secrets"
                    : first.resources[0]?.split("/")[0],
                namespace: first.namespaces?.[0],
                name: first.resourceNames?.[0],
              },
            }
          : undefined;
  if (!attrs) return;
  await waitUntil(
    `RBAC for ${user} to take effect`,
    async () => {
      const res = await cp.request("POST", "/apis/authorization.k8s.io/v1/subjectaccessreviews", {
        apiVersion: "authorization.k8s.io/v1",
        kind: "SubjectAccessReview",
        spec: { user, ...attrs },
      });
      return (res.json?.status as { allowed?: boolean } | undefined)?.allowed === true;
    },
    { timeoutMs: 10_000 },
  );
}

function policyRule(rule: RbacRule): Record<string, unknown> {
  if (rule.nonResourceURLs) return { verbs: rule.verbs, nonResourceURLs: rule.nonResourceURLs };
  return {
    verbs: rule.verbs,
    apiGroups: rule.apiGroups ?? ["*"],
    resources: rule.resources ?? ["*"],
    ...(rule.resourceNames ? { resourceNames: rule.resourceNames } : {}),
  };
}

function clusterObjects(cp: ControlPlane): ClusterObjects {
  const req = cp.request;
  const get = async (
    resource: string,
    namespace: string | undefined,
    name: string,
  ): Promise<KubeObject | undefined> => {
    const r = byResource(resource);
    const res = await req("GET", pathOf(r, namespace, name));
    if (res.status === 404) return undefined;
    if (res.status !== 200) fail(`get ${resource} ${namespace ?? ""}/${name}`, res);
    return res.json as unknown as KubeObject;
  };
  // Status through the status subresource, as kubelet and controllers write it; a controller may write the same
  // object meanwhile (409): re-read and write again, as any client must.
  const writeStatus = async (r: ResourceInfo, stored: KubeObject, status: unknown): Promise<KubeObject> => {
    let current = stored;
    for (let attempt = 0; ; attempt++) {
      const res = await req("PUT", pathOf(r, current.metadata.namespace, current.metadata.name, "status"), {
        ...current,
        status,
      });
      if (res.status === 200) return res.json as unknown as KubeObject;
      if (res.status !== 409 || attempt >= 5)
        fail(`write status of ${r.plural} ${stored.metadata.name ?? ""}`, res);
      const again = await get(
        `${r.plural}${r.group ? `.${r.group}` : ""}`,
        current.metadata.namespace,
        current.metadata.name as string,
      );
      if (!again) fail(`write status of ${r.plural} ${stored.metadata.name ?? ""} (gone)`, res);
      current = again;
    }
  };
  // A fixture's made-up UIDs → the UIDs the server gave those objects, for the references later fixtures make.
  const uids = new Map<string, string>();
  const seedOne = async (input: KubeObject): Promise<KubeObject> => {
    const r = byKind(input.apiVersion, input.kind);
    const obj = structuredClone(input) as KubeObject & {
      status?: unknown;
      involvedObject?: {
        apiVersion?: string;
        kind?: string;
        name?: string;
        namespace?: string;
        uid?: string;
      };
    };
    const meta = obj.metadata as Record<string, unknown>;
    const fixtureUid = meta.uid as string | undefined;
    delete meta.uid;
    delete meta.resourceVersion;
    delete meta.creationTimestamp;
    const namespace = r.namespaced ? ((meta.namespace as string | undefined) ?? "default") : undefined;
    // Owner references name their owner by UID: point them at the real owner of that kind and name.
    const owners = (meta.ownerReferences ?? []) as {
      apiVersion: string;
      kind: string;
      name: string;
      uid: string;
    }[];
    for (const owner of owners) {
      const mapped = uids.get(owner.uid);
      if (mapped) {
        owner.uid = mapped;
        continue;
      }
      const ownerObj = await get(
        byKind(owner.apiVersion, owner.kind).plural +
          (owner.apiVersion.includes("/") ? `.${owner.apiVersion.split("/")[0]}` : ""),
        namespace,
        owner.name,
      );
      if (ownerObj?.metadata.uid) owner.uid = ownerObj.metadata.uid as string;
    }
    // An Event names its object by UID too.
    if (obj.involvedObject?.uid && uids.has(obj.involvedObject.uid))
      obj.involvedObject.uid = uids.get(obj.involvedObject.uid);
    const status = obj.status;
    delete obj.status;
    const res = await req("POST", pathOf(r, namespace), obj);
    if (res.status !== 201)
      fail(`seed ${input.kind} ${namespace ?? ""}/${String(meta.name ?? meta.generateName)}`, res);
    let stored = res.json as unknown as KubeObject;
    if (fixtureUid) uids.set(fixtureUid, stored.metadata.uid as string);
    if (status !== undefined && r.status) stored = await writeStatus(r, stored, status);
    return stored;
  };
  return {
    async seed(...objs) {
      const out: KubeObject[] = [];
      for (const o of objs) out.push(await seedOne(o));
      return out;
    },
    get,
    async list(resource, namespace) {
      const r = byResource(resource);
      const base = r.group === "" ? `/api/${r.version}` : `/apis/${r.group}/${r.version}`;
      const path = r.namespaced && namespace ? pathOf(r, namespace) : `${base}/${r.plural}`;
      const res = await req("GET", path);
      if (res.status !== 200) fail(`list ${resource}`, res);
      const apiVersion = r.group === "" ? r.version : `${r.group}/${r.version}`;
      return ((res.json?.items ?? []) as KubeObject[]).map((o) => ({ ...o, apiVersion, kind: r.kind }));
    },
    async put(object) {
      const r = byKind(object.apiVersion, object.kind);
      const obj = structuredClone(object) as KubeObject & { status?: unknown };
      const namespace = r.namespaced ? (obj.metadata.namespace ?? "default") : undefined;
      const current = await get(
        r.plural + (r.group ? `.${r.group}` : ""),
        namespace,
        obj.metadata.name as string,
      );
      if (!current) throw new Error(`put: ${r.plural} "${obj.metadata.name ?? ""}" does not exist`);
      obj.metadata.resourceVersion = current.metadata.resourceVersion;
      const res = await req("PUT", pathOf(r, namespace, obj.metadata.name as string), obj);
      if (res.status !== 200) fail(`put ${r.plural} ${obj.metadata.name ?? ""}`, res);
      let stored = res.json as unknown as KubeObject;
      // Only a status the test changed is written (a status read back as it was is left to its owner).
      const currentStatus = (current as KubeObject & { status?: unknown }).status;
      if (
        obj.status !== undefined &&
        r.status &&
        JSON.stringify(obj.status) !== JSON.stringify(currentStatus)
      )
        stored = await writeStatus(r, stored, obj.status);
      return stored;
    },
    async delete(resource, namespace, name) {
      const r = byResource(resource);
      const res = await req("DELETE", `${pathOf(r, namespace, name)}?gracePeriodSeconds=0`);
      if (res.status === 404) return false;
      // Deleting a namespace that is already Terminating: 409 "the system is ensuring all content is removed".
      if (res.status === 409 && r.plural === "namespaces") return true;
      if (res.status !== 200 && res.status !== 202) fail(`delete ${resource} ${name}`, res);
      return true;
    },
  };
}
