/**
 * The controller process: informers on the custom resources, namespaces, ServiceAccounts, the Secrets it
 * manages (label-selected) and the Secrets of its own namespace (static sources); a Lease elector; and one
 * level-triggered reconcile pass, run by the leader whenever a watched object changes or a refresh falls due:
 *
 * 1. each credential due (new, spec or source changed, refresh time reached) is refreshed once — one source call,
 *    then verified before anything is written (../refresh.ts, ../credential-state.ts);
 * 2. bindings × namespaces × served credentials → apply's desired state (../desired.ts), observed from the
 *    caches, planned by apply's pure `reconcile` and written by apply's executor (in-place updates with
 *    resourceVersion preconditions, guarded ServiceAccount patches, never a Secret it does not own);
 * 3. status (only when it differs from what is stored) and Events (only on changes).
 *
 * Followers keep their caches warm and write nothing. A pass over unchanged caches makes zero requests.
 */
import type { AnyCredentialSource, ResolvedCredential } from "../../cloud/source.js";
import { resolveCredentials } from "../../cloud/resolve.js";
import { executeActions } from "../../apply/execute.js";
import { isWriteAction } from "../../apply/model.js";
import type { Action, Observed } from "../../apply/model.js";
import { readWorkloads } from "../../apply/observe.js";
import { reconcile } from "../../apply/reconcile.js";
import {
  BINDING_PLURAL,
  CONTROLLER_API_GROUP,
  CREDENTIAL_PLURAL,
  MANAGED_BY_LABEL_KEY,
  MANAGED_BY_LABEL_VALUE,
} from "../../desired/index.js";
import type {
  ClusterPullCredential,
  ClusterPullSecretBinding,
  ClusterPullCredentialStatus,
  ClusterPullSecretBindingStatus,
} from "../../desired/index.js";
import { ControllerKubeClient, NamespacedInformers, ResilientInformer } from "../../kube/index.js";
import type { LoadedKubeConfig, WatchedResource } from "../../kube/index.js";
import type { KubeObject, PodObject, SecretObject, ServiceAccountObject } from "../../kube-model/index.js";
import { afterRefresh, isRefreshDue, isServable, resumedState } from "../credential-state.js";
import type { Candidate, CredentialState, EventNote } from "../credential-state.js";
import { desiredFromBindings } from "../desired.js";
import { bindingProblems, credentialProblems } from "../resource-shape.js";
import type { CredentialView, NamespaceView } from "../desired.js";
import { DEFAULT_LEASE_TIMINGS } from "../leader-election.js";
import type { LeaseTimings } from "../leader-election.js";
import { attemptRefresh } from "../refresh.js";
import { refreshPolicyOf, writeRetryDelay } from "../schedule.js";
import { byNameOnly, outOfScope, scopedNamespaceViews } from "../scope.js";
import { bindingStatus, credentialStatus } from "../status.js";
import type { BindingOutcome } from "../status.js";
import { decideStuckPods } from "../stuck-pods.js";
import type { RestartBucket, RestartLimit } from "../stuck-pods.js";
import { verifyCandidate } from "../verify.js";
import type { VerifyOptions } from "../verify.js";
import { eventFor } from "./events.js";
import { LeaderElector } from "./leader.js";
import { ControllerMetrics } from "./metrics.js";
import { controllerSourcePorts } from "./source-ports.js";

const VERSION = "v1alpha1";

