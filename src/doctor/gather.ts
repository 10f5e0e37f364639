/**
 * What `doctor` reads from the cluster for each Pod, through a narrow port (`DoctorClusterReader`: the few
 * lists and the one get doctor needs), so this module never sees a Kubernetes client. A constant number of
 * list calls per namespace, never one query per Pod:
 *
 * - Pods: one list per namespace (only the named one for `doctor POD`);
 * - events, ServiceAccounts, Secrets (names for typo detection and the referenced ones' content), ReplicaSets
 *   (to name the Deployment to fix): one list each per namespace, filtered here;
 * - nodes: one list (only the named one when all Pods share a node);
 * - same-named Secrets elsewhere: one cluster-wide list per distinct missing name (none with `-A`, whose
 *   cluster-wide Secret list already holds them).
 *
 * A failed read is never fatal past the Pod list: it becomes an Evidence gap naming the missing permission.
 * Node Leases are not read (the port has no Lease reader): the node's clock comes from its Ready heartbeat.
 */
import type { KubeObject, PodObject, SecretObject } from "../kube-model/index.js";
import type { EvidenceGap, SecretElsewhere } from "./evidence.js";
import type { GatheredObjects } from "./from-objects.js";
import { podHasPullTrouble } from "./from-objects.js";
import { displayLine } from "./redact.js";

// --- the port ------------------------------------------------------------------------------------------------

/** Why a read could not be done. */
export interface ReadFailure {
  /** The API server refused it (403): a permission is missing. */
  readonly forbidden: boolean;
  /** One line saying what failed and why (no secret in it). */
  readonly message: string;
  /** The error as raised, for the reads doctor cannot do without (the Pod list of `doctor POD`). */
  readonly error: Error;
}

/**
 * The outcome of one read. An API server that cannot be reached at all is no outcome: the port throws, and
 * doctor stops (nothing else could be read either).
 */
export type ClusterRead<T> =
  { readonly ok: true; readonly value: T } | { readonly ok: false; readonly failure: ReadFailure };

/**
 * Everything doctor reads from a cluster. `namespace: undefined` is every namespace (`-A`). Each method is one
 * request (one list, paged).
 */
export interface DoctorClusterReader {
  /** The Pods of a namespace; only the one called `name` when given. */
  listPods(namespace: string | undefined, name?: string): Promise<ClusterRead<readonly PodObject[]>>;
  listEvents(namespace: string | undefined): Promise<ClusterRead<readonly KubeObject[]>>;
  listServiceAccounts(namespace: string | undefined): Promise<ClusterRead<readonly KubeObject[]>>;
  listSecrets(namespace: string | undefined): Promise<ClusterRead<readonly SecretObject[]>>;
  /** The Secrets called `name`, in every namespace. */
  listSecretsNamed(name: string): Promise<ClusterRead<readonly SecretObject[]>>;
  listReplicaSets(namespace: string | undefined): Promise<ClusterRead<readonly KubeObject[]>>;
  /** Every node; only the one called `name` when given. */
  listNodes(name?: string): Promise<ClusterRead<readonly KubeObject[]>>;
  /** One Secret; undefined when there is none of that name. */
  getSecret(namespace: string, name: string): Promise<ClusterRead<SecretObject | undefined>>;
}

// --- what is gathered --------------------------------------------------------------------------------------

export type DoctorTarget =
  | { readonly kind: "pod"; readonly namespace: string; readonly name: string }
  | { readonly kind: "deployment"; readonly namespace: string; readonly name: string }
  /** `namespaces: undefined` is every namespace (`-A`): cluster-wide lists. */
  | { readonly kind: "all"; readonly namespaces: readonly string[] | undefined };

export interface GatheredPod {
  readonly objects: GatheredObjects;
  /** The Secrets the Pod itself names (kubelet uses only those), as read: for `--probe`. Never rendered. */
  readonly podSecrets: readonly SecretObject[];
  /** A container waits on a pull, or a pull event was seen. */
  readonly pullTrouble: boolean;
}

