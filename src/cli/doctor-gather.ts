/**
 * The I/O edge of `pullwarden doctor`: reads, through the Kubernetes layer, what `evidenceFromObjects` needs for
 * each Pod, with a constant number of list calls per namespace (never one query per Pod):
 *
 * - Pods: one list per namespace (`metadata.name` field selector for `doctor POD`);
 * - events, ServiceAccounts, Secrets (names for typo detection and the referenced ones' content), ReplicaSets
 *   (to name the Deployment to fix): one list each per namespace, filtered here;
 * - nodes: one list (a `metadata.name` field selector when all Pods share a node);
 * - same-named Secrets elsewhere: one cluster-wide list per distinct missing name (none with `-A`, whose
 *   cluster-wide Secret list already holds them).
 *
 * A 403 is never fatal past the Pod list: it becomes an Evidence gap naming the missing permission (and the
 * `kubectl auth can-i` line). Node Leases are not read (the Kubernetes layer has no Lease reader): the node's
 * clock comes from its Ready heartbeat.
 */
import type { EvidenceGap, GatheredObjects, SecretElsewhere } from "../doctor/index.js";
import { KubeError, KubeForbiddenError, KubeUnreachableError } from "../kube/index.js";
import type { KubeClient, KubeObject, ListOptions, PodObject, SecretObject } from "../kube/index.js";

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
  /** Namespaces that could not be read at all (a 403 on the Pod list): one line each. */
  readonly failures: string[];
}

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (typeof v === "object" && v !== null && !Array.isArray(v) ? (v as Obj) : {});
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const str = (v: unknown): string | undefined => (typeof v === "string" && v !== "" ? v : undefined);

const PULL_WAITING = new Set([
  "ErrImagePull",
  "ImagePullBackOff",
  "InvalidImageName",
  "ErrImageNeverPull",
  "RegistryUnavailable",
  "SignatureValidationFailed",
  "ImageInspectError",
  "ErrImageInspect",
  "PullImageError",
]);
const PULL_EVENT_REASONS = new Set(["FailedToRetrieveImagePullSecret", "InspectFailed", "ErrImageNeverPull"]);

type Outcome<T> = { ok: true; value: T } | { ok: false; error: KubeError };

/** Runs a read; a KubeError (403, 404, 5xx) is returned, an unreachable server or a bug is thrown. */
async function attempt<T>(fn: () => Promise<T>): Promise<Outcome<T>> {
  try {
    return { ok: true, value: await fn() };
  } catch (error) {
    if (error instanceof KubeUnreachableError || !(error instanceof KubeError)) throw error;
    return { ok: false, error };
  }
}

function gapFor(
  subject: EvidenceGap["subject"],
  error: KubeError,
  permission: string,
  name?: string,
): EvidenceGap {
  const forbidden = error instanceof KubeForbiddenError;
  return {
    subject,
    ...(name !== undefined ? { name } : {}),
    reason: forbidden ? "forbidden" : "error",
    ...(forbidden ? { permission } : {}),
    detail: error.message,
  };
}

const inNs = (verb: string, resource: string, ns: string | undefined): string =>
  ns === undefined ? `${verb} ${resource} in all namespaces` : `${verb} ${resource} in namespace ${ns}`;

export function podHasPullTrouble(pod: unknown, events: readonly unknown[]): boolean {
  const status = obj(obj(pod)["status"]);
  for (const key of ["initContainerStatuses", "containerStatuses", "ephemeralContainerStatuses"]) {
    for (const s of arr(status[key])) {
      const reason = str(obj(obj(obj(s)["state"])["waiting"])["reason"]);
      if (reason !== undefined && PULL_WAITING.has(reason)) return true;
    }
  }
  const running = arr(status["containerStatuses"]).some((s) => obj(obj(s)["state"])["running"] !== undefined);
  return events.some((e) => {
    const event = obj(e);
    const reason = str(event["reason"]) ?? "";
    if (PULL_EVENT_REASONS.has(reason)) return true;
    const message = String(event["message"] ?? event["note"] ?? "");
    return (
      !running &&
      (reason === "Failed" || reason === "BackOff") &&
      /pull|image/i.test(message) &&
      !/back-off restarting/i.test(message)
    );
  });
}

