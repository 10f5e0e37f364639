// The Kubernetes client edge: the only importer of @kubernetes/client-node (dependency-cruiser enforces it).
// What pullwarden knows about Kubernetes objects without a client is kube-model/.
export { KubeClient } from "./client.js";
export type { DeletePreconditions, ListOptions, RequestCounts, WriteOptions } from "./client.js";
export { loadClusterObjects } from "./cluster-objects.js";
export type {
  ClusterObjects,
  ClusterObjectsFailure,
  ClusterObjectsProgress,
  LoadClusterObjectsOptions,
} from "./cluster-objects.js";
export {
  KubeApiError,
  KubeConfigError,
  KubeError,
  KubeForbiddenError,
  KubeNamespaceTerminatingError,
  KubeTimeoutError,
  KubeUnreachableError,
} from "./errors.js";
export type {
  KubeRequestInfo,
  KubeRequestPhase,
  KubeStatus,
  KubeTimeoutBound,
  KubeTimeoutDetail,
} from "./errors.js";
export { DEFAULT_KUBE_TIMEOUTS } from "./http.js";
export type { KubeTimeouts } from "./http.js";
export { loadKubeConfig } from "./kubeconfig.js";
export type { KubeConnectionOptions, KubeTarget, LoadedKubeConfig } from "./kubeconfig.js";
// The object types of the client's signatures (defined in kube-model/, with the rest of the pure model).
export type {
  ClusterObjectKind,
  ContainerSpec,
  JsonPatchOperation,
  KubeObject,
  LocalObjectReference,
  NamespaceObject,
  ObjectMeta,
  OwnerReference,
  PodObject,
  PodSpec,
  SecretObject,
  ServiceAccountObject,
  WorkloadKind,
  WorkloadObject,
} from "../kube-model/index.js";
export { defaultDelayMs, isTransient } from "./retry.js";
export { ControllerKubeClient } from "./controller-client.js";
export type { WatchedResource } from "./controller-client.js";
export { ResilientInformer } from "./informer.js";
export { NamespacedInformers } from "./namespaced-informers.js";
