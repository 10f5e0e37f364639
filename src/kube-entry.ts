/**
 * `pullwarden/kube`, the cluster side of the library: kubeconfig loading, the Kubernetes client, reading the
 * objects audit and doctor work on, and apply. Importing it loads @kubernetes/client-node; the pure core is
 * `pullwarden` (src/index.ts), whose types these signatures use. docs/library.md has an example per group.
 */

// Kubeconfig and connection: kubectl's loading rules (KUBECONFIG, --kubeconfig, --context, in-cluster).
export { loadKubeConfig } from "./kube/index.js";
export type { KubeConnectionOptions, KubeTarget, LoadedKubeConfig } from "./kube/index.js";

// The client: bounded requests, errors that say what to do (KubeForbiddenError names the kubectl auth can-i).
export {
  DEFAULT_KUBE_TIMEOUTS,
  KubeApiError,
  KubeClient,
  KubeConfigError,
  KubeError,
  KubeForbiddenError,
  KubeNamespaceTerminatingError,
  KubeTimeoutError,
  KubeUnreachableError,
} from "./kube/index.js";
export type {
  DeletePreconditions,
  KubeRequestInfo,
  KubeRequestPhase,
  KubeStatus,
  KubeTimeoutBound,
  KubeTimeoutDetail,
  KubeTimeouts,
  ListOptions,
  RequestCounts,
  WriteOptions,
} from "./kube/index.js";
// Kubernetes objects as the client reads and writes them.
export type {
  ClusterObjectKind,
  ContainerSpec,
  JsonPatchOperation,
  KubeObject,
  LocalObjectReference,
  NamespaceObject,
  ObjectMeta,
  OwnerReference,
  PodSpec,
  SecretObject,
  ServiceAccountObject,
  WorkloadKind,
  WorkloadObject,
} from "./kube/index.js";

// The objects `audit --cluster` reads (Pods, workloads, ServiceAccounts, Secrets, RBAC, ...), tolerant of 403s.
export { loadClusterObjects } from "./kube/index.js";
export type {
  ClusterObjects,
  ClusterObjectsFailure,
  ClusterObjectsProgress,
  LoadClusterObjectsOptions,
} from "./kube/index.js";

// Apply: pull secrets and ServiceAccount bindings into namespaces, idempotently, with dry runs and pruning.
export { applyPullSetup, applyResolvedPullSetup, renderDiff } from "./apply/index.js";
export type {
  ApplyOptions,
  ApplyProgress,
  ApplyPullSetupOptions,
  ApplyItemResult,
  ApplyResult,
  ApplySummary,
  CredentialResolver,
  DryRun,
  ItemStatus,
  ListScope,
  ResolvedPullSecretSpec,
} from "./apply/index.js";
// The actions apply plans (renderDiff shows them).
export type { Action, NoteAction, StuckPodSkip, WriteAction } from "./apply/index.js";
