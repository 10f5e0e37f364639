/**
 * Reading the text people paste: `kubectl describe pod` output (one or several Pods), `kubectl get events`
 * tables, Pod/Event objects as YAML or JSON (`kubectl get pod -o yaml`), or bare messages (a waiting message,
 * an event message, a runtime log line). The result is partial Evidence: only what the text shows.
 *
 * kubectl prints describe output through a tabwriter (pkg/describe/describe.go): top-level `Key:  value`
 * fields at column 0, containers indented by 2 with fields at 4 and state details at 6, and an Events table
 * whose columns line up with its header (Type, Reason, Age, From, Message). Pasted text may have lost that
 * alignment (tabs, trimmed lines), so each row falls back to splitting on runs of two or more spaces.
 * Everything here is total: unexpected text is treated as messages, never an error.
 */
import { parseManifestDocuments } from "../manifest/index.js";
import type {
  ContainerEvidence,
  ContainerKind,
  EventEvidence,
  NodeEvidence,
  NodeProvider,
  OwnerEvidence,
  PodEvidence,
} from "./evidence.js";
import { eventEvidenceFromObject, podEvidenceFromObject } from "./from-objects.js";
import { redactMessage, redactPastedText } from "./redact.js";

/** Every name taken from pasted text is redacted too: text is untrusted, and a "name" may hold a token. */
function clean(value: string): string {
  return redactMessage(value);
}

function cleanPod(pod: PodEvidence): PodEvidence {
  return {
    ...pod,
    name: clean(pod.name),
    namespace: clean(pod.namespace),
    ...(pod.serviceAccountName !== undefined ? { serviceAccountName: clean(pod.serviceAccountName) } : {}),
    ...(pod.nodeName !== undefined ? { nodeName: clean(pod.nodeName) } : {}),
    ...(pod.imagePullSecrets !== undefined ? { imagePullSecrets: pod.imagePullSecrets.map(clean) } : {}),
    ...(pod.owner !== undefined
      ? {
          owner: {
            kind: clean(pod.owner.kind),
            name: clean(pod.owner.name),
            ...(pod.owner.via
              ? { via: { kind: clean(pod.owner.via.kind), name: clean(pod.owner.via.name) } }
              : {}),
          },
        }
      : {}),
    containers: pod.containers.map((c) => ({
      ...c,
      name: clean(c.name),
      image: clean(c.image),
      ...(c.waiting ? { waiting: { ...c.waiting, reason: clean(c.waiting.reason) } } : {}),
    })),
  };
}

export type TextFormat = "describe" | "events-table" | "objects" | "messages";

export interface PodFromText {
  readonly pod: PodEvidence;
  readonly events: readonly EventEvidence[];
  /** The node, when the text names one (provider inferred from its name). */
  readonly node?: NodeEvidence;
}

export interface ParsedText {
  readonly format: TextFormat;
  /** Pods the text describes; for bare messages, one Pod with an empty name. */
  readonly pods: readonly PodFromText[];
}

/** Text beyond this is ignored: a describe of hundreds of Pods is still far smaller. */
export const MAX_TEXT_LENGTH = 4 * 1024 * 1024;

// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[[0-9;?]*[A-Za-z]/g;

function normalise(text: string): string[] {
  return text.slice(0, MAX_TEXT_LENGTH).replace(ANSI, "").replace(/\r\n?/g, "\n").split("\n");
}

/** Node names as cloud node pools create them. */
export function providerFromNodeName(name: string): NodeProvider | undefined {
  if (/^aks-[a-z0-9]+-\d+-vmss[0-9a-z]+$/.test(name)) return "aks";
  if (/^fargate-ip-\d+-\d+-\d+-\d+\./.test(name)) return "eks-fargate";
  if (/^i?p-\d+-\d+-\d+-\d+\.(?:[a-z0-9-]+\.)?(?:ec2|compute)\.internal$/.test(name)) return "eks";
  if (/^gke-.+-[0-9a-f]{8}-[a-z0-9]{4}$/.test(name)) return "gke";
  if (/(?:^|-)control-plane$|-worker\d*$/.test(name) && name.startsWith("kind")) return "kind";
  return undefined;
}

