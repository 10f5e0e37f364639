/**
 * The desired pull setup of a cluster, shared by `plan` (which produces it from a layout) and `apply` (which
 * makes the cluster match it). Two levels:
 * - `PullSetupSpec`: what a user asks for; namespaces may be chosen by label selector, credentials are named by
 *   their source (never their values), so a spec can be written to disk and reviewed.
 * - `DesiredState`: the spec expanded against a cluster's namespaces, one object per namespace; still no values.
 * Credential values are read only at apply time, at the edge, from the named source.
 */

/** Every object pullwarden creates carries this label; `apply --prune` touches only objects that have it. */
export const MANAGED_BY_LABEL_KEY = "app.kubernetes.io/managed-by";
export const MANAGED_BY_LABEL_VALUE = "pullwarden";
/**
 * The controller's Secrets carry this label too (besides the managed-by label, which the admission policies and
 * audit read as "pullwarden rotates it"): `apply` never updates or prunes them, and the controller touches no
 * Secret without it. A label, not an annotation, so both can select on it.
 */
export const WRITER_LABEL_KEY = "pullwarden.io/writer";
export const CONTROLLER_WRITER = "controller";

/** Where the `.dockerconfigjson` of a secret comes from. None of these hold a secret value. */
export type CredentialSource =
  /** A `.dockerconfigjson`, Secret manifest or docker config.json file (as `secret create --merge`). */
  | { readonly kind: "file"; readonly path: string }
  /** One registry; the password is read from an environment variable at apply time. */
  | {
      readonly kind: "env";
      readonly server: string;
      readonly username: string;
      readonly passwordEnv: string;
      readonly email?: string;
    }
  /** A docker config.json and its credential helpers (as `secret create --from-docker-config`). */
  | { readonly kind: "docker-config"; readonly path?: string; readonly registries: readonly string[] }
  /** One registry; the password is read from a file at apply time (as `secret create --docker-password-file`). */
  | {
      readonly kind: "password-file";
      readonly server: string;
      readonly username: string;
      readonly passwordFile: string;
      readonly email?: string;
    }
  /**
   * A short-lived token minted when the secret is written: for ECR, `aws ecr get-login-password` (username
   * `AWS`, valid 12 hours); for ACR, `az acr login --expose-token` (the null-GUID username with an ACR refresh
   * token, about 3 hours). A secret from this source must be rotated well inside that lifetime.
   */
  | {
      readonly kind: "cloud-token";
      readonly provider: "ecr" | "acr";
      readonly server: string;
      /** ECR: the registry's region. */
      readonly region?: string;
      /** ACR: the registry name. */
      readonly registryName?: string;
      /** How often the secret must be rewritten, in seconds. */
      readonly rotateEverySeconds: number;
    };

export type NamespaceSelection =
  | { readonly kind: "names"; readonly names: readonly string[] }
  | { readonly kind: "selector"; readonly labelSelector: string };

export interface PullSecretSpec {
  /** Name of the Secret in every selected namespace. */
  readonly name: string;
  readonly source: CredentialSource;
  readonly namespaces: NamespaceSelection;
  /**
   * ServiceAccounts whose `imagePullSecrets` get this secret, in each selected namespace ("default" is the
   * usual one). Empty: the secret is meant to be referenced from Pod specs.
   */
  readonly serviceAccounts: readonly string[];
}

export interface PullSetupSpec {
  readonly secrets: readonly PullSecretSpec[];
}

export interface DesiredSecret {
  readonly namespace: string;
  readonly name: string;
  readonly source: CredentialSource;
}

export interface DesiredBinding {
  readonly namespace: string;
  readonly serviceAccount: string;
  readonly secretName: string;
}

export interface DesiredState {
  readonly secrets: readonly DesiredSecret[];
  readonly bindings: readonly DesiredBinding[];
}
