/**
 * Types of the audit: the objects it reads, the findings it returns, the rules that produce them. Nothing in a
 * finding ever holds a secret value: messages name objects, keys, token kinds and redacted forms only.
 */

// One severity scale across pullwarden (the docker config problem catalogue defines it).
import type { Severity } from "../dockerconfig/index.js";
export type { Severity };

/** Most severe first. */
export const SEVERITIES: readonly Severity[] = ["error", "warning", "info"];

export const SEVERITY_RANK: Readonly<Record<Severity, number>> = { error: 0, warning: 1, info: 2 };

/** Where an object came from when it was read from a file (or stdin). Absent for live-cluster objects. */
export interface ObjectOrigin {
  /** The path as given (relative paths stay relative), or `stdin`. */
  readonly file: string;
  /** 1-based line where the document (or `List` item) starts. */
  readonly line: number;
  /** Index of the YAML document in the file, 0-based. */
  readonly documentIndex: number;
  /** Index inside a `List` document's `items`, when the object came from one. */
  readonly itemIndex?: number;
  /** For rendered Helm output: the template named by the `# Source:` comment above the document. */
  readonly template?: string;
}

/** An object to audit: a parsed manifest (any kind; unknown kinds are ignored) and where it came from. */
export interface AuditObject {
  readonly object: unknown;
  readonly origin?: ObjectOrigin;
}

export interface ObjectRef {
  readonly kind: string;
  /** Undefined for cluster-scoped kinds. For namespaced kinds read from files without a namespace, see `namespaceDefaulted`. */
  readonly namespace?: string;
  readonly name: string;
  /** True when the manifest had no namespace and the audit assumed one (`--namespace`, else `default`). */
  readonly namespaceDefaulted?: boolean;
}

/** A path into an object (`["spec", "template", "spec", "containers", 0, "image"]`), for precise locations. */
export type FieldPath = readonly (string | number)[];

export interface Location {
  readonly object: ObjectRef;
  readonly origin?: ObjectOrigin;
  /** The field the finding is about, when there is one. */
  readonly field?: FieldPath;
  /** Filled in by `locateFindings` when the file text is available: 1-based line and column of `field`. */
  readonly line?: number;
  readonly column?: number;
}

/** How kubelet will authenticate one image pull, in its own order (wire-specs.md §2). */
export interface PullPathStep {
  readonly via: "pod-secret" | "serviceaccount-secret" | "node-identity";
  /** The Secret (for the two secret kinds). */
  readonly secret?: string;
  /** The registry key as written in the Secret, or the node identity's image pattern. */
  readonly key?: string;
  /** For node identities: who pulls (e.g. "AKS kubelet identity (AcrPull)"). */
  readonly identity?: string;
  /** What the credential is (token kind), never its value. */
  readonly credential?: string;
  /** The offline verdict on the credential for this registry. */
  readonly verdict?: "accepted" | "rejected" | "unknown" | "expired" | "not-yet-valid";
  readonly reason?: string;
}

export interface PullPath {
  readonly image: string;
  /** Kubelet's normalised repository name (`docker.io/library/nginx`), when the reference is valid. */
  readonly repository?: string;
  /** Registry host of the image (`docker.io`, `ghcr.io`). */
  readonly host?: string;
  /** Where the Pod's effective imagePullSecrets come from. */
  readonly secretsFrom: "pod" | "serviceaccount" | "none";
  readonly serviceAccount: string;
  /** The effective imagePullSecrets, in order. */
  readonly secrets: readonly string[];
  /** The credentials kubelet tries, in order; empty means an anonymous pull. */
  readonly steps: readonly PullPathStep[];
  /** One line naming the path, e.g. `pod secret ghcr-pull (key ghcr.io)` or `anonymous (no credential matches)`. */
  readonly summary: string;
}

export interface Finding {
  /** Stable rule id, e.g. `PW105`. */
  readonly ruleId: string;
  /** The rule's kebab-case name, e.g. `image-without-pull-path`. */
  readonly rule: string;
  readonly severity: Severity;
  /** One line, no secret values. */
  readonly message: string;
  /** What to do, specific to this finding when possible (e.g. the `kubectl patch` command). */
  readonly fix: string;
  readonly location: Location;
  /** Other objects involved (the missing Secret's namespace, the other copies of a credential). */
  readonly related?: readonly Location[];
  /** The image, for image findings. */
  readonly image?: string;
  /** The pull path kubelet will use, for image findings. */
  readonly pullPath?: PullPath;
  /** Stable across runs and between file and live mode: depends on the rule, the object and the subject only. */
  readonly fingerprint: string;
  /** Set when a suppression matched (the finding is then not counted). */
  readonly suppressed?: Suppression;
  /** Set when a suppression matched but has expired: the finding counts again. */
  readonly expiredSuppression?: Suppression;
  /** Extra machine-readable facts (problem code, verbs, providers...). Never secret values. */
  readonly properties?: Readonly<Record<string, string | number | boolean | readonly string[]>>;
}

