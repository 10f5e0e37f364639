/**
 * Kubernetes objects as plain JSON (what `kubectl get -o json` prints), for the kinds pullwarden reads. Only the
 * fields pullwarden uses are typed; everything else is kept as it came. These are the types every layer shares
 * (kube/ returns them, apply and doctor read them); no client-node type appears in them.
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