export interface GatherResult {
  readonly pods: GatheredPod[];
  /** Namespaces that could not be read at all (a failed Pod list): one line each. */
  readonly failures: string[];
}

export interface GatherOptions {
  readonly cluster: DoctorClusterReader;
  readonly target: DoctorTarget;
  readonly now: Date;
}

// --- helpers ---------------------------------------------------------------------------------------------------

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (typeof v === "object" && v !== null && !Array.isArray(v) ? (v as Obj) : {});
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const str = (v: unknown): string | undefined => (typeof v === "string" && v !== "" ? v : undefined);

/** A namespace of the target, or undefined for every namespace (`-A`). */
type Scope = string | undefined;

function gapFor(
  subject: EvidenceGap["subject"],
  failure: ReadFailure,
  permission: string,
  name?: string,
): EvidenceGap {
  return {
    subject,
    ...(name !== undefined ? { name } : {}),
    reason: failure.forbidden ? "forbidden" : "error",
    ...(failure.forbidden ? { permission } : {}),
    detail: displayLine(failure.message, 300),
  };
}

const inNs = (verb: string, resource: string, scope: Scope): string =>
  scope === undefined ? `${verb} ${resource} in all namespaces` : `${verb} ${resource} in namespace ${scope}`;

function key(namespace: string | undefined, name: string | undefined): string {
  return `${namespace ?? ""}/${name ?? ""}`;
}

function byKey<T extends KubeObject>(objects: readonly T[]): Map<string, T> {
  return new Map(objects.map((o) => [key(o.metadata.namespace, o.metadata.name), o]));
}

/** Events by the Pod they are about (kind Pod), keyed namespace/name. */
function indexEvents(events: readonly KubeObject[]): Map<string, KubeObject[]> {
  const out = new Map<string, KubeObject[]>();
  for (const event of events) {
    const involved = obj(event["involvedObject"] ?? event["regarding"]);
    if (str(involved["kind"]) !== "Pod") continue;
    const k = key(str(involved["namespace"]) ?? event.metadata.namespace, str(involved["name"]));
    const list = out.get(k);
    if (list) list.push(event);
    else out.set(k, [event]);
  }
  return out;
}

function eventsOf(index: Map<string, KubeObject[]>, pod: PodObject): KubeObject[] {
  const uid = pod.metadata.uid;
  return (index.get(key(pod.metadata.namespace, pod.metadata.name)) ?? []).filter((e) => {
    const involvedUid = str(obj(e["involvedObject"] ?? e["regarding"])["uid"]);
    return uid === undefined || involvedUid === undefined || involvedUid === uid;
  });
}

function controllerOf(object: KubeObject): { kind: string; name: string } | undefined {
  const ref = (object.metadata.ownerReferences ?? []).find((r) => r.controller === true);
  return ref ? { kind: ref.kind, name: ref.name } : undefined;
}

function secretNamesOf(pod: PodObject): string[] {
  return (pod.spec?.imagePullSecrets ?? []).map((r) => r.name ?? "").filter((n) => n !== "");
}

function serviceAccountSecretNames(sa: KubeObject | undefined): string[] {
  return arr(sa?.["imagePullSecrets"])
    .map((r) => str(obj(r)["name"]) ?? "")
    .filter((n) => n !== "");
}

// --- 1. the Pods of the target ----------------------------------------------------------------------------------

interface Selected {
  readonly pod: PodObject;
  readonly scope: Scope;
}

interface Selection {
  readonly selected: Selected[];
  /** deploy/NAME: the namespace's ReplicaSets, already listed to find the Deployment's Pods. */
  readonly replicaSets: Map<Scope, Map<string, KubeObject>>;
  readonly failures: string[];
  /** deploy/NAME owns no ReplicaSet: nothing more to read. */
  readonly noReplicaSet?: true;
}

