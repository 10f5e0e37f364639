// Wire encoding and content negotiation: JSON (and YAML) bodies in, JSON out with the field order the real
// server writes; Accept negotiation (protobuf is never produced: a request that also accepts JSON gets JSON,
// one that accepts only protobuf gets 406 like a server without that serializer); strict base64 decoding of
// Secret.data / ConfigMap.binaryData with Go's error text.
import { parse as parseYaml } from "yaml";
import { goSyntaxError } from "./gojson.js";
import { decodeProtobuf, ProtobufError } from "./protobuf.js";
import type { ResourceDef } from "./resources.js";
import { apiVersionOf } from "./resources.js";
import type { ApiError } from "./status.js";
import { badRequest, notAcceptable, unsupportedMediaType } from "./status.js";
import type { Json, JsonObject, KubeObject, ObjectMeta } from "./types.js";
import { isObject } from "./types.js";

const META_ORDER = [
  "name",
  "generateName",
  "namespace",
  "selfLink",
  "uid",
  "resourceVersion",
  "generation",
  "creationTimestamp",
  "deletionTimestamp",
  "deletionGracePeriodSeconds",
  "labels",
  "annotations",
  "ownerReferences",
  "finalizers",
  "managedFields",
];

function orderedMeta(meta: ObjectMeta): JsonObject {
  const out: JsonObject = {};
  for (const k of META_ORDER) if (meta[k] !== undefined) out[k] = meta[k] as Json;
  for (const [k, v] of Object.entries(meta)) if (!(k in out) && v !== undefined) out[k] = v as Json;
  return out;
}

/** The object as the server writes it: kind, apiVersion, metadata first. */
export function wireObject(obj: KubeObject, withTypeMeta = true): JsonObject {
  const out: JsonObject = {};
  if (withTypeMeta) {
    out.kind = obj.kind;
    out.apiVersion = obj.apiVersion;
  }
  out.metadata = orderedMeta(obj.metadata);
  for (const [k, v] of Object.entries(obj)) {
    if (k === "kind" || k === "apiVersion" || k === "metadata" || v === undefined) continue;
    out[k] = v as Json;
  }
  return out;
}

export interface ListMeta {
  resourceVersion: string;
  continueToken?: string;
  remainingItemCount?: number;
}

/** A typed list. Built-in kinds' items carry no kind/apiVersion (typed Go lists); custom resources' do. */
export function listObject(def: ResourceDef, items: KubeObject[], meta: ListMeta): JsonObject {
  const metadata: JsonObject = { resourceVersion: meta.resourceVersion };
  if (meta.continueToken) metadata.continue = meta.continueToken;
  if (meta.remainingItemCount !== undefined) metadata.remainingItemCount = meta.remainingItemCount;
  return {
    kind: def.listKind,
    apiVersion: apiVersionOf(def),
    metadata,
    items: items.map((o) => wireObject(o, def.custom === true)),
  };
}

// ---- negotiation ----

export const SERVED_MEDIA_TYPES = [
  "application/json",
  "application/yaml",
  "application/vnd.kubernetes.protobuf",
];

export type ResponseFormat = "json" | "yaml";

/** Picks the response format from Accept; throws 406 when nothing acceptable (JSON or YAML) is listed. */
export function negotiate(accept: string | undefined): ResponseFormat {
  if (!accept || accept.trim() === "") return "json";
  for (const part of accept.split(",")) {
    const type = (part.split(";")[0] ?? "").trim().toLowerCase();
    if (type === "application/json" || type === "*/*" || type === "application/*") return "json";
    if (type === "application/yaml") return "yaml";
  }
  throw notAcceptable(SERVED_MEDIA_TYPES);
}

export function mediaType(contentType: string | undefined): string {
  return (contentType ?? "").split(";")[0]?.trim().toLowerCase() ?? "";
}

