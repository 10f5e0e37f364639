/**
 * Evidence from Kubernetes API objects, for the gathering edge of `doctor`: the Kubernetes layer reads the
 * objects and hands them over as they come (plain JSON from the API, or @kubernetes/client-node models whose
 * timestamps are Date objects); these pure functions turn them into the Evidence model. Every reader is
 * defensive: a Pod without status, an event without a message or a Secret with garbage data gives partial
 * evidence, never an exception.
 *
 * Secrets are reduced here, at the edge: only names, types, key names and what `secret inspect` shows (hosts,
 * users, token kinds, expiry, problems; passwords redacted) enter the Evidence. Secret values never do.
 */
import { dockerConfigFromSecret } from "../dockerconfig/index.js";
import type { ParsedDockerConfig, Problem } from "../dockerconfig/index.js";
import { InputError } from "../errors.js";
import { inspectPullCredentials } from "../inspect/index.js";
import { CONTAINER_GROUPS, IMAGE_PULL_WAITING_REASONS } from "../kube-model/index.js";
import type { PullCredentialSource } from "../manifest/index.js";
import type {
  ContainerEvidence,
  ContainerKind,
  EventEvidence,
  Evidence,
  EvidenceGap,
  KubeletSecretUse,
  NodeEvidence,
  NodeProvider,
  OwnerEvidence,
  PodEvidence,
  ProbeEvidence,
  PullPolicy,
  SecretDockerConfig,
  SecretElsewhere,
  SecretEvidence,
  SecretListing,
  ServiceAccountEvidence,
} from "./evidence.js";
import { displayLine } from "./redact.js";

type Obj = Record<string, unknown>;

