/**
 * What `pullwarden status` shows (pure): every ClusterPullCredential with the state the controller wrote on it
 * (expiry, last and next refresh, Ready/Verified/ExpiringSoon with reasons, failures), every
 * ClusterPullSecretBinding with the namespaces it covers and those it does not (and why), and the namespace ×
 * registry coverage matrix (status-view-coverage.ts). The facts come from the cluster through the CLI edge;
 * Secrets arrive as `SecretFacts` (names and registry keys, never a value), so no view can hold a secret.
 */
import type { ClusterPullCredential, ClusterPullSecretBinding, Condition } from "../desired/index.js";
import { normalizeKeyringKey } from "../dockerconfig/index.js";
import { selectedNamespaces } from "./desired.js";
import type { NamespaceView } from "./desired.js";
import { bindingProblems, credentialProblems } from "./resource-shape.js";
import { coverageMatrix } from "./status-view-coverage.js";
import type { CoverageMatrix } from "./status-view-coverage.js";

/** A docker-config Secret as status needs it: who manages it and which registries it holds. */
export interface SecretFacts {
  readonly namespace: string;
  readonly name: string;
  /** Which pullwarden writer wrote it (its labels); absent: not pullwarden's. */
  readonly writer?: "controller" | "apply";
  /** Its registry keys, normalised as kubelet indexes them (`ghcr.io`, `*.azurecr.io`). */
  readonly registries: readonly string[];
  /** Why its registries could not be read, if they could not (then `registries` is empty). */
  readonly unreadable?: string;
}

export interface ServiceAccountFacts {
  readonly namespace: string;
  readonly name: string;
  readonly imagePullSecrets: readonly string[];
}

export interface StatusInputs {
  readonly credentials: readonly ClusterPullCredential[];
  readonly bindings: readonly ClusterPullSecretBinding[];
  readonly namespaces: readonly NamespaceView[];
  /** Docker-config Secrets only (`kubernetes.io/dockerconfigjson` and `kubernetes.io/dockercfg`). */
  readonly secrets: readonly SecretFacts[];
  readonly serviceAccounts: readonly ServiceAccountFacts[];
  readonly now: Date;
}

export interface ConditionView {
  readonly status: "True" | "False" | "Unknown";
  readonly reason: string;
  readonly message: string;
  readonly since: string;
}

/** A moment worth marking on a credential's timeline: a condition that turned bad. */
export interface CredentialFailure {
  readonly at: string;
  readonly condition: string;
  readonly reason: string;
  readonly message: string;
}

export interface CredentialView {
  readonly name: string;
  /** `static secret/NAME`, `ecr HOST`, `acr HOST`. */
  readonly source: string;
  readonly ready?: ConditionView;
  readonly verified?: ConditionView;
  readonly expiringSoon?: ConditionView;
  readonly expiresAt?: string;
  readonly lastRefreshTime?: string;
  readonly nextRefreshTime?: string;
  readonly registries: readonly string[];
  readonly fingerprint?: string;
  /** The controller has not yet reported on the current spec (observedGeneration behind generation). */
  readonly stale: boolean;
  readonly failures: readonly CredentialFailure[];
  /** Bindings that name it. */
  readonly boundBy: readonly string[];
  /** What is wrong with its spec, as the controller sees it. */
  readonly problems: readonly string[];
}

export type NamespaceCoverageState = "in-sync" | "missing" | "held" | "conflict" | "unbound" | "outdated";

export interface BindingNamespaceView {
  readonly namespace: string;
  readonly state: NamespaceCoverageState;
  /** One line: why it is not in sync (empty when it is). */
  readonly reason: string;
}

export interface BindingView {
  readonly name: string;
  readonly secretName: string;
  readonly credentials: readonly string[];
  readonly serviceAccounts: readonly string[];
  readonly ready?: ConditionView;
  readonly stale: boolean;
  /** Every namespace it selects, with its state. */
  readonly namespaces: readonly BindingNamespaceView[];
  /** Namespaces it names but does not cover: absent or terminating. */
  readonly notSelected: readonly { readonly namespace: string; readonly reason: string }[];
  readonly problems: readonly string[];
}

