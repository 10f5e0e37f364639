/**
 * Reads what `reconcile` needs, with few requests: for many namespaces, one cluster-wide list per secret name,
 * ServiceAccount name and Pod ServiceAccount (field selectors), so 500 namespaces cost a handful of reads; for a
 * few namespaces, or when cluster-wide lists are forbidden, reads per namespace. A read the user may not make is
 * recorded as a failure for its namespace (the rest goes on); an unreachable API server throws.
 */
import { mapWithConcurrency } from "../concurrency.js";
import { MANAGED_BY_LABEL_KEY, MANAGED_BY_LABEL_VALUE } from "../desired/index.js";
import { WORKLOAD_KINDS } from "../kube-model/index.js";
import type {
  NamespaceObject,
  PodObject,
  SecretObject,
  ServiceAccountObject,
  WorkloadKind,
  WorkloadObject,
} from "../kube-model/index.js";
import { KubeError, KubeForbiddenError, KubeUnreachableError } from "../kube/index.js";
import type { KubeClient } from "../kube/index.js";
import type { NamespaceState, Observed, PruneScope, ReadFailure } from "./model.js";
import { stuckContainer } from "./reconcile.js";

export type ListScope = "auto" | "cluster" | "namespace";

export interface ObserveRequest {
  /** The selected namespaces. */
  readonly namespaces: readonly string[];
  readonly namespaceStates: ReadonlyMap<string, NamespaceState>;
  readonly secretNames: readonly string[];
  /** ServiceAccounts bound in each namespace. */
  readonly serviceAccounts: ReadonlyMap<string, readonly string[]>;
  readonly prune?: PruneScope;
  readonly restartStuck?: boolean;
  /** `auto`: cluster-wide lists for more than `clusterListThreshold` namespaces (default 3). */
  readonly listScope?: ListScope;
  readonly clusterListThreshold?: number;
  readonly concurrency?: number;
}

const OWNED_SELECTOR = `${MANAGED_BY_LABEL_KEY}=${MANAGED_BY_LABEL_VALUE}`;

function namespaceState(namespace: NamespaceObject): NamespaceState {
  return namespace.status?.phase === "Terminating" || namespace.metadata.deletionTimestamp
    ? "terminating"
    : "active";
}

/** Namespace states from one list (undefined when the user may not list namespaces). */
export async function readNamespaceStates(
  client: KubeClient,
  labelSelector?: string,
  options: { throwForbidden?: boolean } = {},
): Promise<Map<string, NamespaceState> | undefined> {
  try {
    const list = await client.list<NamespaceObject>("Namespace", labelSelector ? { labelSelector } : {});
    return new Map(list.map((ns) => [ns.metadata.name ?? "", namespaceState(ns)]));
  } catch (error) {
    if (error instanceof KubeForbiddenError && !options.throwForbidden) return undefined;
    throw error;
  }
}

/** Errors that stop everything (the server is gone, or a bug) rather than one namespace's work. */
function isFatal(error: unknown): boolean {
  return error instanceof KubeUnreachableError || !(error instanceof KubeError);
}

