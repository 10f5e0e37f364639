/**
 * The controller's custom resources (API group pullwarden.io, version v1alpha1), the same model as the layout's:
 * a credential's source is a `CredentialSource` of ./model.ts (the ECR and ACR kinds are the layout's
 * `cloud-token`; a static credential is a pull secret the controller reads), and a binding says what a layout's
 * `PullSecretSpec` says (a Secret name, namespaces by name or label selector, ServiceAccounts), for one or more
 * credentials. The CRDs' OpenAPI schemas (src/controller/crds.ts) are checked against these types by a test.
 *
 * - `ClusterPullCredential` (cluster-scoped): one credential, minted or read once and fanned out to every
 *   namespace a binding selects (never once per namespace).
 * - `ClusterPullSecretBinding` (cluster-scoped): where credentials go. Cluster-scoped on purpose: a namespaced
 *   binding would let anyone who can create one in their namespace copy a cluster credential into it.
 */
import type { KubeObject, LabelSelector } from "../kube-model/index.js";

export const CONTROLLER_API_GROUP = "pullwarden.io";
export const CREDENTIAL_KIND = "ClusterPullCredential";
export const CREDENTIAL_PLURAL = "clusterpullcredentials";
export const BINDING_KIND = "ClusterPullSecretBinding";
export const BINDING_PLURAL = "clusterpullsecretbindings";

/** Where a credential comes from: exactly one of the three. */
export interface CredentialSourceSpec {
  /**
   * A `kubernetes.io/dockerconfigjson` Secret in the controller's own namespace (only there: a credential may
   * not copy an arbitrary Secret of the cluster into other namespaces). Every registry it holds is served;
   * re-read when it changes.
   */
  readonly static?: { readonly secretRef: { readonly name: string } };
  /** An ECR authorization token (12 hours), minted with the controller's AWS identity. */
  readonly ecr?: { readonly registry: string; readonly region?: string };
  /** An ACR refresh token (about 3 hours), minted with the controller's Azure identity. */
  readonly acr?: { readonly registry: string };
}

export interface RefreshPolicySpec {
  /** Refresh when this fraction of the credential's lifetime has passed (default 0.5, as msi-acrpull). */
  readonly rotationFraction?: number;
  /** ± this fraction of the lifetime, so credentials minted together do not refresh together (default 0.1). */
  readonly jitterFraction?: number;
  /** Refresh at the latest when this much lifetime remains (Go duration, default 30m). */
  readonly minRemaining?: string;
  /** A credential without a known expiry is re-read and re-verified this often (Go duration, default 1h). */
  readonly recheckInterval?: string;
}

export interface VerifySpec {
  /** Check that this image can be pulled with the new credential; without it, the registry's ping is used. */
  readonly image?: string;
}

export interface ClusterPullCredentialSpec {
  readonly source: CredentialSourceSpec;
  readonly refresh?: RefreshPolicySpec;
  readonly verify?: VerifySpec;
}

/** metav1.Condition. */
export interface Condition {
  readonly type: string;
  readonly status: "True" | "False" | "Unknown";
  readonly observedGeneration?: number;
  /** RFC 3339 (seconds). */
  readonly lastTransitionTime: string;
  readonly reason: string;
  readonly message: string;
}

export interface ClusterPullCredentialStatus {
  readonly observedGeneration?: number;
  readonly conditions?: readonly Condition[];
  /** The registries the served credential covers. */
  readonly registries?: readonly string[];
  /** When the served credential stops working (absent: no known expiry). */
  readonly expiresAt?: string;
  /** When the served credential was swapped in. */
  readonly lastRefreshTime?: string;
  readonly nextRefreshTime?: string;
  /** sha256 prefix of the served payload: tells two credentials apart, reveals nothing. */
  readonly fingerprint?: string;
}

export interface ClusterPullCredential extends KubeObject {
  readonly spec: ClusterPullCredentialSpec;
  readonly status?: ClusterPullCredentialStatus;
}

export interface NamespaceSelectionSpec {
  readonly names?: readonly string[];
  /** Namespaces whose labels match (new ones included); a namespace matching either list is selected. */
  readonly selector?: LabelSelector;
}

export interface ClusterPullSecretBindingSpec {
  /** ClusterPullCredentials merged into one `.dockerconfigjson`, in order (the first wins a registry). */
  readonly credentials: readonly string[];
  /** The Secret's name in every selected namespace: predictable, so Pod specs can name it. */
  readonly secretName: string;
  readonly namespaces: NamespaceSelectionSpec;
  /** ServiceAccounts (by name) whose imagePullSecrets get the Secret in each selected namespace. */
  readonly serviceAccounts?: readonly string[];
  /**
   * Delete Pods of those ServiceAccounts stuck in ErrImagePull/ImagePullBackOff for a registry the Secret
   * covers, so their controller recreates them with the Secret (needs the controller's --restart-stuck-pods).
   */
  readonly restartStuckPods?: boolean;
}

export interface ClusterPullSecretBindingStatus {
  readonly observedGeneration?: number;
  readonly conditions?: readonly Condition[];
  /** Namespaces selected now. */
  readonly namespaces?: number;
  /** Namespaces whose Secret holds what the binding's credentials serve. */
  readonly secretsInSync?: number;
  /** Namespaces where a Secret of that name exists and is not pullwarden's (left alone). */
  readonly conflicts?: readonly string[];
}

export interface ClusterPullSecretBinding extends KubeObject {
  readonly spec: ClusterPullSecretBindingSpec;
  readonly status?: ClusterPullSecretBindingStatus;
}