export interface StatusView {
  readonly generatedAt: string;
  readonly credentials: readonly CredentialView[];
  readonly bindings: readonly BindingView[];
  readonly coverage: CoverageMatrix;
}

/** A registry key as kubelet indexes it, so keys written differently compare equal. */
export function registryKey(key: string): string {
  return normalizeKeyringKey(key) ?? key;
}

const byName = <T extends { metadata: { name?: string } }>(a: T, b: T): number =>
  (a.metadata.name ?? "").localeCompare(b.metadata.name ?? "");

function conditionView(
  conditions: readonly Condition[] | undefined,
  type: string,
): ConditionView | undefined {
  const found = conditions?.find((c) => c.type === type);
  return found
    ? { status: found.status, reason: found.reason, message: found.message, since: found.lastTransitionTime }
    : undefined;
}

function isStale(object: { metadata: Record<string, unknown> }, observed: number | undefined): boolean {
  const generation = object.metadata["generation"];
  return typeof generation === "number" && (observed === undefined || observed < generation);
}

function sourceText(credential: ClusterPullCredential): string {
  const source = credential.spec?.source;
  if (source?.static) return `static secret/${source.static.secretRef?.name ?? "?"}`;
  if (source?.ecr) return `ecr ${source.ecr.registry}`;
  if (source?.acr) return `acr ${source.acr.registry}`;
  return "unknown";
}

/** The conditions that say something failed, at the time they turned: the timeline's failure marks. */
function failuresOf(conditions: readonly Condition[] | undefined): CredentialFailure[] {
  const bad = (c: Condition): boolean =>
    c.type === "ExpiringSoon" ? c.status === "True" : c.status === "False" && c.reason !== "Pending";
  return (conditions ?? [])
    .filter(bad)
    .map((c) => ({ at: c.lastTransitionTime, condition: c.type, reason: c.reason, message: c.message }))
    .sort((a, b) => a.at.localeCompare(b.at));
}

function credentialView(
  credential: ClusterPullCredential,
  bindings: readonly ClusterPullSecretBinding[],
): CredentialView {
  const name = credential.metadata.name ?? "";
  const status = credential.status;
  const conditions = status?.conditions;
  const ready = conditionView(conditions, "Ready");
  const verified = conditionView(conditions, "Verified");
  const expiringSoon = conditionView(conditions, "ExpiringSoon");
  return {
    name,
    source: sourceText(credential),
    ...(ready ? { ready } : {}),
    ...(verified ? { verified } : {}),
    ...(expiringSoon ? { expiringSoon } : {}),
    ...(status?.expiresAt ? { expiresAt: status.expiresAt } : {}),
    ...(status?.lastRefreshTime ? { lastRefreshTime: status.lastRefreshTime } : {}),
    ...(status?.nextRefreshTime ? { nextRefreshTime: status.nextRefreshTime } : {}),
    registries: [...(status?.registries ?? [])],
    ...(status?.fingerprint ? { fingerprint: status.fingerprint } : {}),
    stale: isStale(credential, status?.observedGeneration),
    failures: failuresOf(conditions),
    boundBy: bindings
      .filter((b) => (b.spec?.credentials ?? []).includes(name))
      .map((b) => b.metadata.name ?? ""),
    problems: credentialProblems(credential),
  };
}

/** The registries a binding's Secret must hold: those its credentials' status names. */
function expectedRegistries(
  binding: ClusterPullSecretBinding,
  credentials: ReadonlyMap<string, ClusterPullCredential>,
): string[] {
  return binding.spec.credentials.flatMap((name) =>
    (credentials.get(name)?.status?.registries ?? []).map(registryKey),
  );
}