export interface Suppression {
  readonly kind: "annotation" | "config";
  readonly reason: string;
  /** YYYY-MM-DD, inclusive: the suppression holds through this day (UTC). */
  readonly until?: string;
  /** `file:line` of the config entry, or the annotation key. */
  readonly source: string;
}

/** The documentation of a rule: everything reporters and docs need. */
export interface RuleMeta {
  readonly id: string;
  readonly name: string;
  readonly title: string;
  readonly severity: Severity;
  /** Why it matters, in a paragraph. */
  readonly explanation: string;
  /** The general fix (findings may carry a specific one). */
  readonly fix: string;
  /** Only meaningful against a live cluster. */
  readonly liveOnly?: boolean;
  readonly tags: readonly string[];
}

/** A problem with the input itself (a document that does not parse, an object without a name). */
export interface InputProblem {
  readonly severity: "error" | "warning";
  readonly source: string;
  readonly line?: number;
  readonly column?: number;
  /** One line, including the source and line. */
  readonly message: string;
}

/**
 * Registries kubelet can pull from without a Secret because the nodes authenticate: a cloud identity (AKS
 * kubelet identity with AcrPull, EKS node role, GKE node service account) or a kubelet credential provider.
 */
export interface NodeIdentity {
  /** kubelet image patterns (`*.azurecr.io`, `123456789012.dkr.ecr.*.amazonaws.com`, `ghcr.io/acme`). */
  readonly matchImages: readonly string[];
  /** Who pulls, for messages: "AKS kubelet identity (AcrPull)". */
  readonly label: string;
  /** Where the declaration came from: `--provider aks`, `layout.yaml`. */
  readonly source: string;
}

export interface SuppressionRule {
  readonly rule: string;
  readonly reason: string;
  readonly until?: string;
  readonly namespace?: string;
  readonly kind?: string;
  readonly name?: string;
  readonly image?: string;
  /** `file:line` of the entry. */
  readonly source: string;
}

export interface AuditOptions {
  /** `cluster` enables live-only rules and treats absent Secrets as truly absent. */
  readonly mode: "files" | "cluster";
  readonly now: Date;
  /** Namespace assumed for namespaced objects read from files without one (kubectl's `-n`); default `default`. */
  readonly defaultNamespace?: string;
  readonly nodeIdentities?: readonly NodeIdentity[];
  /** Image patterns (kubelet globs with optional path prefix) known to need credentials. */
  readonly privateRegistries?: readonly string[];
  readonly suppressions?: readonly SuppressionRule[];
  /** Rule ids or names to skip entirely. */
  readonly disabledRules?: readonly string[];
  /** A credential in at least this many namespaces is reported by PW302 (default 3). */
  readonly copiedCredentialThreshold?: number;
  /** Workloads sharing one ServiceAccount and the same imagePullSecrets before PW303 fires (default 2). */
  readonly repeatedPullSecretsThreshold?: number;
  /**
   * Live mode: kinds that could not be listed completely (RBAC). An object of such a kind that is absent is
   * unknown, not missing (a Secret the user may not list is not reported as missing with certainty).
   */
  readonly incompleteKinds?: readonly string[];
}

export interface AuditSummary {
  readonly error: number;
  readonly warning: number;
  readonly info: number;
  readonly suppressed: number;
  readonly objects: number;
  /** Containers judged (every container of every pod spec, each controller's template once), valid image or not. */
  readonly containers: number;
}

export interface AuditResult {
  /** Sorted: severity, namespace, kind, name, rule. Suppressed findings included (flagged). */
  readonly findings: readonly Finding[];
  readonly summary: AuditSummary;
  /** The rules that ran (for reporters: SARIF rule table, JUnit suites). */
  readonly rules: readonly RuleMeta[];
  readonly inputProblems: readonly InputProblem[];
  readonly mode: "files" | "cluster";
}