/** Decodes a request body that must be an object (create/update/review bodies). */
export function decodeObjectBody(
  def: ResourceDef,
  contentType: string | undefined,
  body: Buffer,
): JsonObject {
  const type = mediaType(contentType);
  let value: unknown;
  const cannotHandle = (why: string): ApiError =>
    badRequest(`${def.kind} in version "${def.version}" cannot be handled as a ${def.kind}: ${why}`);
  if (type === "application/json" || type === "") {
    const syntax = goSyntaxError(body);
    if (syntax) throw cannotHandle(`couldn't get version/kind; json parse error: ${syntax}`);
    value = JSON.parse(body.toString("utf8"));
  } else if (type === "application/yaml") {
    try {
      value = parseYaml(body.toString("utf8"));
    } catch (e) {
      throw cannotHandle(`error converting YAML to JSON: ${(e as Error).message}`);
    }
  } else if (type === "application/vnd.kubernetes.protobuf") {
    try {
      value = decodeProtobuf(body);
    } catch (e) {
      if (e instanceof ProtobufError) throw cannotHandle(e.message);
      throw e;
    }
  } else {
    throw unsupportedMediaType(SERVED_MEDIA_TYPES);
  }
  if (!isObject(value)) {
    throw cannotHandle(
      `json: cannot unmarshal ${Array.isArray(value) ? "array" : typeof value} into Go value of type struct`,
    );
  }
  checkTypeMeta(def, value);
  checkBase64Fields(def, value, cannotHandle);
  return value;
}

function checkTypeMeta(def: ResourceDef, value: JsonObject): void {
  const apiVersion = value.apiVersion;
  if (typeof apiVersion === "string" && apiVersion !== "" && apiVersion !== apiVersionOf(def)) {
    throw badRequest(
      `the API version in the data (${apiVersion}) does not match the expected API version (${apiVersionOf(def)})`,
    );
  }
  const kind = value.kind;
  if (typeof kind === "string" && kind !== "" && kind !== def.kind && !def.virtual) {
    throw badRequest(`the kind in the data (${kind}) does not match the expected kind (${def.kind})`);
  }
}

/** Go's base64.StdEncoding strictness: the offset of the first bad byte, or undefined when valid. */
export function base64ErrorOffset(s: string): number | undefined {
  const clean = s.replace(/[\r\n]/g, "");
  let i = 0;
  for (; i < clean.length; i++) {
    const c = clean[i] as string;
    if (c === "=") break;
    if (!/[A-Za-z0-9+/]/.test(c)) return i;
  }
  const dataLen = i;
  const rem = dataLen % 4;
  if (i === clean.length) {
    return rem === 0 ? undefined : dataLen - rem;
  }
  // padding
  const pad = clean.slice(i);
  const needed = rem === 2 ? 2 : rem === 3 ? 1 : -1;
  if (needed < 0) return i;
  if (pad.length < needed) return clean.length;
  if (pad.slice(0, needed) !== "=".repeat(needed)) return i + pad.search(/[^=]/);
  if (pad.length > needed) return i + needed;
  return undefined;
}

function checkBase64Fields(def: ResourceDef, value: JsonObject, fail: (why: string) => ApiError): void {
  if (def.group !== "") return;
  const field = def.kind === "Secret" ? "data" : def.kind === "ConfigMap" ? "binaryData" : undefined;
  if (!field) return;
  const data = value[field];
  if (data === undefined || data === null) return;
  if (!isObject(data))
    throw fail(
      `json: cannot unmarshal ${Array.isArray(data) ? "array" : typeof data} into Go struct field ${def.kind}.${field} of type map[string][]uint8`,
    );
  for (const v of Object.values(data)) {
    if (v === null) continue;
    if (typeof v !== "string")
      throw fail(
        `json: cannot unmarshal ${typeof v} into Go struct field ${def.kind}.${field} of type []uint8`,
      );
    const off = base64ErrorOffset(v);
    if (off !== undefined) throw fail(`illegal base64 data at input byte ${off}`);
  }
}

/** Decodes a patch body (any JSON value; YAML for apply patches). */
export function decodePatchBody(contentType: string, body: Buffer): unknown {
  if (contentType === "application/apply-patch+yaml") {
    try {
      return parseYaml(body.toString("utf8"));
    } catch (e) {
      throw badRequest(`error decoding YAML: ${(e as Error).message}`);
    }
  }
  const syntax = goSyntaxError(body);
  if (syntax) throw badRequest(syntax);
  return JSON.parse(body.toString("utf8"));
}
