// Decoding of Kubernetes protobuf request bodies ("k8s\0" + runtime.Unknown{typeMeta, raw}) for the kinds that
// kubectl 1.32 sends as protobuf: its typed-client generators (`kubectl create secret|configmap|
// serviceaccount|namespace|role|rolebinding|clusterrole|clusterrolebinding|deployment`) and
// `kubectl auth can-i|whoami`.
// Field numbers are those of k8s.io/api's generated.proto. Responses are always JSON (kubectl accepts it).
import type { Json, JsonObject } from "./types.js";

type Scalar = "string" | "bytes" | "int64" | "int32" | "bool" | "time" | "quantity" | "intOrString";
type FieldType = Scalar | { msg: () => Schema } | { map: Scalar | { msg: () => Schema } };

interface Field {
  name: string;
  type: FieldType;
  repeated?: boolean;
  /** A Go pointer field: zero values are meaningful and kept. */
  pointer?: boolean;
}

type Schema = Record<number, Field>;

const f = (name: string, type: FieldType, extra: Partial<Field> = {}): Field => ({ name, type, ...extra });
const msg = (s: () => Schema): FieldType => ({ msg: s });

const ownerReference = (): Schema => ({
  1: f("kind", "string"),
  3: f("name", "string"),
  4: f("uid", "string"),
  5: f("apiVersion", "string"),
  6: f("controller", "bool", { pointer: true }),
  7: f("blockOwnerDeletion", "bool", { pointer: true }),
});

const objectMeta = (): Schema => ({
  1: f("name", "string"),
  2: f("generateName", "string"),
  3: f("namespace", "string"),
  4: f("selfLink", "string"),
  5: f("uid", "string"),
  6: f("resourceVersion", "string"),
  7: f("generation", "int64"),
  8: f("creationTimestamp", "time", { pointer: true }),
  9: f("deletionTimestamp", "time"),
  10: f("deletionGracePeriodSeconds", "int64", { pointer: true }),
  11: f("labels", { map: "string" }),
  12: f("annotations", { map: "string" }),
  13: f("ownerReferences", msg(ownerReference), { repeated: true }),
  14: f("finalizers", "string", { repeated: true }),
});

const localObjectReference = (): Schema => ({ 1: f("name", "string") });
const objectReference = (): Schema => ({
  1: f("kind", "string"),
  2: f("namespace", "string"),
  3: f("name", "string"),
  4: f("uid", "string"),
  5: f("apiVersion", "string"),
  6: f("resourceVersion", "string"),
  7: f("fieldPath", "string"),
});

const policyRule = (): Schema => ({
  1: f("verbs", "string", { repeated: true }),
  2: f("apiGroups", "string", { repeated: true }),
  3: f("resources", "string", { repeated: true }),
  4: f("resourceNames", "string", { repeated: true }),
  5: f("nonResourceURLs", "string", { repeated: true }),
});
const subject = (): Schema => ({
  1: f("kind", "string"),
  2: f("apiGroup", "string"),
  3: f("name", "string"),
  4: f("namespace", "string"),
});
const roleRef = (): Schema => ({
  1: f("apiGroup", "string"),
  2: f("kind", "string"),
  3: f("name", "string"),
});
const labelSelector = (): Schema => ({ 1: f("matchLabels", { map: "string" }) });
const aggregationRule = (): Schema => ({
  1: f("clusterRoleSelectors", msg(labelSelector), { repeated: true }),
});

const resourceAttributes = (): Schema => ({
  1: f("namespace", "string"),
  2: f("verb", "string"),
  3: f("group", "string"),
  4: f("version", "string"),
  5: f("resource", "string"),
  6: f("subresource", "string"),
  7: f("name", "string"),
});
const nonResourceAttributes = (): Schema => ({ 1: f("path", "string"), 2: f("verb", "string") });

