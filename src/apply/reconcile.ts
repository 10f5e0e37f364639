/**
 * reconcile(desired, observed) → actions. Pure: no I/O, no clock. The rules:
 * - a wanted secret is created, or updated when its data differs, only if pullwarden owns it (label
 *   app.kubernetes.io/managed-by=pullwarden) or `adopt` is set; a same-named secret it does not own is left
 *   alone and its bindings in that namespace are skipped (refused);
 * - a binding appends the secret to the ServiceAccount's `imagePullSecrets` with a JSON patch that `test`s what
 *   was read, and records the entry in the pullwarden.io/image-pull-secrets annotation; other entries are never
 *   touched;
 * - with `prune`, owned secrets no longer wanted (in scope) are deleted, and entries pullwarden added for them
 *   are removed;
 * - Pods of a bound ServiceAccount that lack the secret are reported (a Pod gets its ServiceAccount's
 *   imagePullSecrets only at creation, and only when it lists none itself); with `restartStuck`, those stuck in
 *   ErrImagePull/ImagePullBackOff whose controller would recreate them with the secret are deleted.
 */
import {
  CONTROLLER_WRITER,
  MANAGED_BY_LABEL_KEY,
  MANAGED_BY_LABEL_VALUE,
  WRITER_LABEL_KEY,
} from "../desired/index.js";
import type { DesiredBinding } from "../desired/index.js";
import { lookupCredentials, parseDockerConfigText } from "../dockerconfig/index.js";
import { DOCKER_CONFIG_JSON_KEY, DOCKER_CONFIG_JSON_TYPE } from "../manifest/index.js";
import { PULL_RETRYING_REASONS, WORKLOAD_KINDS, jsonPointerSegment } from "../kube-model/index.js";
import type {
  JsonPatchOperation,
  KubeObject,
  LocalObjectReference,
  PodObject,
  SecretObject,
  ServiceAccountObject,
  WorkloadObject,
} from "../kube-model/index.js";
import { plural } from "../text/index.js";
import { OWNED_ENTRIES_ANNOTATION } from "./model.js";
import type {
  Action,
  ApplyDesired,
  Observed,
  ReadFailure,
  ReconcileOptions,
  SecretWriter,
  StuckPodSkip,
  WantedSecret,
} from "./model.js";

/** Pods named in one warning line before "and N more". */
const MAX_PODS_LISTED = 5;

export function encodePayload(payload: string): string {
  return Buffer.from(payload, "utf8").toString("base64");
}

function decodePayload(data: string | undefined): string | undefined {
  return data === undefined ? undefined : Buffer.from(data, "base64").toString("utf8");
}

/** Which pullwarden writer wrote a Secret (undefined: not pullwarden's). */
export function pullwardenWriter(object: KubeObject | undefined): SecretWriter | undefined {
  const labels = object?.metadata.labels;
  if (labels?.[MANAGED_BY_LABEL_KEY] !== MANAGED_BY_LABEL_VALUE) return undefined;
  return labels[WRITER_LABEL_KEY] === CONTROLLER_WRITER ? "controller" : "apply";
}

/** Whether `writer` owns the object: pullwarden's, and written by that writer (apply's by default). */
export function isOwned(object: KubeObject | undefined, writer: SecretWriter = "apply"): boolean {
  return pullwardenWriter(object) === writer;
}

/** The labels a writer puts on the Secrets it writes. */
export function ownerLabels(writer: SecretWriter = "apply"): Record<string, string> {
  return writer === "controller"
    ? { [MANAGED_BY_LABEL_KEY]: MANAGED_BY_LABEL_VALUE, [WRITER_LABEL_KEY]: CONTROLLER_WRITER }
    : { [MANAGED_BY_LABEL_KEY]: MANAGED_BY_LABEL_VALUE };
}

function key(...parts: string[]): string {
  return parts.join("\u0000");
}

function byNamespace<T extends KubeObject>(objects: readonly T[]): Map<string, Map<string, T>> {
  const out = new Map<string, Map<string, T>>();
  for (const object of objects) {
    const namespace = object.metadata.namespace ?? "";
    const name = object.metadata.name ?? "";
    let map = out.get(namespace);
    if (!map) out.set(namespace, (map = new Map()));
    map.set(name, object);
  }
  return out;
}

