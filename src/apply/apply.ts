/**
 * `apply` as a library: make a cluster hold the pull secrets and ServiceAccount bindings of a desired state.
 * - `applyPullSetup(spec, options)`: from the shared `PullSetupSpec` (what `plan` produces from a layout);
 *   credential sources are resolved through `options.resolveCredentials`.
 * - `applyResolvedPullSetup(secrets, options)`: the same with payloads already built (`apply` from flags).
 * Both: read (few requests), `reconcile` (pure), execute, report. Nothing is printed; the result says what
 * happened per object and which exit code fits.
 */
import { InputError, UsageError } from "../errors.js";
import { expandSpec } from "../desired/index.js";
import type { CredentialSource, NamespaceSelection, PullSetupSpec } from "../desired/index.js";
import { parseDockerConfigText } from "../dockerconfig/index.js";
import { KubeApiError, KubeClient } from "../kube/index.js";
import type { KubeConnectionOptions } from "../kube/index.js";
import { executeActions } from "./execute.js";
import type {
  Action,
  ApplyDesired,
  ApplyItemResult,
  ApplyResult,
  ApplySummary,
  DryRun,
  NamespaceState,
  PruneScope,
  WantedSecret,
} from "./model.js";
import { observeCluster, readNamespaceStates } from "./observe.js";
import type { ListScope } from "./observe.js";
import { reconcile } from "./reconcile.js";

/** A pull secret of the desired state with its `.dockerconfigjson` payload already built. */
export interface ResolvedPullSecretSpec {
  readonly name: string;
  /** The `.dockerconfigjson` text. */
  readonly payload: string;
  readonly namespaces: NamespaceSelection;
  readonly serviceAccounts: readonly string[];
}

/** Builds the `.dockerconfigjson` text of a credential source (reads files, environment, helpers, clouds). */
export type CredentialResolver = (source: CredentialSource, secretName: string) => Promise<string>;

export interface ApplyProgress {
  readonly phase: "read" | "write";
  readonly done: number;
  readonly total: number;
}

export interface ApplyOptions extends KubeConnectionOptions {
  /** An existing client; else one is made from the connection options (kubeconfig, context, env). */
  readonly client?: KubeClient;
  /** `client`: read, compute, report, write nothing. `server`: send every write with dryRun=All. */
  readonly dryRun?: DryRun;
  /** Take over same-named secrets pullwarden does not own. */
  readonly adopt?: boolean;
  /**
   * Delete owned secrets no longer wanted: `true`/`names` for those named like a wanted secret (a namespace left
   * the selection); `all-owned` for every secret labelled as pullwarden's (when the spec describes the whole
   * cluster, as a layout does).
   */
  readonly prune?: boolean | "names" | "all-owned";
  /** Delete Pods stuck in ErrImagePull/ImagePullBackOff that their controller recreates with the secret. */
  readonly restartStuck?: boolean;
  /** Namespaces worked on at once (default 16). */
  readonly concurrency?: number;
  /** `auto` (default): cluster-wide lists for more than 3 namespaces, per-namespace reads otherwise. */
  readonly listScope?: ListScope;
  /** Tries per write that keeps conflicting (default 5). */
  readonly conflictAttempts?: number;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly onProgress?: (progress: ApplyProgress) => void;
}

export interface ApplyPullSetupOptions extends ApplyOptions {
  readonly resolveCredentials: CredentialResolver;
}

/** Applies a `PullSetupSpec`: each distinct credential source is resolved once, then as `applyResolvedPullSetup`. */
export async function applyPullSetup(
  spec: PullSetupSpec,
  options: ApplyPullSetupOptions,
): Promise<ApplyResult> {
  const payloads = new Map<string, string>();
  const resolved: ResolvedPullSecretSpec[] = [];
  for (const secret of spec.secrets) {
    const sourceKey = JSON.stringify(secret.source);
    let payload = payloads.get(sourceKey);
    if (payload === undefined) {
      payload = await options.resolveCredentials(secret.source, secret.name);
      payloads.set(sourceKey, payload);
    }
    resolved.push({
      name: secret.name,
      payload,
      namespaces: secret.namespaces,
      serviceAccounts: secret.serviceAccounts,
    });
  }
  return applyResolvedPullSetup(resolved, options);
}

