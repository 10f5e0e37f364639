/**
 * The Evidence model: everything `diagnose` may know about one Pod's image pulls. It is plain data with no
 * secret values in it (pull secrets are reduced to what `secret inspect` shows: keys, hosts, token kinds,
 * expiry, problems; passwords redacted), so it can be logged, saved with a bug report or compared in tests.
 *
 * Who fills it:
 * - `doctor POD` (live): the Kubernetes layer reads the Pod, its events, its ServiceAccount, every Secret the
 *   Pod or the ServiceAccount names, the names of the namespace's Secrets, the node (and its lease), and with
 *   `--probe` runs the registry access check; `evidenceFromObjects` (from-objects.ts) turns those API objects
 *   into this model, so the I/O edge stays thin.
 * - `explain` (offline): the text of `kubectl describe pod` or event messages fills only `pod` (partly) and
 *   `events`; everything not seen is left undefined.
 *
 * Convention: an optional field that is `undefined` means "not gathered" (unknown), never "absent". What the
 * gatherer tried and could not read (RBAC, a Pod deleted meanwhile) is listed in `gaps`, so the diagnosis can
 * say which permission is missing instead of guessing.
 */
import type { GitHubTokenFinding } from "../cloud/github/token-scopes.js";
import type { InspectProblem, InspectedEntry } from "../inspect/index.js";
import type { AccessResult } from "../registry/index.js";

export type EvidenceSource = "cluster" | "text";

export interface Evidence {
  /** Where the evidence came from: a live cluster (doctor) or pasted text (explain). */
  readonly source: EvidenceSource;
  /** The time the evidence describes; ages, expiry and clock skew are judged against it. */
  readonly now: Date;
  readonly pod: PodEvidence;
  /** The Pod's events (any order). Empty when there are none; see `gaps` when they could not be listed. */
  readonly events: readonly EventEvidence[];
  /** The Pod's ServiceAccount as it is now; undefined when not read. */
  readonly serviceAccount?: ServiceAccountEvidence;
  /**
   * Every Secret named by the Pod's or the ServiceAccount's imagePullSecrets, looked up in the Pod's namespace,
   * in the Pod's order first. undefined when the Secrets were not looked up at all.
   */
  readonly secrets?: readonly SecretEvidence[];
  /** The Secrets of the Pod's namespace (names and types only), for typo detection; undefined when not listed. */
  readonly namespaceSecrets?: readonly SecretListing[];
  /** For Secrets missing from the Pod's namespace: where else a Secret of that name exists. */
  readonly elsewhere?: readonly SecretElsewhere[];
  /** The node the Pod is scheduled on; undefined when not read (or not scheduled). */
  readonly node?: NodeEvidence;
  /** `doctor --probe`: the registry's own answer for each image, per credential kubelet would try and anonymously. */
  readonly probes?: readonly ProbeEvidence[];
  /** What the gatherer could not read, and why. */
  readonly gaps?: readonly EvidenceGap[];
}

export type PullPolicy = "Always" | "IfNotPresent" | "Never";
export type ContainerKind = "init" | "regular" | "ephemeral";

export interface PodEvidence {
  readonly name: string;
  readonly namespace: string;
  readonly uid?: string;
  readonly createdAt?: Date;
  /** spec.serviceAccountName (the API server defaults it to "default"). */
  readonly serviceAccountName?: string;
  readonly nodeName?: string;
  /** status.phase */
  readonly phase?: string;
  /** spec.imagePullSecrets[].name in order (empty names kept: kubelet skips them); undefined when unknown. */
  readonly imagePullSecrets?: readonly string[];
  /**
   * The controller to fix, since a Pod's spec is immutable: e.g. `{kind: "Deployment", name: "web"}`. The
   * gatherer resolves ReplicaSet → Deployment where it can; `via` keeps the direct owner.
   */
  readonly owner?: OwnerEvidence;
  /** True when the Pod is known to have no controller (its spec can only be changed by recreating it). */
  readonly standalone?: boolean;
  readonly containers: readonly ContainerEvidence[];
}

export interface OwnerEvidence {
  readonly kind: string;
  readonly name: string;
  /** The direct controller when `kind`/`name` is its owner (ReplicaSet `web-7d9c8b6f5` of Deployment `web`). */
  readonly via?: { readonly kind: string; readonly name: string };
}

export interface ContainerEvidence {
  readonly name: string;
  readonly kind: ContainerKind;
  /** The image exactly as in the spec (describe prints the same string). */
  readonly image: string;
  readonly imagePullPolicy?: PullPolicy;
  /** state.waiting, when the container is waiting. */
  readonly waiting?: { readonly reason: string; readonly message?: string };
  /** True when the container is running (its image was pulled). */
  readonly running?: boolean;
  /** status.imageID once pulled. */
  readonly imageID?: string;
}

export interface EventEvidence {
  /** Normal or Warning. */
  readonly type?: string;
  readonly reason: string;
  readonly message: string;
  readonly count?: number;
  readonly firstSeen?: Date;
  readonly lastSeen?: Date;
  /** involvedObject.fieldPath, e.g. `spec.containers{web}` (kubelet names the container this way). */
  readonly fieldPath?: string;
  /** The reporting node (source.host / reportingInstance). */
  readonly node?: string;
}

