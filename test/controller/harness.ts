// The controller's test world: the real control plane (test/kube/real-cluster.ts, behind the recording proxy),
// the CRDs installed for real, a real registry (Debian docker-registry, htpasswd, TLS) the controller verifies
// against, the controller's namespace with a static source Secret, and the controller itself in-process
// (src/controller/runtime) talking through the proxy with a kubeconfig, as in a cluster.
import { readFileSync } from "node:fs";
import { afterAll, afterEach, beforeAll, beforeEach } from "vitest";
import { controllerCrds } from "../../src/controller/crds.js";
import { Controller } from "../../src/controller/runtime/index.js";
import type { ControllerOptions } from "../../src/controller/runtime/index.js";
import type { ClusterPullCredentialSpec, ClusterPullSecretBindingSpec } from "../../src/desired/index.js";
import { loadKubeConfig } from "../../src/kube/index.js";
import { startCluster } from "../kube/harness.js";
import type { KubeObject, TestCluster } from "../kube/harness.js";
import type { RequestRecord } from "../kube/real-cluster.js";
import { waitUntil } from "../support/net.js";
import type { ServerProcess } from "../support/processes.js";
import { startRegistry } from "../support/registry.js";
import type { Credentials, Registry } from "../support/registry.js";

export const CONTROLLER_NAMESPACE = "pullwarden-system";
export const GROUP_PATH = "/apis/pullwarden.io/v1alpha1";
export const WRITE_VERBS = new Set(["create", "update", "patch", "delete", "deletecollection"]);

/** Installs the CRDs (once per control plane) and waits until they are served. */
export async function installCrds(api: TestCluster): Promise<void> {
  const cp = api.controlPlane;
  for (const crd of controllerCrds()) {
    const name = (crd["metadata"] as { name: string }).name;
    const res = await cp.request("POST", "/apis/apiextensions.k8s.io/v1/customresourcedefinitions", crd);
    if (res.status === 409) {
      const current = JSON.parse(
        (await cp.request("GET", `/apis/apiextensions.k8s.io/v1/customresourcedefinitions/${name}`)).body,
      ) as KubeObject;
      const put = await cp.request("PUT", `/apis/apiextensions.k8s.io/v1/customresourcedefinitions/${name}`, {
        ...crd,
        metadata: { ...(crd["metadata"] as object), resourceVersion: current.metadata.resourceVersion },
      });
      if (put.status !== 200) throw new Error(`CRD ${name}: HTTP ${put.status} ${put.body}`);
    } else if (res.status !== 201) {
      throw new Error(`CRD ${name}: HTTP ${res.status} ${res.body}`);
    }
    await waitUntil(`CRD ${name} established`, async () => {
      const got = JSON.parse(
        (await cp.request("GET", `/apis/apiextensions.k8s.io/v1/customresourcedefinitions/${name}`)).body,
      ) as { status?: { conditions?: { type: string; status: string }[] } };
      return got.status?.conditions?.some((c) => c.type === "Established" && c.status === "True") ?? false;
    });
  }
  await waitUntil("custom resources served", async () => {
    const res = await cp.request("GET", `${GROUP_PATH}/clusterpullcredentials`);
    return res.status === 200;
  });
}

/** Deletes every ClusterPullCredential and ClusterPullSecretBinding (they outlive a startCluster reset). */
export async function removeCustomResources(api: TestCluster): Promise<void> {
  for (const plural of ["clusterpullsecretbindings", "clusterpullcredentials"]) {
    await api.controlPlane.request("DELETE", `${GROUP_PATH}/${plural}`);
  }
}

export async function createObject(api: TestCluster, path: string, object: unknown): Promise<KubeObject> {
  const res = await api.controlPlane.request("POST", path, object);
  if (res.status !== 201) throw new Error(`POST ${path}: HTTP ${res.status} ${res.body}`);
  return JSON.parse(res.body) as KubeObject;
}

export function credential(name: string, spec: Record<string, unknown>): KubeObject {
  return { apiVersion: "pullwarden.io/v1alpha1", kind: "ClusterPullCredential", metadata: { name }, spec };
}

export function binding(name: string, spec: Record<string, unknown>): KubeObject {
  return { apiVersion: "pullwarden.io/v1alpha1", kind: "ClusterPullSecretBinding", metadata: { name }, spec };
}