/** The entries pullwarden added to a ServiceAccount, from its annotation. */
export function ownedEntries(serviceAccount: ServiceAccountObject): string[] {
  const value = serviceAccount.metadata.annotations?.[OWNED_ENTRIES_ANNOTATION] ?? "";
  return [
    ...new Set(
      value
        .split(",")
        .map((s) => s.trim())
        .filter((s) => s !== ""),
    ),
  ];
}

function entryNames(list: readonly LocalObjectReference[] | undefined): string[] {
  return (list ?? []).map((entry) => entry.name ?? "");
}

// ---------------------------------------------------------------------------------------------------------
// Secrets

/** What to do with one wanted secret, given the same-named secret in its namespace (if any). */
export function planSecret(
  wanted: WantedSecret,
  current: SecretObject | undefined,
  options: Pick<ReconcileOptions, "adopt" | "writer"> = {},
): Action {
  const object = `secret/${wanted.name}`;
  const base = { namespace: wanted.namespace, object, name: wanted.name };
  if (!current) return { ...base, type: "create-secret", payload: wanted.payload };
  const writer = options.writer ?? "apply";
  const currentWriter = pullwardenWriter(current);
  if (currentWriter !== undefined && currentWriter !== writer) {
    // The other pullwarden writer's Secret: never adopted, even with --adopt (the two would overwrite each other).
    return {
      namespace: wanted.namespace,
      object,
      type: "refuse",
      message:
        currentWriter === "controller"
          ? `is written by the pullwarden controller (label ${WRITER_LABEL_KEY}=${CONTROLLER_WRITER}): left as is, and its ServiceAccount bindings in this namespace are skipped`
          : "is written by pullwarden apply, not by the controller: left as is",
      hint:
        currentWriter === "controller"
          ? "pick another secret name, or drop the ClusterPullSecretBinding that names it first (kubectl get cpsb)"
          : `pick another secretName, or delete it (kubectl delete secret ${wanted.name} -n ${wanted.namespace}) and let the controller write it`,
    };
  }
  const owned = currentWriter === writer;
  const manager = current.metadata.labels?.[MANAGED_BY_LABEL_KEY];
  if (!owned && !options.adopt) {
    return {
      namespace: wanted.namespace,
      object,
      type: "refuse",
      message: `exists and is not managed by pullwarden (${manager ? `${MANAGED_BY_LABEL_KEY}=${manager}` : `no ${MANAGED_BY_LABEL_KEY}=${MANAGED_BY_LABEL_VALUE} label`}): left as is, and its ServiceAccount bindings in this namespace are skipped`,
      hint: `to take it over (its data is replaced), re-run with --adopt; or pick another secret name`,
    };
  }
  const type = current.type ?? "Opaque";
  if (type !== DOCKER_CONFIG_JSON_TYPE) {
    return {
      namespace: wanted.namespace,
      object,
      type: "refuse",
      message: `has type ${type}, not ${DOCKER_CONFIG_JSON_TYPE}, and a Secret's type cannot change: left as is`,
      hint: `delete it (kubectl delete secret ${wanted.name} -n ${wanted.namespace}) and re-run`,
    };
  }
  const currentData = current.data?.[DOCKER_CONFIG_JSON_KEY];
  const dataChanged = currentData !== encodePayload(wanted.payload);
  if (!dataChanged && owned)
    return { namespace: wanted.namespace, object, type: "unchanged", message: "unchanged" };
  if (dataChanged && current.immutable === true) {
    return {
      namespace: wanted.namespace,
      object,
      type: "refuse",
      message: "is immutable and its data differs: left as is",
      hint: `delete it (kubectl delete secret ${wanted.name} -n ${wanted.namespace}) and re-run`,
    };
  }
  return {
    ...base,
    type: "update-secret",
    payload: wanted.payload,
    previousPayload: decodePayload(currentData),
    resourceVersion: current.metadata.resourceVersion ?? "",
    dataChanged,
    adopt: !owned,
    previousManager: owned ? undefined : manager,
  };
}

// ---------------------------------------------------------------------------------------------------------
// ServiceAccount entries