export interface ServiceAccountEvidence {
  readonly name: string;
  readonly imagePullSecrets: readonly string[];
  readonly createdAt?: Date;
  /** When imagePullSecrets were last written, when the gatherer can tell (managedFields). */
  readonly imagePullSecretsChangedAt?: Date;
}

export type SecretState = "found" | "missing" | "forbidden" | "error";

export interface SecretEvidence {
  readonly name: string;
  readonly namespace: string;
  readonly state: SecretState;
  /** Who names it: the Pod's imagePullSecrets, the ServiceAccount's, or both. */
  readonly referencedBy: readonly ("pod" | "serviceaccount")[];
  /** For forbidden/error: what the API server said (redacted, one line). */
  readonly detail?: string;
  readonly type?: string;
  /** Names of the data/stringData keys (never values). */
  readonly dataKeys?: readonly string[];
  readonly createdAt?: Date;
  /**
   * When its content (data, stringData or type) was last written, from managedFields (else its creation): a
   * change after kubelet's last failed pull may have fixed it. resourceVersion cannot tell: it is opaque.
   */
  readonly contentChangedAt?: Date;
  /** Set when the Secret carries a docker config key (.dockerconfigjson or .dockercfg). */
  readonly docker?: SecretDockerConfig;
}

/**
 * How kubelet treats the Secret (kubernetes pkg/credentialprovider/secrets/secrets.go `MakeDockerKeyring`):
 * - `uses`: type and key pair up and the content parses; its entries join the Pod's keyring.
 * - `ignores`: type and key do not pair (e.g. type Opaque holding .dockerconfigjson); kubelet skips the Secret.
 * - `fails`: the content cannot be decoded (malformed JSON, undecodable `auth`); kubelet fails every pull of
 *   the Pod with this Secret, whatever the image.
 */
export type KubeletSecretUse = "uses" | "ignores" | "fails";

export interface SecretDockerConfig {
  readonly key: ".dockerconfigjson" | ".dockercfg";
  readonly kubelet: KubeletSecretUse;
  /** The entries as `secret inspect` sees them (passwords redacted). Empty when unreadable. */
  readonly entries: readonly InspectedEntry[];
  readonly problems: readonly InspectProblem[];
  /** When unreadable: the parser's error code and message (no secret values). */
  readonly unreadable?: { readonly code: string; readonly message: string };
}

export interface SecretListing {
  readonly name: string;
  readonly type: string;
}

export interface SecretElsewhere {
  readonly name: string;
  readonly namespaces: readonly { readonly namespace: string; readonly type: string }[];
}

export type NodeProvider = "aks" | "azure" | "eks" | "eks-fargate" | "aws" | "gke" | "gce" | "kind" | "other";

export interface NodeEvidence {
  readonly name: string;
  readonly provider: NodeProvider;
  /** True when the provider is only inferred from the node's name (explain), not read from the node. */
  readonly inferred?: boolean;
  readonly providerID?: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly kubeletVersion?: string;
  /** `containerd://1.7.13`, `cri-o://1.30.2`, `docker://20.10.7`. */
  readonly containerRuntimeVersion?: string;
  readonly os?: string;
  readonly architecture?: string;
  /** CPU variant (`v8` for arm64), from the node's labels when present. */
  readonly variant?: string;
  readonly ready?: boolean;
  /**
   * The node's clock as seen by the API server: a heartbeat the kubelet stamped with its own clock (the node
   * Lease's renewTime, renewed every 10 s, or the Ready condition's lastHeartbeatTime), and when it was read
   * (by the API server's clock, e.g. the response Date header).
   */
  readonly clock?: {
    readonly heartbeat: Date;
    readonly observedAt: Date;
    readonly source: "lease" | "node-status";
  };
}

export type ProbeCredential =
  | { readonly kind: "anonymous" }
  | { readonly kind: "secret"; readonly secret: string; readonly key: string }
  | { readonly kind: "node"; readonly detail?: string };

export interface ProbeEvidence {
  /** The image as in the container spec. */
  readonly image: string;
  readonly credential: ProbeCredential;
  /** The access check's answer (src/registry), made from where doctor runs, not from the node. */
  readonly result: AccessResult;
  /** For a GitHub classic PAT: the scopes GitHub reports for it (X-OAuth-Scopes), when doctor asked. */
  readonly githubTokenScopes?: readonly string[];
  /** For a GitHub token sent to ghcr.io: what the GitHub API said of it (src/cloud/github), when doctor asked. */
  readonly githubTokenFindings?: readonly GitHubTokenFinding[];
}

export type GapSubject =
  | "pod"
  | "events"
  | "serviceaccount"
  | "secret"
  | "namespace-secrets"
  | "other-namespaces"
  | "node"
  | "probe";

export interface EvidenceGap {
  readonly subject: GapSubject;
  /** The object's name where one applies (a Secret's name). */
  readonly name?: string;
  readonly reason: "forbidden" | "not-found" | "error" | "skipped";
  /** The permission that would have allowed it, kubectl-style: `get secrets in namespace shop`. */
  readonly permission?: string;
  /** One line of detail (redacted). */
  readonly detail?: string;
}