/** Creates a ClusterPullCredential as admin (a spec the type allows; `credential` builds any other). */
export async function createCredential(
  api: TestCluster,
  name: string,
  spec: ClusterPullCredentialSpec,
): Promise<KubeObject> {
  return createObject(api, `${GROUP_PATH}/clusterpullcredentials`, credential(name, { ...spec }));
}

/** Creates a ClusterPullSecretBinding as admin (a spec the type allows; `binding` builds any other). */
export async function createBinding(
  api: TestCluster,
  name: string,
  spec: ClusterPullSecretBindingSpec,
): Promise<KubeObject> {
  return createObject(api, `${GROUP_PATH}/clusterpullsecretbindings`, binding(name, { ...spec }));
}

export async function getCustom(
  api: TestCluster,
  plural: string,
  name: string,
): Promise<KubeObject & { status?: Record<string, unknown> }> {
  const res = await api.controlPlane.request("GET", `${GROUP_PATH}/${plural}/${name}`);
  if (res.status !== 200) throw new Error(`GET ${plural}/${name}: HTTP ${res.status}`);
  return JSON.parse(res.body) as KubeObject;
}

export function condition(
  object: { status?: Record<string, unknown> },
  type: string,
): { status: string; reason: string; message: string } | undefined {
  const conditions = (object.status?.["conditions"] ?? []) as {
    type: string;
    status: string;
    reason: string;
    message: string;
  }[];
  return conditions.find((c) => c.type === type);
}

/** A `.dockerconfigjson` for one registry, as kubectl writes it. */
export function dockerConfigJson(host: string, user: Credentials): string {
  return JSON.stringify({
    auths: {
      [host]: {
        username: user.username,
        password: user.password,
        auth: Buffer.from(`${user.username}:${user.password}`).toString("base64"),
      },
    },
  });
}

export function pullSecret(namespace: string, name: string, payload: string): KubeObject {
  return {
    apiVersion: "v1",
    kind: "Secret",
    metadata: { name, namespace },
    type: "kubernetes.io/dockerconfigjson",
    data: { ".dockerconfigjson": Buffer.from(payload).toString("base64") },
  };
}

/** The `.dockerconfigjson` of a Secret, parsed; undefined when there is no such Secret. */
export async function storedAuths(
  api: TestCluster,
  namespace: string,
  name: string,
): Promise<Record<string, { username: string; password: string; auth: string }> | undefined> {
  const secret = (await api.objects.get("secrets", namespace, name)) as
    (KubeObject & { data?: Record<string, string> }) | undefined;
  const data = secret?.data?.[".dockerconfigjson"];
  if (!data) return undefined;
  return (JSON.parse(Buffer.from(data, "base64").toString("utf8")) as { auths: never }).auths;
}

export function writesIn(log: readonly RequestRecord[]): RequestRecord[] {
  return log.filter((r) => WRITE_VERBS.has(r.verb));
}

export function describeRequests(log: readonly RequestRecord[]): string[] {
  return log.map(
    (r) =>
      `${r.verb} ${r.resource ?? r.path}${r.subresource ? `/${r.subresource}` : ""} ${r.namespace ?? ""}/${r.name ?? ""}`,
  );
}

export interface ControllerWorld {
  api: TestCluster;
  registry: Registry;
  user: Credentials;
  controllers: Controller[];
  logs: Record<string, unknown>[];
  /** The in-process controllers' last `count` log entries, one JSON a line: what a timed-out wait shows. */
  logTail(count?: number): string;
  start(options?: Partial<ControllerOptions>, kubeconfig?: string): Promise<Controller>;
  stop(): Promise<void>;
}

