/**
 * The object graph the rules read: every audited object indexed by kind, namespace and name, with the pod
 * specs of workloads extracted (Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, Job, CronJob) and pull
 * secrets decoded once. Built in one pass; nothing here judges anything.
 */
import { POD_SPEC_LOCATIONS, isNamespacedKind } from "../kube-model/index.js";
import type { PodSpecKind } from "../kube-model/index.js";
import type { AuditObject, FieldPath, InputProblem, ObjectOrigin, ObjectRef } from "./types.js";
import { arr, dig, isRecord, record, refKey, str, stringMap } from "./objects.js";
import type { Json } from "./objects.js";

export interface GraphObject {
  /** Position in the audit input. */
  readonly index: number;
  readonly ref: ObjectRef;
  readonly raw: Json;
  readonly apiVersion?: string;
  readonly origin?: ObjectOrigin;
  readonly annotations: Readonly<Record<string, string>>;
  readonly labels: Readonly<Record<string, string>>;
  readonly uid?: string;
}

export interface ContainerRef {
  readonly group: "containers" | "initContainers" | "ephemeralContainers";
  readonly index: number;
  readonly name: string;
  readonly image: string | undefined;
  readonly spec: Json;
}

export interface PodSecretRef {
  readonly name: string;
  /** Index in the imagePullSecrets list. */
  readonly index: number;
}

/** A pod spec: a Pod's own, or the template of a workload. */
export interface PodSource {
  readonly owner: GraphObject;
  readonly namespace: string;
  /** Path of the PodSpec inside the owner object. */
  readonly specPath: FieldPath;
  readonly spec: Json;
  /** A pod template: ServiceAccount admission has yet to run for the Pods it creates. */
  readonly isTemplate: boolean;
  /** A live Pod: admission already ran (its imagePullSecrets include any the ServiceAccount gave it). */
  readonly admitted: boolean;
  readonly serviceAccount: string;
  /** True when spec.serviceAccountName (or the deprecated serviceAccount) was set. */
  readonly serviceAccountExplicit: boolean;
  readonly pullSecrets: readonly PodSecretRef[];
  readonly containers: readonly ContainerRef[];
  /** Annotations of the pod template (a workload's own are on `owner`). */
  readonly templateAnnotations: Readonly<Record<string, string>>;
  /**
   * Created by a controller that is itself in the input (a live Pod of a ReplicaSet of a Deployment): image
   * rules judge the controller's template instead, so findings are not repeated for every replica.
   */
  readonly controlled: boolean;
  /**
   * Live Pods whose controller is not among the objects (the kube layer lists Pods, not ReplicaSets): the
   * replicas of one controller are judged once, on the first by name, which carries the controller here.
   */
  readonly replicaOf?: { readonly kind: string; readonly name: string; readonly count: number };
}

export interface AuditGraph {
  readonly objects: readonly GraphObject[];
  readonly namespaces: ReadonlySet<string>;
  readonly secrets: ReadonlyMap<string, GraphObject>;
  /** Secret name → every Secret of that name, in any namespace. */
  readonly secretsByName: ReadonlyMap<string, readonly GraphObject[]>;
  readonly serviceAccounts: ReadonlyMap<string, GraphObject>;
  readonly podSources: readonly PodSource[];
  readonly configMaps: readonly GraphObject[];
  readonly roles: ReadonlyMap<string, GraphObject>;
  readonly clusterRoles: ReadonlyMap<string, GraphObject>;
  readonly roleBindings: readonly GraphObject[];
  readonly clusterRoleBindings: readonly GraphObject[];
  readonly encryptionConfigs: readonly GraphObject[];
  readonly inputProblems: readonly InputProblem[];
}

export function nsKey(namespace: string, name: string): string {
  return `${namespace}/${name}`;
}

/**
 * The kinds whose Pod specs the audit reads (where each keeps it: kube-model). ReplicationControllers, which
 * ReplicaSets replaced, are not among them.
 */
const WORKLOAD_KINDS: ReadonlySet<string> = new Set<PodSpecKind>([
  "Pod",
  "Deployment",
  "StatefulSet",
  "DaemonSet",
  "ReplicaSet",
  "Job",
  "CronJob",
]);

const AUDITED_KINDS = new Set([
  ...WORKLOAD_KINDS,
  "Secret",
  "ServiceAccount",
  "ConfigMap",
  "Role",
  "ClusterRole",
  "RoleBinding",
  "ClusterRoleBinding",
]);

/** The audited kinds that control Pods: every workload kind but Pod. */
const CONTROLLER_KINDS = new Set([...WORKLOAD_KINDS].filter((kind) => kind !== "Pod"));

export interface GraphOptions {
  readonly mode: "files" | "cluster";
  readonly defaultNamespace: string;
}

function where(origin: ObjectOrigin | undefined): string {
  return origin ? `${origin.file}:${origin.line}` : "cluster object";
}