/** `test` ops that make a JSON patch fail (422) if the list or the annotation changed since they were read. */
function guardOperations(serviceAccount: ServiceAccountObject): JsonPatchOperation[] {
  const annotations = serviceAccount.metadata.annotations;
  return [
    { op: "test", path: "/imagePullSecrets", value: serviceAccount.imagePullSecrets ?? null },
    annotations === undefined
      ? { op: "test", path: "/metadata/annotations", value: null }
      : {
          op: "test",
          path: `/metadata/annotations/${jsonPointerSegment(OWNED_ENTRIES_ANNOTATION)}`,
          value: annotations[OWNED_ENTRIES_ANNOTATION] ?? null,
        },
  ];
}

function annotationOperation(
  serviceAccount: ServiceAccountObject,
  owned: readonly string[],
): JsonPatchOperation {
  const path = `/metadata/annotations/${jsonPointerSegment(OWNED_ENTRIES_ANNOTATION)}`;
  if (serviceAccount.metadata.annotations === undefined) {
    return {
      op: "add",
      path: "/metadata/annotations",
      value: { [OWNED_ENTRIES_ANNOTATION]: owned.join(",") },
    };
  }
  if (owned.length === 0) return { op: "remove", path };
  return { op: "add", path, value: owned.join(",") };
}

/** What to do for one wanted binding, given the ServiceAccount as read (undefined: it does not exist). */
export function planBind(binding: DesiredBinding, serviceAccount: ServiceAccountObject | undefined): Action {
  const object = `serviceaccount/${binding.serviceAccount}`;
  if (!serviceAccount) {
    return {
      namespace: binding.namespace,
      object,
      type: "refuse",
      message: `not found: cannot add ${binding.secretName} to its imagePullSecrets`,
      hint: `create it (kubectl create serviceaccount ${binding.serviceAccount} -n ${binding.namespace}) and re-run, or drop it from --service-account`,
    };
  }
  const before = entryNames(serviceAccount.imagePullSecrets);
  if (before.includes(binding.secretName)) {
    return {
      namespace: binding.namespace,
      object,
      type: "unchanged",
      message: `already lists ${binding.secretName}`,
    };
  }
  const owned = ownedEntries(serviceAccount);
  const operations: JsonPatchOperation[] = [
    ...guardOperations(serviceAccount),
    serviceAccount.imagePullSecrets === undefined
      ? { op: "add", path: "/imagePullSecrets", value: [{ name: binding.secretName }] }
      : { op: "add", path: "/imagePullSecrets/-", value: { name: binding.secretName } },
  ];
  if (!owned.includes(binding.secretName)) {
    operations.push(annotationOperation(serviceAccount, [...owned, binding.secretName]));
  }
  return {
    namespace: binding.namespace,
    object,
    type: "bind",
    serviceAccount: binding.serviceAccount,
    secretName: binding.secretName,
    before,
    after: [...before, binding.secretName],
    operations,
  };
}

/** The ServiceAccount as a successful `planBind` patch leaves it. */
function afterBind(serviceAccount: ServiceAccountObject, secretName: string): ServiceAccountObject {
  const owned = ownedEntries(serviceAccount);
  return {
    ...serviceAccount,
    metadata: {
      ...serviceAccount.metadata,
      annotations: {
        ...serviceAccount.metadata.annotations,
        [OWNED_ENTRIES_ANNOTATION]: (owned.includes(secretName) ? owned : [...owned, secretName]).join(","),
      },
    },
    imagePullSecrets: [...(serviceAccount.imagePullSecrets ?? []), { name: secretName }],
  };
}

/** Removes an entry pullwarden added (listed in its annotation); undefined when there is nothing of ours to remove. */
export function planUnbind(serviceAccount: ServiceAccountObject, secretName: string): Action | undefined {
  const owned = ownedEntries(serviceAccount);
  if (!owned.includes(secretName)) return undefined;
  const namespace = serviceAccount.metadata.namespace ?? "";
  const name = serviceAccount.metadata.name ?? "";
  const before = entryNames(serviceAccount.imagePullSecrets);
  const index = before.indexOf(secretName);
  const remaining = owned.filter((n) => n !== secretName);
  const operations: JsonPatchOperation[] = [...guardOperations(serviceAccount)];
  if (index >= 0) operations.push({ op: "remove", path: `/imagePullSecrets/${index}` });
  operations.push(annotationOperation(serviceAccount, remaining));
  return {
    namespace,
    object: `serviceaccount/${name}`,
    type: "unbind",
    serviceAccount: name,
    secretName,
    before,
    after: before.filter((_, i) => i !== index),
    operations,
  };
}