function nodeFromName(name: string | undefined): NodeEvidence | undefined {
  if (!name) return undefined;
  const provider = providerFromNodeName(name);
  return { name, provider: provider ?? "other", labels: {}, ...(provider ? { inferred: true } : {}) };
}

function parseDate(text: string): Date | undefined {
  const date = new Date(text.trim());
  return Number.isNaN(date.getTime()) ? undefined : date;
}

/** `50s (x4 over 2m)` → 4. */
function countFromAge(age: string): number | undefined {
  const match = /\(x(\d{1,9}) over /.exec(age);
  return match ? Number(match[1]) : undefined;
}

interface Columns {
  readonly starts: readonly number[];
  readonly names: readonly string[];
}

function headerColumns(line: string, names: readonly string[]): Columns | undefined {
  const starts: number[] = [];
  let from = 0;
  for (const name of names) {
    const re = new RegExp(`(?:^|\\s)(${name.replace(/ /g, " ")})(?=\\s|$)`, "g");
    re.lastIndex = from;
    const match = re.exec(line);
    if (!match) return undefined;
    const start = match.index + match[0].indexOf(match[1] as string);
    starts.push(start);
    from = start + name.length;
  }
  return { starts, names };
}

/** Cells of a row: by the header's columns when the row lines up, else split on runs of 2+ spaces or tabs. */
function cells(line: string, columns: Columns): string[] {
  const { starts } = columns;
  const aligned = starts.every((start, i) => {
    if (i === 0) return true;
    return start <= line.length && /\s/.test(line.charAt(start - 1)) && /\S/.test(line.charAt(start));
  });
  if (aligned) {
    return starts.map((start, i) => line.slice(start, starts[i + 1] ?? line.length).trim());
  }
  const parts = line.trim().split(/\s{2,}|\t+/);
  const n = starts.length;
  if (parts.length <= n) return [...parts, ...Array<string>(n - parts.length).fill("")];
  // Too many parts: the last column (Message) absorbs the rest with single spaces kept.
  return [...parts.slice(0, n - 1), parts.slice(n - 1).join("  ")];
}

const EVENT_TYPES = /^(Normal|Warning|Error)\b/;

/** Rows of a describe Events table, from the line after the header until the section ends. */
function parseDescribeEvents(
  lines: readonly string[],
  headerIndex: number,
): { events: EventEvidence[]; end: number } {
  const header = lines[headerIndex] ?? "";
  const columns = headerColumns(header, ["Type", "Reason", "Age", "From", "Message"]);
  const events: EventEvidence[] = [];
  let i = headerIndex + 1;
  for (; i < lines.length; i++) {
    const line = lines[i] ?? "";
    if (line.trim() === "") break;
    if (/^\S/.test(line) && !EVENT_TYPES.test(line)) break;
    if (/^\s*-{2,}(\s+-{2,})*\s*$/.test(line)) continue;
    const trimmed = line.trim();
    if (!EVENT_TYPES.test(trimmed)) {
      const last = events.pop();
      if (last) events.push({ ...last, message: `${last.message}\n${trimmed}` });
      continue;
    }
    const [type = "", reason = "", age = "", from = "", message = ""] = columns
      ? cells(line, columns)
      : cells(line, { starts: [0, 0, 0, 0, 0], names: [] });
    const count = countFromAge(age);
    const node = /^kubelet,\s*(\S+)$/.exec(from)?.[1];
    events.push({
      type,
      reason,
      message,
      ...(count !== undefined ? { count } : {}),
      ...(node !== undefined ? { node } : {}),
    });
  }
  return { events, end: i };
}

interface Builder {
  name: string;
  namespace: string;
  serviceAccount?: string;
  nodeName?: string;
  createdAt?: Date;
  phase?: string;
  owner?: OwnerEvidence;
  labels: Record<string, string>;
  containers: ContainerEvidence[];
  events: EventEvidence[];
}

const SECTION_KINDS: Record<string, ContainerKind> = {
  "Init Containers": "init",
  Containers: "regular",
  "Ephemeral Containers": "ephemeral",
};

function ownerFrom(controlledBy: string, labels: Record<string, string>): OwnerEvidence | undefined {
  const match = /^([A-Za-z]+)\/(\S+)$/.exec(controlledBy.trim());
  if (!match) return undefined;
  const kind = match[1] as string;
  const name = match[2] as string;
  const hash = labels["pod-template-hash"];
  if (kind === "ReplicaSet" && hash && name.endsWith(`-${hash}`)) {
    return { kind: "Deployment", name: name.slice(0, -hash.length - 1), via: { kind, name } };
  }
  return { kind, name };
}

function parseContainers(
  lines: readonly string[],
  start: number,
  kind: ContainerKind,
  into: ContainerEvidence[],
): number {
  let i = start;
  let current: { name: string; image: string; state?: string; reason?: string; message?: string } | undefined;
  let inState = false;
  const flush = () => {
    if (!current) return;
    const waiting =
      current.state === "Waiting"
        ? { reason: current.reason ?? "", ...(current.message ? { message: current.message } : {}) }
        : undefined;
    into.push({
      name: current.name,
      kind,
      image: current.image,
      ...(waiting ? { waiting } : {}),
      ...(current.state === "Running" ? { running: true } : {}),
    });
    current = undefined;
  };
  for (; i < lines.length; i++) {
    const line = lines[i] ?? "";
    if (/^\S/.test(line)) break;
    const header = /^ {1,3}([^\s:][^:]*):\s*$/.exec(line);
    if (header) {
      flush();
      current = { name: (header[1] as string).trim(), image: "" };
      inState = false;
      continue;
    }
    if (!current) continue;
    const field = /^(\s+)([A-Za-z][A-Za-z ]*):\s*(.*)$/.exec(line);
    if (!field) continue;
    const indent = (field[1] as string).length;
    const key = field[2] as string;
    const value = (field[3] as string).trim();
    if (indent <= 5) {
      inState = key === "State";
      if (key === "Image") current.image = value;
      if (key === "State") current.state = value;
    } else if (inState) {
      if (key === "Reason") current.reason = value;
      if (key === "Message") current.message = value;
    }
  }
  flush();
  return i;
}

function parseDescribeBlock(lines: readonly string[]): PodFromText {
  const b: Builder = { name: "", namespace: "", labels: {}, containers: [], events: [] };
  let controlledBy: string | undefined;
  let inLabels = false;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? "";
    const top = /^([A-Z][A-Za-z -]*[A-Za-z]):(?:\s+(.*))?$/.exec(line);
    if (top) {
      const key = top[1] as string;
      const value = (top[2] ?? "").trim();
      inLabels = key === "Labels";
      const section = SECTION_KINDS[key];
      if (section && value === "") {
        i = parseContainers(lines, i + 1, section, b.containers) - 1;
        continue;
      }
      if (key === "Events") {
        if (value === "") {
          const headerIndex = lines.findIndex((l, j) => j > i && /^\s*Type\s+Reason\s+/.test(l));
          if (headerIndex > i) {
            const parsed = parseDescribeEvents(lines, headerIndex);
            b.events.push(...parsed.events);
            i = parsed.end - 1;
          }
        }
        continue;
      }
      switch (key) {
        case "Name":
          b.name = value;
          break;
        case "Namespace":
          b.namespace = value;
          break;
        case "Service Account":
          if (value && value !== "<none>") b.serviceAccount = value;
          break;
        case "Node":
          if (value && value !== "<none>") b.nodeName = value.split("/")[0] as string;
          break;
        case "Start Time": {
          const date = parseDate(value);
          if (date) b.createdAt = date;
          break;
        }
        case "Status":
          b.phase = value;
          break;
        case "Controlled By":
          controlledBy = value;
          break;
        case "Labels": {
          const label = /^([^=\s]+)=(\S*)$/.exec(value);
          if (label) b.labels[label[1] as string] = label[2] as string;
          break;
        }
        default:
          break;
      }
      continue;
    }
    if (inLabels) {
      const label = /^\s+([^=\s]+)=(\S*)$/.exec(line);
      if (label) b.labels[label[1] as string] = label[2] as string;
      else inLabels = false;
    }
  }
  const owner = controlledBy ? ownerFrom(controlledBy, b.labels) : undefined;
  const node = nodeFromName(b.nodeName);
  return {
    pod: {
      name: b.name,
      namespace: b.namespace,
      ...(b.createdAt ? { createdAt: b.createdAt } : {}),
      ...(b.serviceAccount ? { serviceAccountName: b.serviceAccount } : {}),
      ...(b.nodeName ? { nodeName: b.nodeName } : {}),
      ...(b.phase ? { phase: b.phase } : {}),
      // describe prints "Controlled By" whenever the Pod has a controller.
      ...(owner ? { owner } : b.name ? { standalone: true } : {}),
      containers: b.containers,
    },
    events: b.events,
    ...(node ? { node } : {}),
  };
}

