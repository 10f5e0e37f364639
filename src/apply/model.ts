/**
 * What `apply` works on: the desired state with its payloads resolved (`ApplyDesired`), what was read from the
 * cluster (`Observed`), and the actions that make one match the other (`Action`). `reconcile` (pure) computes
 * the actions; the executor (I/O) carries out the writes and turns every action into an `ApplyItemResult`.
 */
import type { DesiredBinding } from "../desired/index.js";
import type {
  JsonPatchOperation,
  PodObject,
  SecretObject,
  ServiceAccountObject,
  WorkloadObject,
} from "../kube-model/index.js";

/**
 * Annotation on a ServiceAccount listing the `imagePullSecrets` entries pullwarden appended (comma-separated).
 * pullwarden owns those entries only: `--prune` removes an entry only when it is listed here.
 */
export const OWNED_ENTRIES_ANNOTATION = "pullwarden.io/image-pull-secrets";

/** One pull secret wanted in one namespace, with its `.dockerconfigjson` text (never printed). */
export interface WantedSecret {
  readonly namespace: string;
  readonly name: string;
  /** The `.dockerconfigjson` payload (UTF-8 text). */
  readonly payload: string;
}

/**
 * Which owned secrets `--prune` may delete when they are not wanted:
 * - `names`: those named like a wanted secret (a namespace left the selection);
 * - `all-owned`: every secret labelled as pullwarden's (the desired state describes the whole cluster, as a
 *   layout does).
 */
export type PruneScope =
  { readonly kind: "names"; readonly names: readonly string[] } | { readonly kind: "all-owned" };

/** The desired state, expanded per namespace and with payloads resolved. */
export interface ApplyDesired {
  readonly secrets: readonly WantedSecret[];
  readonly bindings: readonly DesiredBinding[];
  /** Every namespace the desired state selects (each gets a result, even with nothing to do). */
  readonly namespaces: readonly string[];
}

/**
 * Who writes: `apply` (the CLI) or the `controller`. Each owns only the pullwarden Secrets it wrote (the
 * controller's carry the writer label), so neither updates, adopts nor prunes the other's.
 */
export type SecretWriter = "apply" | "controller";

export interface ReconcileOptions {
  /** Whose Secrets count as owned (default `apply`). */
  readonly writer?: SecretWriter;
  /** Take over same-named secrets that pullwarden does not own (label them, replace their data). */
  readonly adopt?: boolean;
  /** Delete owned secrets (and owned ServiceAccount entries) no longer wanted, within this scope. */
  readonly prune?: PruneScope;
  /**
   * Delete Pods stuck in ErrImagePull/ImagePullBackOff that their controller would recreate with the secret: for
   * every secret, or (a predicate) for the (namespace, secret name) pairs it accepts.
   */
  readonly restartStuck?: boolean | ((namespace: string, secretName: string) => boolean);
}

export type NamespaceState = "active" | "terminating" | "missing" | "unknown";

/** A read that failed: for one namespace, or (namespace undefined) for every namespace. */
export interface ReadFailure {
  readonly namespace: string | undefined;
  readonly resource: "secrets" | "serviceaccounts" | "pods" | "namespaces" | "workloads";
  /** For workloads: `Kind/name` of the controller that could not be read. */
  readonly object?: string;
  readonly error: Error;
}

export interface Observed {
  /** State of each namespace that matters (`unknown` when namespaces could not be listed). */
  readonly namespaces: ReadonlyMap<string, NamespaceState>;
  /** Secrets with a wanted name in the selected namespaces, plus (with --prune) owned secrets. */
  readonly secrets: readonly SecretObject[];
  readonly serviceAccounts: readonly ServiceAccountObject[];
  /** Pods of the bound ServiceAccounts (for warnings and --restart-stuck). */
  readonly pods: readonly PodObject[];
  /** Controllers of stuck Pods (with --restart-stuck). */
  readonly workloads: readonly WorkloadObject[];
  readonly readFailures: readonly ReadFailure[];
  /** False when owned secrets could not be listed cluster-wide, so --prune saw only the selected namespaces. */
  readonly pruneComplete?: boolean;
}