/** Deletes an owned secret (with preconditions, so a secret changed or replaced meanwhile is not deleted). */
export function planPrune(secret: SecretObject, writer: SecretWriter = "apply"): Action {
  const namespace = secret.metadata.namespace ?? "";
  const name = secret.metadata.name ?? "";
  if (!isOwned(secret, writer)) {
    return {
      namespace,
      object: `secret/${name}`,
      type: "unchanged",
      message: "not managed by pullwarden: kept",
    };
  }
  return {
    namespace,
    object: `secret/${name}`,
    type: "delete-secret",
    name,
    uid: secret.metadata.uid,
    resourceVersion: secret.metadata.resourceVersion,
  };
}

// ---------------------------------------------------------------------------------------------------------
// Pods

interface StuckContainer {
  readonly container: string;
  readonly reason: string;
  readonly image: string;
}

/** The first container waiting in ErrImagePull/ImagePullBackOff, if any. */
export function stuckContainer(pod: PodObject): StuckContainer | undefined {
  const statuses = [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])];
  const specs = [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])];
  for (const status of statuses) {
    const reason = status.state?.waiting?.reason;
    if (reason && PULL_RETRYING_REASONS.has(reason)) {
      const image = specs.find((c) => c.name === status.name)?.image ?? status.image ?? "";
      return { container: status.name, reason, image };
    }
  }
  return undefined;
}

function isLive(pod: PodObject): boolean {
  const phase = pod.status?.phase;
  return !pod.metadata.deletionTimestamp && phase !== "Succeeded" && phase !== "Failed";
}

function listPods(pods: readonly PodObject[]): string {
  const names = pods.map((p) => `pod/${p.metadata.name ?? ""}`);
  const shown = names.slice(0, MAX_PODS_LISTED).join(", ");
  return names.length > MAX_PODS_LISTED ? `${shown} and ${names.length - MAX_PODS_LISTED} more` : shown;
}

/** Whether the secret holds a credential kubelet would try for `image`. */
function secretCoversImage(payload: string, image: string): boolean {
  if (!image) return false;
  const parsed = parseDockerConfigText(payload, { source: "secret", format: "dockerconfigjson" });
  const result = lookupCredentials(parsed.entries, image);
  return result.ok && result.matches.length > 0;
}

interface PodContext {
  readonly namespace: string;
  readonly serviceAccount: string;
  readonly secretName: string;
  /** The ServiceAccount's entries before this run's change. */
  readonly accountEntries: readonly string[];
  readonly payload: string | undefined;
  readonly restartStuck: boolean;
  readonly workloads: ReadonlyMap<string, WorkloadObject>;
  readonly workloadFailures: ReadonlyMap<string, Error>;
}

