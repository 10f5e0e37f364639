/**
 * Kubernetes objects as plain JSON (what `kubectl get -o json` prints), for the kinds pullwarden reads. Only the
 * fields pullwarden uses are typed; everything else is kept as it came. No client-node types leak out of kube/.
 */

export interface OwnerReference {
  readonly apiVersion: string;
  readonly kind: string;
  readonly name: string;
  readonly uid: string;
  readonly controller?: boolean;
  readonly blockOwnerDeletion?: boolean;
}

export interface ObjectMeta {
  readonly name?: string;
  readonly generateName?: string;
  readonly namespace?: string;
  readonly uid?: string;
  readonly resourceVersion?: string;
  readonly creationTimestamp?: string;
  readonly deletionTimestamp?: string;
  readonly labels?: Readonly<Record<string, string>>;
  readonly annotations?: Readonly<Record<string, string>>;
  readonly ownerReferences?: readonly OwnerReference[];
  readonly [field: string]: unknown;
}

export interface KubeObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: ObjectMeta;
  readonly [field: string]: unknown;
}

export interface LocalObjectReference {
  readonly name?: string;
}

export interface SecretObject extends KubeObject {
  readonly type?: string;
  /** Values are base64, as on the wire. */
  readonly data?: Readonly<Record<string, string>>;
  readonly immutable?: boolean;
}

export interface ServiceAccountObject extends KubeObject {
  /** Absent and empty are different on the wire (and for a JSON patch `test`). */
  readonly imagePullSecrets?: readonly LocalObjectReference[];
  readonly secrets?: readonly unknown[];
  readonly automountServiceAccountToken?: boolean;
}

export interface ContainerSpec {
  readonly name: string;
  readonly image?: string;
  readonly [field: string]: unknown;
}

export interface PodSpec {
  readonly serviceAccountName?: string;
  readonly imagePullSecrets?: readonly LocalObjectReference[];
  readonly containers?: readonly ContainerSpec[];
  readonly initContainers?: readonly ContainerSpec[];
  readonly nodeName?: string;
  readonly [field: string]: unknown;
}

export interface ContainerStatus {
  readonly name: string;
  readonly image?: string;
  readonly state?: {
    readonly waiting?: { readonly reason?: string; readonly message?: string };
    readonly running?: unknown;
    readonly terminated?: unknown;
  };
  readonly [field: string]: unknown;
}

export interface PodObject extends KubeObject {
  readonly spec?: PodSpec;
  readonly status?: {
    readonly phase?: string;
    readonly containerStatuses?: readonly ContainerStatus[];
    readonly initContainerStatuses?: readonly ContainerStatus[];
    readonly [field: string]: unknown;
  };
}

export interface NamespaceObject extends KubeObject {
  readonly status?: { readonly phase?: string };
}

/** A workload controller (ReplicaSet, StatefulSet, DaemonSet, Job, ReplicationController) with a Pod template. */
export interface WorkloadObject extends KubeObject {
  readonly spec?: {
    readonly template?: { readonly metadata?: ObjectMeta; readonly spec?: PodSpec };
    readonly [field: string]: unknown;
  };
}

/** The kinds `loadClusterObjects` lists. */
export const CLUSTER_OBJECT_KINDS = [
  "Namespace",
  "Pod",
  "ServiceAccount",
  "Secret",
  "Event",
  "Node",
  "ConfigMap",
  "Role",
  "RoleBinding",
  "ClusterRole",
  "ClusterRoleBinding",
] as const;
export type ClusterObjectKind = (typeof CLUSTER_OBJECT_KINDS)[number];

/** Workload kinds whose Pod template `getWorkload` reads (a Pod's controller). */
export const WORKLOAD_KINDS = [
  "ReplicaSet",
  "StatefulSet",
  "DaemonSet",
  "Job",
  "ReplicationController",
] as const;
export type WorkloadKind = (typeof WORKLOAD_KINDS)[number];

export interface KindInfo {
  readonly apiVersion: string;
  /** Plural, with `.group` for named groups (as `kubectl auth can-i` wants it). */
  readonly resource: string;
  readonly namespaced: boolean;
}

export const KIND_INFO: Readonly<Record<ClusterObjectKind | WorkloadKind, KindInfo>> = {
  Namespace: { apiVersion: "v1", resource: "namespaces", namespaced: false },
  Pod: { apiVersion: "v1", resource: "pods", namespaced: true },
  ServiceAccount: { apiVersion: "v1", resource: "serviceaccounts", namespaced: true },
  Secret: { apiVersion: "v1", resource: "secrets", namespaced: true },
  Event: { apiVersion: "v1", resource: "events", namespaced: true },
  Node: { apiVersion: "v1", resource: "nodes", namespaced: false },
  ConfigMap: { apiVersion: "v1", resource: "configmaps", namespaced: true },
  Role: {
    apiVersion: "rbac.authorization.k8s.io/v1",
    resource: "roles.rbac.authorization.k8s.io",
    namespaced: true,
  },
  RoleBinding: {
    apiVersion: "rbac.authorization.k8s.io/v1",
    resource: "rolebindings.rbac.authorization.k8s.io",
    namespaced: true,
  },
  ClusterRole: {
    apiVersion: "rbac.authorization.k8s.io/v1",
    resource: "clusterroles.rbac.authorization.k8s.io",
    namespaced: false,
  },
  ClusterRoleBinding: {
    apiVersion: "rbac.authorization.k8s.io/v1",
    resource: "clusterrolebindings.rbac.authorization.k8s.io",
    namespaced: false,
  },
  ReplicaSet: { apiVersion: "apps/v1", resource: "replicasets.apps", namespaced: true },
  StatefulSet: { apiVersion: "apps/v1", resource: "statefulsets.apps", namespaced: true },
  DaemonSet: { apiVersion: "apps/v1", resource: "daemonsets.apps", namespaced: true },
  Job: { apiVersion: "batch/v1", resource: "jobs.batch", namespaced: true },
  ReplicationController: { apiVersion: "v1", resource: "replicationcontrollers", namespaced: true },
};

/** One operation of a JSON patch (RFC 6902). */
export type JsonPatchOperation =
  | { readonly op: "add" | "replace" | "test"; readonly path: string; readonly value: unknown }
  | { readonly op: "remove"; readonly path: string };

/** Escapes a key for a JSON pointer (`/` → `~1`, `~` → `~0`). */
export function jsonPointerSegment(key: string): string {
  return key.replace(/~/g, "~0").replace(/\//g, "~1");
}