function isDescribe(lines: readonly string[]): boolean {
  const head = lines.slice(0, 400);
  return (
    head.some((l) => /^Name:\s+\S/.test(l)) && lines.some((l) => /^(Events|Containers|Namespace):/.test(l))
  );
}

function parseDescribe(lines: readonly string[]): PodFromText[] {
  const starts = lines.flatMap((l, i) => (/^Name:\s+\S/.test(l) ? [i] : []));
  return starts.map((start, k) => parseDescribeBlock(lines.slice(start, starts[k + 1] ?? lines.length)));
}

const EVENTS_HEADER = /^(?:NAMESPACE\s+)?LAST SEEN\s+TYPE\s+REASON\s+OBJECT\s+/;

function parseEventsTable(lines: readonly string[]): PodFromText[] {
  const headerIndex = lines.findIndex((l) => EVENTS_HEADER.test(l));
  const header = lines[headerIndex] ?? "";
  const names = [
    "NAMESPACE",
    "LAST SEEN",
    "TYPE",
    "REASON",
    "OBJECT",
    "SUBOBJECT",
    "SOURCE",
    "MESSAGE",
    "FIRST SEEN",
    "COUNT",
    "NAME",
  ].filter((name) => new RegExp(`(?:^|\\s)${name}(?=\\s|$)`).test(header));
  const columns = headerColumns(header, names);
  const byPod = new Map<string, { namespace: string; name: string; events: EventEvidence[] }>();
  let last: { key: string; index: number } | undefined;
  for (const line of lines.slice(headerIndex + 1)) {
    if (line.trim() === "") continue;
    if (!columns) break;
    const row = cells(line, columns);
    const get = (name: string) => row[names.indexOf(name)] ?? "";
    const type = get("TYPE");
    if (!EVENT_TYPES.test(type)) {
      const pod = last ? byPod.get(last.key) : undefined;
      const event = pod && last ? pod.events[last.index] : undefined;
      if (pod && last && event)
        pod.events[last.index] = { ...event, message: `${event.message}\n${line.trim()}` };
      continue;
    }
    const object = get("OBJECT");
    const match = /^pod\/(\S+)$/i.exec(object);
    const name = match ? (match[1] as string) : "";
    const namespace = get("NAMESPACE");
    const key = `${namespace}/${name}`;
    const entry = byPod.get(key) ?? { namespace, name, events: [] };
    const sub = get("SUBOBJECT");
    const source = get("SOURCE");
    const count = Number(get("COUNT"));
    entry.events.push({
      type,
      reason: get("REASON"),
      message: get("MESSAGE"),
      ...(sub ? { fieldPath: sub } : {}),
      ...(Number.isInteger(count) && count > 0 ? { count } : {}),
      ...(/^kubelet,\s*(\S+)$/.test(source) ? { node: source.replace(/^kubelet,\s*/, "") } : {}),
    });
    byPod.set(key, entry);
    last = { key, index: entry.events.length - 1 };
  }
  return [...byPod.values()].map((p) => ({
    pod: { name: p.name, namespace: p.namespace, containers: [] },
    events: p.events,
  }));
}