function namespaceState(
  binding: ClusterPullSecretBinding,
  namespace: string,
  facts: {
    readonly secret: SecretFacts | undefined;
    readonly accounts: ReadonlyMap<string, ServiceAccountFacts>;
    readonly expected: readonly string[];
    readonly held: string | undefined;
  },
): BindingNamespaceView {
  const { secretName } = binding.spec;
  const { secret } = facts;
  if (secret && secret.writer !== "controller")
    return {
      namespace,
      state: "conflict",
      reason: `a Secret ${secretName} that the controller does not own (${secret.writer === "apply" ? "written by pullwarden apply" : "not pullwarden's"}) is in the way (left as is)`,
    };
  if (!secret)
    return facts.held
      ? { namespace, state: "held", reason: facts.held }
      : {
          namespace,
          state: "missing",
          reason: `no Secret ${secretName} yet (the controller has not written it)`,
        };
  const lacking = facts.expected.filter((r) => !secret.registries.includes(r));
  if (lacking.length > 0)
    return {
      namespace,
      state: facts.held ? "held" : "outdated",
      reason: `Secret ${secretName} lacks ${lacking.join(", ")}${facts.held ? `: ${facts.held}` : ""}`,
    };
  const unbound = (binding.spec.serviceAccounts ?? []).filter(
    (account) => !facts.accounts.get(`${namespace}/${account}`)?.imagePullSecrets.includes(secretName),
  );
  if (unbound.length > 0) {
    const absent = unbound.filter((account) => !facts.accounts.has(`${namespace}/${account}`));
    return {
      namespace,
      state: "unbound",
      reason: `ServiceAccount ${unbound.join(", ")} ${absent.length === unbound.length ? "does not exist" : `does not list ${secretName} in imagePullSecrets`}`,
    };
  }
  return { namespace, state: "in-sync", reason: "" };
}

function bindingView(
  binding: ClusterPullSecretBinding,
  inputs: StatusInputs,
  credentials: ReadonlyMap<string, ClusterPullCredential>,
  secrets: ReadonlyMap<string, SecretFacts>,
  accounts: ReadonlyMap<string, ServiceAccountFacts>,
): BindingView {
  const problems = bindingProblems(binding);
  const ready = conditionView(binding.status?.conditions, "Ready");
  const base = {
    name: binding.metadata.name ?? "",
    secretName: typeof binding.spec?.secretName === "string" ? binding.spec.secretName : "",
    credentials: [...(binding.spec?.credentials ?? [])],
    serviceAccounts: [...(binding.spec?.serviceAccounts ?? [])],
    ...(ready ? { ready } : {}),
    stale: isStale(binding, binding.status?.observedGeneration),
    problems,
  };
  if (problems.length > 0) return { ...base, namespaces: [], notSelected: [] };
  const held = ready?.reason === "CredentialUnavailable" ? ready.message : undefined;
  const expected = expectedRegistries(binding, credentials);
  const selected = selectedNamespaces(binding, inputs.namespaces);
  const known = new Map(inputs.namespaces.map((ns) => [ns.name, ns]));
  return {
    ...base,
    namespaces: selected.map((namespace) =>
      namespaceState(binding, namespace, {
        secret: secrets.get(`${namespace}/${binding.spec.secretName}`),
        accounts,
        expected,
        held,
      }),
    ),
    notSelected: [...new Set(binding.spec.namespaces.names ?? [])]
      .filter((name) => !selected.includes(name))
      .sort()
      .map((namespace) => ({
        namespace,
        reason: known.get(namespace)?.terminating ? "terminating" : "does not exist",
      })),
  };
}

export function buildStatusView(inputs: StatusInputs): StatusView {
  const credentials = [...inputs.credentials].sort(byName);
  const bindings = [...inputs.bindings].sort(byName);
  const credentialsByName = new Map(credentials.map((c) => [c.metadata.name ?? "", c]));
  const secrets = new Map(inputs.secrets.map((s) => [`${s.namespace}/${s.name}`, s]));
  const accounts = new Map(inputs.serviceAccounts.map((a) => [`${a.namespace}/${a.name}`, a]));
  const bindingViews = bindings.map((b) => bindingView(b, inputs, credentialsByName, secrets, accounts));
  return {
    generatedAt: inputs.now.toISOString(),
    credentials: credentials.map((c) => credentialView(c, bindings)),
    bindings: bindingViews,
    coverage: coverageMatrix({
      namespaces: inputs.namespaces,
      secrets: inputs.secrets,
      credentialRegistries: credentials.flatMap((c) => (c.status?.registries ?? []).map(registryKey)),
      bindings: bindingViews.map((b) => ({
        name: b.name,
        secretName: b.secretName,
        namespaces: b.namespaces,
      })),
    }),
  };
}
