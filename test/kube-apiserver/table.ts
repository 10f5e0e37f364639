// Server-side printing: `meta.k8s.io/v1 Table` responses (what `kubectl get` asks for with
// `Accept: application/json;as=Table;v=v1;g=meta.k8s.io`), with the columns of the real printers for our kinds.
import { wireObject } from "./encoding.js";
import type { ResourceDef } from "./resources.js";
import { apiVersionOf } from "./resources.js";
import type { Json, JsonObject, KubeObject } from "./types.js";
import { getPath, isObject } from "./types.js";

type Cell = string | number;

interface Column {
  name: string;
  type: "string" | "integer" | "date";
  format?: string;
  description: string;
  priority: number;
  cell: (o: KubeObject, now: number) => Cell;
}

/** duration.HumanDuration of k8s.io/apimachinery. */
export function humanDuration(ms: number): string {
  const seconds = Math.floor(ms / 1000);
  if (seconds < -1) return "<invalid>";
  if (seconds < 0) return "0s";
  if (seconds < 120) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 10) {
    const s = seconds % 60;
    return s === 0 ? `${minutes}m` : `${minutes}m${s}s`;
  }
  if (minutes < 180) return `${minutes}m`;
  const hours = Math.floor(minutes / 60);
  if (hours < 8) {
    const m = minutes % 60;
    return m === 0 ? `${hours}h` : `${hours}h${m}m`;
  }
  if (hours < 48) return `${hours}h`;
  if (hours < 24 * 8) {
    const h = hours % 24;
    return h === 0 ? `${Math.floor(hours / 24)}d` : `${Math.floor(hours / 24)}d${h}h`;
  }
  if (hours < 24 * 365 * 2) return `${Math.floor(hours / 24)}d`;
  if (hours < 24 * 365 * 8) {
    const dy = Math.floor(hours / 24) % 365;
    const y = Math.floor(hours / 24 / 365);
    return dy === 0 ? `${y}y` : `${y}y${dy}d`;
  }
  return `${Math.floor(hours / 24 / 365)}y`;
}

function since(ts: unknown, now: number): string {
  if (typeof ts !== "string" || ts === "") return "<unknown>";
  return humanDuration(now - Date.parse(ts));
}

const s = (o: KubeObject, ...path: string[]): string => {
  const v = getPath(o, path);
  return typeof v === "string" && v !== "" ? v : "<none>";
};
const count = (v: unknown): number => (isObject(v) ? Object.keys(v).length : Array.isArray(v) ? v.length : 0);
const num = (o: KubeObject, ...path: string[]): number => {
  const v = getPath(o, path);
  return typeof v === "number" ? v : 0;
};

const NAME: Column = {
  name: "Name",
  type: "string",
  format: "name",
  description: "Name must be unique within a namespace.",
  priority: 0,
  cell: (o) => o.metadata.name ?? "",
};
const AGE: Column = {
  name: "Age",
  type: "string",
  description: "CreationTimestamp is a timestamp representing the server time when this object was created.",
  priority: 0,
  cell: (o, now) => since(o.metadata.creationTimestamp, now),
};
const CREATED_AT: Column = {
  name: "Created At",
  type: "date",
  description: "CreationTimestamp is a timestamp representing the server time when this object was created.",
  priority: 0,
  cell: (o) => o.metadata.creationTimestamp ?? "",
};
const col = (name: string, type: Column["type"], cell: Column["cell"], priority = 0): Column => ({
  name,
  type,
  description: name,
  priority,
  cell,
});