function scopesOf(target: DoctorTarget): readonly Scope[] {
  return target.kind === "all" ? (target.namespaces ?? [undefined]) : [target.namespace];
}

/** The Pods of a Deployment: those whose controller is a ReplicaSet the Deployment controls. */
function deploymentPods(
  pods: readonly PodObject[],
  replicaSets: readonly KubeObject[],
  deployment: string,
): PodObject[] {
  const owned = new Set(
    replicaSets
      .filter((rs) => {
        const owner = controllerOf(rs);
        return owner?.kind === "Deployment" && owner.name === deployment;
      })
      .map((rs) => rs.metadata.name),
  );
  return pods.filter((pod) => {
    const owner = controllerOf(pod);
    return owner?.kind === "ReplicaSet" && owned.has(owner.name);
  });
}

/** Lists the target's Pods. A failed Pod list ends `doctor POD` and deploy/NAME (thrown), not `--all`. */
async function selectPods(cluster: DoctorClusterReader, target: DoctorTarget): Promise<Selection> {
  const selection: Selection = { selected: [], replicaSets: new Map(), failures: [] };
  for (const scope of scopesOf(target)) {
    const pods = await cluster.listPods(scope, target.kind === "pod" ? target.name : undefined);
    if (!pods.ok) {
      if (target.kind !== "all") throw pods.failure.error;
      selection.failures.push(pods.failure.message);
      continue;
    }
    if (target.kind !== "deployment") {
      for (const pod of pods.value) selection.selected.push({ pod, scope });
      continue;
    }
    const sets = await cluster.listReplicaSets(target.namespace);
    if (!sets.ok) throw sets.failure.error;
    selection.replicaSets.set(scope, byKey(sets.value));
    const owned = deploymentPods(pods.value, sets.value, target.name);
    for (const pod of owned) selection.selected.push({ pod, scope });
    const ownsAny = sets.value.some((rs) => {
      const owner = controllerOf(rs);
      return owner?.kind === "Deployment" && owner.name === target.name;
    });
    if (!ownsAny)
      return { ...selection, failures: [`no ReplicaSet of deployment ${target.name}`], noReplicaSet: true };
  }
  return selection;
}

// --- 2. events: which Pods have pull trouble --------------------------------------------------------------------

interface NamespaceData {
  events: Map<string, KubeObject[]>;
  eventsGap?: EvidenceGap;
  serviceAccounts?: Map<string, KubeObject>;
  saGap?: EvidenceGap;
  /** Secrets listed (by namespace/name); undefined when the list failed. */
  secrets?: Map<string, SecretObject>;
  secretsGap?: EvidenceGap;
  /** Secrets read one by one after a failed list. */
  secretReads: Map<string, ClusterRead<SecretObject | undefined>>;
  replicaSets: Map<string, KubeObject>;
}

interface Candidate extends Selected {
  readonly events: KubeObject[];
  readonly trouble: boolean;
}

/** One event list per scope; `--all` keeps only the Pods with pull trouble. */
async function readEvents(
  cluster: DoctorClusterReader,
  target: DoctorTarget,
  selection: Selection,
): Promise<{ data: Map<Scope, NamespaceData>; candidates: Candidate[] }> {
  const data = new Map<Scope, NamespaceData>();
  const candidates: Candidate[] = [];
  for (const scope of new Set(selection.selected.map((s) => s.scope))) {
    const nsData: NamespaceData = {
      events: new Map(),
      secretReads: new Map(),
      replicaSets: selection.replicaSets.get(scope) ?? new Map(),
    };
    data.set(scope, nsData);
    const events = await cluster.listEvents(scope);
    if (events.ok) nsData.events = indexEvents(events.value);
    else nsData.eventsGap = gapFor("events", events.failure, inNs("list", "events", scope));
    for (const s of selection.selected.filter((x) => x.scope === scope)) {
      const podEvents = eventsOf(nsData.events, s.pod);
      const trouble = podHasPullTrouble(s.pod, podEvents);
      if (target.kind === "all" && !trouble) continue;
      candidates.push({ ...s, events: podEvents, trouble });
    }
  }
  return { data, candidates };
}