function planPods(pods: readonly PodObject[], context: PodContext): Action[] {
  const { namespace, serviceAccount, secretName } = context;
  const lacking = pods.filter(
    (pod) =>
      isLive(pod) &&
      (pod.spec?.serviceAccountName || "default") === serviceAccount &&
      !entryNames(pod.spec?.imagePullSecrets).includes(secretName),
  );
  if (lacking.length === 0) return [];
  // A Pod whose entries all came from the ServiceAccount (or that has none) gets the full list when recreated;
  // one that lists other secrets set them itself and never gets the ServiceAccount's.
  const ownList = lacking.filter((pod) =>
    entryNames(pod.spec?.imagePullSecrets).some((name) => !context.accountEntries.includes(name)),
  );
  const fromAccount = lacking.filter((pod) => !ownList.includes(pod));
  const actions: Action[] = [];
  const object = `serviceaccount/${serviceAccount}`;
  if (fromAccount.length > 0) {
    const stuck = fromAccount.filter((pod) => stuckContainer(pod) !== undefined);
    actions.push({
      namespace,
      object,
      type: "warn",
      message: `${plural(fromAccount.length, "Pod was", "Pods were")} admitted before it had ${secretName} and ${fromAccount.length === 1 ? "lacks" : "lack"} it: ${listPods(fromAccount)}${stuck.length > 0 ? ` (${stuck.length} stuck in ErrImagePull/ImagePullBackOff)` : ""}`,
      hint:
        stuck.length > 0 && !context.restartStuck
          ? "a Pod gets its ServiceAccount's imagePullSecrets only when it is created (admission reads a cached ServiceAccount, so one created a moment after a change may miss them too); re-run with --restart-stuck to delete the stuck ones a controller recreates, or restart the workloads (kubectl rollout restart)"
          : "a Pod gets its ServiceAccount's imagePullSecrets only when it is created (admission reads a cached ServiceAccount, so one created a moment after a change may miss them too): they get it when recreated (kubectl rollout restart)",
    });
    if (context.restartStuck) for (const pod of stuck) actions.push(planRestart(pod, context));
  }
  if (ownList.length > 0) {
    actions.push({
      namespace,
      object,
      type: "warn",
      message: `${plural(ownList.length, "Pod lists", "Pods list")} imagePullSecrets of ${ownList.length === 1 ? "its" : "their"} own, so ${ownList.length === 1 ? "it never gets" : "they never get"} the ServiceAccount's ${secretName}: ${listPods(ownList)}`,
      hint: `add ${secretName} to the imagePullSecrets of their Pod templates`,
    });
  }
  return actions;
}

function planRestart(pod: PodObject, context: PodContext): Action {
  const { namespace, secretName } = context;
  const name = pod.metadata.name ?? "";
  const object = `pod/${name}`;
  const stuck = stuckContainer(pod) as StuckContainer;
  const skip = (notRestarted: StuckPodSkip, message: string, hint?: string): Action => ({
    namespace,
    object,
    type: "warn",
    message: `stuck in ${stuck.reason} (${stuck.image}), not restarted: ${message}`,
    ...(hint ? { hint } : {}),
    notRestarted,
  });
  const owner = pod.metadata.ownerReferences?.find((ref) => ref.controller === true);
  if (!owner)
    return skip("no-controller", "no controller would recreate it", "delete it and create it again yourself");
  const controller = `${owner.kind}/${owner.name}`;
  if (!(WORKLOAD_KINDS as readonly string[]).includes(owner.kind)) {
    return skip(
      "unknown-controller",
      `its controller ${controller} is not a kind pullwarden reads`,
      "delete it yourself if its template lists no imagePullSecrets",
    );
  }
  const failure = context.workloadFailures.get(key(namespace, owner.kind, owner.name));
  if (failure)
    return skip("unreadable-controller", `cannot read its controller ${controller}: ${failure.message}`);
  const workload = context.workloads.get(key(namespace, owner.kind, owner.name));
  if (!workload) return skip("controller-gone", `its controller ${controller} no longer exists`);
  const template = entryNames(workload.spec?.template?.spec?.imagePullSecrets);
  if (template.length > 0 && !template.includes(secretName)) {
    return skip(
      "template-lists-others",
      `the Pod template of ${controller} lists imagePullSecrets (${template.join(", ")}), so a new Pod would not get ${secretName} either`,
      `add ${secretName} to that template's imagePullSecrets`,
    );
  }
  if (context.payload !== undefined && !secretCoversImage(context.payload, stuck.image)) {
    return skip("not-covered", `${secretName} holds no credential kubelet would use for ${stuck.image}`);
  }
  return {
    namespace,
    object,
    type: "restart-pod",
    pod: name,
    uid: pod.metadata.uid,
    controller,
    serviceAccount: context.serviceAccount,
    secretName,
    reason: stuck.reason,
  };
}

// ---------------------------------------------------------------------------------------------------------
// The whole desired state

function failureMessage(failure: ReadFailure): string {
  return failure.error.message;
}

function failureHint(failure: ReadFailure): string | undefined {
  return (failure.error as { hint?: string }).hint;
}

