/**
 * The plan: what `plan` decided for each (cluster, registry) pair and each namespace, and why. Computed from a
 * layout without I/O; rendered to files or a summary by `render-*.ts`. `spec` is the Kubernetes part, the
 * desired state `apply` makes real.
 */
import type {
  ClusterPullCredential,
  ClusterPullSecretBinding,
  CredentialSource,
  PullSetupSpec,
} from "../desired/index.js";
import type { RegistryKind } from "../hosts/index.js";
import type { Layout, WorkloadKind } from "./layout-types.js";

/**
 * - `identity`: the cluster's cloud identity pulls (AKS kubelet identity + AcrPull, EKS node role, GKE node
 *   service account); no secret.
 * - `credential-provider`: a kubelet exec credential provider on every node mints tokens in memory; no secret.
 * - `rotated-secret`: a pull secret holding a short-lived cloud token, rewritten on a schedule.
 * - `controller-secret`: a pull secret holding a short-lived cloud token, kept fresh by the pullwarden controller
 *   from its custom resources (`cluster.rotation: controller`).
 * - `secret`: a pull secret holding a long-lived credential (which should still expire and be rotated).
 * - `anonymous`: public pulls; nothing to set up.
 */
export type PullMethod =
  "identity" | "credential-provider" | "rotated-secret" | "controller-secret" | "secret" | "anonymous";

/** A cloud CLI step with the layout's values filled in; `commands` are shell lines, already quoted. */
export interface CloudStep {
  readonly tool: "az" | "aws" | "gcloud";
  readonly registry: string;
  readonly title: string;
  /** Lines every step of this tool shares (select a subscription, look up an identity); written once. */
  readonly setup: readonly string[];
  /** The grant; identical commands of several registries are written once. */
  readonly commands: readonly string[];
  /** Commands that show the step worked. */
  readonly verify: readonly string[];
}

export interface Rotation {
  /** How the token is minted (a shell pipeline printing the password on stdout). */
  readonly mint: string;
  readonly username: string;
  readonly tokenLifetime: string;
  readonly everyHours: number;
  /** A crontab schedule that keeps the secret fresh. */
  readonly cron: string;
}

/**
 * How the verify step checks that the images a layout lists can be pulled, as fits the method:
 * - `secret`: with the namespace's pull secret, every credential kubelet would try (`pullwarden check --secret`);
 * - `cloud-token`: the nodes pull with a credential only they hold (their cloud identity, or a kubelet
 *   credential provider), so the images are checked with a token of the same kind from the operator's own cloud
 *   login (`mint`, a shell pipeline printing it): the image exists and the registry serves it; the grant checks
 *   say whether the nodes may pull it;
 * - `node-static`: the nodes pull with a credential from the static file of pullwarden-credential-provider, so
 *   the images are checked with the same credential, read where the layout says;
 * - `anonymous`: without a credential, as kubelet pulls a public image.
 */
export type ImageCheck =
  | { readonly kind: "secret" }
  | {
      readonly kind: "node-static";
      readonly username: string;
      /** A shell pipeline printing the password (`passwordEnv`), or the file that holds it (`passwordFile`). */
      readonly password: { readonly print: string } | { readonly file: string };
    }
  | {
      readonly kind: "cloud-token";
      readonly tool: CloudStep["tool"];
      readonly mint: string;
      readonly username: string;
    }
  | { readonly kind: "anonymous" };

export interface RegistryDecision {
  readonly registry: string;
  readonly host: string;
  readonly kind: RegistryKind;
  readonly method: PullMethod;
  /** One line: what is set up. */
  readonly summary: string;
  /** Why this method fits this (cluster, registry) pair. */
  readonly reason: string;
  /** Caveats, requirements and what the credential check said. */
  readonly notes: readonly string[];
  /** Namespaces that pull from this registry, in layout order. */
  readonly namespaces: readonly string[];
  /** For `secret` and `rotated-secret`. */
  readonly secretName?: string;
  /**
   * For `secret`: where the value is read when the secret is created; for a registry served from the static file
   * of pullwarden-credential-provider (`credential-provider` with `cluster.credentialProvider: pullwarden`): where
   * the node script reads it when it writes that file.
   */
  readonly source?: CredentialSource;
  /** For `controller-secret`: the ClusterPullCredential that mints it. */
  readonly controllerCredential?: string;
  readonly rotation?: Rotation;
  readonly cloudSteps: readonly CloudStep[];
  /** How the verify step checks the listed images of this registry. */
  readonly imageCheck: ImageCheck;
}

export interface ServiceAccountBinding {
  readonly name: string;
  /** Secret names, in registry order. */
  readonly secrets: readonly string[];
}

export interface PodReference {
  readonly kind: WorkloadKind;
  readonly name: string;
  readonly serviceAccount: string;
  readonly secrets: readonly string[];
}

export interface NamespacePlan {
  readonly name: string;
  /** Secrets this namespace needs, in registry order. */
  readonly secrets: readonly { readonly registry: string; readonly secretName: string }[];
  readonly serviceAccounts: readonly ServiceAccountBinding[];
  readonly podReferences: readonly PodReference[];
  /** Why the secrets go on ServiceAccounts or Pods here; empty when the namespace needs no secret. */
  readonly pattern: string;
  /** Registries this namespace pulls from without a secret, with the method. */
  readonly withoutSecret: readonly { readonly registry: string; readonly method: PullMethod }[];
  readonly images: readonly string[];
}

export interface CredentialProviderEntry {
  readonly name: string;
  readonly matchImages: readonly string[];
  readonly defaultCacheDuration: string;
  readonly apiVersion: string;
  readonly args?: readonly string[];
}

/** kubelet's `CredentialProviderConfig` (kubelet.config.k8s.io/v1). */
export interface CredentialProviderConfig {
  readonly apiVersion: "kubelet.config.k8s.io/v1";
  readonly kind: "CredentialProviderConfig";
  readonly providers: readonly CredentialProviderEntry[];
}

export interface Plan {
  readonly layout: Layout;
  readonly decisions: readonly RegistryDecision[];
  readonly namespaces: readonly NamespacePlan[];
  readonly credentialProviderConfig?: CredentialProviderConfig;
  /** The pullwarden controller's custom resources, for `controller-secret` decisions. */
  readonly controllerResources?: ControllerResources;
  /** The Kubernetes part: the secrets and ServiceAccount bindings `apply` makes real. */
  readonly spec: PullSetupSpec;
  readonly warnings: readonly string[];
}

export interface ControllerResources {
  readonly credentials: readonly ClusterPullCredential[];
  readonly bindings: readonly ClusterPullSecretBinding[];
}

export interface PlanFile {
  /** Relative path inside the output directory. */
  readonly path: string;
  readonly content: string;
  /** 0o755 for scripts, 0o644 for the rest, 0o600 for files holding secret values. */
  readonly mode: number;
}

export interface Step {
  readonly number: string;
  readonly title: string;
  /** The command to run from the output directory. */
  readonly run: string;
  readonly files: readonly string[];
  /** Who runs it, with what access, and what to know. */
  readonly details: readonly string[];
}

export interface RenderOptions {
  /** How the layout was named on the command line, for the README and scripts. */
  readonly layoutSource: string;
  /**
   * `--include-secrets`: values of static secrets, by registry name. Those secrets go into the manifests
   * (mode 0600) instead of the secret script.
   */
  readonly secretValues?: ReadonlyMap<string, SecretValue>;
}

/** A static secret's value, for `--include-secrets`. */
export interface SecretValue {
  readonly server: string;
  readonly username: string;
  readonly password: string;
}