function checkPayload(secret: ResolvedPullSecretSpec): void {
  const parsed = parseDockerConfigText(secret.payload, {
    source: `secret ${secret.name}`,
    format: "dockerconfigjson",
  });
  const errors = parsed.problems.filter((p) => p.severity === "error");
  if (errors.length > 0) {
    throw new InputError(
      "E_UNSAFE_ENTRY",
      `refusing to apply secret ${secret.name}: ${errors.map((p) => p.message).join("; ")}`,
      { source: `secret ${secret.name}` },
    );
  }
}

function pruneScope(option: ApplyOptions["prune"], names: readonly string[]): PruneScope | undefined {
  if (!option) return undefined;
  return option === "all-owned" ? { kind: "all-owned" } : { kind: "names", names: [...new Set(names)] };
}

/** Lists namespaces once (and once per selector); states are `unknown` when namespaces cannot be listed. */
async function resolveNamespaces(
  client: KubeClient,
  secrets: readonly ResolvedPullSecretSpec[],
): Promise<{ states: Map<string, NamespaceState>; selected: Map<string, string[]> }> {
  const selectors = [
    ...new Set(
      secrets.flatMap((s) => (s.namespaces.kind === "selector" ? [s.namespaces.labelSelector] : [])),
    ),
  ];
  const names = [
    ...new Set(secrets.flatMap((s) => (s.namespaces.kind === "names" ? s.namespaces.names : []))),
  ];
  const states = new Map<string, NamespaceState>();
  const selected = new Map<string, string[]>();
  for (const selector of selectors) {
    let found: Map<string, NamespaceState> | undefined;
    try {
      found = await readNamespaceStates(client, selector, { throwForbidden: true });
    } catch (error) {
      if (error instanceof KubeApiError && error.status === 400) {
        throw new UsageError(`invalid namespace selector ${JSON.stringify(selector)}: ${error.message}`);
      }
      throw error;
    }
    selected.set(selector, [...(found ?? new Map()).keys()].sort());
    for (const [name, state] of found ?? []) states.set(name, state);
  }
  if (names.length > 0) {
    const all = await readNamespaceStates(client);
    for (const name of names) {
      if (!all) states.set(name, states.get(name) ?? "unknown");
      else states.set(name, all.get(name) ?? "missing");
    }
  }
  return { states, selected };
}

function expand(
  secrets: readonly ResolvedPullSecretSpec[],
  selected: ReadonlyMap<string, string[]>,
): ApplyDesired {
  const select = (selector: string) => selected.get(selector) ?? [];
  // expandSpec (shared with plan) keeps sources by identity: one token per resolved secret maps back to its payload.
  const tokens = secrets.map((_, index) => ({ kind: "file", path: `#${index}` }) as const);
  const payloadOf = new Map<CredentialSource, string>(
    tokens.map((token, index) => [token, secrets[index]?.payload ?? ""]),
  );
  const seen = new Map<string, string>();
  secrets.forEach((secret) => {
    const namespaces =
      secret.namespaces.kind === "names" ? secret.namespaces.names : select(secret.namespaces.labelSelector);
    for (const namespace of namespaces) {
      const previous = seen.get(`${namespace}/${secret.name}`);
      if (previous !== undefined && previous !== secret.payload) {
        throw new InputError(
          "E_SECRET_CONFLICT",
          `secret ${secret.name} is wanted in namespace ${namespace} with two different contents`,
          { hint: "give each credential its own secret name" },
        );
      }
      seen.set(`${namespace}/${secret.name}`, secret.payload);
    }
  });
  const state = expandSpec(
    {
      secrets: secrets.map((secret, index) => ({
        name: secret.name,
        source: tokens[index] as CredentialSource,
        namespaces: secret.namespaces,
        serviceAccounts: secret.serviceAccounts,
      })),
    },
    select,
  );
  const wanted: WantedSecret[] = state.secrets.map((s) => ({
    namespace: s.namespace,
    name: s.name,
    payload: payloadOf.get(s.source) ?? "",
  }));
  const namespaces = [...new Set(wanted.map((s) => s.namespace))];
  return { secrets: wanted, bindings: state.bindings, namespaces };
}

