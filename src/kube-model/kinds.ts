/**
 * Kinds: which ones pullwarden lists from a cluster, their API versions and resources, and which are
 * cluster-scoped.
 */

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

/** The kinds that own Pods directly (a Pod's controller), whose Pod template `KubeClient.getWorkload` reads. */
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

/**
 * Cluster-scoped kinds (no `metadata.namespace`): the built-in ones and those of common add-ons. Any other kind
 * is taken as namespaced, as most custom resources are.
 */
export const CLUSTER_SCOPED_KINDS: ReadonlySet<string> = new Set([
  "Namespace",
  "Node",
  "ClusterRole",
  "ClusterRoleBinding",
  "CustomResourceDefinition",
  "PersistentVolume",
  "StorageClass",
  "PriorityClass",
  "APIService",
  "MutatingWebhookConfiguration",
  "ValidatingWebhookConfiguration",
  "ValidatingAdmissionPolicy",
  "ValidatingAdmissionPolicyBinding",
  "IngressClass",
  "RuntimeClass",
  "CSIDriver",
  "CSINode",
  "PodSecurityPolicy",
  "SecurityContextConstraints",
  "ClusterIssuer",
  "ClusterPolicy",
  "EncryptionConfiguration",
]);

export function isNamespacedKind(kind: string): boolean {
  return !CLUSTER_SCOPED_KINDS.has(kind);
}
