/**
 * String helpers that reproduce Go's byte-oriented string semantics on JavaScript's UTF-16 strings.
 * Go strings are UTF-8 bytes, so Go's `strings.Compare`, `sort.Strings` and map-key order are byte order,
 * which equals Unicode code point order, not JavaScript's UTF-16 code unit order.
 */

const encoder = new TextEncoder();
const lossyDecoder = new TextDecoder("utf-8", { fatal: false, ignoreBOM: true });

/** UTF-8 bytes of `s` (lone surrogates become U+FFFD, as Go's encoders write them). */
export function utf8Encode(s: string): Uint8Array {
  return encoder.encode(s);
}

/** Decodes UTF-8, replacing invalid sequences with U+FFFD (what Go's `encoding/json` does with such bytes). */
export function utf8DecodeLossy(bytes: Uint8Array): string {
  return lossyDecoder.decode(bytes);
}

/** Number of UTF-8 bytes `s` encodes to, without allocating. */
export function utf8ByteLength(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length && isLowSurrogate(s.charCodeAt(i + 1))) {
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
}

function isLowSurrogate(c: number): boolean {
  return c >= 0xdc00 && c <= 0xdfff;
}

/** Offset of the first byte that does not start a valid UTF-8 sequence, or -1 when `bytes` is valid UTF-8. */
export function findInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const size = validRuneSize(bytes, i, bytes.length);
    if (size === 0) return i;
    i += size;
  }
  return -1;
}

/**
 * Go's `utf8.DecodeRune` on `bytes[i:end]`: the code point and its width, or U+FFFD with width 1 for an invalid
 * or truncated sequence (and width 0 at the end).
 */
export function decodeRune(bytes: Uint8Array, i: number, end: number): [rune: number, size: number] {
  if (i >= end) return [0xfffd, 0];
  const size = validRuneSize(bytes, i, end);
  const b0 = bytes[i] ?? 0;
  if (size === 0) return [0xfffd, 1];
  if (size === 1) return [b0, 1];
  if (size === 2) return [((b0 & 0x1f) << 6) | ((bytes[i + 1] ?? 0) & 0x3f), 2];
  if (size === 3)
    return [((b0 & 0x0f) << 12) | (((bytes[i + 1] ?? 0) & 0x3f) << 6) | ((bytes[i + 2] ?? 0) & 0x3f), 3];
  return [
    ((b0 & 0x07) << 18) |
      (((bytes[i + 1] ?? 0) & 0x3f) << 12) |
      (((bytes[i + 2] ?? 0) & 0x3f) << 6) |
      ((bytes[i + 3] ?? 0) & 0x3f),
    4,
  ];
}

/** Width of the valid UTF-8 sequence at `i` (1–4), or 0 when it is invalid (overlong, surrogate, truncated). */
function validRuneSize(bytes: Uint8Array, i: number, end: number): number {
  const b0 = bytes[i] ?? 0;
  if (b0 < 0x80) return 1;
  const cont = (k: number, lo = 0x80, hi = 0xbf): boolean => {
    const b = i + k < end ? bytes[i + k] : undefined;
    return b !== undefined && b >= lo && b <= hi;
  };
  if (b0 >= 0xc2 && b0 <= 0xdf) return cont(1) ? 2 : 0;
  if (b0 === 0xe0) return cont(1, 0xa0) && cont(2) ? 3 : 0;
  if ((b0 >= 0xe1 && b0 <= 0xec) || b0 === 0xee || b0 === 0xef) return cont(1) && cont(2) ? 3 : 0;
  if (b0 === 0xed) return cont(1, 0x80, 0x9f) && cont(2) ? 3 : 0;
  if (b0 === 0xf0) return cont(1, 0x90) && cont(2) && cont(3) ? 4 : 0;
  if (b0 >= 0xf1 && b0 <= 0xf3) return cont(1) && cont(2) && cont(3) ? 4 : 0;
  if (b0 === 0xf4) return cont(1, 0x80, 0x8f) && cont(2) && cont(3) ? 4 : 0;
  return 0;
}

/** True when `s` contains no lone surrogate (ES2024 `String.prototype.isWellFormed`, not in our lib target). */
export function isWellFormedUnicode(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      if (i + 1 < s.length && isLowSurrogate(s.charCodeAt(i + 1))) {
        i++;
        continue;
      }
      return false;
    }
    if (isLowSurrogate(c)) return false;
  }
  return true;
}

/**
 * Go's `strings.Compare` for strings that are valid UTF-8: byte order, which is code point order.
 * (JavaScript's `<` compares UTF-16 code units and orders U+E000–U+FFFF after astral characters.)
 */
export function compareGoStrings(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const ca = a.charCodeAt(i);
    const cb = b.charCodeAt(i);
    if (ca === cb) continue;
    // The first differing code unit decides, except that a surrogate (astral code point) must sort after
    // every BMP code unit, because its code point is larger.
    const sa = ca >= 0xd800 && ca <= 0xdfff;
    const sb = cb >= 0xd800 && cb <= 0xdfff;
    if (sa !== sb) return sa ? (cb >= 0xe000 ? 1 : ca - cb) : ca >= 0xe000 ? -1 : ca - cb;
    return ca - cb;
  }
  return a.length - b.length;
}

/** True for C0 controls and DEL (what Go's net/url calls CTL bytes). */
export function hasControlCharacter(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 || c === 0x7f) return true;
  }
  return false;
}

const CONTROL_CHARACTER_NAMES: Readonly<Record<number, string>> = {
  0x00: "NUL",
  0x09: "a tab",
  0x0a: "a line feed",
  0x0d: "a carriage return",
  0x1b: "ESC",
  0x7f: "DEL",
};

/**
 * The control characters of `s` for a message that must not show `s` itself: the first one by name and code
 * point, its position (1-based, in characters) and how many more there are, e.g.
 * `a tab (U+0009) at character 3 of 8` or `DEL (U+007F) at character 8 of 8, and 1 more`.
 * Undefined when there is none.
 */
export function describeControlCharacters(s: string): string | undefined {
  const characters = Array.from(s);
  const positions = characters.flatMap((character, index) => {
    const c = character.codePointAt(0) ?? 0;
    return c < 0x20 || c === 0x7f ? [index] : [];
  });
  const first = positions[0];
  if (first === undefined) return undefined;
  const code = characters[first]?.codePointAt(0) ?? 0;
  const name = CONTROL_CHARACTER_NAMES[code] ?? "a control character";
  const codePoint = `U+${code.toString(16).toUpperCase().padStart(4, "0")}`;
  const more = positions.length > 1 ? `, and ${positions.length - 1} more` : "";
  return `${name} (${codePoint}) at character ${first + 1} of ${characters.length}${more}`;
}