// --- 3. ServiceAccounts, Secrets and ReplicaSets of the namespaces with Pods to diagnose ------------------------

async function readNamespace(
  cluster: DoctorClusterReader,
  scope: Scope,
  nsData: NamespaceData,
  candidates: readonly Candidate[],
): Promise<void> {
  const sas = await cluster.listServiceAccounts(scope);
  if (sas.ok) nsData.serviceAccounts = byKey(sas.value);
  else nsData.saGap = gapFor("serviceaccount", sas.failure, inNs("list", "serviceaccounts", scope));
  const secrets = await cluster.listSecrets(scope);
  if (secrets.ok) nsData.secrets = byKey(secrets.value);
  else nsData.secretsGap = gapFor("namespace-secrets", secrets.failure, inNs("list", "secrets", scope));
  const needsOwners = candidates.some((c) => controllerOf(c.pod)?.kind === "ReplicaSet");
  if (needsOwners && nsData.replicaSets.size === 0) {
    const sets = await cluster.listReplicaSets(scope);
    if (sets.ok) nsData.replicaSets = byKey(sets.value);
  }
  if (!nsData.secrets) await readReferencedSecrets(cluster, nsData, candidates);
}

/** After a failed Secret list: the Secrets the Pods and their ServiceAccounts name, one by one (each once). */
async function readReferencedSecrets(
  cluster: DoctorClusterReader,
  nsData: NamespaceData,
  candidates: readonly Candidate[],
): Promise<void> {
  const wanted = new Set<string>();
  for (const c of candidates) {
    const sa = nsData.serviceAccounts?.get(
      key(c.pod.metadata.namespace, c.pod.spec?.serviceAccountName ?? "default"),
    );
    for (const name of [...secretNamesOf(c.pod), ...serviceAccountSecretNames(sa)])
      wanted.add(key(c.pod.metadata.namespace, name));
  }
  for (const k of wanted) {
    const [ns, name] = k.split("/") as [string, string];
    nsData.secretReads.set(k, await cluster.getSecret(ns, name));
  }
}

// --- 4. nodes ----------------------------------------------------------------------------------------------------

async function readNodes(
  cluster: DoctorClusterReader,
  candidates: readonly Candidate[],
): Promise<{ nodes: Map<string, KubeObject>; gap?: EvidenceGap }> {
  const names = [...new Set(candidates.map((c) => c.pod.spec?.nodeName).filter((n): n is string => !!n))];
  const nodes = new Map<string, KubeObject>();
  if (names.length === 0) return { nodes };
  const listed = await cluster.listNodes(names.length === 1 ? names[0] : undefined);
  if (!listed.ok) return { nodes, gap: gapFor("node", listed.failure, "list nodes (cluster scope)") };
  for (const node of listed.value) nodes.set(node.metadata.name ?? "", node);
  return { nodes };
}

// --- 5. each Pod's objects ------------------------------------------------------------------------------------

interface PendingPod {
  readonly gathered: Omit<GatheredObjects, "elsewhere">;
  /** Referenced Secret names that do not exist in the Pod's namespace. */
  readonly missing: string[];
  readonly podSecrets: SecretObject[];
  readonly trouble: boolean;
}

type SecretFailure = { state: "missing" | "forbidden" | "error"; detail?: string };