// Pod templates: the fields `kubectl create deployment` sets (others are dropped).
const containerPort = (): Schema => ({
  1: f("name", "string"),
  2: f("hostPort", "int32"),
  3: f("containerPort", "int32"),
  4: f("protocol", "string"),
  5: f("hostIP", "string"),
});
const envVar = (): Schema => ({ 1: f("name", "string"), 2: f("value", "string") });
const resources = (): Schema => ({
  1: f("limits", { map: "quantity" }),
  2: f("requests", { map: "quantity" }),
});
const container = (): Schema => ({
  1: f("name", "string"),
  2: f("image", "string"),
  3: f("command", "string", { repeated: true }),
  4: f("args", "string", { repeated: true }),
  5: f("workingDir", "string"),
  6: f("ports", msg(containerPort), { repeated: true }),
  7: f("env", msg(envVar), { repeated: true }),
  8: f("resources", msg(resources)),
  13: f("terminationMessagePath", "string"),
  14: f("imagePullPolicy", "string"),
  20: f("terminationMessagePolicy", "string"),
});
const podSpec = (): Schema => ({
  2: f("containers", msg(container), { repeated: true }),
  3: f("restartPolicy", "string"),
  4: f("terminationGracePeriodSeconds", "int64", { pointer: true }),
  6: f("dnsPolicy", "string"),
  7: f("nodeSelector", { map: "string" }),
  8: f("serviceAccountName", "string"),
  10: f("nodeName", "string"),
  14: f(
    "securityContext",
    msg(() => ({})),
  ),
  15: f("imagePullSecrets", msg(localObjectReference), { repeated: true }),
  19: f("schedulerName", "string"),
  20: f("initContainers", msg(container), { repeated: true }),
  21: f("automountServiceAccountToken", "bool", { pointer: true }),
});
const labelSelectorRequirement = (): Schema => ({
  1: f("key", "string"),
  2: f("operator", "string"),
  3: f("values", "string", { repeated: true }),
});
const fullLabelSelector = (): Schema => ({
  1: f("matchLabels", { map: "string" }),
  2: f("matchExpressions", msg(labelSelectorRequirement), { repeated: true }),
});
const podTemplateSpec = (): Schema => ({ 1: f("metadata", msg(objectMeta)), 2: f("spec", msg(podSpec)) });
const deploymentStrategy = (): Schema => ({
  1: f("type", "string"),
  2: f(
    "rollingUpdate",
    msg(() => ({ 1: f("maxUnavailable", "intOrString"), 2: f("maxSurge", "intOrString") })),
  ),
});

const KINDS: Record<string, () => Schema> = {
  "apps/v1/Deployment": () => ({
    1: f("metadata", msg(objectMeta)),
    2: f(
      "spec",
      msg(() => ({
        1: f("replicas", "int32", { pointer: true }),
        2: f("selector", msg(fullLabelSelector)),
        3: f("template", msg(podTemplateSpec)),
        4: f("strategy", msg(deploymentStrategy)),
        5: f("minReadySeconds", "int32"),
        6: f("revisionHistoryLimit", "int32", { pointer: true }),
        7: f("paused", "bool"),
        9: f("progressDeadlineSeconds", "int32", { pointer: true }),
      })),
    ),
  }),
  "v1/Secret": () => ({
    1: f("metadata", msg(objectMeta)),
    2: f("data", { map: "bytes" }),
    3: f("type", "string"),
    4: f("stringData", { map: "string" }),
    5: f("immutable", "bool", { pointer: true }),
  }),
  "v1/ConfigMap": () => ({
    1: f("metadata", msg(objectMeta)),
    2: f("data", { map: "string" }),
    3: f("binaryData", { map: "bytes" }),
    4: f("immutable", "bool", { pointer: true }),
  }),
  "v1/ServiceAccount": () => ({
    1: f("metadata", msg(objectMeta)),
    2: f("secrets", msg(objectReference), { repeated: true }),
    3: f("imagePullSecrets", msg(localObjectReference), { repeated: true }),
    4: f("automountServiceAccountToken", "bool", { pointer: true }),
  }),
  "v1/Namespace": () => ({
    1: f("metadata", msg(objectMeta)),
    2: f(
      "spec",
      msg(() => ({ 1: f("finalizers", "string", { repeated: true }) })),
    ),
    3: f(
      "status",
      msg(() => ({ 1: f("phase", "string") })),
    ),
  }),
  "rbac.authorization.k8s.io/v1/Role": () => ({
    1: f("metadata", msg(objectMeta)),
    2: f("rules", msg(policyRule), { repeated: true }),
  }),
  "rbac.authorization.k8s.io/v1/ClusterRole": () => ({
    1: f("metadata", msg(objectMeta)),
    2: f("rules", msg(policyRule), { repeated: true }),
    3: f("aggregationRule", msg(aggregationRule)),
  }),
  "rbac.authorization.k8s.io/v1/RoleBinding": () => ({
    1: f("metadata", msg(objectMeta)),
    2: f("subjects", msg(subject), { repeated: true }),
    3: f("roleRef", msg(roleRef)),
  }),
  "rbac.authorization.k8s.io/v1/ClusterRoleBinding": () => ({
    1: f("metadata", msg(objectMeta)),
    2: f("subjects", msg(subject), { repeated: true }),
    3: f("roleRef", msg(roleRef)),
  }),
  "authorization.k8s.io/v1/SelfSubjectAccessReview": () => ({
    1: f("metadata", msg(objectMeta)),
    2: f(
      "spec",
      msg(() => ({
        1: f("resourceAttributes", msg(resourceAttributes)),
        2: f("nonResourceAttributes", msg(nonResourceAttributes)),
      })),
    ),
  }),
  "authorization.k8s.io/v1/SelfSubjectRulesReview": () => ({
    1: f("metadata", msg(objectMeta)),
    2: f(
      "spec",
      msg(() => ({ 1: f("namespace", "string") })),
    ),
  }),
  "authentication.k8s.io/v1/SelfSubjectReview": () => ({ 1: f("metadata", msg(objectMeta)) }),
};