export interface ControllerOptions {
  /** The controller's namespace: static source Secrets and the Lease live here. */
  readonly namespace: string;
  /** This replica's name in the Lease and in Events (`<pod name>_<random>`). */
  readonly identity: string;
  readonly leaderElection?: { readonly leaseName: string; readonly timings?: LeaseTimings } | false;
  /** Compute and log what it would do; write nothing (no Secrets, status or Events). */
  readonly dryRun?: boolean;
  /** How the registry is reached to verify candidates (CA, plain HTTP). */
  readonly registry?: VerifyOptions;
  /** Informers relist this often (the stall watchdog; default 5 min). */
  readonly relistIntervalMs?: number;
  /** Reads a credential source; default `resolveCredentials` with the controller's source ports. */
  readonly resolve?: (
    source: AnyCredentialSource,
    defaultResolve: (source: AnyCredentialSource) => Promise<ResolvedCredential[]>,
  ) => Promise<ResolvedCredential[]>;
  readonly now?: () => Date;
  readonly random?: () => number;
  /** One structured log entry (the CLI prints JSON lines). Never holds a secret. */
  readonly log?: (entry: Record<string, unknown>) => void;
  readonly metrics?: ControllerMetrics;
  /**
   * Watch Pods and delete those stuck in ErrImagePull/ImagePullBackOff for a binding with
   * `spec.restartStuckPods` (../stuck-pods.ts). Off by default: it needs pods list/watch/delete.
   */
  readonly restartStuckPods?: boolean;
  readonly restartLimit?: RestartLimit;
  /**
   * Scoped mode (../scope.ts): watch Secrets, ServiceAccounts (and Pods) only in these namespaces, with
   * per-namespace informers, and never Namespaces (per-namespace Roles allow nothing wider).
   */
  readonly watchNamespaces?: readonly string[];
}

/** What the controller reads from a cache: one informer, or one per namespace in scoped mode. */
interface Cache {
  readonly synced: boolean;
  start(): Promise<void>;
  stop(): Promise<void>;
  list(): readonly KubeObject[];
  get(name: string, namespace?: string): KubeObject | undefined;
}