function looksLikeObjects(text: string): boolean {
  const start = text.trimStart();
  if (start.startsWith("{")) return /"kind"\s*:/.test(start.slice(0, 4096));
  return /^apiVersion:\s*\S/m.test(text.slice(0, 65536)) && /^kind:\s*\S/m.test(text.slice(0, 65536));
}

function parseObjects(text: string): PodFromText[] | undefined {
  let documents;
  try {
    documents = parseManifestDocuments(text, "input");
  } catch {
    return undefined;
  }
  const objects: unknown[] = [];
  for (const document of documents) {
    const object = document.object as Record<string, unknown> | null;
    if (object && typeof object === "object" && Array.isArray(object["items"]))
      objects.push(...(object["items"] as unknown[]));
    else objects.push(object);
  }
  const kindOf = (o: unknown) =>
    o && typeof o === "object" ? (o as Record<string, unknown>)["kind"] : undefined;
  const pods = objects.filter((o) => kindOf(o) === "Pod").map((o) => podEvidenceFromObject(o));
  const events = objects.filter((o) => kindOf(o) === "Event");
  // Other objects (a Secret, a Deployment) say nothing about a pull failure: their lines are no messages.
  if (pods.length === 0 && events.length === 0) return [];
  const involved = (e: unknown) => {
    const record = e as Record<string, unknown>;
    const ref = (record["involvedObject"] ?? record["regarding"] ?? {}) as Record<string, unknown>;
    return typeof ref["name"] === "string" ? ref["name"] : "";
  };
  const result: PodFromText[] = pods.map((pod) => {
    const node = nodeFromName(pod.nodeName);
    return {
      pod,
      events: events
        .filter((e) => involved(e) === pod.name)
        .map(eventEvidenceFromObject)
        .filter((e): e is EventEvidence => e !== undefined),
      ...(node ? { node } : {}),
    };
  });
  const orphans = events.filter((e) => !pods.some((p) => p.name === involved(e)));
  if (orphans.length > 0) {
    result.push({
      pod: { name: involved(orphans[0]), namespace: "", containers: [] },
      events: orphans.map(eventEvidenceFromObject).filter((e): e is EventEvidence => e !== undefined),
    });
  }
  return result;
}