export function buildGraph(input: readonly AuditObject[], options: GraphOptions): AuditGraph {
  const objects: GraphObject[] = [];
  const inputProblems: InputProblem[] = [];
  const namespaces = new Set<string>();
  const secrets = new Map<string, GraphObject>();
  const secretsByName = new Map<string, GraphObject[]>();
  const serviceAccounts = new Map<string, GraphObject>();
  const configMaps: GraphObject[] = [];
  const roles = new Map<string, GraphObject>();
  const clusterRoles = new Map<string, GraphObject>();
  const roleBindings: GraphObject[] = [];
  const clusterRoleBindings: GraphObject[] = [];
  const encryptionConfigs: GraphObject[] = [];
  const workloads: GraphObject[] = [];

  input.forEach((item, index) => {
    const raw = item.object;
    if (!isRecord(raw)) {
      if (raw !== null && raw !== undefined && typeof raw !== "string") {
        inputProblems.push({
          severity: "warning",
          source: item.origin?.file ?? "cluster",
          ...(item.origin ? { line: item.origin.line } : {}),
          message: `${where(item.origin)}: document is not an object (${Array.isArray(raw) ? "a list" : typeof raw}); skipped`,
        });
      }
      return;
    }
    const kind = str(raw["kind"]);
    if (kind === undefined || kind === "") return; // not a Kubernetes object (a values file, a kustomization)
    const metadata = record(raw["metadata"]);
    let name = str(metadata?.["name"]);
    const generateName = str(metadata?.["generateName"]);
    if (name === undefined || name === "") {
      // Only the kinds the audit reads need a name; config files (EncryptionConfiguration, kustomizations) have none.
      if (AUDITED_KINDS.has(kind)) {
        if (generateName !== undefined && generateName !== "") {
          name = `${generateName}*`;
        } else {
          inputProblems.push({
            severity: "warning",
            source: item.origin?.file ?? "cluster",
            ...(item.origin ? { line: item.origin.line } : {}),
            message: `${where(item.origin)}: ${kind} has no metadata.name; audited as "(unnamed)"`,
          });
          name = "(unnamed)";
        }
      }
      // A nameless config file (EncryptionConfiguration) is known by its file name.
      name = name || (item.origin ? baseName(item.origin.file) : "(unnamed)");
    }
    const namespaced = isNamespacedKind(kind);
    const explicitNamespace = str(metadata?.["namespace"]);
    let namespace: string | undefined;
    let namespaceDefaulted = false;
    if (namespaced) {
      if (explicitNamespace !== undefined && explicitNamespace !== "") namespace = explicitNamespace;
      else {
        namespace = options.defaultNamespace;
        namespaceDefaulted = options.mode === "files";
      }
      namespaces.add(namespace);
    } else if (kind === "Namespace") {
      namespaces.add(name);
    }
    const ref: ObjectRef = {
      kind,
      ...(namespace !== undefined ? { namespace } : {}),
      name,
      ...(namespaceDefaulted ? { namespaceDefaulted } : {}),
    };
    const apiVersion = str(raw["apiVersion"]);
    const uid = str(metadata?.["uid"]);
    const node: GraphObject = {
      index,
      ref,
      raw,
      ...(apiVersion !== undefined ? { apiVersion } : {}),
      ...(item.origin ? { origin: item.origin } : {}),
      annotations: stringMap(metadata?.["annotations"]),
      labels: stringMap(metadata?.["labels"]),
      ...(uid !== undefined ? { uid } : {}),
    };
    objects.push(node);
    const key = namespace !== undefined ? nsKey(namespace, name) : name;
    switch (kind) {
      case "Secret": {
        secrets.set(key, node);
        const list = secretsByName.get(name);
        if (list) list.push(node);
        else secretsByName.set(name, [node]);
        break;
      }
      case "ServiceAccount":
        serviceAccounts.set(key, node);
        break;
      case "ConfigMap":
        configMaps.push(node);
        break;
      case "Role":
        if (isRbac(apiVersion)) roles.set(key, node);
        break;
      case "ClusterRole":
        if (isRbac(apiVersion)) clusterRoles.set(key, node);
        break;
      case "RoleBinding":
        if (isRbac(apiVersion)) roleBindings.push(node);
        break;
      case "ClusterRoleBinding":
        if (isRbac(apiVersion)) clusterRoleBindings.push(node);
        break;
      case "EncryptionConfiguration":
        encryptionConfigs.push(node);
        break;
      default:
        if (WORKLOAD_KINDS.has(kind)) workloads.push(node);
    }
  });

  const present = indexControllers(workloads);
  const podSources: PodSource[] = [];
  for (const workload of workloads) {
    const source = podSourceOf(workload, options, present);
    if (source) podSources.push(source);
  }
  const grouped = options.mode === "cluster" ? groupReplicas(podSources) : podSources;
  return {
    objects,
    namespaces,
    secrets,
    secretsByName,
    serviceAccounts,
    podSources: grouped,
    configMaps,
    roles,
    clusterRoles,
    roleBindings,
    clusterRoleBindings,
    encryptionConfigs,
    inputProblems,
  };
}