export function reconcile(
  desired: ApplyDesired,
  observed: Observed,
  options: ReconcileOptions = {},
): Action[] {
  const actions: Action[] = [];
  const secrets = byNamespace(observed.secrets);
  const accounts = byNamespace(observed.serviceAccounts);
  const podsByNamespace = new Map<string, PodObject[]>();
  for (const pod of observed.pods) {
    const namespace = pod.metadata.namespace ?? "";
    podsByNamespace.set(namespace, [...(podsByNamespace.get(namespace) ?? []), pod]);
  }
  const workloads = new Map<string, WorkloadObject>();
  for (const workload of observed.workloads) {
    workloads.set(
      key(workload.metadata.namespace ?? "", workload.kind, workload.metadata.name ?? ""),
      workload,
    );
  }
  const workloadFailures = new Map<string, Error>();
  const failuresFor = (namespace: string) =>
    observed.readFailures.filter((f) => f.namespace === namespace || f.namespace === undefined);
  for (const failure of observed.readFailures) {
    if (failure.resource !== "workloads") continue;
    const match = /^(\w+)\/(.+)$/.exec(failure.object ?? "");
    if (match && failure.namespace)
      workloadFailures.set(key(failure.namespace, match[1] ?? "", match[2] ?? ""), failure.error);
  }

  const wantedSecrets = new Set(desired.secrets.map((s) => key(s.namespace, s.name)));
  const wantedBindings = new Set(
    desired.bindings.map((b) => key(b.namespace, b.serviceAccount, b.secretName)),
  );
  const usableNamespaces = new Set<string>();

  for (const namespace of desired.namespaces) {
    const state = observed.namespaces.get(namespace) ?? "unknown";
    if (state === "missing") {
      actions.push({
        namespace,
        object: `namespace/${namespace}`,
        type: "refuse",
        message: "not found: nothing applied here",
        hint: `create it first (kubectl create namespace ${namespace}), or drop it from the selection`,
      });
      continue;
    }
    if (state === "terminating") {
      actions.push({
        namespace,
        object: `namespace/${namespace}`,
        type: "refuse",
        message: "is being deleted: nothing applied here",
      });
      continue;
    }
    const blocking = failuresFor(namespace).filter(
      (f) => f.resource === "secrets" || f.resource === "serviceaccounts" || f.resource === "namespaces",
    );
    if (blocking.length > 0) {
      const first = blocking[0] as ReadFailure;
      actions.push({
        namespace,
        object: `namespace/${namespace}`,
        type: "fail",
        message: `cannot read what is there, nothing applied: ${failureMessage(first)}`,
        ...(failureHint(first) ? { hint: failureHint(first) as string } : {}),
        error: first.error,
      });
      continue;
    }
    usableNamespaces.add(namespace);
    const refusedSecrets = new Set<string>();
    const payloads = new Map<string, string>();
    for (const wanted of desired.secrets.filter((s) => s.namespace === namespace)) {
      payloads.set(wanted.name, wanted.payload);
      const action = planSecret(wanted, secrets.get(namespace)?.get(wanted.name), options);
      if (action.type === "refuse") refusedSecrets.add(wanted.name);
      actions.push(action);
    }
    const podFailure = failuresFor(namespace).find((f) => f.resource === "pods");
    let warnedPods = false;
    // Several bindings on one ServiceAccount: each is planned on the account as the previous patch leaves it.
    const planned = new Map<string, ServiceAccountObject | undefined>();
    for (const binding of desired.bindings.filter((b) => b.namespace === namespace)) {
      if (refusedSecrets.has(binding.secretName)) continue;
      const account = accounts.get(namespace)?.get(binding.serviceAccount);
      const current = planned.has(binding.serviceAccount) ? planned.get(binding.serviceAccount) : account;
      const action = planBind(binding, current);
      actions.push(action);
      if (action.type === "bind" && current)
        planned.set(binding.serviceAccount, afterBind(current, binding.secretName));
      if (action.type === "refuse" || !account) continue;
      if (podFailure) {
        if (!warnedPods) {
          actions.push({
            namespace,
            object: `namespace/${namespace}`,
            type: "warn",
            message: `cannot check for Pods admitted before the binding: ${failureMessage(podFailure)}`,
          });
          warnedPods = true;
        }
        continue;
      }
      actions.push(
        ...planPods(podsByNamespace.get(namespace) ?? [], {
          namespace,
          serviceAccount: binding.serviceAccount,
          secretName: binding.secretName,
          accountEntries: entryNames(account.imagePullSecrets),
          payload: payloads.get(binding.secretName),
          restartStuck:
            typeof options.restartStuck === "function"
              ? options.restartStuck(namespace, binding.secretName)
              : options.restartStuck === true,
          workloads,
          workloadFailures,
        }),
      );
    }
  }

  if (options.prune)
    actions.push(
      ...planPruning(
        desired,
        observed,
        options.prune,
        options.writer ?? "apply",
        wantedSecrets,
        wantedBindings,
      ),
    );
  return actions;
}