/** The Secrets the Pod and its ServiceAccount name: read, missing or unreadable (with a gap). */
function podSecretsOf(
  nsData: NamespaceData,
  ns: string,
  names: readonly string[],
  gaps: EvidenceGap[],
): { secrets: Record<string, SecretObject>; errors: Record<string, SecretFailure>; missing: string[] } {
  const secrets: Record<string, SecretObject> = {};
  const errors: Record<string, SecretFailure> = {};
  const missing: string[] = [];
  for (const name of names) {
    const read: ClusterRead<SecretObject | undefined> | undefined = nsData.secrets
      ? { ok: true, value: nsData.secrets.get(key(ns, name)) }
      : nsData.secretReads.get(key(ns, name));
    if (read?.ok && read.value) secrets[name] = read.value;
    else if (read?.ok) {
      errors[name] = { state: "missing" };
      missing.push(name);
    } else if (read) {
      errors[name] = { state: read.failure.forbidden ? "forbidden" : "error", detail: read.failure.message };
      gaps.push(gapFor("secret", read.failure, `get secrets in namespace ${ns}`, name));
    }
  }
  return { secrets, errors, missing };
}

/** The Deployment behind the Pod's ReplicaSet, so that fixes patch the object to change. */
function deploymentOf(
  nsData: NamespaceData,
  ns: string,
  pod: PodObject,
): { kind: string; name: string } | undefined {
  const direct = controllerOf(pod);
  if (direct?.kind !== "ReplicaSet") return undefined;
  const rs = nsData.replicaSets.get(key(ns, direct.name));
  const deployment = rs ? controllerOf(rs) : undefined;
  return deployment?.kind === "Deployment" ? deployment : undefined;
}

function pendingPod(
  c: Candidate,
  nsData: NamespaceData,
  nodes: { nodes: Map<string, KubeObject>; gap?: EvidenceGap },
  now: Date,
): PendingPod {
  const ns = c.pod.metadata.namespace ?? "default";
  const gaps: EvidenceGap[] = [];
  if (nsData.eventsGap) gaps.push(nsData.eventsGap);
  const saName = c.pod.spec?.serviceAccountName ?? "default";
  let serviceAccount: KubeObject | undefined;
  if (nsData.serviceAccounts) {
    serviceAccount = nsData.serviceAccounts.get(key(ns, saName));
    if (!serviceAccount) gaps.push({ subject: "serviceaccount", name: saName, reason: "not-found" });
  } else if (nsData.saGap) gaps.push({ ...nsData.saGap, name: saName });
  const names = [...new Set([...secretNamesOf(c.pod), ...serviceAccountSecretNames(serviceAccount)])];
  const { secrets, errors, missing } = podSecretsOf(nsData, ns, names, gaps);
  if (nsData.secretsGap) gaps.push(nsData.secretsGap);
  const namespaceSecrets = nsData.secrets
    ? [...nsData.secrets.values()].filter((s) => s.metadata.namespace === ns)
    : undefined;
  const nodeName = c.pod.spec?.nodeName;
  const node = nodeName ? nodes.nodes.get(nodeName) : undefined;
  if (nodeName && !node)
    gaps.push(
      nodes.gap ? { ...nodes.gap, name: nodeName } : { subject: "node", name: nodeName, reason: "not-found" },
    );
  const owner = deploymentOf(nsData, ns, c.pod);
  const podSecretNames = new Set(secretNamesOf(c.pod));
  return {
    gathered: {
      now,
      pod: c.pod,
      ...(owner ? { owner } : {}),
      events: c.events,
      ...(serviceAccount ? { serviceAccount } : {}),
      secrets,
      secretErrors: errors,
      ...(namespaceSecrets ? { namespaceSecrets } : {}),
      ...(node ? { node } : {}),
      observedAt: now,
      gaps,
    },
    missing,
    podSecrets: Object.entries(secrets)
      .filter(([name]) => podSecretNames.has(name))
      .map(([, s]) => s),
    trouble: c.trouble,
  };
}

// --- 6. same-named Secrets in other namespaces -------------------------------------------------------------------

