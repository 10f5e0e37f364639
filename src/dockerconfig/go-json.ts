/**
 * Byte-exact reproduction of Go's `encoding/json` `Marshal` and `MarshalIndent` for plain JSON values, so that
 * generated `.dockerconfigjson` payloads are identical to kubectl's (and hash identically, see `--append-hash`).
 *
 * - Objects are Go structs: members in insertion order, `undefined` members omitted (like `omitempty`).
 *   JavaScript puts integer-like keys first in plain objects; pass a `Map` when such keys must keep their order.
 * - `goMap(record)` marks a Go map: keys sorted in byte order, as Go sorts map keys.
 * - Strings use Go's escaping (encodeState.string with escapeHTML, Go ≥ 1.22): `\"`, `\\`, `\b`, `\f`, `\n`,
 *   `\r`, `\t`, `\u00XX` for other bytes below 0x20, `\u003c` `\u003e` `\u0026` for `<` `>` `&`,
 *   `\u2028` `\u2029`, and `\ufffd` for invalid UTF-8 (lone surrogates here). `/` and DEL are not escaped.
 * - Numbers use Go's float64 formatting (`-0` stays `-0`); NaN and infinities are refused, as Go refuses them.
 */
import { InternalError } from "../errors.js";
import { compareGoStrings } from "./go-strings.js";

const GO_MAP: unique symbol = Symbol("pullwarden.goMap");

/** A record whose keys Go would sort (a Go map). Create with `goMap`. */
export interface GoMap {
  readonly [GO_MAP]: true;
  readonly [key: string]: GoJsonValue | undefined;
}

export type GoJsonValue =
  | string
  | number
  | boolean
  | null
  | GoMap
  | ReadonlyMap<string, GoJsonValue | undefined>
  | readonly GoJsonValue[]
  | { readonly [key: string]: GoJsonValue | undefined };

/**
 * Marks a record (or key/value pairs) as a Go map: `encodeGoJson` writes its keys in Go's sorted (byte) order.
 * Pass pairs when a key may be `__proto__`.
 */
export function goMap(
  record:
    Readonly<Record<string, GoJsonValue | undefined>> | Iterable<readonly [string, GoJsonValue | undefined]>,
): GoMap {
  const out = Object.create(null) as Record<string | typeof GO_MAP, unknown>;
  Object.defineProperty(out, GO_MAP, { value: true, enumerable: false });
  const pairs = Symbol.iterator in record ? record : Object.entries(record);
  for (const [k, v] of pairs as Iterable<readonly [string, GoJsonValue | undefined]>) out[k] = v;
  return out as unknown as GoMap;
}

/** Go `json.Marshal(value)`: compact, HTML-safe. */
export function encodeGoJson(value: GoJsonValue): string {
  return encode(value, undefined, 0);
}

/**
 * Go `json.MarshalIndent(value, "", indent)` — `kubectl -o json` uses four spaces. No trailing newline
 * (kubectl's printer appends one).
 */
export function encodeGoJsonIndent(value: GoJsonValue, indent = "    "): string {
  return encode(value, indent, 0);
}

function encode(value: GoJsonValue, indent: string | undefined, depth: number): string {
  if (value === null) return "null";
  switch (typeof value) {
    case "string":
      return encodeGoString(value);
    case "number":
      return encodeGoNumber(value);
    case "boolean":
      return value ? "true" : "false";
    case "object":
      break;
    default:
      throw new InternalError(`encodeGoJson: unsupported value of type ${typeof value}`);
  }
  if (isArray(value)) {
    return wrap(
      "[",
      "]",
      value.map((item) => encode(item ?? null, indent, depth + 1)),
      indent,
      depth,
    );
  }
  let pairs: [string, GoJsonValue | undefined][];
  if (value instanceof Map) {
    pairs = [...(value as ReadonlyMap<string, GoJsonValue | undefined>)];
  } else {
    pairs = Object.entries(value as Record<string, GoJsonValue | undefined>);
    if (GO_MAP in value) pairs.sort((a, b) => compareGoStrings(a[0], b[0]));
  }
  const sep = indent === undefined ? ":" : ": ";
  const members: string[] = [];
  for (const [k, v] of pairs) {
    if (v === undefined) continue;
    members.push(encodeGoString(k) + sep + encode(v, indent, depth + 1));
  }
  return wrap("{", "}", members, indent, depth);
}

function isArray(value: unknown): value is readonly GoJsonValue[] {
  return Array.isArray(value);
}

function wrap(
  open: string,
  close: string,
  parts: string[],
  indent: string | undefined,
  depth: number,
): string {
  if (parts.length === 0) return open + close;
  if (indent === undefined) return open + parts.join(",") + close;
  const inner = "\n" + indent.repeat(depth + 1);
  return open + inner + parts.join("," + inner) + "\n" + indent.repeat(depth) + close;
}

const HEX = "0123456789abcdef";

/** A JSON string literal exactly as Go's encoder writes it (escapeHTML on). */
export function encodeGoString(s: string): string {
  let out = '"';
  let start = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    let rep: string | undefined;
    if (c < 0x80) {
      if (c >= 0x20 && c !== 0x22 && c !== 0x5c && c !== 0x3c && c !== 0x3e && c !== 0x26) continue;
      switch (c) {
        case 0x22:
          rep = '\\"';
          break;
        case 0x5c:
          rep = "\\\\";
          break;
        case 0x08:
          rep = "\\b";
          break;
        case 0x0c:
          rep = "\\f";
          break;
        case 0x0a:
          rep = "\\n";
          break;
        case 0x0d:
          rep = "\\r";
          break;
        case 0x09:
          rep = "\\t";
          break;
        default:
          rep = "\\u00" + HEX.charAt(c >> 4) + HEX.charAt(c & 0xf);
      }
    } else if (c === 0x2028 || c === 0x2029) {
      rep = "\\u202" + HEX.charAt(c & 0xf);
    } else if (c >= 0xd800 && c <= 0xdbff) {
      const next = i + 1 < s.length ? s.charCodeAt(i + 1) : 0;
      if (next >= 0xdc00 && next <= 0xdfff) {
        i++;
        continue;
      }
      rep = "\\ufffd";
    } else if (c >= 0xdc00 && c <= 0xdfff) {
      rep = "\\ufffd";
    } else {
      continue;
    }
    out += s.slice(start, i) + rep;
    start = i + 1;
  }
  return out + s.slice(start) + '"';
}

/** Go's float64 encoding: shortest round-trip digits, exponent form below 1e-6 and from 1e21. */
export function encodeGoNumber(n: number): string {
  if (!Number.isFinite(n)) throw new InternalError(`encodeGoJson: unsupported value ${String(n)}`);
  if (Object.is(n, -0)) return "-0";
  // JavaScript's Number#toString uses the same shortest digits and the same exponent thresholds as Go's
  // encoder, and Go's cleanup ("e-07" → "e-7") yields JavaScript's exponent spelling.
  return String(n);
}