function key(namespace: string | undefined, name: string | undefined): string {
  return `${namespace ?? ""}/${name ?? ""}`;
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

function saNames(sa: KubeObject | undefined): string[] {
  return arr(sa?.["imagePullSecrets"])
    .map((r) => str(obj(r)["name"]) ?? "")
    .filter((n) => n !== "");
}

interface NamespaceData {
  events: Map<string, KubeObject[]>;
  eventsGap?: EvidenceGap;
  serviceAccounts?: Map<string, KubeObject>;
  saGap?: EvidenceGap;
  /** Secrets listed (by namespace/name); undefined when the list was forbidden. */
  secrets?: Map<string, SecretObject>;
  secretsGap?: EvidenceGap;
  /** Secrets read one by one after a forbidden list. */
  secretReads: Map<string, Outcome<SecretObject | undefined>>;
  replicaSets: Map<string, KubeObject>;
}

export interface GatherOptions {
  readonly client: KubeClient;
  readonly target: DoctorTarget;
  readonly now: Date;
}

/** Reads every Pod of the target with its evidence. Throws KubeError for a forbidden/failed single-Pod read. */
export async function gatherDoctorEvidence(options: GatherOptions): Promise<GatherResult> {
  const { client, target } = options;
  const failures: string[] = [];
  const scopes: readonly (string | undefined)[] =
    target.kind === "all" ? (target.namespaces ?? [undefined]) : [target.namespace];

  // 1. Pods (and, for deploy/NAME, the ReplicaSets that own them).
  const selected: { pod: PodObject; scope: string | undefined }[] = [];
  const replicaSets = new Map<string | undefined, Map<string, KubeObject>>();
  for (const scope of scopes) {
    const listOptions: ListOptions = {
      ...(scope !== undefined ? { namespace: scope } : {}),
      ...(target.kind === "pod" ? { fieldSelector: `metadata.name=${target.name}` } : {}),
    };
    const pods = await attempt(() => client.list<PodObject>("Pod", listOptions));
    if (!pods.ok) {
      if (target.kind !== "all") throw pods.error;
      failures.push(pods.error.message);
      continue;
    }
    if (target.kind === "deployment") {
      const sets = await client.list("ReplicaSet", { namespace: target.namespace });
      const owned = new Set(
        sets
          .filter((rs) => {
            const owner = controllerOf(rs);
            return owner?.kind === "Deployment" && owner.name === target.name;
          })
          .map((rs) => rs.metadata.name),
      );
      replicaSets.set(scope, new Map(sets.map((rs) => [key(rs.metadata.namespace, rs.metadata.name), rs])));
      for (const pod of pods.value) {
        const owner = controllerOf(pod);
        if (owner?.kind === "ReplicaSet" && owned.has(owner.name)) selected.push({ pod, scope });
      }
      if (owned.size === 0) return { pods: [], failures: [`no ReplicaSet of deployment ${target.name}`] };
    } else {
      for (const pod of pods.value) selected.push({ pod, scope });
    }
  }

  // 2. Per namespace (or cluster-wide with -A): events first, to know which Pods have pull trouble.
  const data = new Map<string | undefined, NamespaceData>();
  const candidates: { pod: PodObject; scope: string | undefined; events: KubeObject[]; trouble: boolean }[] =
    [];
  for (const scope of new Set(selected.map((s) => s.scope))) {
    const nsData: NamespaceData = {
      events: new Map(),
      secretReads: new Map(),
      replicaSets: replicaSets.get(scope) ?? new Map(),
    };
    data.set(scope, nsData);
    const events = await attempt(() => client.list("Event", scope !== undefined ? { namespace: scope } : {}));
    if (events.ok) nsData.events = indexEvents(events.value);
    else nsData.eventsGap = gapFor("events", events.error, inNs("list", "events", scope));
    for (const s of selected.filter((x) => x.scope === scope)) {
      const podEvents = eventsOf(nsData.events, s.pod);
      const trouble = podHasPullTrouble(s.pod, podEvents);
      if (target.kind === "all" && !trouble) continue;
      candidates.push({ ...s, events: podEvents, trouble });
    }
  }

  // 3. ServiceAccounts, Secrets and ReplicaSets of the namespaces that have Pods to diagnose.
  for (const scope of new Set(candidates.map((c) => c.scope))) {
    const nsData = data.get(scope) as NamespaceData;
    const where = scope !== undefined ? { namespace: scope } : {};
    const sas = await attempt(() => client.list("ServiceAccount", where));
    if (sas.ok)
      nsData.serviceAccounts = new Map(
        sas.value.map((sa) => [key(sa.metadata.namespace, sa.metadata.name), sa]),
      );
    else nsData.saGap = gapFor("serviceaccount", sas.error, inNs("list", "serviceaccounts", scope));
    const secrets = await attempt(() => client.list<SecretObject>("Secret", where));
    if (secrets.ok) {
      nsData.secrets = new Map(secrets.value.map((s) => [key(s.metadata.namespace, s.metadata.name), s]));
    } else {
      nsData.secretsGap = gapFor("namespace-secrets", secrets.error, inNs("list", "secrets", scope));
    }
    const needsOwners = candidates.some(
      (c) => c.scope === scope && controllerOf(c.pod)?.kind === "ReplicaSet",
    );
    if (needsOwners && nsData.replicaSets.size === 0) {
      const sets = await attempt(() => client.list("ReplicaSet", where));
      if (sets.ok)
        nsData.replicaSets = new Map(
          sets.value.map((rs) => [key(rs.metadata.namespace, rs.metadata.name), rs]),
        );
    }
    // After a forbidden list: read the referenced Secrets one by one (each distinct name once).
    if (!nsData.secrets) {
      const wanted = new Set<string>();
      for (const c of candidates.filter((x) => x.scope === scope)) {
        const sa = nsData.serviceAccounts?.get(
          key(c.pod.metadata.namespace, c.pod.spec?.serviceAccountName ?? "default"),
        );
        for (const name of [...secretNamesOf(c.pod), ...saNames(sa)])
          wanted.add(key(c.pod.metadata.namespace, name));
      }
      for (const k of wanted) {
        const [ns, name] = k.split("/") as [string, string];
        nsData.secretReads.set(k, await attempt(() => client.getSecret(ns, name)));
      }
    }
  }

  // 4. Nodes: one list (by name when every Pod is on the same node).
  const nodeNames = [...new Set(candidates.map((c) => c.pod.spec?.nodeName).filter((n): n is string => !!n))];
  const nodes = new Map<string, KubeObject>();
  let nodeGap: EvidenceGap | undefined;
  if (nodeNames.length > 0) {
    const listed = await attempt(() =>
      client.list(
        "Node",
        nodeNames.length === 1 ? { fieldSelector: `metadata.name=${nodeNames[0] as string}` } : {},
      ),
    );
    if (listed.ok) for (const node of listed.value) nodes.set(node.metadata.name ?? "", node);
    else nodeGap = gapFor("node", listed.error, "list nodes (cluster scope)");
  }
  const observedAt = options.now;

  // 5. Build each Pod's objects; collect the missing Secret names for the "elsewhere" lookup.
  const pending: {
    gathered: Omit<GatheredObjects, "elsewhere">;
    missing: string[];
    podSecrets: SecretObject[];
    trouble: boolean;
  }[] = [];
  for (const c of candidates) {
    const nsData = data.get(c.scope) as NamespaceData;
    const ns = c.pod.metadata.namespace ?? "default";
    const gaps: EvidenceGap[] = [];
    if (nsData.eventsGap) gaps.push(nsData.eventsGap);
    const saName = c.pod.spec?.serviceAccountName ?? "default";
    let serviceAccount: KubeObject | undefined;
    if (nsData.serviceAccounts) {
      serviceAccount = nsData.serviceAccounts.get(key(ns, saName));
      if (!serviceAccount) gaps.push({ subject: "serviceaccount", name: saName, reason: "not-found" });
    } else if (nsData.saGap) gaps.push({ ...nsData.saGap, name: saName });
    const names = [...new Set([...secretNamesOf(c.pod), ...saNames(serviceAccount)])];
    const secrets: Record<string, unknown> = {};
    const secretErrors: Record<string, { state: "missing" | "forbidden" | "error"; detail?: string }> = {};
    const missing: string[] = [];
    for (const name of names) {
      if (nsData.secrets) {
        const found = nsData.secrets.get(key(ns, name));
        if (found) secrets[name] = found;
        else {
          secretErrors[name] = { state: "missing" };
          missing.push(name);
        }
        continue;
      }
      const read = nsData.secretReads.get(key(ns, name));
      if (read?.ok && read.value) secrets[name] = read.value;
      else if (read?.ok) {
        secretErrors[name] = { state: "missing" };
        missing.push(name);
      } else if (read) {
        const forbidden = read.error instanceof KubeForbiddenError;
        secretErrors[name] = { state: forbidden ? "forbidden" : "error", detail: read.error.message };
        gaps.push(gapFor("secret", read.error, `get secrets in namespace ${ns}`, name));
      }
    }
    if (nsData.secretsGap) gaps.push(nsData.secretsGap);
    const namespaceSecrets = nsData.secrets
      ? [...nsData.secrets.values()].filter((s) => s.metadata.namespace === ns)
      : undefined;
    const nodeName = c.pod.spec?.nodeName;
    const node = nodeName ? nodes.get(nodeName) : undefined;
    if (nodeName && !node)
      gaps.push(
        nodeGap ? { ...nodeGap, name: nodeName } : { subject: "node", name: nodeName, reason: "not-found" },
      );
    let owner: { kind: string; name: string } | undefined;
    const direct = controllerOf(c.pod);
    if (direct?.kind === "ReplicaSet") {
      const rs = nsData.replicaSets.get(key(ns, direct.name));
      const deployment = rs ? controllerOf(rs) : undefined;
      if (deployment?.kind === "Deployment") owner = deployment;
    }
    const podSecretNames = new Set(secretNamesOf(c.pod));
    pending.push({
      gathered: {
        now: options.now,
        pod: c.pod,
        ...(owner ? { owner } : {}),
        events: c.events,
        ...(serviceAccount ? { serviceAccount } : {}),
        secrets,
        secretErrors,
        ...(namespaceSecrets ? { namespaceSecrets } : {}),
        ...(node ? { node } : {}),
        observedAt,
        gaps,
      },
      missing,
      podSecrets: Object.entries(secrets)
        .filter(([name]) => podSecretNames.has(name))
        .map(([, s]) => s as SecretObject),
      trouble: c.trouble,
    });
  }

  // 6. Same-named Secrets in other namespaces.
  const elsewhere = new Map<string, SecretElsewhere>();
  let elsewhereGap: EvidenceGap | undefined;
  const missingNames = [...new Set(pending.flatMap((p) => p.missing))];
  const clusterWide =
    scopes.length === 1 && scopes[0] === undefined ? data.get(undefined)?.secrets : undefined;
  for (const name of missingNames) {
    let found: SecretObject[];
    if (clusterWide) found = [...clusterWide.values()].filter((s) => s.metadata.name === name);
    else {
      const listed = await attempt(() =>
        client.list<SecretObject>("Secret", { fieldSelector: `metadata.name=${name}` }),
      );
      if (!listed.ok) {
        elsewhereGap = gapFor("other-namespaces", listed.error, "list secrets in all namespaces");
        break;
      }
      found = listed.value;
    }
    elsewhere.set(name, {
      name,
      namespaces: found.map((s) => ({ namespace: s.metadata.namespace ?? "", type: s.type ?? "Opaque" })),
    });
  }
  const pods = pending.map((p): GatheredPod => {
    const ns = obj(obj(p.gathered.pod)["metadata"])["namespace"];
    const others = p.missing
      .map((name) => elsewhere.get(name))
      .filter((e): e is SecretElsewhere => e !== undefined)
      .map((e) => ({ ...e, namespaces: e.namespaces.filter((x) => x.namespace !== ns) }));
    return {
      objects: {
        ...p.gathered,
        ...(p.missing.length > 0 && !elsewhereGap ? { elsewhere: others } : {}),
        gaps: [...(p.gathered.gaps ?? []), ...(p.missing.length > 0 && elsewhereGap ? [elsewhereGap] : [])],
      },
      podSecrets: p.podSecrets,
      pullTrouble: p.trouble,
    };
  });
  return { pods, failures };
}

/** `doctor POD`: whether the Pod is still there (same uid) after the evidence was read. */
export async function podStillThere(client: KubeClient, pod: GatheredPod): Promise<boolean | undefined> {
  const metadata = obj(obj(pod.objects.pod)["metadata"]);
  const namespace = str(metadata["namespace"]);
  const name = str(metadata["name"]);
  if (namespace === undefined || name === undefined) return undefined;
  const listed = await attempt(() =>
    client.list<PodObject>("Pod", { namespace, fieldSelector: `metadata.name=${name}` }),
  );
  if (!listed.ok) return undefined;
  const uid = str(metadata["uid"]);
  return listed.value.some((p) => uid === undefined || p.metadata.uid === uid);
}