export class ProtobufError extends Error {}

class Reader {
  pos = 0;
  constructor(private readonly buf: Uint8Array) {}
  get done(): boolean {
    return this.pos >= this.buf.length;
  }
  varint(): bigint {
    let result = 0n;
    let shift = 0n;
    for (;;) {
      if (this.pos >= this.buf.length) throw new ProtobufError("truncated varint");
      const b = this.buf[this.pos++] as number;
      result |= BigInt(b & 0x7f) << shift;
      if ((b & 0x80) === 0) return result;
      shift += 7n;
      if (shift > 70n) throw new ProtobufError("varint too long");
    }
  }
  bytes(): Uint8Array {
    const len = Number(this.varint());
    if (this.pos + len > this.buf.length) throw new ProtobufError("truncated field");
    const out = this.buf.subarray(this.pos, this.pos + len);
    this.pos += len;
    return out;
  }
  skip(wire: number): void {
    if (wire === 0) this.varint();
    else if (wire === 1) this.pos += 8;
    else if (wire === 2) this.bytes();
    else if (wire === 5) this.pos += 4;
    else throw new ProtobufError(`unsupported wire type ${wire}`);
  }
}

function rawFields(buf: Uint8Array): { num: number; wire: number; value: bigint | Uint8Array }[] {
  const r = new Reader(buf);
  const out: { num: number; wire: number; value: bigint | Uint8Array }[] = [];
  while (!r.done) {
    const tag = Number(r.varint());
    const num = tag >>> 3;
    const wire = tag & 7;
    if (wire === 0) out.push({ num, wire, value: r.varint() });
    else if (wire === 2) out.push({ num, wire, value: r.bytes() });
    else r.skip(wire);
  }
  return out;
}

const utf8 = (b: Uint8Array): string => Buffer.from(b).toString("utf8");

function toInt(v: bigint, bits: 32 | 64): number {
  return Number(BigInt.asIntN(bits, v));
}

