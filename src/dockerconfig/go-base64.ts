/**
 * Base64 as Go's `encoding/base64` does it, plus kubelet's decoding of the `auth` field.
 *
 * Go's decoders (StdEncoding, RawStdEncoding; not Strict) skip `\r` and `\n` anywhere, ignore non-zero
 * trailing bits, and accept only the standard alphabet. StdEncoding requires `=` padding; RawStdEncoding
 * forbids it.
 */
import { utf8DecodeLossy, findInvalidUtf8 } from "./go-strings.js";

const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const DECODE = new Int16Array(128).fill(-1);
for (let i = 0; i < ALPHABET.length; i++) DECODE[ALPHABET.charCodeAt(i)] = i;

/** Padded standard base64 (Go `base64.StdEncoding.EncodeToString`). */
export function encodeStdBase64(bytes: Uint8Array): string {
  let out = "";
  let i = 0;
  for (; i + 2 < bytes.length; i += 3) {
    const n = ((bytes[i] ?? 0) << 16) | ((bytes[i + 1] ?? 0) << 8) | (bytes[i + 2] ?? 0);
    out += ALPHABET.charAt(n >> 18) + ALPHABET.charAt((n >> 12) & 63) + ALPHABET.charAt((n >> 6) & 63);
    out += ALPHABET.charAt(n & 63);
  }
  const rest = bytes.length - i;
  if (rest === 1) {
    const n = (bytes[i] ?? 0) << 16;
    out += ALPHABET.charAt(n >> 18) + ALPHABET.charAt((n >> 12) & 63) + "==";
  } else if (rest === 2) {
    const n = ((bytes[i] ?? 0) << 16) | ((bytes[i + 1] ?? 0) << 8);
    out += ALPHABET.charAt(n >> 18) + ALPHABET.charAt((n >> 12) & 63) + ALPHABET.charAt((n >> 6) & 63) + "=";
  }
  return out;
}

/** Why a string is not base64: characters outside the alphabet, URL-safe characters, or length/padding. */
export type Base64Failure = "alphabet" | "url-safe" | "length-or-padding";

export type Base64Result = { ok: true; bytes: Uint8Array } | { ok: false; failure: Base64Failure };

/** Go's `StdEncoding.DecodeString` ("std", padding required) or `RawStdEncoding.DecodeString` ("raw"). */
export function decodeGoBase64(input: string, mode: "std" | "raw"): Base64Result {
  const s = input.includes("\n") || input.includes("\r") ? input.replace(/[\r\n]/g, "") : input;
  let dataLength = s.length;
  if (mode === "std") {
    const pad = s.indexOf("=");
    if (pad >= 0) {
      const padding = s.slice(pad);
      const ok = (padding === "=" && pad % 4 === 3) || (padding === "==" && pad % 4 === 2);
      const failure = classifyAlphabet(s.slice(0, pad));
      if (failure) return { ok: false, failure };
      if (!ok || s.length % 4 !== 0) return { ok: false, failure: "length-or-padding" };
      dataLength = pad;
    } else {
      const failure = classifyAlphabet(s);
      if (failure) return { ok: false, failure };
      if (s.length % 4 !== 0) return { ok: false, failure: "length-or-padding" };
    }
  } else {
    const failure = classifyAlphabet(s);
    if (failure) return { ok: false, failure };
    if (s.length % 4 === 1) return { ok: false, failure: "length-or-padding" };
  }
  return { ok: true, bytes: decodeValidated(s, dataLength) };
}

/** undefined when every character is in the standard alphabet. */
function classifyAlphabet(s: string): Base64Failure | undefined {
  let urlSafe = false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 128 && (DECODE[c] ?? -1) >= 0) continue;
    if (c === 0x2d || c === 0x5f) {
      urlSafe = true;
      continue;
    }
    return "alphabet";
  }
  return urlSafe ? "url-safe" : undefined;
}

function decodeValidated(s: string, length: number): Uint8Array {
  const out = new Uint8Array(Math.floor((length * 6) / 8));
  let acc = 0;
  let bits = 0;
  let o = 0;
  for (let i = 0; i < length; i++) {
    acc = (acc << 6) | (DECODE[s.charCodeAt(i)] ?? 0);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[o++] = (acc >> bits) & 0xff;
    }
    acc &= (1 << bits) - 1;
  }
  return out;
}

/**
 * Lenient decoding for diagnostics: ignores ASCII whitespace, accepts the URL-safe alphabet and missing
 * padding. undefined when even that fails.
 */
export function decodeLenientBase64(input: string): Uint8Array | undefined {
  const s = input
    .replace(/[\t\n\f\r ]/g, "")
    .replace(/-/g, "+")
    .replace(/_/g, "/")
    .replace(/=+$/, "");
  const r = decodeGoBase64(s, "raw");
  return r.ok ? r.bytes : undefined;
}

export interface KubeletAuth {
  username: string;
  password: string;
  /** False when the decoded bytes are not UTF-8 (username/password then contain U+FFFD). */
  utf8: boolean;
}

export type KubeletAuthResult =
  { ok: true; auth: KubeletAuth; padded: boolean } | { ok: false; failure: Base64Failure | "no-colon" };

/**
 * kubelet's `decodeDockerConfigFieldAuth` (pkg/credentialprovider/config.go): StdEncoding when the trimmed
 * field ends with "=", RawStdEncoding otherwise; then split on the first ':'. Any failure makes kubelet's
 * JSON decoding of the whole secret fail.
 */
export function decodeKubeletAuth(field: string): KubeletAuthResult {
  const padded = field.trim().endsWith("=");
  const decoded = decodeGoBase64(field, padded ? "std" : "raw");
  if (!decoded.ok) {
    // Classify like the stricter decoder would, so "url-safe" beats "length-or-padding".
    return { ok: false, failure: decoded.failure };
  }
  const bytes = decoded.bytes;
  const colon = bytes.indexOf(0x3a);
  if (colon < 0) return { ok: false, failure: "no-colon" };
  return {
    ok: true,
    padded: decodeGoBase64(field, "std").ok,
    auth: {
      username: utf8DecodeLossy(bytes.subarray(0, colon)),
      password: utf8DecodeLossy(bytes.subarray(colon + 1)),
      utf8: findInvalidUtf8(bytes) < 0,
    },
  };
}