function planPruning(
  desired: ApplyDesired,
  observed: Observed,
  scope: NonNullable<ReconcileOptions["prune"]>,
  writer: SecretWriter,
  wantedSecrets: ReadonlySet<string>,
  wantedBindings: ReadonlySet<string>,
): Action[] {
  const inScope = (name: string) => scope.kind === "all-owned" || scope.names.includes(name);
  const blocked = (namespace: string) => {
    const state = observed.namespaces.get(namespace) ?? "unknown";
    return (
      state === "missing" ||
      state === "terminating" ||
      observed.readFailures.some(
        (f) =>
          (f.namespace === namespace || f.namespace === undefined) &&
          (f.resource === "secrets" || f.resource === "serviceaccounts"),
      )
    );
  };
  const actions: Action[] = [];
  const pruned = new Set<string>();
  const candidates = observed.secrets
    .filter(
      (secret) =>
        isOwned(secret, writer) &&
        inScope(secret.metadata.name ?? "") &&
        !wantedSecrets.has(key(secret.metadata.namespace ?? "", secret.metadata.name ?? "")) &&
        !blocked(secret.metadata.namespace ?? ""),
    )
    .sort(
      (a, b) =>
        (a.metadata.namespace ?? "").localeCompare(b.metadata.namespace ?? "") ||
        (a.metadata.name ?? "").localeCompare(b.metadata.name ?? ""),
    );
  for (const secret of candidates)
    pruned.add(key(secret.metadata.namespace ?? "", secret.metadata.name ?? ""));

  // Another writer's Secrets: the ServiceAccount entries naming them are that writer's too (both record their
  // entries in one annotation), so they are never unbound here.
  const othersSecrets = new Set(
    observed.secrets
      .filter((secret) => pullwardenWriter(secret) !== undefined && !isOwned(secret, writer))
      .map((secret) => key(secret.metadata.namespace ?? "", secret.metadata.name ?? "")),
  );
  // Entries pullwarden added whose binding is no longer wanted: removed before their secret is deleted.
  const accounts = [...observed.serviceAccounts].sort(
    (a, b) =>
      (a.metadata.namespace ?? "").localeCompare(b.metadata.namespace ?? "") ||
      (a.metadata.name ?? "").localeCompare(b.metadata.name ?? ""),
  );
  for (const account of accounts) {
    const namespace = account.metadata.namespace ?? "";
    if (blocked(namespace)) continue;
    for (const secretName of ownedEntries(account)) {
      if (!inScope(secretName)) continue;
      if (wantedBindings.has(key(namespace, account.metadata.name ?? "", secretName))) continue;
      if (othersSecrets.has(key(namespace, secretName))) continue;
      const action = planUnbind(account, secretName);
      if (action) actions.push(action);
    }
  }
  for (const secret of candidates) actions.push(planPrune(secret, writer));

  // References pullwarden did not add keep pointing at a deleted secret: say so.
  for (const account of accounts) {
    const namespace = account.metadata.namespace ?? "";
    const owned = ownedEntries(account);
    for (const name of entryNames(account.imagePullSecrets)) {
      if (pruned.has(key(namespace, name)) && !owned.includes(name)) {
        actions.push({
          namespace,
          object: `serviceaccount/${account.metadata.name ?? ""}`,
          type: "warn",
          message: `still lists ${name} (an entry pullwarden did not add), which --prune deletes`,
          hint: `remove the entry if nothing needs it: kubectl edit serviceaccount ${account.metadata.name ?? ""} -n ${namespace}`,
        });
      }
    }
  }
  if (observed.pruneComplete === false) {
    actions.push({
      namespace: "",
      object: "",
      type: "warn",
      message: `--prune looked only in the selected namespaces (${desired.namespaces.length}): secrets cannot be listed across namespaces with these credentials`,
    });
  }
  return actions;
}