/** Stable JSON (sorted keys) to compare a computed status with the stored one. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === "object" && !Array.isArray(v)
      ? Object.fromEntries(
          Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
        )
      : v,
  );
}

function sourceKind(credential: ClusterPullCredential): string {
  const source = credential.spec.source;
  return source.static ? "static" : source.ecr ? "ecr" : source.acr ? "acr" : "unknown";
}

export class Controller {
  readonly client: ControllerKubeClient;
  readonly metrics: ControllerMetrics;
  private readonly informers: {
    credentials: Cache;
    bindings: Cache;
    namespaces?: Cache;
    serviceAccounts: Cache;
    managedSecrets: Cache;
    sourceSecrets: Cache;
    pods?: Cache;
  };
  /** Scoped mode: the per-namespace caches, whose refused namespaces are left out. */
  private readonly scoped: NamespacedInformers[] = [];
  private readonly elector: LeaderElector | undefined;
  private readonly states = new Map<string, CredentialState>();
  /**
   * `namespace/name` of Secrets found to be someone else's → when to look again (a create is refused with 409
   * every time, so they are not retried on every pass; the Event is sent once).
   */
  private readonly conflicts = new Map<string, number>();
  /**
   * The status last written per object (`plural/name`), with the resourceVersion it was written over: until the
   * cache moves past that version it has not seen our write, and writing the same status again would only earn
   * a 409.
   */
  private readonly writtenStatus = new Map<string, { status: string; over: string | undefined }>();
  /** Stuck Pods already told why they are not restarted, and the restart token bucket. */
  private readonly toldPods = new Set<string>();
  private restartBucket: RestartBucket | undefined;
  private readonly now: () => Date;
  private readonly random: () => number;
  private readonly log: (entry: Record<string, unknown>) => void;
  private passTimer: NodeJS.Timeout | undefined;
  private dueTimer: NodeJS.Timeout | undefined;
  /** The backoff retry of failed writes, and how many were scheduled since the last pass without failures. */
  private writeRetryTimer: NodeJS.Timeout | undefined;
  private writeRetriesInARow = 0;
  private passRunning: Promise<void> | undefined;
  private passAgain = false;
  private stopped = false;
  private started = false;
  /** Passes completed (tests wait on this). */
  passes = 0;

  constructor(
    loaded: LoadedKubeConfig,
    private readonly options: ControllerOptions,
  ) {
    this.client = new ControllerKubeClient(loaded);
    this.metrics = options.metrics ?? new ControllerMetrics();
    this.now = options.now ?? (() => new Date());
    this.random = options.random ?? Math.random;
    this.log = options.log ?? (() => undefined);
    // What every informer of `name` shares: the relist interval, a pass on any change, a restart counted and said.
    const informerOptions = (name: string) => ({
      ...(options.relistIntervalMs ? { relistIntervalMs: options.relistIntervalMs } : {}),
      onChange: () => this.requestPass(),
      onRestart: (error: unknown) => {
        this.metrics.informerRestarts.inc({ resource: name });
        this.log({
          msg: "informer restarting",
          resource: name,
          error: (error as Error)?.message ?? String(error),
        });
      },
    });
    const make = (resource: WatchedResource, name: string): ResilientInformer =>
      new ResilientInformer(loaded.kubeConfig, this.client, resource, informerOptions(name));
    const watched = options.watchNamespaces;
    // Scoped mode: one informer per watched namespace; a refused namespace is said once, not once per retry.
    const perNamespace = (
      resource: WatchedResource & { kind: "Secret" | "ServiceAccount" | "Pod" },
      name: string,
    ) => {
      if (!watched) return make(resource, name);
      const informers = new NamespacedInformers(loaded.kubeConfig, this.client, resource, watched, {
        ...informerOptions(name),
        // One line per namespace, whichever of its caches is refused first.
        onRefused: (namespace, error) => {
          if (!this.scoped.some((other) => other !== informers && other.refused.has(namespace)))
            this.log({ msg: "namespace refused", resource: name, namespace, error: error.message });
          this.requestPass();
        },
      });
      this.scoped.push(informers);
      return informers;
    };
    const custom = (plural: string, customKind: string): WatchedResource => ({
      kind: "Custom",
      group: CONTROLLER_API_GROUP,
      version: VERSION,
      plural,
      customKind,
    });
    this.informers = {
      credentials: make(custom(CREDENTIAL_PLURAL, "ClusterPullCredential"), CREDENTIAL_PLURAL),
      bindings: make(custom(BINDING_PLURAL, "ClusterPullSecretBinding"), BINDING_PLURAL),
      ...(watched ? {} : { namespaces: make({ kind: "Namespace" }, "namespaces") }),
      serviceAccounts: perNamespace({ kind: "ServiceAccount" }, "serviceaccounts"),
      // Every pullwarden Secret, apply's too: one of apply's with a binding's name is then refused from the cache
      // (SecretConflict) rather than by a 409 on create.
      managedSecrets: perNamespace(
        { kind: "Secret", labelSelector: `${MANAGED_BY_LABEL_KEY}=${MANAGED_BY_LABEL_VALUE}` },
        "secrets",
      ),
      sourceSecrets: make({ kind: "Secret", namespace: options.namespace }, "source-secrets"),
      // Finished Pods never pull again: the API server leaves them out.
      ...(options.restartStuckPods
        ? {
            pods: perNamespace(
              { kind: "Pod", fieldSelector: "status.phase!=Succeeded,status.phase!=Failed" },
              "pods",
            ),
          }
        : {}),
    };
    if (options.leaderElection) {
      this.elector = new LeaderElector(this.client, {
        namespace: options.namespace,
        name: options.leaderElection.leaseName,
        identity: options.identity,
        timings: options.leaderElection.timings ?? DEFAULT_LEASE_TIMINGS,
        now: this.now,
        log: this.log,
        onChange: (leading) => {
          this.metrics.leader.set(leading ? 1 : 0);
          if (leading) this.requestPass();
        },
      });
    } else {
      this.metrics.leader.set(1);
    }
  }

  /** Whether this replica writes. */
  get leading(): boolean {
    return this.elector ? this.elector.leading : true;
  }

  /** All caches listed at least once (readiness). */
  get ready(): boolean {
    return this.started && Object.values(this.informers).every((i) => i.synced);
  }

  async start(): Promise<void> {
    await Promise.all(Object.values(this.informers).map((i) => i.start()));
    this.started = true;
    this.log({ msg: "caches synced" });
    this.elector?.start();
    this.requestPass();
  }

  /** Graceful: no new pass, the running one finishes, the Lease is released, watches close. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.passTimer) clearTimeout(this.passTimer);
    if (this.dueTimer) clearTimeout(this.dueTimer);
    if (this.writeRetryTimer) clearTimeout(this.writeRetryTimer);
    await this.passRunning;
    await this.elector?.stop();
    await Promise.all(Object.values(this.informers).map((i) => i.stop()));
  }

  /** Resolves once a pass that started after this call has finished (for tests and benchmarks). */
  async settle(): Promise<void> {
    const target = this.passes + (this.passRunning ? 2 : 1);
    this.requestPass();
    while (this.passes < target && !this.stopped) await new Promise((r) => setTimeout(r, 20));
  }

  /** Debounced: a burst of watch events makes one pass. */
  requestPass(delayMs = 50): void {
    if (this.stopped || !this.started) return;
    if (this.passRunning) {
      this.passAgain = true;
      return;
    }
    if (this.passTimer) return;
    this.passTimer = setTimeout(() => {
      this.passTimer = undefined;
      this.passRunning = this.pass()
        .catch((error: unknown) => {
          this.metrics.reconcileErrors.inc({ reason: "internal" });
          this.log({ msg: "reconcile pass failed", error: (error as Error).message });
        })
        .finally(() => {
          this.passRunning = undefined;
          this.passes++;
          if (this.passAgain) {
            this.passAgain = false;
            this.requestPass();
          }
        });
    }, delayMs);
    this.passTimer.unref?.();
  }

  private credentialObjects(): ClusterPullCredential[] {
    return this.informers.credentials.list() as unknown as ClusterPullCredential[];
  }

  private bindingObjects(): ClusterPullSecretBinding[] {
    return this.informers.bindings.list() as unknown as ClusterPullSecretBinding[];
  }

  private async pass(): Promise<void> {
    if (!this.leading) return;
    const end = this.metrics.reconcileDuration.startTimer();
    try {
      // A malformed object (stored under an older schema) is reported and skipped, never a stop for the others.
      const all = this.credentialObjects();
      const invalid = new Map(
        all.flatMap((c) => {
          const problems = credentialProblems(c);
          return problems.length > 0 ? [[c.metadata.name ?? "", problems.join("; ")] as const] : [];
        }),
      );
      const credentials = all.filter((c) => !invalid.has(c.metadata.name ?? ""));
      await this.refreshDue(credentials);
      if (!this.leading || this.stopped) return;
      const outcomes = await this.syncBindings(credentials);
      if (!this.leading || this.stopped) return;
      await this.writeStatuses(all, outcomes, invalid);
      this.scheduleNextDue();
    } finally {
      end();
    }
  }

  private inputsOf(credential: ClusterPullCredential): string {
    const generation = String(credential.metadata["generation"] ?? "");
    const ref = credential.spec.source.static?.secretRef.name;
    const source = ref ? this.informers.sourceSecrets.get(ref, this.options.namespace) : undefined;
    return `${generation}/${source?.metadata.resourceVersion ?? ""}`;
  }

  private async refreshDue(credentials: readonly ClusterPullCredential[]): Promise<void> {
    const live = new Set(credentials.map((c) => c.metadata.name ?? ""));
    for (const name of [...this.states.keys()]) {
      if (live.has(name)) continue;
      this.states.delete(name);
      this.metrics.credentialExpiry.remove({ credential: name });
      this.metrics.credentialLastRefresh.remove({ credential: name });
    }
    const sourcePorts = controllerSourcePorts({
      secret: (namespace, name) => this.informers.sourceSecrets.get(name, namespace),
      now: this.now,
      warn: (message) => this.log({ msg: "source warning", warning: message }),
    });
    const defaultResolve = (source: AnyCredentialSource) => resolveCredentials(source, sourcePorts);
    for (const credential of credentials) {
      const name = credential.metadata.name ?? "";
      const inputs = this.inputsOf(credential);
      const previous = this.states.get(name);
      if (!isRefreshDue(previous, inputs, this.now())) continue;
      const kind = sourceKind(credential);
      let verifyTimer: (() => void) | undefined;
      const outcome = await attemptRefresh(credential.spec, this.options.namespace, {
        now: this.now,
        resolve: (source) => {
          this.metrics.sourceCalls.inc({ source: kind });
          return this.options.resolve ? this.options.resolve(source, defaultResolve) : defaultResolve(source);
        },
        verify: async (candidate, spec) => {
          verifyTimer = this.metrics.verifyDuration.startTimer({ credential: name });
          try {
            return await verifyCandidate(candidate, spec, { ...this.options.registry, now: this.now });
          } finally {
            verifyTimer();
          }
        },
      });
      const policy = refreshPolicyOf(credential.spec.refresh);
      const before =
        previous ??
        (outcome.kind === "accepted" ? resumedState(credential.status, outcome.candidate) : undefined);
      const { state, events } = afterRefresh(before, inputs, outcome, this.now(), policy, this.random);
      this.states.set(name, state);
      const result =
        outcome.kind === "mint-failed"
          ? "mint_error"
          : outcome.kind === "verify-failed"
            ? "verify_error"
            : before?.served?.fingerprint === outcome.candidate.fingerprint
              ? "unchanged"
              : "swapped";
      this.metrics.refreshes.inc({ credential: name, result });
      if (state.served?.expiresAt)
        this.metrics.credentialExpiry.set({ credential: name }, state.served.expiresAt.getTime() / 1000);
      if (state.servedSince)
        this.metrics.credentialLastRefresh.set({ credential: name }, state.servedSince.getTime() / 1000);
      this.log({
        msg: "credential refresh",
        credential: name,
        result,
        ...(state.served ? { fingerprint: state.served.fingerprint } : {}),
        ...(state.lastFailure && result !== "swapped" && result !== "unchanged"
          ? { error: state.lastFailure.message }
          : {}),
        nextAttempt: state.nextAttemptAt.toISOString(),
      });
      await this.record(credential, events);
    }
  }

  /** Watched namespaces whose Secrets or ServiceAccounts (or Pods) may not be read (scoped mode). */
  private refusedNamespaces(): Set<string> {
    return new Set(this.scoped.flatMap((informers) => [...informers.refused]));
  }

  private namespaceViews(): NamespaceView[] {
    if (this.options.watchNamespaces || !this.informers.namespaces)
      return scopedNamespaceViews(this.options.watchNamespaces ?? [], this.refusedNamespaces());
    return this.informers.namespaces.list().map((ns) => ({
      name: ns.metadata.name ?? "",
      labels: ns.metadata.labels ?? {},
      terminating:
        ns.metadata.deletionTimestamp !== undefined ||
        (ns["status"] as { phase?: string } | undefined)?.phase === "Terminating",
    }));
  }

  private async syncBindings(
    credentials: readonly ClusterPullCredential[],
  ): Promise<Map<string, BindingOutcome>> {
    const now = this.now();
    const views = new Map<string, CredentialView>();
    for (const credential of credentials) {
      const name = credential.metadata.name ?? "";
      views.set(name, { served: this.states.get(name)?.served });
    }
    const outcomes = new Map<string, BindingOutcome>();
    const bindings = this.bindingObjects().filter((b) => {
      const problems = bindingProblems(b);
      if (problems.length === 0) return true;
      outcomes.set(b.metadata.name ?? "", {
        namespaces: [],
        inSync: 0,
        conflicts: [],
        failures: [],
        invalid: problems.join("; "),
      });
      return false;
    });
    const plan = desiredFromBindings(
      this.options.watchNamespaces ? bindings.map(byNameOnly) : bindings,
      views,
      this.namespaceViews(),
      now,
    );
    const retryConflictsAt = now.getTime() + (this.options.relistIntervalMs ?? 5 * 60_000);
    const wanted = plan.desired.secrets.filter(
      (s) => (this.conflicts.get(`${s.namespace}/${s.name}`) ?? 0) <= now.getTime(),
    );
    const wantedKeys = new Set(wanted.map((s) => `${s.namespace}/${s.name}`));
    const desired = {
      secrets: wanted,
      bindings: plan.desired.bindings.filter((b) => wantedKeys.has(`${b.namespace}/${b.secretName}`)),
      namespaces: plan.desired.namespaces,
    };
    // Stuck-Pod restarts: only for targets one of whose bindings opted in, and only with the Pods informer.
    const restartTargets = new Set(
      plan.targets
        .filter((t) =>
          t.bindings.some((b) => bindings.find((x) => x.metadata.name === b)?.spec.restartStuckPods === true),
        )
        .map((t) => `${t.namespace}/${t.secretName}`),
    );
    const restartNamespaces = new Set([...restartTargets].map((k) => k.slice(0, k.indexOf("/"))));
    const pods = this.informers.pods
      ? (this.informers.pods.list() as PodObject[]).filter((p) =>
          restartNamespaces.has(p.metadata.namespace ?? ""),
        )
      : [];
    const readFailures: Observed["readFailures"][number][] = [];
    const workloads =
      pods.length > 0 ? await readWorkloads(this.client, pods, readFailures, 8).catch(() => []) : [];
    const observed: Observed = {
      namespaces: new Map(desired.namespaces.map((ns) => [ns, "active" as const])),
      secrets: this.informers.managedSecrets.list() as SecretObject[],
      serviceAccounts: this.informers.serviceAccounts.list() as ServiceAccountObject[],
      pods,
      workloads,
      readFailures,
    };
    // The controller owns only Secrets with its writer label; apply's (managed-by only) are refused as conflicts.
    const actions = reconcile(desired, observed, {
      writer: "controller",
      restartStuck: (namespace, secretName) => restartTargets.has(`${namespace}/${secretName}`),
    });
    await this.restartStuckPods(actions);
    const writes = actions.filter((a) => isWriteAction(a) && a.type !== "restart-pod");
    const failures = new Map<string, string>();
    const refused = new Set<string>();
    if (writes.length > 0) {
      for (const action of writes)
        this.log({
          msg: this.options.dryRun ? "would write" : "write",
          action: action.type,
          namespace: action.namespace,
          object: action.object,
        });
      if (!this.options.dryRun) {
        const results = await executeActions(this.client, writes.filter(isWriteAction), {
          dryRun: "none",
          concurrency: 8,
          writer: "controller",
        });
        for (const result of results) {
          if (result.status === "changed") this.metrics.kubeWrites.inc({ what: result.action });
          if (result.status === "refused" && result.object.startsWith("secret/")) {
            refused.add(`${result.namespace}/${result.object.slice("secret/".length)}`);
          } else if (result.status === "failed") {
            failures.set(
              `${result.namespace}/${result.object}`,
              `${result.namespace}: ${result.object} ${result.message}`,
            );
            this.metrics.reconcileErrors.inc({ reason: "write" });
          }
        }
      }
    }
    this.scheduleWriteRetry(failures.size);
    for (const action of actions) {
      if (action.type === "refuse" && action.object.startsWith("secret/"))
        refused.add(`${action.namespace}/${action.object.slice("secret/".length)}`);
    }
    // New conflicts: remembered (so they are not retried on every pass) and told once, on the binding.
    const newConflicts = [...refused].filter((key) => !this.conflicts.has(key));
    for (const key of refused) this.conflicts.set(key, retryConflictsAt);
    for (const key of wantedKeys) if (!refused.has(key)) this.conflicts.delete(key);

    const refusedNamespaces = this.refusedNamespaces();
    for (const binding of bindings) {
      const name = binding.metadata.name ?? "";
      const selected = plan.namespacesByBinding.get(name) ?? [];
      const notServed = this.options.watchNamespaces
        ? outOfScope(binding, this.options.watchNamespaces, refusedNamespaces)
        : undefined;
      const conflicts = selected.filter((ns) => this.conflicts.has(`${ns}/${binding.spec.secretName}`));
      const bindingFailures = selected.flatMap((ns) =>
        [...failures.entries()].filter(([key]) => key.startsWith(`${ns}/`)).map(([, message]) => message),
      );
      const held =
        plan.heldBindings.get(name) ?? plan.targets.find((t) => t.bindings.includes(name) && t.held)?.held;
      const inSync = held ? 0 : selected.length - conflicts.length - new Set(bindingFailures).size;
      outcomes.set(name, {
        namespaces: selected,
        inSync: Math.max(0, inSync),
        conflicts,
        ...(held ? { held } : {}),
        failures: bindingFailures,
        ...(notServed ? { outOfScope: notServed } : {}),
      });
      this.metrics.bindingSecrets.set({ binding: name, state: "in_sync" }, Math.max(0, inSync));
      this.metrics.bindingSecrets.set({ binding: name, state: "conflict" }, conflicts.length);
      this.metrics.bindingSecrets.set({ binding: name, state: "held" }, held ? selected.length : 0);
      const fresh = conflicts.filter((ns) => newConflicts.includes(`${ns}/${binding.spec.secretName}`));
      if (fresh.length > 0) {
        await this.record(binding, [
          {
            type: "Warning",
            reason: "SecretConflict",
            message: `a Secret named ${binding.spec.secretName} that the controller does not own (someone else's, or one pullwarden apply wrote) exists in ${fresh.join(", ")}: left as is (rename it, or pick another secretName)`,
          },
        ]);
      }
    }
    return outcomes;
  }

  /**
   * Deletes the stuck Pods the pure decision allows (their controller recreates them with the secret) and tells
   * each Pod, once, what was done or why not. Runs before this pass's writes: a restart waits for a pass whose
   * cache shows the ServiceAccount listing the secret.
   */
  private async restartStuckPods(actions: readonly Action[]): Promise<void> {
    if (!this.informers.pods) return;
    const accounts = this.informers.serviceAccounts;
    const podsCache = this.informers.pods;
    const decision = decideStuckPods(actions, {
      accountEntries: (namespace, name) => {
        const account = accounts.get(name, namespace) as ServiceAccountObject | undefined;
        return account ? (account.imagePullSecrets ?? []).map((e) => e.name ?? "") : undefined;
      },
      told: this.toldPods,
      podUid: (namespace, name) => podsCache.get(name, namespace)?.metadata.uid,
      bucket: this.restartBucket,
      nowMs: this.now().getTime(),
      ...(this.options.restartLimit ? { limit: this.options.restartLimit } : {}),
    });
    this.restartBucket = decision.bucket;
    if (decision.rateLimited > 0) {
      this.metrics.stuckPods.inc({ result: "rate_limited" }, decision.rateLimited);
      this.log({ msg: "stuck Pod restarts rate-limited", waiting: decision.rateLimited });
      // Tokens come back over the minute: look again then.
      setTimeout(() => this.requestPass(), 60_000 / (this.options.restartLimit?.perMinute ?? 10)).unref?.();
    }
    // Read before the deletes: the watch may drop a deleted Pod from the cache before its Event is written.
    const involved = new Map(
      decision.notes.map(({ namespace, pod }) => [`${namespace}/${pod}`, podsCache.get(pod, namespace)]),
    );
    const restarted = new Set<string>();
    if (decision.restarts.length > 0) {
      for (const action of decision.restarts)
        this.log({
          msg: this.options.dryRun ? "would write" : "write",
          action: action.type,
          namespace: action.namespace,
          object: action.object,
        });
      if (!this.options.dryRun) {
        const results = await executeActions(this.client, decision.restarts, {
          dryRun: "none",
          concurrency: 8,
          writer: "controller",
        });
        for (const result of results) {
          if (result.status === "changed") {
            restarted.add(`${result.namespace}/${result.object.slice("pod/".length)}`);
            this.metrics.stuckPods.inc({ result: "restarted" });
            this.metrics.kubeWrites.inc({ what: result.action });
          } else if (result.status === "failed") {
            this.metrics.reconcileErrors.inc({ reason: "write" });
            this.log({ msg: "stuck Pod not restarted", object: result.object, error: result.message });
          }
        }
      }
    }
    for (const { namespace, pod, key, note } of decision.notes) {
      if (note.reason === "StuckPodRestarted" && !restarted.has(`${namespace}/${pod}`)) continue;
      if (note.reason === "StuckPodNotRestarted") this.metrics.stuckPods.inc({ result: "not_restartable" });
      this.toldPods.add(key);
      const object = involved.get(`${namespace}/${pod}`);
      if (object) await this.record({ ...object, apiVersion: "v1", kind: "Pod" }, [note]);
    }
  }

  private async writeStatuses(
    credentials: readonly ClusterPullCredential[],
    outcomes: ReadonlyMap<string, BindingOutcome>,
    invalid: ReadonlyMap<string, string>,
  ): Promise<void> {
    const now = this.now();
    for (const credential of credentials) {
      const name = credential.metadata.name ?? "";
      const status = credentialStatus(credential, this.states.get(name), now, invalid.get(name));
      await this.writeStatus(credential, CREDENTIAL_PLURAL, status);
    }
    for (const binding of this.bindingObjects()) {
      const outcome = outcomes.get(binding.metadata.name ?? "");
      if (!outcome) continue;
      await this.writeStatus(binding, BINDING_PLURAL, bindingStatus(binding, outcome, now));
    }
  }

  private async writeStatus(
    object: KubeObject,
    plural: string,
    status: ClusterPullCredentialStatus | ClusterPullSecretBindingStatus,
  ): Promise<void> {
    const key = `${plural}/${object.metadata.name ?? ""}`;
    const wanted = canonical(status);
    if (canonical(object["status"] ?? {}) === wanted) return;
    const written = this.writtenStatus.get(key);
    if (written?.status === wanted && written.over === object.metadata.resourceVersion) return;
    if (this.options.dryRun) {
      this.log({ msg: "would update status", resource: plural, name: object.metadata.name });
      return;
    }
    try {
      await this.client.replaceClusterCustomStatus(CONTROLLER_API_GROUP, VERSION, plural, {
        ...object,
        status,
      });
      this.writtenStatus.set(key, { status: wanted, over: object.metadata.resourceVersion });
      this.metrics.kubeWrites.inc({ what: "status" });
    } catch (error) {
      // A conflict: the cache is behind; the watch event that follows starts a pass with the new object.
      this.metrics.reconcileErrors.inc({ reason: "status" });
      this.log({
        msg: "status update failed",
        resource: plural,
        name: object.metadata.name,
        error: (error as Error).message,
      });
    }
  }

  private async record(involved: KubeObject, events: readonly EventNote[]): Promise<void> {
    for (const note of events) {
      this.log({
        msg: "event",
        reason: note.reason,
        type: note.type,
        object: involved.metadata.name,
        message: note.message,
      });
      if (this.options.dryRun) continue;
      try {
        const event = eventFor(involved, note, this.now(), this.options.identity);
        await this.client.createEvent(event.metadata.namespace ?? "default", event);
        this.metrics.kubeWrites.inc({ what: "event" });
      } catch (error) {
        this.metrics.reconcileErrors.inc({ reason: "event" });
        this.log({ msg: "event not recorded", error: (error as Error).message });
      }
    }
  }

  /**
   * A write that failed (403 until someone grants the Role, conflicts given up) is retried by a pass after a
   * bounded, jittered backoff (../schedule.ts), not only at the next relist or watch event; a pass without
   * failures resets it. A pending retry is kept (a pass a watch event starts in between retries as well).
   */
  private scheduleWriteRetry(failed: number): void {
    if (failed === 0) {
      this.writeRetriesInARow = 0;
      return;
    }
    if (this.writeRetryTimer || this.stopped) return;
    this.writeRetriesInARow++;
    const delay = writeRetryDelay(
      this.writeRetriesInARow,
      this.options.relistIntervalMs ?? 5 * 60_000,
      this.random,
    );
    this.metrics.writeRetries.inc();
    this.log({ msg: "failed writes retry scheduled", failed, inMs: delay });
    this.writeRetryTimer = setTimeout(() => {
      this.writeRetryTimer = undefined;
      this.requestPass(0);
    }, delay);
    this.writeRetryTimer.unref?.();
  }

  /** Wakes up for the earliest refresh, and when a served credential expires (it must stop being written). */
  private scheduleNextDue(): void {
    if (this.dueTimer) clearTimeout(this.dueTimer);
    const now = this.now().getTime();
    const times: number[] = [];
    for (const state of this.states.values()) {
      times.push(state.nextAttemptAt.getTime());
      const served: Candidate | undefined = state.served;
      if (isServable(served, this.now()) && served.expiresAt) times.push(served.expiresAt.getTime());
    }
    if (times.length === 0) return;
    const delay = Math.max(0, Math.min(...times) - now);
    // setTimeout holds at most 2^31-1 ms; a later wake-up just comes back here.
    this.dueTimer = setTimeout(() => this.requestPass(0), Math.min(delay + 5, 2 ** 31 - 1));
    this.dueTimer.unref?.();
  }
}