function summarize(
  items: readonly ApplyItemResult[],
  namespaces: number,
  client: KubeClient,
  before: { reads: number; writes: number },
): ApplySummary {
  const count = (status: ApplyItemResult["status"]) => items.filter((i) => i.status === status).length;
  return {
    namespaces,
    changed: count("changed"),
    unchanged: count("unchanged"),
    refused: count("refused"),
    failed: count("failed"),
    skipped: count("skipped"),
    warnings: count("warning"),
    reads: client.requests.reads - before.reads,
    writes: client.requests.writes - before.writes,
  };
}

/** Applies pull secrets whose payloads are built. See `ApplyOptions` for dry runs, pruning and adoption. */
export async function applyResolvedPullSetup(
  secrets: readonly ResolvedPullSecretSpec[],
  options: ApplyOptions = {},
): Promise<ApplyResult> {
  for (const secret of secrets) checkPayload(secret);
  const client = options.client ?? KubeClient.connect(options);
  const before = { ...client.requests };
  const dryRun = options.dryRun ?? "none";

  const { states, selected } = await resolveNamespaces(client, secrets);
  const desired = expand(secrets, selected);
  const prune = pruneScope(
    options.prune,
    secrets.map((s) => s.name),
  );
  const serviceAccounts = new Map<string, string[]>();
  for (const binding of desired.bindings) {
    serviceAccounts.set(binding.namespace, [
      ...new Set([...(serviceAccounts.get(binding.namespace) ?? []), binding.serviceAccount]),
    ]);
  }
  options.onProgress?.({ phase: "read", done: 0, total: desired.namespaces.length });
  const observed = await observeCluster(client, {
    namespaces: desired.namespaces,
    namespaceStates: states,
    secretNames: [...new Set(secrets.map((s) => s.name))],
    serviceAccounts,
    ...(prune ? { prune } : {}),
    restartStuck: options.restartStuck === true,
    listScope: options.listScope ?? "auto",
    ...(options.concurrency ? { concurrency: options.concurrency } : {}),
  });
  options.onProgress?.({ phase: "read", done: desired.namespaces.length, total: desired.namespaces.length });

  const actions: Action[] = reconcile(desired, observed, {
    adopt: options.adopt === true,
    restartStuck: options.restartStuck === true,
    ...(prune ? { prune } : {}),
  });
  const selectorsMatchedNothing = [...selected.entries()].filter(([, names]) => names.length === 0);
  for (const [selector] of selectorsMatchedNothing) {
    actions.unshift({
      namespace: "",
      object: "",
      type: "warn",
      message: `namespace selector ${JSON.stringify(selector)} matches no namespace: nothing to apply there`,
    });
  }
  const items = await executeActions(client, actions, {
    dryRun,
    adopt: options.adopt === true,
    ...(options.concurrency ? { concurrency: options.concurrency } : {}),
    ...(options.conflictAttempts ? { conflictAttempts: options.conflictAttempts } : {}),
    ...(options.sleep ? { sleep: options.sleep } : {}),
    onNamespaceDone: (done, total) => options.onProgress?.({ phase: "write", done, total }),
  });
  const touched = new Set(actions.filter((a) => a.namespace !== "").map((a) => a.namespace));
  const summary = summarize(items, touched.size, client, before);
  const exitCode = summary.failed > 0 || summary.skipped > 0 ? 4 : summary.refused > 0 ? 1 : 0;
  return {
    context: client.target.context,
    server: client.target.server,
    dryRun,
    actions,
    items,
    summary,
    exitCode,
  };
}
