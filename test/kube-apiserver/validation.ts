// Object validation with the real server's field paths and wording (k8s.io/apimachinery validation helpers and
// pkg/apis/core/validation for the kinds we serve). Returns field errors; the handlers turn them into a 422.
import { goUnmarshalObjectError } from "./gojson.js";
import type { ResourceDef } from "./resources.js";
import type { FieldError } from "./status.js";
import { forbiddenField, invalid, required, tooLong } from "./status.js";
import type { Json, KubeObject } from "./types.js";
import { isObject, jsonEqual } from "./types.js";

// ---- name and key validators (k8s.io/apimachinery/pkg/util/validation) ----

const DNS1123_LABEL_FMT = "[a-z0-9]([-a-z0-9]*[a-z0-9])?";
const DNS1123_SUBDOMAIN_FMT = `${DNS1123_LABEL_FMT}(\\.${DNS1123_LABEL_FMT})*`;
const DNS1123_LABEL = new RegExp(`^${DNS1123_LABEL_FMT}$`);
const DNS1123_SUBDOMAIN = new RegExp(`^${DNS1123_SUBDOMAIN_FMT}$`);
const QUALIFIED_NAME_FMT = "([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]";
const QUALIFIED_NAME = new RegExp(`^${QUALIFIED_NAME_FMT}$`);
const LABEL_VALUE_FMT = `(${QUALIFIED_NAME_FMT})?`;
const LABEL_VALUE = new RegExp(`^${LABEL_VALUE_FMT}$`);
const CONFIG_KEY_FMT = "[-._a-zA-Z0-9]+";
const CONFIG_KEY = new RegExp(`^${CONFIG_KEY_FMT}$`);

export function regexError(msg: string, fmt: string, ...examples: string[]): string {
  if (examples.length === 0) return `${msg} (regex used for validation is '${fmt}')`;
  let out = `${msg} (e.g. `;
  examples.forEach((e, i) => {
    if (i > 0) out += " or ";
    out += `'${e}', `;
  });
  return `${out}regex used for validation is '${fmt}')`;
}

const maxLenError = (n: number): string => `must be no more than ${n} characters`;

export function isDNS1123Label(value: string): string[] {
  const errs: string[] = [];
  if (value.length > 63) errs.push(maxLenError(63));
  if (!DNS1123_LABEL.test(value)) {
    if (DNS1123_SUBDOMAIN.test(value)) errs.push("must not contain dots");
    else
      errs.push(
        regexError(
          "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character",
          DNS1123_LABEL_FMT,
          "my-name",
          "123-abc",
        ),
      );
  }
  return errs;
}

export function isDNS1123Subdomain(value: string): string[] {
  const errs: string[] = [];
  if (value.length > 253) errs.push(maxLenError(253));
  if (!DNS1123_SUBDOMAIN.test(value)) {
    errs.push(
      regexError(
        "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character",
        DNS1123_SUBDOMAIN_FMT,
        "example.com",
      ),
    );
  }
  return errs;
}

export function isConfigMapKey(value: string): string[] {
  const errs: string[] = [];
  if (value.length > 253) errs.push(maxLenError(253));
  if (!CONFIG_KEY.test(value)) {
    errs.push(
      regexError(
        "a valid config key must consist of alphanumeric characters, '-', '_' or '.'",
        CONFIG_KEY_FMT,
        "key.name",
        "KEY_NAME",
        "key-name",
      ),
    );
  }
  if (value === ".") errs.push("must not be '.'");
  else if (value === "..") errs.push("must not be '..'");
  else if (value.startsWith("..")) errs.push("must not start with '..'");
  return errs;
}

const QUALIFIED_NAME_ERR =
  "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";

export function isQualifiedName(value: string): string[] {
  const errs: string[] = [];
  const parts = value.split("/");
  let name: string;
  if (parts.length === 1) name = parts[0] as string;
  else if (parts.length === 2) {
    const prefix = parts[0] as string;
    name = parts[1] as string;
    if (prefix.length === 0) errs.push("prefix part must be non-empty");
    else for (const m of isDNS1123Subdomain(prefix)) errs.push(`prefix part ${m}`);
  } else {
    return [
      `a qualified name ${regexError(QUALIFIED_NAME_ERR, QUALIFIED_NAME_FMT, "MyName", "my.name", "123-abc")} with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')`,
    ];
  }
  if (name.length === 0) errs.push("name part must be non-empty");
  else if (name.length > 63) errs.push(`name part ${maxLenError(63)}`);
  if (!QUALIFIED_NAME.test(name)) {
    errs.push(
      `name part ${regexError(QUALIFIED_NAME_ERR, QUALIFIED_NAME_FMT, "MyName", "my.name", "123-abc")}`,
    );
  }
  return errs;
}

