// The three patch formats the API server accepts: JSON merge patch (RFC 7386), JSON patch (RFC 6902, with the
// evanphx/json-patch behaviour the server uses) and strategic merge patch (directives $patch, $retainKeys,
// $deleteFromPrimitiveList, $setElementOrder, list merge by key as the kind's schema says).
import type { FieldMeta, Schema } from "./patch-meta.js";
import type { Json, JsonObject } from "./types.js";
import { deepCopy, isObject, jsonEqual } from "./types.js";

export class PatchError extends Error {
  constructor(
    message: string,
    /** 400 for a malformed patch document, 422 for one that does not apply. */
    readonly code: 400 | 422,
  ) {
    super(message);
  }
}

// ---------------------------------------------------------------- JSON merge patch

export function mergePatch(target: Json | undefined, patch: Json): Json {
  if (!isObject(patch)) return deepCopy(patch);
  const out: JsonObject = isObject(target) ? deepCopy(target) : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = mergePatch(out[k], v);
  }
  return out;
}

// ---------------------------------------------------------------- JSON patch

interface Op {
  op: string;
  path: string;
  from?: string;
  value?: Json;
}

function parsePointer(path: string): string[] {
  if (path === "") return [];
  if (!path.startsWith("/")) throw new PatchError(`invalid JSON pointer: ${path}`, 422);
  return path
    .slice(1)
    .split("/")
    .map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"));
}

type Container = JsonObject | Json[];

function resolveParent(doc: Json, tokens: string[]): { parent: Container; key: string } {
  if (tokens.length === 0) throw new PatchError("cannot operate on the document root", 422);
  let cur: Json = doc;
  for (const t of tokens.slice(0, -1)) {
    if (Array.isArray(cur)) {
      const idx = Number(t);
      if (!/^\d+$/.test(t) || idx >= cur.length) throw new PatchError("doc is missing path", 422);
      cur = cur[idx] as Json;
    } else if (isObject(cur)) {
      if (!(t in cur)) throw new PatchError("doc is missing path", 422);
      cur = cur[t] as Json;
    } else throw new PatchError("doc is missing path", 422);
  }
  if (!Array.isArray(cur) && !isObject(cur)) throw new PatchError("doc is missing path", 422);
  return { parent: cur, key: tokens[tokens.length - 1] as string };
}

function getAt(doc: Json, path: string): Json {
  const tokens = parsePointer(path);
  if (tokens.length === 0) return doc;
  const { parent, key } = resolveParent(doc, tokens);
  if (Array.isArray(parent)) {
    const idx = Number(key);
    if (!/^\d+$/.test(key) || idx >= parent.length) throw new PatchError("missing value", 422);
    return parent[idx] as Json;
  }
  if (!(key in parent)) throw new PatchError("missing value", 422);
  return parent[key] as Json;
}

function removeAt(doc: Json, path: string): Json {
  const { parent, key } = resolveParent(doc, parsePointer(path));
  if (Array.isArray(parent)) {
    const idx = Number(key);
    if (!/^\d+$/.test(key) || idx >= parent.length) throw new PatchError("index out of range", 422);
    return parent.splice(idx, 1)[0] as Json;
  }
  if (!(key in parent)) throw new PatchError(`Unable to remove nonexistent key: ${key}: missing value`, 422);
  const v = parent[key] as Json;
  delete parent[key];
  return v;
}

function addAt(doc: Json, path: string, value: Json): Json {
  const tokens = parsePointer(path);
  if (tokens.length === 0) return value;
  const { parent, key } = resolveParent(doc, tokens);
  if (Array.isArray(parent)) {
    if (key === "-") parent.push(value);
    else {
      const idx = Number(key);
      if (!/^\d+$/.test(key) || idx > parent.length) throw new PatchError("index out of range", 422);
      parent.splice(idx, 0, value);
    }
  } else parent[key] = value;
  return doc;
}