async function findElsewhere(
  cluster: DoctorClusterReader,
  names: readonly string[],
  clusterWide: Map<string, SecretObject> | undefined,
): Promise<{ elsewhere: Map<string, SecretElsewhere>; gap?: EvidenceGap }> {
  const elsewhere = new Map<string, SecretElsewhere>();
  for (const name of names) {
    let found: readonly SecretObject[];
    if (clusterWide) found = [...clusterWide.values()].filter((s) => s.metadata.name === name);
    else {
      const listed = await cluster.listSecretsNamed(name);
      if (!listed.ok)
        return {
          elsewhere,
          gap: gapFor("other-namespaces", listed.failure, "list secrets in all namespaces"),
        };
      found = listed.value;
    }
    elsewhere.set(name, {
      name,
      namespaces: found.map((s) => ({ namespace: s.metadata.namespace ?? "", type: s.type ?? "Opaque" })),
    });
  }
  return { elsewhere };
}

function gatheredPod(
  p: PendingPod,
  found: { elsewhere: Map<string, SecretElsewhere>; gap?: EvidenceGap },
): GatheredPod {
  const ns = obj(obj(p.gathered.pod)["metadata"])["namespace"];
  const others = p.missing
    .map((name) => found.elsewhere.get(name))
    .filter((e): e is SecretElsewhere => e !== undefined)
    .map((e) => ({ ...e, namespaces: e.namespaces.filter((x) => x.namespace !== ns) }));
  const lookedElsewhere = p.missing.length > 0;
  return {
    objects: {
      ...p.gathered,
      ...(lookedElsewhere && !found.gap ? { elsewhere: others } : {}),
      gaps: [...(p.gathered.gaps ?? []), ...(lookedElsewhere && found.gap ? [found.gap] : [])],
    },
    podSecrets: p.podSecrets,
    pullTrouble: p.trouble,
  };
}

// --- the whole -------------------------------------------------------------------------------------------------

/**
 * Reads every Pod of the target with its evidence. For `doctor POD` and deploy/NAME, a failed Pod (or
 * ReplicaSet) list is thrown as the port raised it; every later failure is a gap.
 */
export async function gatherDoctorEvidence(options: GatherOptions): Promise<GatherResult> {
  const { cluster, target, now } = options;
  const selection = await selectPods(cluster, target);
  if (selection.noReplicaSet) return { pods: [], failures: selection.failures };
  const { data, candidates } = await readEvents(cluster, target, selection);
  for (const scope of new Set(candidates.map((c) => c.scope))) {
    await readNamespace(
      cluster,
      scope,
      data.get(scope) as NamespaceData,
      candidates.filter((c) => c.scope === scope),
    );
  }
  const nodes = await readNodes(cluster, candidates);
  const pending = candidates.map((c) => pendingPod(c, data.get(c.scope) as NamespaceData, nodes, now));
  const scopes = scopesOf(target);
  const clusterWide =
    scopes.length === 1 && scopes[0] === undefined ? data.get(undefined)?.secrets : undefined;
  const found = await findElsewhere(cluster, [...new Set(pending.flatMap((p) => p.missing))], clusterWide);
  return { pods: pending.map((p) => gatheredPod(p, found)), failures: selection.failures };
}

/** `doctor POD`: whether the Pod is still there (same uid) after the evidence was read; undefined if unknown. */
export async function podStillThere(
  cluster: DoctorClusterReader,
  pod: GatheredPod,
): Promise<boolean | undefined> {
  const metadata = obj(obj(pod.objects.pod)["metadata"]);
  const namespace = str(metadata["namespace"]);
  const name = str(metadata["name"]);
  if (namespace === undefined || name === undefined) return undefined;
  const listed = await cluster.listPods(namespace, name);
  if (!listed.ok) return undefined;
  const uid = str(metadata["uid"]);
  return listed.value.some((p) => uid === undefined || p.metadata.uid === uid);
}