export function isValidLabelValue(value: string): string[] {
  const errs: string[] = [];
  if (value.length > 63) errs.push(maxLenError(63));
  if (!LABEL_VALUE.test(value)) {
    errs.push(
      regexError(
        "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character",
        LABEL_VALUE_FMT,
        "MyValue",
        "my_value",
        "12345",
      ),
    );
  }
  return errs;
}

/** path.IsValidPathSegmentName: what RBAC objects' names must be. */
export function isPathSegmentName(value: string): string[] {
  if (value === ".") return ["may not be '.'"];
  if (value === "..") return ["may not be '..'"];
  const errs: string[] = [];
  if (value.includes("/")) errs.push("may not contain '/'");
  if (value.includes("%")) errs.push("may not contain '%'");
  return errs;
}

type NameFn = (value: string) => string[];

function nameValidator(def: ResourceDef): NameFn {
  if (def.kind === "Namespace") return isDNS1123Label;
  if (def.group === "rbac.authorization.k8s.io") return isPathSegmentName;
  return isDNS1123Subdomain;
}

/** generateName is validated as a prefix: a trailing dash is allowed (maskTrailingDash). */
function validatePrefix(fn: NameFn, prefix: string): string[] {
  const masked = prefix.length > 1 && prefix.endsWith("-") ? `${prefix.slice(0, -1)}a` : prefix;
  return fn(masked);
}

// ---- ObjectMeta ----

export function validateObjectMeta(def: ResourceDef, obj: KubeObject): FieldError[] {
  const errs: FieldError[] = [];
  const meta = obj.metadata;
  const nameFn = nameValidator(def);
  if (meta.generateName) {
    for (const m of validatePrefix(nameFn, meta.generateName)) {
      errs.push(invalid("metadata.generateName", meta.generateName, m));
    }
  }
  if (!meta.name) errs.push(required("metadata.name", "name or generateName is required"));
  else for (const m of nameFn(meta.name)) errs.push(invalid("metadata.name", meta.name, m));
  if (def.namespaced) {
    if (!meta.namespace) errs.push(required("metadata.namespace"));
    else
      for (const m of isDNS1123Label(meta.namespace))
        errs.push(invalid("metadata.namespace", meta.namespace, m));
  } else if (meta.namespace) {
    errs.push(forbiddenField("metadata.namespace", "not allowed on this type"));
  }
  for (const [k, v] of Object.entries(meta.labels ?? {})) {
    for (const m of isQualifiedName(k)) errs.push(invalid("metadata.labels", k, m));
    if (typeof v !== "string") continue;
    for (const m of isValidLabelValue(v)) errs.push(invalid("metadata.labels", v, m));
  }
  let annotationBytes = 0;
  for (const [k, v] of Object.entries(meta.annotations ?? {})) {
    for (const m of isQualifiedName(k.toLowerCase())) errs.push(invalid("metadata.annotations", k, m));
    annotationBytes += k.length + (typeof v === "string" ? Buffer.byteLength(v) : 0);
  }
  if (annotationBytes > 256 * 1024) errs.push(tooLong("metadata.annotations", 256 * 1024));
  return errs;
}

// ---- per kind ----

const MAX_SECRET_SIZE = 1024 * 1024;

function dataEntries(v: Json | undefined): [string, string][] {
  if (!isObject(v)) return [];
  return Object.entries(v).filter((e): e is [string, string] => typeof e[1] === "string");
}

function decoded(b64: string): Buffer {
  return Buffer.from(b64, "base64");
}