/** Applies an RFC 6902 patch document (raw JSON value) to `doc`. */
export function jsonPatch(doc: Json, patch: unknown): Json {
  if (!Array.isArray(patch)) {
    throw new PatchError("json: cannot unmarshal object into Go value of type jsonpatch.Patch", 400);
  }
  let out = deepCopy(doc);
  for (const raw of patch) {
    if (!isObject(raw))
      throw new PatchError("json: cannot unmarshal into Go value of type jsonpatch.Operation", 400);
    const op = raw as unknown as Op;
    const path = typeof op.path === "string" ? op.path : "";
    switch (op.op) {
      case "add":
        out = addAt(out, path, deepCopy(op.value ?? null));
        break;
      case "remove":
        removeAt(out, path);
        break;
      case "replace": {
        const tokens = parsePointer(path);
        if (tokens.length === 0) {
          out = deepCopy(op.value ?? null);
          break;
        }
        const { parent, key } = resolveParent(out, tokens);
        if (Array.isArray(parent)) {
          const idx = Number(key);
          if (!/^\d+$/.test(key) || idx >= parent.length) throw new PatchError("index out of range", 422);
          parent[idx] = deepCopy(op.value ?? null);
        } else {
          if (!(key in parent)) throw new PatchError(`doc is missing key: ${path}: missing value`, 422);
          parent[key] = deepCopy(op.value ?? null);
        }
        break;
      }
      case "move": {
        const v = removeAt(out, op.from ?? "");
        out = addAt(out, path, v);
        break;
      }
      case "copy": {
        const v = deepCopy(getAt(out, op.from ?? ""));
        out = addAt(out, path, v);
        break;
      }
      case "test": {
        let actual: Json | undefined;
        try {
          actual = getAt(out, path);
        } catch {
          actual = undefined;
        }
        if (
          actual === undefined ? op.value !== null && op.value !== undefined : !jsonEqual(actual, op.value)
        ) {
          throw new PatchError(`testing value ${path} failed: test failed`, 422);
        }
        break;
      }
      default:
        throw new PatchError(`Unexpected kind: ${String(op.op)}`, 422);
    }
  }
  return out;
}

// ---------------------------------------------------------------- strategic merge patch

const DIRECTIVE = "$patch";
const RETAIN_KEYS = "$retainKeys";
const DELETE_FROM_PRIMITIVE = "$deleteFromPrimitiveList/";
const SET_ELEMENT_ORDER = "$setElementOrder/";

function isDirectiveKey(k: string): boolean {
  return (
    k === DIRECTIVE ||
    k === RETAIN_KEYS ||
    k.startsWith(DELETE_FROM_PRIMITIVE) ||
    k.startsWith(SET_ELEMENT_ORDER)
  );
}

/** Applies a strategic merge patch to `original` using the kind's schema. */
export function strategicMergePatch(original: JsonObject, patch: unknown, schema: Schema): JsonObject {
  if (!isObject(patch)) throw new PatchError("unable to find api field in struct for the patch", 400);
  const out = mergeMap(deepCopy(original), patch, schema);
  return out ?? {};
}

function mergeMap(
  original: JsonObject,
  patch: JsonObject,
  schema: Schema | undefined,
): JsonObject | undefined {
  const directive = patch[DIRECTIVE];
  if (directive === "replace") return stripDirectives(patch) as JsonObject;
  if (directive === "delete") return undefined;
  if (directive !== undefined && directive !== "merge") {
    throw new PatchError(`Unknown patch type: ${String(directive)} in map: ${JSON.stringify(patch)}`, 400);
  }

  const retain = patch[RETAIN_KEYS];
  if (retain !== undefined) {
    if (!Array.isArray(retain)) throw new PatchError("invalid patch: $retainKeys must be a list", 400);
    for (const k of Object.keys(original)) {
      if (!retain.includes(k)) delete original[k];
    }
  }

  const orders: Record<string, Json[]> = {};
  for (const [k, v] of Object.entries(patch)) {
    if (k.startsWith(DELETE_FROM_PRIMITIVE)) {
      const field = k.slice(DELETE_FROM_PRIMITIVE.length);
      const cur = original[field];
      if (Array.isArray(cur) && Array.isArray(v)) {
        original[field] = cur.filter((x) => !v.some((d) => jsonEqual(d, x)));
      }
    } else if (k.startsWith(SET_ELEMENT_ORDER)) {
      if (Array.isArray(v)) orders[k.slice(SET_ELEMENT_ORDER.length)] = v;
    }
  }

  for (const [k, pv] of Object.entries(patch)) {
    if (isDirectiveKey(k)) continue;
    const meta: FieldMeta | undefined = schema?.[k];
    if (pv === null) {
      delete original[k];
      continue;
    }
    const ov = original[k];
    const merged = mergeValue(ov, pv, meta);
    if (merged === undefined) delete original[k];
    else if (Array.isArray(merged) && Array.isArray(pv) && meta?.strategy?.includes("merge")) {
      const order = orders[k] ?? pv.filter((x) => !(isObject(x) && x[DIRECTIVE] !== undefined));
      original[k] = normalizeOrder(merged, order, Array.isArray(ov) ? ov : [], meta.key);
    } else original[k] = merged;
  }

  for (const [field, order] of Object.entries(orders)) {
    if (field in patch) continue;
    const list = original[field];
    if (Array.isArray(list)) original[field] = normalizeOrder(list, order, list, schema?.[field]?.key);
  }
  return original;
}

