/**
 * What the controller needs of the API server beyond `KubeClient` (same connections, same errors, same request
 * counts): lists that return the collection's resourceVersion (for informers), Leases (leader election),
 * custom resources' status, and core/v1 Events.
 *
 * Every body is plain JSON as the API server speaks it: timestamps are strings we format (Lease times are
 * MicroTime, which a real kube-apiserver accepts only with 6 fractional digits: kubernetes-client/javascript#828).
 */
import { CoordinationV1Api, CoreV1Api, CustomObjectsApi } from "@kubernetes/client-node";
import type { HttpInfo } from "@kubernetes/client-node";
import type { KubeObject } from "../kube-model/index.js";
import { KubeApiError } from "./errors.js";
import { KubeClient, wireJson } from "./client.js";
import type { LoadedKubeConfig } from "./kubeconfig.js";
import type { KubeTimeouts } from "./http.js";

/**
 * A resource the controller watches: a core kind (in every namespace, or in one with `namespace`: the scoped
 * mode's per-namespace Roles allow nothing wider) or a cluster-scoped custom resource.
 */
export type WatchedResource =
  | { readonly kind: "Namespace" }
  | { readonly kind: "ServiceAccount"; readonly namespace?: string }
  | { readonly kind: "Secret"; readonly namespace?: string; readonly labelSelector?: string }
  /** Pods, optionally narrowed by a field selector (e.g. on status.phase). */
  | { readonly kind: "Pod"; readonly namespace?: string; readonly fieldSelector?: string }
  | {
      readonly kind: "Custom";
      readonly group: string;
      readonly version: string;
      readonly plural: string;
      readonly customKind: string;
    };

export interface ListedCollection {
  readonly items: KubeObject[];
  readonly resourceVersion: string;
}

/** The watch path of a resource (client-node's Watch adds `watch=true` and the list's resourceVersion). */
export function watchPath(resource: WatchedResource): string {
  switch (resource.kind) {
    case "Namespace":
      return "/api/v1/namespaces";
    case "ServiceAccount":
    case "Secret":
    case "Pod": {
      const plural = resourceName(resource);
      return resource.namespace
        ? `/api/v1/namespaces/${encodeURIComponent(resource.namespace)}/${plural}`
        : `/api/v1/${plural}`;
    }
    case "Custom":
      return `/apis/${resource.group}/${resource.version}/${resource.plural}`;
  }
}

function resourceName(resource: WatchedResource): string {
  switch (resource.kind) {
    case "Namespace":
      return "namespaces";
    case "ServiceAccount":
      return "serviceaccounts";
    case "Secret":
      return "secrets";
    case "Pod":
      return "pods";
    case "Custom":
      return `${resource.plural}.${resource.group}`;
  }
}

export class ControllerKubeClient extends KubeClient {
  private readonly coordination: CoordinationV1Api;
  private readonly coreApi: CoreV1Api;
  private readonly custom: CustomObjectsApi;

  constructor(loaded: LoadedKubeConfig, timeouts: KubeTimeouts = {}) {
    super(loaded, timeouts);
    this.coordination = new CoordinationV1Api(this.configuration);
    this.coreApi = new CoreV1Api(this.configuration);
    this.custom = new CustomObjectsApi(this.configuration);
  }

  /** Every object of a resource (all pages) as sent, with the list's resourceVersion to watch from. */
  async listForWatch(resource: WatchedResource): Promise<ListedCollection> {
    const items: KubeObject[] = [];
    let continueToken: string | undefined;
    let resourceVersion = "";
    const [apiVersion, kind] =
      resource.kind === "Custom"
        ? [`${resource.group}/${resource.version}`, resource.customKind]
        : ["v1", resource.kind];
    do {
      const query = { limit: 500, ...(continueToken ? { _continue: continueToken } : {}) };
      const page = (await this.call(
        {
          verb: "list",
          resource: resourceName(resource),
          ...(resource.kind !== "Namespace" && resource.kind !== "Custom" && resource.namespace
            ? { namespace: resource.namespace }
            : {}),
        },
        async () => wireJson(await this.watchListPage(resource, query)),
      )) as { items?: Record<string, unknown>[]; metadata?: { continue?: string; resourceVersion?: string } };
      for (const item of page.items ?? [])
        items.push({ ...item, apiVersion, kind, metadata: item["metadata"] ?? {} } as KubeObject);
      continueToken = page.metadata?.continue || undefined;
      resourceVersion = page.metadata?.resourceVersion ?? resourceVersion;
    } while (continueToken);
    return { items, resourceVersion };
  }