function podStatus(o: KubeObject): { reason: string; ready: number; total: number; restarts: number } {
  const containers = getPath(o, ["spec", "containers"]);
  const total = Array.isArray(containers) ? containers.length : 0;
  let reason = s(o, "status", "phase");
  if (reason === "<none>") reason = "Pending";
  const statusReason = getPath(o, ["status", "reason"]);
  if (typeof statusReason === "string" && statusReason) reason = statusReason;
  let ready = 0;
  let restarts = 0;
  const statuses = getPath(o, ["status", "containerStatuses"]);
  if (Array.isArray(statuses)) {
    for (const cs of [...statuses].reverse()) {
      if (!isObject(cs)) continue;
      restarts += typeof cs.restartCount === "number" ? cs.restartCount : 0;
      const state = isObject(cs.state) ? cs.state : {};
      const waiting = isObject(state.waiting) ? state.waiting : undefined;
      const terminated = isObject(state.terminated) ? state.terminated : undefined;
      if (waiting && typeof waiting.reason === "string" && waiting.reason) reason = waiting.reason;
      else if (terminated && typeof terminated.reason === "string" && terminated.reason)
        reason = terminated.reason;
      else if (state.running !== undefined && cs.ready === true) ready++;
    }
  }
  if (o.metadata.deletionTimestamp) reason = "Terminating";
  return { reason, ready, total, restarts };
}

function nodeStatus(o: KubeObject): string {
  const conditions = getPath(o, ["status", "conditions"]);
  let status = "Unknown";
  if (Array.isArray(conditions)) {
    for (const c of conditions) {
      if (isObject(c) && c.type === "Ready")
        status = c.status === "True" ? "Ready" : c.status === "False" ? "NotReady" : "Unknown";
    }
  }
  if (getPath(o, ["spec", "unschedulable"]) === true) status += ",SchedulingDisabled";
  return status;
}

function nodeRoles(o: KubeObject): string {
  const roles = Object.keys(o.metadata.labels ?? {})
    .filter((k) => k.startsWith("node-role.kubernetes.io/"))
    .map((k) => k.slice("node-role.kubernetes.io/".length))
    .filter(Boolean)
    .sort();
  return roles.length ? roles.join(",") : "<none>";
}

function containersOf(o: KubeObject, path: string[], field: "name" | "image"): string {
  const list = getPath(o, path);
  if (!Array.isArray(list)) return "<none>";
  return list.map((c) => (isObject(c) && typeof c[field] === "string" ? (c[field] as string) : "")).join(",");
}

const TEMPLATE = ["spec", "template", "spec", "containers"];

function columnsFor(def: ResourceDef): Column[] {
  const key = `${def.group}/${def.plural}`;
  switch (key) {
    case "/namespaces":
      return [NAME, col("Status", "string", (o) => s(o, "status", "phase")), AGE];
    case "/secrets":
      return [
        NAME,
        col("Type", "string", (o) => String(o.type ?? "")),
        col("Data", "integer", (o) => count(o.data)),
        AGE,
      ];
    case "/serviceaccounts":
      return [NAME, col("Secrets", "integer", (o) => count(o.secrets)), AGE];
    case "/configmaps":
      return [NAME, col("Data", "integer", (o) => count(o.data) + count(o.binaryData)), AGE];
    case "/pods":
      return [
        NAME,
        col("Ready", "string", (o) => {
          const p = podStatus(o);
          return `${p.ready}/${p.total}`;
        }),
        col("Status", "string", (o) => podStatus(o).reason),
        col("Restarts", "string", (o) => String(podStatus(o).restarts)),
        AGE,
        col("IP", "string", (o) => s(o, "status", "podIP"), 1),
        col("Node", "string", (o) => s(o, "spec", "nodeName"), 1),
        col("Nominated Node", "string", (o) => s(o, "status", "nominatedNodeName"), 1),
        col("Readiness Gates", "string", () => "<none>", 1),
      ];
    case "/nodes":
      return [
        NAME,
        col("Status", "string", nodeStatus),
        col("Roles", "string", nodeRoles),
        AGE,
        col("Version", "string", (o) => s(o, "status", "nodeInfo", "kubeletVersion")),
      ];
    case "/events":
      return [
        col("Last Seen", "string", (o, now) =>
          since(o.lastTimestamp ?? o.eventTime ?? o.firstTimestamp ?? o.metadata.creationTimestamp, now),
        ),
        col("Type", "string", (o) => String(o.type ?? "")),
        col("Reason", "string", (o) => String(o.reason ?? "")),
        col(
          "Object",
          "string",
          (o) => `${s(o, "involvedObject", "kind").toLowerCase()}/${s(o, "involvedObject", "name")}`,
        ),
        col("Message", "string", (o) => String(o.message ?? "")),
      ];
    case "coordination.k8s.io/leases":
      return [NAME, col("Holder", "string", (o) => s(o, "spec", "holderIdentity")), AGE];
    case "rbac.authorization.k8s.io/roles":
    case "rbac.authorization.k8s.io/clusterroles":
      return [NAME, CREATED_AT];
    case "rbac.authorization.k8s.io/rolebindings":
    case "rbac.authorization.k8s.io/clusterrolebindings":
      return [
        NAME,
        col("Role", "string", (o) => `${s(o, "roleRef", "kind")}/${s(o, "roleRef", "name")}`),
        AGE,
      ];
    case "apps/deployments":
      return [
        NAME,
        col("Ready", "string", (o) => `${num(o, "status", "readyReplicas")}/${num(o, "spec", "replicas")}`),
        col("Up-to-date", "integer", (o) => num(o, "status", "updatedReplicas")),
        col("Available", "integer", (o) => num(o, "status", "availableReplicas")),
        AGE,
        col("Containers", "string", (o) => containersOf(o, TEMPLATE, "name"), 1),
        col("Images", "string", (o) => containersOf(o, TEMPLATE, "image"), 1),
      ];
    case "apps/replicasets":
      return [
        NAME,
        col("Desired", "integer", (o) => num(o, "spec", "replicas")),
        col("Current", "integer", (o) => num(o, "status", "replicas")),
        col("Ready", "integer", (o) => num(o, "status", "readyReplicas")),
        AGE,
        col("Containers", "string", (o) => containersOf(o, TEMPLATE, "name"), 1),
        col("Images", "string", (o) => containersOf(o, TEMPLATE, "image"), 1),
      ];
    default:
      return [NAME, AGE];
  }
}

