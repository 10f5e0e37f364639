/**
 * Where each workload kind keeps its Pod spec, and what can be done with it. A Pod's spec is its own; a
 * controller keeps a Pod template (a CronJob one level deeper, in its Job template), and the Pods it creates
 * take their spec from it.
 */

export interface PodSpecLocation {
  /** Field path from the object to its Pod spec. */
  readonly path: readonly string[];
  /**
   * Whether the Pod spec can be changed in place. The API server refuses a change to a Pod's `imagePullSecrets`
   * and to a Job's Pod template (both immutable): such an object must be recreated.
   */
  readonly mutable: boolean;
  /** Whether `kubectl rollout restart` replaces its Pods (Deployments, StatefulSets and DaemonSets only). */
  readonly rolloutRestart: boolean;
}

const TEMPLATE_SPEC = ["spec", "template", "spec"] as const;

export const POD_SPEC_LOCATIONS = {
  Pod: { path: ["spec"], mutable: false, rolloutRestart: false },
  Deployment: { path: TEMPLATE_SPEC, mutable: true, rolloutRestart: true },
  StatefulSet: { path: TEMPLATE_SPEC, mutable: true, rolloutRestart: true },
  DaemonSet: { path: TEMPLATE_SPEC, mutable: true, rolloutRestart: true },
  ReplicaSet: { path: TEMPLATE_SPEC, mutable: true, rolloutRestart: false },
  ReplicationController: { path: TEMPLATE_SPEC, mutable: true, rolloutRestart: false },
  Job: { path: TEMPLATE_SPEC, mutable: false, rolloutRestart: false },
  CronJob: {
    path: ["spec", "jobTemplate", "spec", "template", "spec"],
    mutable: true,
    rolloutRestart: false,
  },
} as const satisfies Readonly<Record<string, PodSpecLocation>>;

/** A kind that holds a Pod spec: a Pod or a workload controller with a Pod template. */
export type PodSpecKind = keyof typeof POD_SPEC_LOCATIONS;

export function isPodSpecKind(kind: string): kind is PodSpecKind {
  return Object.hasOwn(POD_SPEC_LOCATIONS, kind);
}

/** Where `kind` keeps its Pod spec; undefined for a kind that holds none. */
export function podSpecLocation(kind: string): PodSpecLocation | undefined {
  return isPodSpecKind(kind) ? POD_SPEC_LOCATIONS[kind] : undefined;
}

/** `{ spec: { template: { spec: podSpec } } }` for a Deployment: a partial object (a merge patch) holding `podSpec`. */
export function nestAtPodSpec(kind: PodSpecKind, podSpec: object): object {
  return POD_SPEC_LOCATIONS[kind].path.reduceRight<object>((inner, field) => ({ [field]: inner }), podSpec);
}

/** The container lists of a Pod spec, in the order kubelet starts them, with their status lists. */
export const CONTAINER_GROUPS = {
  init: { field: "initContainers", statusField: "initContainerStatuses", noun: "init container" },
  regular: { field: "containers", statusField: "containerStatuses", noun: "container" },
  ephemeral: {
    field: "ephemeralContainers",
    statusField: "ephemeralContainerStatuses",
    noun: "ephemeral container",
  },
} as const;
export type ContainerGroup = keyof typeof CONTAINER_GROUPS;

/** The group whose Pod spec field is `field` (`initContainers` → `init`). */
export function containerGroupOfField(field: string): ContainerGroup | undefined {
  return (Object.keys(CONTAINER_GROUPS) as ContainerGroup[]).find(
    (group) => CONTAINER_GROUPS[group].field === field,
  );
}