  private watchListPage(
    resource: WatchedResource,
    q: { limit: number; _continue?: string },
  ): Promise<HttpInfo<unknown>> {
    switch (resource.kind) {
      case "Namespace":
        return this.coreApi.listNamespaceWithHttpInfo(q);
      case "ServiceAccount":
        return resource.namespace
          ? this.coreApi.listNamespacedServiceAccountWithHttpInfo({ namespace: resource.namespace, ...q })
          : this.coreApi.listServiceAccountForAllNamespacesWithHttpInfo(q);
      case "Secret": {
        const selected = {
          ...q,
          ...(resource.labelSelector ? { labelSelector: resource.labelSelector } : {}),
        };
        return resource.namespace
          ? this.coreApi.listNamespacedSecretWithHttpInfo({ namespace: resource.namespace, ...selected })
          : this.coreApi.listSecretForAllNamespacesWithHttpInfo(selected);
      }
      case "Pod": {
        const selected = {
          ...q,
          ...(resource.fieldSelector ? { fieldSelector: resource.fieldSelector } : {}),
        };
        return resource.namespace
          ? this.coreApi.listNamespacedPodWithHttpInfo({ namespace: resource.namespace, ...selected })
          : this.coreApi.listPodForAllNamespacesWithHttpInfo(selected);
      }
      case "Custom":
        return this.custom.listClusterCustomObjectWithHttpInfo({
          group: resource.group,
          version: resource.version,
          plural: resource.plural,
          ...(q._continue ? { _continue: q._continue } : {}),
          limit: q.limit,
        });
    }
  }

  /** The Lease, or undefined when it does not exist. */
  async getLease(namespace: string, name: string): Promise<KubeObject | undefined> {
    try {
      return (await this.call(
        { verb: "get", resource: "leases.coordination.k8s.io", namespace, name },
        async () => wireJson(await this.coordination.readNamespacedLeaseWithHttpInfo({ namespace, name })),
      )) as KubeObject;
    } catch (error) {
      if (error instanceof KubeApiError && error.status === 404) return undefined;
      throw error;
    }
  }

  /** Creates a Lease (409 AlreadyExists when another replica was faster). */
  async createLease(namespace: string, lease: KubeObject): Promise<KubeObject> {
    return (await this.call(
      { verb: "create", resource: "leases.coordination.k8s.io", namespace, name: lease.metadata.name ?? "" },
      async () =>
        wireJson(
          await this.coordination.createNamespacedLeaseWithHttpInfo({ namespace, body: lease as never }),
        ),
    )) as KubeObject;
  }

  /** Replaces a Lease; its metadata.resourceVersion makes it conditional (409 Conflict when stale). */
  async replaceLease(namespace: string, lease: KubeObject): Promise<KubeObject> {
    const name = lease.metadata.name ?? "";
    return (await this.call(
      { verb: "update", resource: "leases.coordination.k8s.io", namespace, name },
      async () =>
        wireJson(
          await this.coordination.replaceNamespacedLeaseWithHttpInfo({
            namespace,
            name,
            body: lease as never,
          }),
        ),
    )) as KubeObject;
  }

  /**
   * Replaces the status of a cluster-scoped custom resource (PUT .../status); `object.metadata.resourceVersion`
   * makes it conditional, so a status computed from a stale read is refused (409) and recomputed.
   */
  async replaceClusterCustomStatus(
    group: string,
    version: string,
    plural: string,
    object: KubeObject,
  ): Promise<KubeObject> {
    const name = object.metadata.name ?? "";
    return (await this.call({ verb: "update", resource: `${plural}.${group}/status`, name }, async () =>
      wireJson(
        await this.custom.replaceClusterCustomObjectStatusWithHttpInfo({
          group,
          version,
          plural,
          name,
          body: object,
        }),
      ),
    )) as KubeObject;
  }

  /** Creates a core/v1 Event. */
  async createEvent(namespace: string, event: KubeObject): Promise<void> {
    await this.call({ verb: "create", resource: "events", namespace }, async () =>
      wireJson(await this.coreApi.createNamespacedEventWithHttpInfo({ namespace, body: event as never })),
    );
  }
}