function isObj(value: unknown): value is Obj {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function obj(value: unknown): Obj {
  return isObj(value) ? value : {};
}

function str(value: unknown): string | undefined {
  return typeof value === "string" && value !== "" ? value : undefined;
}

function arr(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

function num(value: unknown): number | undefined {
  return typeof value === "number" && Number.isFinite(value) ? value : undefined;
}

/** RFC 3339 strings (JSON) and Date objects (client-node models); anything else is unknown. */
export function toDate(value: unknown): Date | undefined {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? undefined : value;
  if (typeof value !== "string" || value === "") return undefined;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

function stringMap(value: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, v] of Object.entries(obj(value))) if (typeof v === "string") out[key] = v;
  return out;
}

const PULL_POLICIES = new Set(["Always", "IfNotPresent", "Never"]);

function containers(spec: Obj, status: Obj): ContainerEvidence[] {
  const groups = (Object.keys(CONTAINER_GROUPS) as ContainerKind[]).map(
    (kind): [ContainerKind, unknown, unknown] => [
      kind,
      spec[CONTAINER_GROUPS[kind].field],
      status[CONTAINER_GROUPS[kind].statusField],
    ],
  );
  const out: ContainerEvidence[] = [];
  for (const [kind, specs, statuses] of groups) {
    const byName = new Map<string, Obj>();
    for (const s of arr(statuses)) {
      const name = str(obj(s)["name"]);
      if (name !== undefined) byName.set(name, obj(s));
    }
    for (const c of arr(specs)) {
      const container = obj(c);
      const name = str(container["name"]) ?? "";
      const image = typeof container["image"] === "string" ? container["image"] : "";
      const policy = str(container["imagePullPolicy"]);
      const st = byName.get(name) ?? {};
      const state = obj(st["state"]);
      const waiting = isObj(state["waiting"]) ? state["waiting"] : undefined;
      const reason = str(waiting?.["reason"]);
      const message = str(waiting?.["message"]);
      out.push({
        name,
        kind,
        image,
        ...(policy !== undefined && PULL_POLICIES.has(policy)
          ? { imagePullPolicy: policy as PullPolicy }
          : {}),
        ...(waiting !== undefined
          ? { waiting: { reason: reason ?? "", ...(message !== undefined ? { message } : {}) } }
          : {}),
        ...(isObj(state["running"]) ? { running: true } : {}),
        ...(str(st["imageID"]) !== undefined ? { imageID: str(st["imageID"]) as string } : {}),
      });
    }
  }
  return out;
}

/** The Pod's controller; `resolvedOwner` (from the gatherer, e.g. the ReplicaSet's Deployment) wins. */
function ownerOf(metadata: Obj, resolvedOwner?: { kind: string; name: string }): OwnerEvidence | undefined {
  const controller = arr(metadata["ownerReferences"])
    .map(obj)
    .find((ref) => ref["controller"] === true);
  const direct =
    controller && str(controller["kind"]) && str(controller["name"])
      ? { kind: str(controller["kind"]) as string, name: str(controller["name"]) as string }
      : undefined;
  if (resolvedOwner) {
    return direct && (direct.kind !== resolvedOwner.kind || direct.name !== resolvedOwner.name)
      ? { ...resolvedOwner, via: direct }
      : { ...resolvedOwner };
  }
  return direct;
}

export function podEvidenceFromObject(
  pod: unknown,
  resolvedOwner?: { kind: string; name: string },
): PodEvidence {
  const p = obj(pod);
  const metadata = obj(p["metadata"]);
  const spec = obj(p["spec"]);
  const status = obj(p["status"]);
  const createdAt = toDate(metadata["creationTimestamp"]);
  const owner = ownerOf(metadata, resolvedOwner);
  const pullSecrets = Array.isArray(spec["imagePullSecrets"])
    ? arr(spec["imagePullSecrets"]).map((ref) =>
        typeof obj(ref)["name"] === "string" ? (obj(ref)["name"] as string) : "",
      )
    : [];
  return {
    name: str(metadata["name"]) ?? "",
    namespace: str(metadata["namespace"]) ?? "default",
    ...(str(metadata["uid"]) !== undefined ? { uid: str(metadata["uid"]) as string } : {}),
    ...(createdAt ? { createdAt } : {}),
    serviceAccountName: str(spec["serviceAccountName"]) ?? str(spec["serviceAccount"]) ?? "default",
    ...(str(spec["nodeName"]) !== undefined ? { nodeName: str(spec["nodeName"]) as string } : {}),
    ...(str(status["phase"]) !== undefined ? { phase: str(status["phase"]) as string } : {}),
    imagePullSecrets: pullSecrets,
    ...(owner ? { owner } : { standalone: true }),
    containers: containers(spec, status),
  };
}

/** core/v1 Event and events.k8s.io/v1 Event. */
export function eventEvidenceFromObject(event: unknown): EventEvidence | undefined {
  const e = obj(event);
  const reason = str(e["reason"]);
  const message =
    typeof e["message"] === "string" ? e["message"] : typeof e["note"] === "string" ? e["note"] : "";
  if (reason === undefined && message === "") return undefined;
  const involved = obj(e["involvedObject"] ?? e["regarding"]);
  const source = obj(e["source"]);
  const series = obj(e["series"]);
  const count = num(e["count"]) ?? num(series["count"]) ?? num(e["deprecatedCount"]);
  const firstSeen =
    toDate(e["firstTimestamp"]) ?? toDate(e["deprecatedFirstTimestamp"]) ?? toDate(e["eventTime"]);
  const lastSeen =
    toDate(series["lastObservedTime"]) ??
    toDate(e["lastTimestamp"]) ??
    toDate(e["deprecatedLastTimestamp"]) ??
    toDate(e["eventTime"]) ??
    firstSeen;
  const node = str(source["host"]) ?? str(e["reportingInstance"]);
  const fieldPath = str(involved["fieldPath"]);
  return {
    ...(str(e["type"]) !== undefined ? { type: str(e["type"]) as string } : {}),
    reason: reason ?? "",
    message,
    ...(count !== undefined ? { count } : {}),
    ...(firstSeen ? { firstSeen } : {}),
    ...(lastSeen ? { lastSeen } : {}),
    ...(fieldPath !== undefined ? { fieldPath } : {}),
    ...(node !== undefined ? { node } : {}),
  };
}

/**
 * When any of `fields` (top-level, as managedFields names them: `f:data`) was last written: the newest
 * managedFields entry that owns one of them (each manager's entry carries the time of its last write).
 */
function lastWrittenAt(metadata: Obj, fields: readonly string[]): Date | undefined {
  let latest: Date | undefined;
  for (const entry of arr(metadata["managedFields"]).map(obj)) {
    const owned = obj(entry["fieldsV1"]);
    if (!fields.some((field) => Object.hasOwn(owned, field))) continue;
    const time = toDate(entry["time"]);
    if (time && (!latest || time > latest)) latest = time;
  }
  return latest;
}

export function serviceAccountEvidenceFromObject(
  serviceAccount: unknown,
): ServiceAccountEvidence | undefined {
  const sa = obj(serviceAccount);
  const metadata = obj(sa["metadata"]);
  const name = str(metadata["name"]);
  if (name === undefined) return undefined;
  const createdAt = toDate(metadata["creationTimestamp"]);
  const changedAt = lastWrittenAt(metadata, ["f:imagePullSecrets"]);
  return {
    name,
    imagePullSecrets: arr(sa["imagePullSecrets"]).map((ref) =>
      typeof obj(ref)["name"] === "string" ? (obj(ref)["name"] as string) : "",
    ),
    ...(createdAt ? { createdAt } : {}),
    ...(changedAt ? { imagePullSecretsChangedAt: changedAt } : {}),
  };
}

/** Parser problems after which kubelet's MakeDockerKeyring fails (the whole pull fails, not just the entry). */
const KUBELET_FATAL_PROBLEMS = new Set([
  "utf8-bom",
  "field-not-string",
  "http-headers-invalid",
  "auth-not-base64",
  "auth-url-safe-base64",
  "auth-no-colon",
]);

function kubeletUse(problems: readonly Problem[]): KubeletSecretUse {
  if (problems.some((p) => p.code === "secret-type-mismatch" || p.code === "secret-key-type-mismatch"))
    return "ignores";
  if (problems.some((p) => p.severity === "error" && KUBELET_FATAL_PROBLEMS.has(p.code))) return "fails";
  return "uses";
}

const DOCKER_KEYS = [".dockerconfigjson", ".dockercfg"] as const;

export interface SecretReadOptions {
  readonly now: Date;
  readonly referencedBy: readonly ("pod" | "serviceaccount")[];
}

/** A Secret that was read: its type, key names and, for a docker config, what kubelet makes of it. */
export function secretEvidenceFromObject(secret: unknown, options: SecretReadOptions): SecretEvidence {
  const s = obj(secret);
  const metadata = obj(s["metadata"]);
  const name = str(metadata["name"]) ?? "";
  const namespace = str(metadata["namespace"]) ?? "";
  const type = typeof s["type"] === "string" ? s["type"] : "Opaque";
  const dataKeys = [
    ...new Set([...Object.keys(obj(s["data"])), ...Object.keys(obj(s["stringData"]))]),
  ].sort();
  const createdAt = toDate(metadata["creationTimestamp"]);
  const contentChangedAt = lastWrittenAt(metadata, ["f:data", "f:stringData", "f:type"]) ?? createdAt;
  const base: SecretEvidence = {
    name,
    namespace,
    state: "found",
    referencedBy: options.referencedBy,
    type,
    dataKeys,
    ...(createdAt ? { createdAt } : {}),
    ...(contentChangedAt ? { contentChangedAt } : {}),
  };
  const key = DOCKER_KEYS.find((k) => dataKeys.includes(k));
  if (key === undefined) return base;
  return { ...base, docker: readDockerConfig(s, key, options.now) };
}

function readDockerConfig(secret: Obj, key: (typeof DOCKER_KEYS)[number], now: Date): SecretDockerConfig {
  const metadata = obj(secret["metadata"]);
  const label = `secret ${str(metadata["namespace"]) ?? "?"}/${str(metadata["name"]) ?? "?"}`;
  // Only the fields dockerConfigFromSecret reads; a client-node model may carry Buffers or Dates elsewhere.
  const plain = {
    kind: "Secret",
    metadata: { name: str(metadata["name"]), namespace: str(metadata["namespace"]) },
    type: typeof secret["type"] === "string" ? secret["type"] : "Opaque",
    data: obj(secret["data"]),
    stringData: obj(secret["stringData"]),
  };
  try {
    const parsed = dockerConfigFromSecret(plain, label);
    const source: PullCredentialSource = {
      label,
      location: label,
      secret: {
        ...(parsed.name !== undefined ? { name: parsed.name } : {}),
        ...(parsed.namespace !== undefined ? { namespace: parsed.namespace } : {}),
        type: parsed.type,
        key: parsed.key,
      },
      config: parsed.config as ParsedDockerConfig,
      problems: parsed.problems,
    };
    const report = inspectPullCredentials([source], { now });
    const inspected = report.sources[0];
    const entries = inspected?.entries ?? [];
    const problems = [...(inspected?.problems ?? []), ...entries.flatMap((entry) => entry.problems)];
    return { key: parsed.key, kubelet: kubeletUse(parsed.problems), entries, problems };
  } catch (error) {
    const code = error instanceof InputError ? error.code : "E_SECRET_UNREADABLE";
    const message = displayLine(
      error instanceof Error ? error.message : "the docker config cannot be read",
      300,
    );
    return { key, kubelet: "fails", entries: [], problems: [], unreadable: { code, message } };
  }
}

/** A Secret name that was looked up and not found (404), or could not be read (403, other errors). */
export function unreadSecretEvidence(
  name: string,
  namespace: string,
  state: "missing" | "forbidden" | "error",
  referencedBy: readonly ("pod" | "serviceaccount")[],
  detail?: string,
): SecretEvidence {
  return {
    name,
    namespace,
    state,
    referencedBy,
    ...(detail !== undefined ? { detail: displayLine(detail, 300) } : {}),
  };
}

export function secretListingFromObjects(secrets: readonly unknown[]): SecretListing[] {
  return secrets
    .map(obj)
    .map((s) => ({
      name: str(obj(s["metadata"])["name"]) ?? "",
      type: typeof s["type"] === "string" ? s["type"] : "Opaque",
    }))
    .filter((s) => s.name !== "");
}

/** Provider from providerID and well-known labels (AKS, EKS, GKE set them on every node). */
export function nodeProvider(
  providerID: string | undefined,
  labels: Readonly<Record<string, string>>,
): NodeProvider {
  const id = providerID ?? "";
  const has = (key: string) => Object.hasOwn(labels, key);
  if (id.startsWith("azure://") || has("kubernetes.azure.com/cluster")) {
    return has("kubernetes.azure.com/cluster") || has("kubernetes.azure.com/agentpool") ? "aks" : "azure";
  }
  if (labels["eks.amazonaws.com/compute-type"] === "fargate") return "eks-fargate";
  if (id.startsWith("aws://") || has("eks.amazonaws.com/nodegroup")) {
    return has("eks.amazonaws.com/nodegroup") ||
      has("alpha.eksctl.io/cluster-name") ||
      has("eks.amazonaws.com/nodegroup-image") ||
      has("karpenter.k8s.aws/instance-family")
      ? "eks"
      : "aws";
  }
  if (id.startsWith("gce://") || has("cloud.google.com/gke-nodepool")) {
    return has("cloud.google.com/gke-nodepool") ? "gke" : "gce";
  }
  if (id.startsWith("kind://")) return "kind";
  return "other";
}

export interface NodeReadOptions {
  /** The node's Lease (kube-node-lease), whose renewTime the kubelet stamps every 10 s with its own clock. */
  readonly lease?: unknown;
  /** When the objects were read, by the API server's clock (the response Date header). */
  readonly observedAt?: Date;
}

export function nodeEvidenceFromObject(
  node: unknown,
  options: NodeReadOptions = {},
): NodeEvidence | undefined {
  const n = obj(node);
  const metadata = obj(n["metadata"]);
  const name = str(metadata["name"]);
  if (name === undefined) return undefined;
  const labels = stringMap(metadata["labels"]);
  const spec = obj(n["spec"]);
  const status = obj(n["status"]);
  const info = obj(status["nodeInfo"]);
  const providerID = str(spec["providerID"]);
  const readyCondition = arr(status["conditions"])
    .map(obj)
    .find((c) => c["type"] === "Ready");
  const ready = readyCondition ? readyCondition["status"] === "True" : undefined;
  const leaseRenew = toDate(obj(obj(options.lease)["spec"])["renewTime"]);
  const statusHeartbeat = toDate(readyCondition?.["lastHeartbeatTime"]);
  const heartbeat = leaseRenew ?? statusHeartbeat;
  const clock =
    heartbeat && options.observedAt
      ? {
          heartbeat,
          observedAt: options.observedAt,
          source: leaseRenew ? ("lease" as const) : ("node-status" as const),
        }
      : undefined;
  const architecture = str(info["architecture"]) ?? labels["kubernetes.io/arch"];
  const os = str(info["operatingSystem"]) ?? labels["kubernetes.io/os"];
  const variant = labels["kubernetes.io/arch-variant"];
  return {
    name,
    provider: nodeProvider(providerID, labels),
    ...(providerID !== undefined ? { providerID } : {}),
    labels,
    ...(str(info["kubeletVersion"]) !== undefined
      ? { kubeletVersion: str(info["kubeletVersion"]) as string }
      : {}),
    ...(str(info["containerRuntimeVersion"]) !== undefined
      ? { containerRuntimeVersion: str(info["containerRuntimeVersion"]) as string }
      : {}),
    ...(os !== undefined ? { os } : {}),
    ...(architecture !== undefined ? { architecture } : {}),
    ...(variant !== undefined ? { variant } : {}),
    ...(ready !== undefined ? { ready } : {}),
    ...(clock ? { clock } : {}),
  };
}

/** Event reasons that are about a pull whatever their message. */
const PULL_TROUBLE_EVENT_REASONS = new Set([
  "FailedToRetrieveImagePullSecret",
  "InspectFailed",
  "ErrImageNeverPull",
]);

/**
 * Whether kubelet has reported nothing for the Pod yet. The API server itself gives every new Pod
 * `status: {phase: Pending, qosClass}`, so an empty status is not the sign: kubelet writes `startTime`,
 * conditions and container statuses.
 */
export function kubeletHasNotReported(pod: unknown): boolean {
  const status = (pod as { status?: unknown } | null)?.status;
  if (typeof status !== "object" || status === null) return true;
  const written = status as Record<string, unknown>;
  const nonEmpty = (value: unknown) => Array.isArray(value) && value.length > 0;
  return (
    written["startTime"] === undefined &&
    !nonEmpty(written["conditions"]) &&
    !nonEmpty(written["containerStatuses"]) &&
    !nonEmpty(written["initContainerStatuses"])
  );
}

/**
 * Whether a Pod (an API object) has image-pull trouble: a container waits on a pull, or one of its events is
 * about a failed pull (a Failed/BackOff about an image while no container runs; never "back-off restarting").
 * `doctor --all` diagnoses only such Pods.
 */
export function podHasPullTrouble(pod: unknown, events: readonly unknown[]): boolean {
  const status = obj(obj(pod)["status"]);
  for (const key of ["initContainerStatuses", "containerStatuses", "ephemeralContainerStatuses"]) {
    for (const s of arr(status[key])) {
      const reason = str(obj(obj(obj(s)["state"])["waiting"])["reason"]);
      if (reason !== undefined && IMAGE_PULL_WAITING_REASONS.has(reason)) return true;
    }
  }
  const running = arr(status["containerStatuses"]).some((s) => obj(obj(s)["state"])["running"] !== undefined);
  return events.some((e) => {
    const event = obj(e);
    const reason = str(event["reason"]) ?? "";
    if (PULL_TROUBLE_EVENT_REASONS.has(reason)) return true;
    const message = String(event["message"] ?? event["note"] ?? "");
    return (
      !running &&
      (reason === "Failed" || reason === "BackOff") &&
      /pull|image/i.test(message) &&
      !/back-off restarting/i.test(message)
    );
  });
}

/** Everything the live gatherer read, as API objects. Omit what was not read; say why in `gaps`. */
export interface GatheredObjects {
  readonly now: Date;
  readonly pod: unknown;
  /** The Deployment/StatefulSet/… the gatherer resolved the Pod's controller to. */
  readonly owner?: { kind: string; name: string };
  readonly events?: readonly unknown[];
  /** The ServiceAccount, or undefined when not read (see gaps). */
  readonly serviceAccount?: unknown;
  /**
   * Each Secret name the Pod or its ServiceAccount references: the object when read, or "missing" (404),
   * "forbidden" (403) or "error".
   */
  readonly secrets?: Readonly<Record<string, unknown>>;
  readonly secretErrors?: Readonly<
    Record<string, { state: "missing" | "forbidden" | "error"; detail?: string }>
  >;
  /** All Secrets of the Pod's namespace (only names and types are kept). */
  readonly namespaceSecrets?: readonly unknown[];
  readonly elsewhere?: readonly SecretElsewhere[];
  readonly node?: unknown;
  readonly nodeLease?: unknown;
  /** When the objects were read, by the API server's clock. */
  readonly observedAt?: Date;
  readonly probes?: readonly ProbeEvidence[];
  readonly gaps?: readonly EvidenceGap[];
}

/** The Evidence of one Pod from the objects the gatherer read. Pure and total. */
export function evidenceFromObjects(input: GatheredObjects): Evidence {
  const pod = podEvidenceFromObject(input.pod, input.owner);
  const serviceAccount =
    input.serviceAccount === undefined ? undefined : serviceAccountEvidenceFromObject(input.serviceAccount);
  let secrets: SecretEvidence[] | undefined;
  if (input.secrets !== undefined || input.secretErrors !== undefined) {
    const podNames = (pod.imagePullSecrets ?? []).filter((n) => n !== "");
    const saNames = (serviceAccount?.imagePullSecrets ?? []).filter((n) => n !== "");
    const names = [...new Set([...podNames, ...saNames])];
    secrets = [];
    for (const name of names) {
      const referencedBy: ("pod" | "serviceaccount")[] = [];
      if (podNames.includes(name)) referencedBy.push("pod");
      if (saNames.includes(name)) referencedBy.push("serviceaccount");
      const object = input.secrets?.[name];
      const failure = input.secretErrors?.[name];
      if (object !== undefined && object !== null) {
        secrets.push(secretEvidenceFromObject(object, { now: input.now, referencedBy }));
      } else if (failure !== undefined) {
        secrets.push(unreadSecretEvidence(name, pod.namespace, failure.state, referencedBy, failure.detail));
      }
    }
  }
  const node =
    input.node === undefined
      ? undefined
      : nodeEvidenceFromObject(input.node, {
          ...(input.nodeLease !== undefined ? { lease: input.nodeLease } : {}),
          ...(input.observedAt !== undefined ? { observedAt: input.observedAt } : {}),
        });
  return {
    source: "cluster",
    now: input.now,
    pod,
    events: (input.events ?? [])
      .map(eventEvidenceFromObject)
      .filter((e): e is EventEvidence => e !== undefined),
    ...(serviceAccount ? { serviceAccount } : {}),
    ...(secrets ? { secrets } : {}),
    ...(input.namespaceSecrets ? { namespaceSecrets: secretListingFromObjects(input.namespaceSecrets) } : {}),
    ...(input.elsewhere ? { elsewhere: input.elsewhere } : {}),
    ...(node ? { node } : {}),
    ...(input.probes ? { probes: input.probes } : {}),
    ...(input.gaps ? { gaps: input.gaps } : {}),
  };
}