export async function observeCluster(client: KubeClient, request: ObserveRequest): Promise<Observed> {
  const targets = new Set(request.namespaces);
  const accountNames = [...new Set([...request.serviceAccounts.values()].flat())];
  const scope =
    request.listScope === "cluster" ||
    (request.listScope !== "namespace" && request.namespaces.length > (request.clusterListThreshold ?? 3))
      ? "cluster"
      : "namespace";
  const concurrency = request.concurrency ?? 16;
  const readFailures: ReadFailure[] = [];
  const secrets = new Map<string, SecretObject>();
  const accounts = new Map<string, ServiceAccountObject>();
  const pods = new Map<string, PodObject>();
  const id = (o: { metadata: { namespace?: string; name?: string } }) =>
    `${o.metadata.namespace ?? ""}/${o.metadata.name ?? ""}`;
  const keepSecret = (s: SecretObject) => secrets.set(id(s), s);
  const keepAccount = (a: ServiceAccountObject) => accounts.set(id(a), a);
  const keepPod = (p: PodObject) => pods.set(id(p), p);
  let pruneComplete = true;

  /** One cluster-wide list; false when it is forbidden (the caller reads per namespace instead). */
  const clusterList = async (read: () => Promise<void>, always = false): Promise<boolean> => {
    if (scope !== "cluster" && !always) return false;
    try {
      await read();
      return true;
    } catch (error) {
      if (error instanceof KubeForbiddenError) return false;
      throw error;
    }
  };

  // Secrets with a wanted name.
  const secretsClusterWide = await clusterList(async () => {
    for (const name of request.secretNames) {
      for (const s of await client.list<SecretObject>("Secret", { fieldSelector: `metadata.name=${name}` })) {
        if (targets.has(s.metadata.namespace ?? "")) keepSecret(s);
      }
    }
  });
  // Owned secrets anywhere, for --prune.
  let ownedClusterWide = false;
  if (request.prune) {
    try {
      for (const s of await client.list<SecretObject>("Secret", { labelSelector: OWNED_SELECTOR }))
        keepSecret(s);
      ownedClusterWide = true;
    } catch (error) {
      if (!(error instanceof KubeForbiddenError)) throw error;
      pruneComplete = false;
    }
  }

  // ServiceAccounts: every one with --prune (to find entries pullwarden added), else the bound names.
  const accountsClusterWide = await clusterList(async () => {
    if (request.prune) {
      for (const a of await client.list<ServiceAccountObject>("ServiceAccount")) keepAccount(a);
    } else {
      for (const name of accountNames) {
        for (const a of await client.list<ServiceAccountObject>("ServiceAccount", {
          fieldSelector: `metadata.name=${name}`,
        })) {
          if (targets.has(a.metadata.namespace ?? "")) keepAccount(a);
        }
      }
    }
  }, request.prune !== undefined);
  // Pods of the bound ServiceAccounts.
  const podsClusterWide = await clusterList(async () => {
    for (const name of accountNames) {
      for (const p of await client.list<PodObject>("Pod", {
        fieldSelector: `spec.serviceAccountName=${name}`,
      })) {
        if (request.serviceAccounts.get(p.metadata.namespace ?? "")?.includes(name)) keepPod(p);
      }
    }
  });
  // With --prune, the namespaces holding owned secrets are read too (for the entries pullwarden added there).
  const pruneNamespaces = request.prune
    ? [...new Set([...secrets.values()].map((s) => s.metadata.namespace ?? ""))]
        .filter((ns) => !targets.has(ns))
        .sort()
    : [];
  const perNamespace = [...request.namespaces, ...pruneNamespaces].filter((ns) => {
    const state = request.namespaceStates.get(ns);
    return state !== "missing" && state !== "terminating";
  });
  await mapWithConcurrency(perNamespace, concurrency, async (namespace) => {
    const attempt = async (resource: ReadFailure["resource"], read: () => Promise<void>) => {
      try {
        await read();
      } catch (error) {
        if (isFatal(error)) throw error;
        readFailures.push({ namespace, resource, error: error as Error });
      }
    };
    const bound = request.serviceAccounts.get(namespace) ?? [];
    const isTarget = targets.has(namespace);
    if (isTarget && (!secretsClusterWide || (request.prune && !ownedClusterWide))) {
      await attempt("secrets", async () => {
        if (!secretsClusterWide) {
          for (const name of request.secretNames) {
            const secret = await client.getSecret(namespace, name);
            if (secret) keepSecret(secret);
          }
        }
        if (request.prune && !ownedClusterWide) {
          for (const s of await client.list<SecretObject>("Secret", {
            namespace,
            labelSelector: OWNED_SELECTOR,
          })) {
            keepSecret(s);
          }
        }
      });
    }
    if (!accountsClusterWide) {
      await attempt("serviceaccounts", async () => {
        if (request.prune) {
          for (const a of await client.list<ServiceAccountObject>("ServiceAccount", { namespace }))
            keepAccount(a);
        } else {
          for (const name of bound) {
            const account = await client.getServiceAccount(namespace, name);
            if (account) keepAccount(account);
          }
        }
      });
    }
    if (isTarget && !podsClusterWide && bound.length > 0) {
      await attempt("pods", async () => {
        const list = await client.list<PodObject>(
          "Pod",
          bound.length === 1
            ? { namespace, fieldSelector: `spec.serviceAccountName=${bound[0]}` }
            : { namespace },
        );
        for (const p of list) keepPod(p);
      });
    }
  });

  const workloads = request.restartStuck
    ? await readWorkloads(client, [...pods.values()], readFailures, concurrency)
    : [];
  const namespaces = new Map(request.namespaceStates);
  for (const ns of request.namespaces) if (!namespaces.has(ns)) namespaces.set(ns, "unknown");
  return {
    namespaces,
    secrets: [...secrets.values()],
    serviceAccounts: [...accounts.values()],
    pods: [...pods.values()],
    workloads,
    readFailures,
    pruneComplete: request.prune ? pruneComplete : true,
  };
}

/** The controllers of stuck Pods, each read once. */
export async function readWorkloads(
  client: KubeClient,
  pods: readonly PodObject[],
  readFailures: ReadFailure[],
  concurrency: number,
): Promise<WorkloadObject[]> {
  const wanted = new Map<string, { namespace: string; kind: WorkloadKind; name: string }>();
  for (const pod of pods) {
    if (!stuckContainer(pod)) continue;
    const owner = pod.metadata.ownerReferences?.find((ref) => ref.controller === true);
    if (!owner || !(WORKLOAD_KINDS as readonly string[]).includes(owner.kind)) continue;
    const namespace = pod.metadata.namespace ?? "";
    wanted.set(`${namespace}/${owner.kind}/${owner.name}`, {
      namespace,
      kind: owner.kind as WorkloadKind,
      name: owner.name,
    });
  }
  const out: WorkloadObject[] = [];
  await mapWithConcurrency([...wanted.values()], concurrency, async ({ namespace, kind, name }) => {
    try {
      const workload = await client.getWorkload(kind, namespace, name);
      if (workload) out.push(workload);
    } catch (error) {
      if (isFatal(error)) throw error;
      readFailures.push({
        namespace,
        resource: "workloads",
        object: `${kind}/${name}`,
        error: error as Error,
      });
    }
  });
  return out;
}
