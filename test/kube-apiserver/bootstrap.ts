// What a fresh cluster has before any test object: the system namespaces (each with its `default`
// ServiceAccount and `kube-root-ca.crt` ConfigMap, made by the controllers) and the default user-facing
// ClusterRoles (simplified rule sets of cluster-admin, admin, edit and view).
import type { KubeObject } from "./types.js";

export const SYSTEM_NAMESPACES = ["default", "kube-node-lease", "kube-public", "kube-system"];

const READ = ["get", "list", "watch"];
const WRITE = ["create", "delete", "deletecollection", "patch", "update"];
const WORKLOADS = ["pods", "configmaps", "serviceaccounts", "events", "persistentvolumeclaims", "services"];

function clusterRole(name: string, rules: KubeObject["rules"]): KubeObject {
  return {
    apiVersion: "rbac.authorization.k8s.io/v1",
    kind: "ClusterRole",
    metadata: { name, labels: { "kubernetes.io/bootstrapping": "rbac-defaults" } },
    rules,
  };
}

export function defaultClusterRoles(): KubeObject[] {
  return [
    clusterRole("cluster-admin", [
      { apiGroups: ["*"], resources: ["*"], verbs: ["*"] },
      { nonResourceURLs: ["*"], verbs: ["*"] },
    ]),
    clusterRole("admin", [
      {
        apiGroups: ["", "apps", "coordination.k8s.io"],
        resources: [...WORKLOADS, "secrets", "leases", "deployments", "replicasets"],
        verbs: [...READ, ...WRITE],
      },
      {
        apiGroups: ["rbac.authorization.k8s.io"],
        resources: ["roles", "rolebindings"],
        verbs: [...READ, ...WRITE],
      },
    ]),
    clusterRole("edit", [
      {
        apiGroups: ["", "apps"],
        resources: [...WORKLOADS, "secrets", "deployments", "replicasets"],
        verbs: [...READ, ...WRITE],
      },
    ]),
    clusterRole("view", [
      {
        apiGroups: ["", "apps"],
        resources: [...WORKLOADS, "namespaces", "deployments", "replicasets"],
        verbs: READ,
      },
    ]),
  ];
}