function scalar(type: Scalar, value: bigint | Uint8Array): Json {
  switch (type) {
    case "string":
      return value instanceof Uint8Array ? utf8(value) : "";
    case "bytes":
      return value instanceof Uint8Array ? Buffer.from(value).toString("base64") : "";
    case "int64":
      return typeof value === "bigint" ? toInt(value, 64) : 0;
    case "int32":
      return typeof value === "bigint" ? toInt(value, 32) : 0;
    case "bool":
      return typeof value === "bigint" ? value !== 0n : false;
    case "quantity": {
      if (!(value instanceof Uint8Array)) return "";
      const q = rawFields(value).find((x) => x.num === 1);
      return q && q.value instanceof Uint8Array ? utf8(q.value) : "";
    }
    case "intOrString": {
      if (!(value instanceof Uint8Array)) return 0;
      let type = 0n;
      let intVal = 0;
      let strVal = "";
      for (const x of rawFields(value)) {
        if (x.num === 1 && typeof x.value === "bigint") type = x.value;
        if (x.num === 2 && typeof x.value === "bigint") intVal = toInt(x.value, 32);
        if (x.num === 3 && x.value instanceof Uint8Array) strVal = utf8(x.value);
      }
      return type === 1n ? strVal : intVal;
    }
    case "time": {
      if (!(value instanceof Uint8Array)) return null;
      // metav1.Time marshals its zero value as an empty message; JSON has `null` for it.
      const fields = rawFields(value);
      if (fields.length === 0) return null;
      let seconds = 0;
      for (const x of fields) if (x.num === 1 && typeof x.value === "bigint") seconds = toInt(x.value, 64);
      return new Date(seconds * 1000).toISOString().replace(/\.\d{3}Z$/, "Z");
    }
  }
}

function isZero(v: Json): boolean {
  return v === "" || v === 0 || v === false || v === null;
}

function decodeMessage(buf: Uint8Array, schema: Schema): JsonObject {
  const out: JsonObject = {};
  for (const { num, value } of rawFields(buf)) {
    const field = schema[num];
    if (!field) continue;
    const t = field.type;
    if (typeof t === "object" && "map" in t) {
      if (!(value instanceof Uint8Array)) continue;
      let k = "";
      let v: Json = "";
      for (const e of rawFields(value)) {
        if (e.num === 1 && e.value instanceof Uint8Array) k = utf8(e.value);
        if (e.num === 2) {
          const vt = t.map;
          v = typeof vt === "object" ? decodeMessage(e.value as Uint8Array, vt.msg()) : scalar(vt, e.value);
        }
      }
      const m = (out[field.name] as JsonObject | undefined) ?? {};
      m[k] = v;
      out[field.name] = m;
      continue;
    }
    const decoded: Json =
      typeof t === "object"
        ? decodeMessage(value instanceof Uint8Array ? value : new Uint8Array(), t.msg())
        : scalar(t, value);
    if (field.repeated) {
      const list = (out[field.name] as Json[] | undefined) ?? [];
      list.push(decoded);
      out[field.name] = list;
    } else if (field.pointer || typeof t === "object" || !isZero(decoded)) {
      out[field.name] = decoded;
    } else {
      delete out[field.name];
    }
  }
  return out;
}

const MAGIC = [0x6b, 0x38, 0x73, 0x00];

/** Decodes a `application/vnd.kubernetes.protobuf` body into the JSON form of the object. */
export function decodeProtobuf(body: Uint8Array): JsonObject {
  if (body.length < 4 || MAGIC.some((b, i) => body[i] !== b))
    throw new ProtobufError(
      "provided data does not appear to be a protobuf message, expected prefix [107 56 115 0]",
    );
  let apiVersion = "";
  let kind = "";
  let raw: Uint8Array | undefined;
  for (const x of rawFields(body.subarray(4))) {
    if (x.num === 1 && x.value instanceof Uint8Array) {
      for (const t of rawFields(x.value)) {
        if (t.num === 1 && t.value instanceof Uint8Array) apiVersion = utf8(t.value);
        if (t.num === 2 && t.value instanceof Uint8Array) kind = utf8(t.value);
      }
    }
    if (x.num === 2 && x.value instanceof Uint8Array) raw = x.value;
  }
  const schema = KINDS[`${apiVersion}/${kind}`];
  if (!schema)
    throw new ProtobufError(`no protobuf decoding for ${apiVersion}/${kind} in the test API server`);
  const obj = decodeMessage(raw ?? new Uint8Array(), schema());
  return { apiVersion, kind, ...obj };
}