export type IncludeObject = "None" | "Object" | "Metadata";

function rowObject(def: ResourceDef, o: KubeObject, include: IncludeObject): Json | undefined {
  if (include === "None") return undefined;
  if (include === "Object") return wireObject({ ...o, kind: def.kind, apiVersion: apiVersionOf(def) });
  return {
    kind: "PartialObjectMetadata",
    apiVersion: "meta.k8s.io/v1",
    metadata: o.metadata as unknown as Json,
  };
}

export interface TableOptions {
  includeObject: IncludeObject;
  resourceVersion?: string;
  continueToken?: string;
  remainingItemCount?: number;
  noHeaders?: boolean;
}

/** Renders objects as a Table. */
export function toTable(def: ResourceDef, objects: KubeObject[], opts: TableOptions): JsonObject {
  const columns = columnsFor(def);
  const now = Date.now();
  const metadata: JsonObject = {};
  if (opts.resourceVersion) metadata.resourceVersion = opts.resourceVersion;
  if (opts.continueToken) metadata.continue = opts.continueToken;
  if (opts.remainingItemCount !== undefined) metadata.remainingItemCount = opts.remainingItemCount;
  const table: JsonObject = { kind: "Table", apiVersion: "meta.k8s.io/v1", metadata };
  if (!opts.noHeaders) {
    table.columnDefinitions = columns.map((c) => {
      const d: JsonObject = {
        name: c.name,
        type: c.type,
        format: c.format ?? "",
        description: c.description,
        priority: c.priority,
      };
      return d;
    });
  }
  table.rows = objects.map((o) => {
    const row: JsonObject = { cells: columns.map((c) => c.cell(o, now)) };
    const obj = rowObject(def, o, opts.includeObject);
    if (obj !== undefined) row.object = obj;
    return row;
  });
  return table;
}

/** True when Accept asks for a meta.k8s.io Table (v1 or v1beta1). */
export function wantsTable(accept: string): "v1" | "v1beta1" | undefined {
  for (const part of accept.split(",")) {
    const [type, ...params] = part.split(";").map((x) => x.trim());
    if (type !== "application/json") continue;
    const p = new Map(params.map((x) => x.split("=") as [string, string]));
    if (p.get("as") === "Table" && p.get("g") === "meta.k8s.io") {
      const v = p.get("v");
      if (v === "v1" || v === "v1beta1") return v;
    }
  }
  return undefined;
}