function mergeValue(ov: Json | undefined, pv: Json, meta: FieldMeta | undefined): Json | undefined {
  if (isObject(pv)) {
    return mergeMap(isObject(ov) ? ov : {}, pv, meta?.schema);
  }
  if (Array.isArray(pv)) {
    if (meta?.strategy?.includes("merge")) return mergeList(Array.isArray(ov) ? ov : [], pv, meta);
    return pv.map((x) => stripDirectives(x));
  }
  return pv;
}

function mergeList(original: Json[], patch: Json[], meta: FieldMeta): Json[] {
  if (patch.some((x) => isObject(x) && x[DIRECTIVE] === "replace")) {
    return patch.filter((x) => !(isObject(x) && x[DIRECTIVE] === "replace")).map((x) => stripDirectives(x));
  }
  const key = meta.key;
  if (!key) {
    const out = [...original];
    for (const x of patch) if (!out.some((y) => jsonEqual(x, y))) out.push(deepCopy(x));
    return out;
  }
  const out = [...original];
  for (const item of patch) {
    if (!isObject(item)) {
      out.push(item);
      continue;
    }
    const keyValue = item[key];
    const idx = out.findIndex((x) => isObject(x) && jsonEqual(x[key], keyValue));
    if (item[DIRECTIVE] === "delete") {
      if (idx >= 0) out.splice(idx, 1);
      continue;
    }
    if (idx >= 0) {
      const merged = mergeMap(out[idx] as JsonObject, item, meta.schema);
      if (merged === undefined) out.splice(idx, 1);
      else out[idx] = merged;
    } else {
      const fresh = mergeMap({}, item, meta.schema);
      if (fresh !== undefined) out.push(fresh);
    }
  }
  return out;
}

function elementKey(x: Json, key: string | undefined): string {
  return JSON.stringify(key && isObject(x) ? x[key] : x);
}

/**
 * normalizeElementOrder + mergeSortedSlice of the real implementation: items named by the patch (or its
 * $setElementOrder list) in that order, server-only items in their live order, interleaved by live position.
 */
function normalizeOrder(
  merged: Json[],
  patchOrder: Json[],
  serverOrder: Json[],
  key: string | undefined,
): Json[] {
  const patchKeys = patchOrder.map((x) => elementKey(x, key));
  const serverKeys = serverOrder.map((x) => elementKey(x, key));
  const patchItems = merged
    .filter((x) => patchKeys.includes(elementKey(x, key)))
    .sort((a, b) => patchKeys.indexOf(elementKey(a, key)) - patchKeys.indexOf(elementKey(b, key)));
  const serverOnly = merged
    .filter((x) => !patchKeys.includes(elementKey(x, key)))
    .sort((a, b) => serverKeys.indexOf(elementKey(a, key)) - serverKeys.indexOf(elementKey(b, key)));
  const out: Json[] = [];
  let i = 0;
  let j = 0;
  while (i < serverOnly.length || j < patchItems.length) {
    if (i >= serverOnly.length) out.push(patchItems[j++] as Json);
    else if (j >= patchItems.length) out.push(serverOnly[i++] as Json);
    else {
      const li = serverKeys.indexOf(elementKey(serverOnly[i] as Json, key));
      const ri = serverKeys.indexOf(elementKey(patchItems[j] as Json, key));
      if (li >= 0 && ri >= 0 && li < ri) out.push(serverOnly[i++] as Json);
      else out.push(patchItems[j++] as Json);
    }
  }
  return out;
}

function stripDirectives(v: Json): Json {
  if (Array.isArray(v)) return v.map((x) => stripDirectives(x));
  if (!isObject(v)) return v;
  const out: JsonObject = {};
  for (const [k, x] of Object.entries(v)) if (!isDirectiveKey(k)) out[k] = stripDirectives(x);
  return out;
}

// ---------------------------------------------------------------- server-side apply (simplified)

/**
 * A simplified server-side apply: the applied configuration is merged onto the live object like a strategic
 * merge patch without deletions (lists with a merge key merge by key, other lists are replaced). Field
 * ownership, conflicts and removal of fields a manager stopped applying are not modelled.
 */
export function applyConfiguration(live: JsonObject, applied: JsonObject, schema: Schema): JsonObject {
  return mergeMap(deepCopy(live), stripNulls(applied) as JsonObject, schema) ?? {};
}

function stripNulls(v: Json): Json {
  if (Array.isArray(v)) return v.map(stripNulls);
  if (!isObject(v)) return v;
  const out: JsonObject = {};
  for (const [k, x] of Object.entries(v)) if (x !== null) out[k] = stripNulls(x);
  return out;
}