/** Registry + controller namespace with the source Secret `registry-login` + CRDs; controllers on demand. */
export async function controllerWorld(api: TestCluster, user: Credentials): Promise<ControllerWorld> {
  await installCrds(api);
  await removeCustomResources(api);
  const registry = await startRegistry({ auth: "htpasswd", tls: true, users: [user] });
  await api.objects.seed(
    { apiVersion: "v1", kind: "Namespace", metadata: { name: CONTROLLER_NAMESPACE } },
    pullSecret(CONTROLLER_NAMESPACE, "registry-login", dockerConfigJson(registry.host, user)),
  );
  const controllers: Controller[] = [];
  const logs: Record<string, unknown>[] = [];
  const ca = readFileSync(registry.caFile ?? "", "utf8");
  return {
    api,
    registry,
    user,
    controllers,
    logs,
    logTail(count = 15) {
      return logs
        .slice(-count)
        .map((l) => JSON.stringify(l))
        .join("\n");
    },
    async start(options = {}, kubeconfig = api.kubeconfigPath) {
      const controller = new Controller(loadKubeConfig({ kubeconfig, env: {} }), {
        namespace: CONTROLLER_NAMESPACE,
        identity: `test-${controllers.length}`,
        leaderElection: false,
        registry: { ca },
        relistIntervalMs: 60_000,
        log: (entry) => logs.push(entry),
        ...options,
      });
      controllers.push(controller);
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        controller.start(),
        new Promise((_, reject) => {
          timer = setTimeout(
            () =>
              reject(
                new Error(
                  `controller caches not synced in 30 s:\n${logs.map((l) => JSON.stringify(l)).join("\n")}`,
                ),
              ),
            30_000,
          );
        }),
      ]).finally(() => clearTimeout(timer));
      return controller;
    },
    async stop() {
      await Promise.all(controllers.map((c) => c.stop()));
      await removeCustomResources(api);
      await registry.stop();
    },
  };
}

/**
 * A cluster with `namespaces` and a controller world on it (its registry's user `user`), made by hooks: a new
 * pair for each test (`per: "each"`, the default) or one for the enclosing describe block or file
 * (`per: "all"`); torn down after it (the world, then the cluster). The `api` and `world` returned stand for
 * the current pair (the hooks replace it), so they are read inside tests and hooks, never at a file's top
 * level. Hooks a file registers after this call run after its set-up and before its tear-down.
 */
export function useControllerWorld(options: {
  namespaces: string[];
  user: Credentials;
  per?: "each" | "all";
}): { api: TestCluster; world: ControllerWorld } {
  let api: TestCluster | undefined;
  let world: ControllerWorld | undefined;
  const [before, after] = options.per === "all" ? [beforeAll, afterAll] : [beforeEach, afterEach];
  before(async () => {
    api = await startCluster({ namespaces: options.namespaces });
    world = await controllerWorld(api, options.user);
  });
  after(async () => {
    await world?.stop();
    await api?.stop();
    api = undefined;
    world = undefined;
  });
  const current = <T>(what: string, value: T | undefined): T => {
    if (value === undefined) throw new Error(`useControllerWorld: no ${what} outside a test or its hooks`);
    return value;
  };
  return { api: standIn(() => current("cluster", api)), world: standIn(() => current("world", world)) };
}

/** An object whose every member is read from `target()` when it is used (methods bound to it). */
function standIn<T extends object>(target: () => T): T {
  return new Proxy({} as T, {
    get(_, key) {
      const object = target();
      const value: unknown = Reflect.get(object, key);
      return typeof value === "function" ? (value as (...args: unknown[]) => unknown).bind(object) : value;
    },
  });
}

/** The world's static credential (the Secret `registry-login`, or `secretName`), created as admin. */
export async function createStaticCredential(
  api: TestCluster,
  name = "registry",
  secretName = "registry-login",
): Promise<void> {
  await createCredential(api, name, { source: { static: { secretRef: { name: secretName } } } });
}

/**
 * The usual set-up of a test: the world's static credential `registry` and the binding `apps` of it, which
 * writes the Secret `registry-pull` where `spec` says (namespaces, ServiceAccounts, restartStuckPods).
 */
export async function bindStaticCredential(
  api: TestCluster,
  spec: Omit<ClusterPullSecretBindingSpec, "credentials" | "secretName">,
): Promise<void> {
  await createStaticCredential(api);
  await createBinding(api, "apps", { credentials: ["registry"], secretName: "registry-pull", ...spec });
}

/** The JSON lines a controller process (the built CLI) logged, parsed. */
export function jsonLogLines(process: ServerProcess): Record<string, unknown>[] {
  return process
    .logs()
    .split("\n")
    .filter((l) => l.startsWith("{"))
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}