function isRbac(apiVersion: string | undefined): boolean {
  return apiVersion === undefined || apiVersion.startsWith("rbac.authorization.k8s.io/");
}

interface ControllerIndex {
  readonly uids: ReadonlySet<string>;
  readonly names: ReadonlySet<string>;
}

function indexControllers(workloads: readonly GraphObject[]): ControllerIndex {
  const uids = new Set<string>();
  const names = new Set<string>();
  for (const workload of workloads) {
    if (!CONTROLLER_KINDS.has(workload.ref.kind)) continue;
    if (workload.uid) uids.add(workload.uid);
    names.add(refKey(workload.ref));
  }
  return { uids, names };
}

/** Whether the object's controller (ownerReferences with controller: true) is among the audited objects. */
function isControlled(object: GraphObject, present: ControllerIndex): boolean {
  for (const owner of arr(dig(object.raw, "metadata", "ownerReferences"))) {
    if (!isRecord(owner) || owner["controller"] !== true) continue;
    const uid = str(owner["uid"]);
    if (uid !== undefined && present.uids.has(uid)) return true;
    const kind = str(owner["kind"]);
    const name = str(owner["name"]);
    if (kind && name && present.names.has(refKey({ kind, namespace: object.ref.namespace ?? "", name })))
      return true;
  }
  return false;
}

/** The controller (ownerReferences with controller: true) of a Pod, when it is not itself audited. */
function absentController(pod: PodSource): { uid: string; kind: string; name: string } | undefined {
  if (pod.owner.ref.kind !== "Pod" || pod.controlled) return undefined;
  for (const owner of arr(dig(pod.owner.raw, "metadata", "ownerReferences"))) {
    if (!isRecord(owner) || owner["controller"] !== true) continue;
    const uid = str(owner["uid"]);
    const kind = str(owner["kind"]);
    const name = str(owner["name"]);
    if (uid && kind && name) return { uid, kind, name };
  }
  return undefined;
}

/** Marks all but one replica of each absent controller as controlled, so findings are not repeated per replica. */
function groupReplicas(pods: readonly PodSource[]): PodSource[] {
  const groups = new Map<string, PodSource[]>();
  for (const pod of pods) {
    const controller = absentController(pod);
    if (!controller) continue;
    const key = `${pod.namespace}/${controller.uid}`;
    const group = groups.get(key);
    if (group) group.push(pod);
    else groups.set(key, [pod]);
  }
  const replaced = new Map<PodSource, PodSource>();
  for (const group of groups.values()) {
    group.sort((a, b) =>
      a.owner.ref.name < b.owner.ref.name ? -1 : a.owner.ref.name > b.owner.ref.name ? 1 : 0,
    );
    const controller = absentController(group[0] as PodSource);
    if (!controller) continue;
    group.forEach((pod, index) =>
      replaced.set(
        pod,
        index === 0
          ? { ...pod, replicaOf: { kind: controller.kind, name: controller.name, count: group.length } }
          : { ...pod, controlled: true },
      ),
    );
  }
  return pods.map((pod) => replaced.get(pod) ?? pod);
}

function podSourceOf(
  owner: GraphObject,
  options: GraphOptions,
  present: ControllerIndex,
): PodSource | undefined {
  const specPath = POD_SPEC_LOCATIONS[owner.ref.kind as PodSpecKind].path;
  const spec = record(dig(owner.raw, ...specPath));
  if (!spec) return undefined;
  const isPod = owner.ref.kind === "Pod";
  const templatePath = specPath.slice(0, -1);
  const templateAnnotations = isPod
    ? {}
    : stringMap(dig(owner.raw, ...templatePath, "metadata", "annotations"));
  const saName = str(spec["serviceAccountName"]) || str(spec["serviceAccount"]);
  const pullSecrets: PodSecretRef[] = [];
  arr(spec["imagePullSecrets"]).forEach((entry, index) => {
    // kubelet skips entries with an empty name; a bare string is a common mistake the API server rejects.
    const name = isRecord(entry) ? str(entry["name"]) : undefined;
    pullSecrets.push({ name: name ?? "", index });
  });
  const containers: ContainerRef[] = [];
  for (const group of ["initContainers", "containers", "ephemeralContainers"] as const) {
    arr(spec[group]).forEach((container, index) => {
      if (!isRecord(container)) return;
      containers.push({
        group,
        index,
        name: str(container["name"]) ?? `#${index}`,
        image: str(container["image"]),
        spec: container,
      });
    });
  }
  return {
    owner,
    namespace: owner.ref.namespace ?? options.defaultNamespace,
    specPath,
    spec,
    isTemplate: !isPod,
    admitted: isPod && options.mode === "cluster",
    serviceAccount: saName || "default",
    serviceAccountExplicit: Boolean(saName),
    pullSecrets,
    containers,
    templateAnnotations,
    controlled: isControlled(owner, present),
  };
}

function baseName(file: string): string {
  const slash = Math.max(file.lastIndexOf("/"), file.lastIndexOf("\\"));
  return file.slice(slash + 1);
}