export function validateSecret(obj: KubeObject): FieldError[] {
  const errs: FieldError[] = [];
  const data = dataEntries(obj.data as Json | undefined);
  let total = 0;
  for (const [key, value] of data) {
    for (const m of isConfigMapKey(key)) errs.push(invalid(`data[${key}]`, key, m));
    total += decoded(value).length;
  }
  if (total > MAX_SECRET_SIZE) errs.push(tooLong("data", MAX_SECRET_SIZE));
  const get = (k: string): Buffer | undefined => {
    const hit = data.find(([key]) => key === k);
    return hit ? decoded(hit[1]) : undefined;
  };
  const annotations = obj.metadata.annotations ?? {};
  switch (obj.type) {
    case "kubernetes.io/service-account-token":
      if (!annotations["kubernetes.io/service-account.name"]) {
        errs.push(required("metadata.annotations[kubernetes.io/service-account.name]"));
      }
      break;
    case "kubernetes.io/dockercfg":
    case "kubernetes.io/dockerconfigjson": {
      const key = obj.type === "kubernetes.io/dockercfg" ? ".dockercfg" : ".dockerconfigjson";
      const bytes = get(key);
      if (bytes === undefined) {
        errs.push(required(`data[${key}]`));
        break;
      }
      const err = goUnmarshalObjectError(bytes);
      if (err) errs.push(invalid(`data[${key}]`, "<secret contents redacted>", err));
      break;
    }
    case "kubernetes.io/basic-auth":
      if (get("username") === undefined && get("password") === undefined) {
        errs.push(required("data[username]"), required("data[password]"));
      }
      break;
    case "kubernetes.io/ssh-auth": {
      const key = get("ssh-privatekey");
      if (!key || key.length === 0) errs.push(required("data[ssh-privatekey]"));
      break;
    }
    case "kubernetes.io/tls":
      if (get("tls.crt") === undefined) errs.push(required("data[tls.crt]"));
      if (get("tls.key") === undefined) errs.push(required("data[tls.key]"));
      break;
    default:
      break;
  }
  return errs;
}

export function validateSecretUpdate(obj: KubeObject, old: KubeObject): FieldError[] {
  const errs: FieldError[] = [];
  if (obj.type !== old.type) errs.push(invalid("type", String(obj.type ?? ""), "field is immutable"));
  if (old.immutable === true) {
    if (obj.immutable !== true)
      errs.push(forbiddenField("immutable", "field is immutable when `immutable` is set"));
    if (!jsonEqual(obj.data ?? {}, old.data ?? {})) {
      errs.push(forbiddenField("data", "field is immutable when `immutable` is set"));
    }
  }
  return errs;
}

export function validateConfigMap(obj: KubeObject): FieldError[] {
  const errs: FieldError[] = [];
  let total = 0;
  const data = isObject(obj.data) ? obj.data : {};
  const binary = isObject(obj.binaryData) ? obj.binaryData : {};
  for (const [key, value] of Object.entries(data)) {
    for (const m of isConfigMapKey(key)) errs.push(invalid(`data[${key}]`, key, m));
    if (key in binary) errs.push(invalid(`data[${key}]`, key, "duplicate of key present in binaryData"));
    total += typeof value === "string" ? Buffer.byteLength(value) : 0;
  }
  for (const [key, value] of Object.entries(binary)) {
    for (const m of isConfigMapKey(key)) errs.push(invalid(`binaryData[${key}]`, key, m));
    total += typeof value === "string" ? decoded(value).length : 0;
  }
  if (total > MAX_SECRET_SIZE) errs.push(tooLong("", MAX_SECRET_SIZE));
  return errs;
}

export function validateConfigMapUpdate(obj: KubeObject, old: KubeObject): FieldError[] {
  const errs: FieldError[] = [];
  if (old.immutable === true) {
    if (obj.immutable !== true)
      errs.push(forbiddenField("immutable", "field is immutable when `immutable` is set"));
    if (!jsonEqual(obj.data ?? {}, old.data ?? {})) {
      errs.push(forbiddenField("data", "field is immutable when `immutable` is set"));
    }
    if (!jsonEqual(obj.binaryData ?? {}, old.binaryData ?? {})) {
      errs.push(forbiddenField("binaryData", "field is immutable when `immutable` is set"));
    }
  }
  return errs;
}

function validateContainers(list: Json | undefined, path: string, requiredList: boolean): FieldError[] {
  const errs: FieldError[] = [];
  if (!Array.isArray(list) || list.length === 0) {
    if (requiredList) errs.push(required(path));
    return errs;
  }
  const seen = new Set<string>();
  list.forEach((c, i) => {
    const p = `${path}[${i}]`;
    const name = isObject(c) && typeof c.name === "string" ? c.name : "";
    if (!name) errs.push(required(`${p}.name`));
    else {
      for (const m of isDNS1123Label(name)) errs.push(invalid(`${p}.name`, name, m));
      if (seen.has(name)) errs.push({ type: "FieldValueDuplicate", field: `${p}.name`, value: name });
      seen.add(name);
    }
    const image = isObject(c) ? c.image : undefined;
    if (typeof image !== "string" || image.trim() === "") errs.push(required(`${p}.image`));
  });
  return errs;
}

