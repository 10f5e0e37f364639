// The Kubernetes model: what pullwarden knows about Kubernetes objects, without a client. Pure; every layer may
// use it, and nothing here may reach @kubernetes/client-node (dependency-cruiser enforces it). The client edge
// is kube/.
export type {
  ContainerSpec,
  KubeObject,
  LocalObjectReference,
  NamespaceObject,
  ObjectMeta,
  OwnerReference,
  PodObject,
  PodSpec,
  SecretObject,
  ServiceAccountObject,
  WorkloadObject,
} from "./objects.js";
export {
  CLUSTER_OBJECT_KINDS,
  CLUSTER_SCOPED_KINDS,
  KIND_INFO,
  WORKLOAD_KINDS,
  isNamespacedKind,
} from "./kinds.js";
export type { ClusterObjectKind, WorkloadKind } from "./kinds.js";
export {
  CONTAINER_GROUPS,
  POD_SPEC_LOCATIONS,
  containerGroupOfField,
  isPodSpecKind,
  nestAtPodSpec,
  podSpecLocation,
} from "./pod-specs.js";
export type { PodSpecKind } from "./pod-specs.js";
export {
  IMAGE_PULL_EVENT_REASONS,
  IMAGE_PULL_WAITING_REASONS,
  PULL_RETRYING_REASONS,
  REGISTRY_PULL_FAILURE_REASONS,
} from "./pull-reasons.js";
export {
  DNS1123_LABEL_CHAR,
  DNS1123_LABEL_PATTERN,
  DNS1123_SUBDOMAIN_CHAR,
  DNS1123_SUBDOMAIN_MAX_LENGTH,
  DNS1123_SUBDOMAIN_PATTERN,
  dns1123LabelShapeProblems,
  dns1123SubdomainShapeProblems,
  isDns1123Label,
  isDns1123Subdomain,
  qualifiedNameProblems,
  toDns1123Label,
  toDns1123Subdomain,
} from "./names.js";
export { jsonPointer, jsonPointerSegment, parseJsonPointer } from "./json-patch.js";
export type { JsonPatchOperation } from "./json-patch.js";
export { labelSelectorMatches } from "./label-selector.js";
export type { LabelSelector, LabelSelectorOperator, LabelSelectorRequirement } from "./label-selector.js";