interface ActionBase {
  readonly namespace: string;
  /** `secret/NAME`, `serviceaccount/NAME`, `pod/NAME` or `namespace/NAME`. */
  readonly object: string;
}

export type WriteAction =
  | (ActionBase & { readonly type: "create-secret"; readonly name: string; readonly payload: string })
  | (ActionBase & {
      readonly type: "update-secret";
      readonly name: string;
      readonly payload: string;
      /** The payload before (for the redacted diff); undefined when the secret had none. */
      readonly previousPayload: string | undefined;
      readonly resourceVersion: string;
      readonly dataChanged: boolean;
      /** The secret was not pullwarden's: it gets the label (--adopt). `previousManager` is its old manager. */
      readonly adopt: boolean;
      readonly previousManager: string | undefined;
    })
  | (ActionBase & {
      readonly type: "bind" | "unbind";
      readonly serviceAccount: string;
      readonly secretName: string;
      readonly before: readonly string[];
      readonly after: readonly string[];
      /** The guarded JSON patch: `test` ops on what was read, then the change. */
      readonly operations: readonly JsonPatchOperation[];
    })
  | (ActionBase & {
      readonly type: "delete-secret";
      readonly name: string;
      readonly uid: string | undefined;
      readonly resourceVersion: string | undefined;
    })
  | (ActionBase & {
      readonly type: "restart-pod";
      readonly pod: string;
      readonly uid: string | undefined;
      /** The controller that recreates it, e.g. `ReplicaSet/web-5d9c`. */
      readonly controller: string;
      readonly serviceAccount: string;
      readonly secretName: string;
      readonly reason: string;
    });

/** Why a Pod stuck in ErrImagePull/ImagePullBackOff was not restarted. */
export type StuckPodSkip =
  | "no-controller"
  | "unknown-controller"
  | "unreadable-controller"
  | "controller-gone"
  | "template-lists-others"
  | "not-covered";

export type NoteAction =
  | (ActionBase & { readonly type: "unchanged"; readonly message: string })
  | (ActionBase & {
      readonly type: "warn";
      readonly message: string;
      readonly hint?: string;
      /** On a stuck Pod `restartStuck` did not delete: why (the controller tells the Pod with an Event). */
      readonly notRestarted?: StuckPodSkip;
    })
  /** Not done on purpose (not owned, missing ServiceAccount or namespace): the cluster does not fully match. */
  | (ActionBase & { readonly type: "refuse"; readonly message: string; readonly hint?: string })
  /** Could not be decided (a read failed). */
  | (ActionBase & {
      readonly type: "fail";
      readonly message: string;
      readonly hint?: string;
      readonly error?: Error;
    });

export type Action = WriteAction | NoteAction;

export type ItemStatus = "changed" | "unchanged" | "refused" | "failed" | "warning" | "skipped";

/** What happened to one action. */
export interface ApplyItemResult {
  readonly namespace: string;
  readonly object: string;
  readonly action: Action["type"];
  readonly status: ItemStatus;
  /** `created`, `imagePullSecrets + ghcr-pull`, `not managed by pullwarden: left as is`, ... Never a value. */
  readonly message: string;
  readonly hint?: string;
}

export type DryRun = "none" | "client" | "server";

export interface ApplySummary {
  readonly namespaces: number;
  readonly changed: number;
  readonly unchanged: number;
  readonly refused: number;
  readonly failed: number;
  readonly skipped: number;
  readonly warnings: number;
  /** Requests pullwarden made to the API server. */
  readonly reads: number;
  readonly writes: number;
}

export interface ApplyResult {
  readonly context: string;
  readonly server: string;
  readonly dryRun: DryRun;
  /** The actions `reconcile` planned (for --diff), before execution. */
  readonly actions: readonly Action[];
  readonly items: readonly ApplyItemResult[];
  readonly summary: ApplySummary;
  /** 0: the cluster matches; 1: something was refused (not owned, missing); 4: something failed. */
  readonly exitCode: 0 | 1 | 4;
}

export function isWriteAction(action: Action): action is WriteAction {
  return (
    action.type === "create-secret" ||
    action.type === "update-secret" ||
    action.type === "bind" ||
    action.type === "unbind" ||
    action.type === "delete-secret" ||
    action.type === "restart-pod"
  );
}