/** A describe Events row pasted without its header: `Warning  Failed  3m (x4 over 5m)  kubelet  <message>`. */
const LOOSE_EVENT_ROW =
  /^\s*(Normal|Warning)\s{2,}([A-Za-z]+)\s{2,}\S.*?\s{2,}(?:kubelet|default-scheduler)(?:,\s*\S+)?\s{2,}(\S.*)$/;

/** Bare messages: one per line, with indented lines continuing the previous one. */
function parseMessages(lines: readonly string[]): PodFromText[] {
  const events: EventEvidence[] = [];
  for (const raw of lines) {
    if (raw.trim() === "") continue;
    const last = events[events.length - 1];
    // The row pattern backtracks on long runs of spaces: real rows are far shorter than this.
    const row = raw.length <= 4096 ? LOOSE_EVENT_ROW.exec(raw) : null;
    if (row) events.push({ type: row[1] as string, reason: row[2] as string, message: row[3] as string });
    else if (/^\s/.test(raw) && last)
      events[events.length - 1] = { ...last, message: `${last.message}\n${raw.trim()}` };
    else events.push({ reason: "", message: raw.trim() });
  }
  return [{ pod: { name: "", namespace: "", containers: [] }, events }];
}

function cleaned(format: TextFormat, pods: readonly PodFromText[]): ParsedText {
  return {
    format,
    pods: pods.map((p) => {
      const node = p.node ? { ...p.node, name: clean(p.node.name) } : undefined;
      return {
        pod: cleanPod(p.pod),
        events: p.events.map((e) => ({
          ...e,
          reason: clean(e.reason),
          ...(e.node ? { node: clean(e.node) } : {}),
        })),
        ...(node ? { node } : {}),
      };
    }),
  };
}

/**
 * Reads pasted text; never throws. The text is redacted as a whole first (Secret data, env values, PEM
 * blocks: what only its structure shows), so whatever a parser below keeps of it carries no secret.
 */
export function parseDiagnosticText(text: string): ParsedText {
  const input = typeof text === "string" ? text.slice(0, MAX_TEXT_LENGTH) : "";
  const parsed = parseUncleaned(redactPastedText(input));
  return cleaned(parsed.format, parsed.pods);
}

function parseUncleaned(text: string): ParsedText {
  const input = typeof text === "string" ? text : "";
  const lines = normalise(input);
  if (isDescribe(lines)) {
    const pods = parseDescribe(lines);
    if (pods.length > 0) return { format: "describe", pods };
  }
  if (lines.some((l) => EVENTS_HEADER.test(l))) {
    const pods = parseEventsTable(lines);
    if (pods.length > 0) return { format: "events-table", pods };
  }
  if (looksLikeObjects(input)) {
    const pods = parseObjects(input.slice(0, MAX_TEXT_LENGTH));
    if (pods) return { format: "objects", pods };
  }
  return { format: "messages", pods: parseMessages(lines) };
}