export function validatePod(obj: KubeObject): FieldError[] {
  const spec = isObject(obj.spec) ? obj.spec : {};
  const errs = [
    ...validateContainers(spec.containers, "spec.containers", true),
    ...validateContainers(spec.initContainers, "spec.initContainers", false),
  ];
  const ips = spec.imagePullSecrets;
  if (Array.isArray(ips)) {
    ips.forEach((ref, i) => {
      const name = isObject(ref) ? ref.name : undefined;
      if (typeof name === "string" && name !== "") {
        for (const m of isDNS1123Subdomain(name))
          errs.push(invalid(`spec.imagePullSecrets[${i}].name`, name, m));
      }
    });
  }
  return errs;
}

const POD_UPDATABLE =
  "`spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)";

/** ValidatePodUpdate's spec rule: only images, activeDeadlineSeconds and added tolerations may change. */
export function validatePodUpdate(obj: KubeObject, old: KubeObject): FieldError[] {
  const munge = (pod: KubeObject): Json => {
    const spec = isObject(pod.spec) ? { ...pod.spec } : {};
    for (const f of ["containers", "initContainers"]) {
      const list = spec[f];
      if (Array.isArray(list)) spec[f] = list.map((c) => (isObject(c) ? { ...c, image: "" } : c));
    }
    delete spec.activeDeadlineSeconds;
    delete spec.tolerations;
    return spec;
  };
  const oldSpec = munge(old);
  const newSpec = munge(obj);
  if (jsonEqual(oldSpec, newSpec)) return [];
  const changed: string[] = [];
  if (isObject(oldSpec) && isObject(newSpec)) {
    for (const k of new Set([...Object.keys(oldSpec), ...Object.keys(newSpec)])) {
      if (!jsonEqual(oldSpec[k], newSpec[k])) changed.push(k);
    }
  }
  const diff = changed.map((k) => `  spec.${k}: changed`).join("\n");
  return [forbiddenField("spec", `pod updates may not change fields other than ${POD_UPDATABLE}\n${diff}`)];
}

export function validateServiceAccount(obj: KubeObject): FieldError[] {
  const errs: FieldError[] = [];
  const ips = obj.imagePullSecrets;
  if (Array.isArray(ips)) {
    ips.forEach((ref, i) => {
      const name = isObject(ref) ? ref.name : undefined;
      if (typeof name === "string" && name !== "") {
        for (const m of isDNS1123Subdomain(name)) errs.push(invalid(`imagePullSecrets[${i}].name`, name, m));
      }
    });
  }
  return errs;
}

/** All create-time validation for an object of `def`. */
export function validateCreate(def: ResourceDef, obj: KubeObject): FieldError[] {
  const errs = validateObjectMeta(def, obj);
  if (def.group !== "") return errs;
  switch (def.kind) {
    case "Secret":
      return [...errs, ...validateSecret(obj)];
    case "ConfigMap":
      return [...errs, ...validateConfigMap(obj)];
    case "Pod":
      return [...errs, ...validatePod(obj)];
    case "ServiceAccount":
      return [...errs, ...validateServiceAccount(obj)];
    default:
      return errs;
  }
}

/** Update validation: immutable fields first (as ValidateXUpdate does), then the create rules. */
export function validateUpdate(
  def: ResourceDef,
  obj: KubeObject,
  old: KubeObject,
  subresource?: string,
): FieldError[] {
  const errs: FieldError[] = [];
  if (obj.metadata.uid !== old.metadata.uid) {
    errs.push(invalid("metadata.uid", obj.metadata.uid ?? "", "field is immutable"));
  }
  if (def.group === "" && !subresource) {
    if (def.kind === "Secret") errs.push(...validateSecretUpdate(obj, old));
    if (def.kind === "ConfigMap") errs.push(...validateConfigMapUpdate(obj, old));
    if (def.kind === "Pod") errs.push(...validatePodUpdate(obj, old));
  }
  return [...errs, ...validateCreate(def, obj)];
}
