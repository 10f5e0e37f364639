/**
 * A layout after validation: defaults applied, shorthands resolved to hosts, every registry classified.
 * Field paths (`registries[2].credential`) point back into the file for messages.
 */
import type { CredentialSource } from "../desired/index.js";
import type { RegistryHostInfo } from "../hosts/index.js";
import type { CREDENTIAL_TYPES, WORKLOAD_KINDS } from "./layout-schema.js";

export type ClusterProvider = "aks" | "eks" | "gke" | "other";
export type CredentialType = (typeof CREDENTIAL_TYPES)[number];
export type WorkloadKind = (typeof WORKLOAD_KINDS)[number];

export interface AksSettings {
  readonly resourceGroup: string;
  readonly subscription?: string;
  readonly acrAccess: "attach-acr" | "role-assignment";
  readonly kubeletIdentityObjectId?: string;
}

export interface EksSettings {
  readonly region: string;
  readonly accountId: string;
  /** The role name (an ARN is reduced to its last path segment). */
  readonly nodeRoleName: string;
  /** As written: a name or an ARN. */
  readonly nodeRole: string;
  readonly ecrPolicy: "pull-only" | "read-only";
}

export interface GkeSettings {
  readonly project: string;
  readonly nodeServiceAccount?: string;
}

export interface ClusterDecl {
  readonly provider: ClusterProvider;
  readonly name: string;
  readonly nodesConfigurable: boolean;
  /** Which kubelet credential provider configurable nodes run: the clouds' own plugins, or ours for every registry. */
  readonly credentialProvider: "cloud" | "pullwarden";
  /** Who refreshes short-lived tokens in pull secrets: a scheduled script, or the in-cluster controller. */
  readonly rotation: "script" | "controller";
  readonly aks?: AksSettings;
  readonly eks?: EksSettings;
  readonly gke?: GkeSettings;
}

export interface CredentialDecl {
  readonly type: CredentialType;
  readonly username?: string;
  /** Where the value is read when the secret is created; undefined when the layout names no source. */
  readonly source?: CredentialSource;
  /** YYYY-MM-DD as written. */
  readonly expires?: string;
}

export interface RegistryDecl {
  readonly name: string;
  /** Field path of this entry, e.g. `registries[1]`. */
  readonly path: string;
  /** Normalised host[:port]. */
  readonly host: string;
  readonly info: RegistryHostInfo;
  /** ACR: the full resource id, when given (cross-subscription). */
  readonly acrResourceId?: string;
  /** GHCR: the owner given with the `ghcr` shorthand. */
  readonly ghcrOwner?: string;
  readonly secretName: string;
  readonly credential?: CredentialDecl;
}

export interface WorkloadDecl {
  readonly kind: WorkloadKind;
  readonly name: string;
  readonly serviceAccount: string;
}

export interface NamespaceDecl {
  readonly name: string;
  readonly path: string;
  readonly registries: readonly string[];
  /** As listed; empty when the layout lists none. */
  readonly serviceAccounts: readonly string[];
  readonly workloads: readonly WorkloadDecl[];
  readonly images: readonly string[];
}

export interface Layout {
  readonly name?: string;
  readonly cluster: ClusterDecl;
  readonly registries: readonly RegistryDecl[];
  readonly namespaces: readonly NamespaceDecl[];
}
