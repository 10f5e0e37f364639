/**
 * Go's `strings.ToLower`, which distribution uses to detect uppercase names: simple per-code-point case
 * mapping. JavaScript's `toLowerCase` differs only for U+0130 (İ), which it maps to two code points.
 */
export function toLowerLikeGo(text: string): string {
  let lowered = "";
  for (const character of text) lowered += lowerCodePoint(character);
  return lowered;
}

/** The offset of the first character in [from, to) that Go would lowercase, or -1. */
export function firstUppercaseOffset(text: string, from = 0, to = text.length): number {
  for (let offset = from; offset < to;) {
    const character = String.fromCodePoint(text.codePointAt(offset) ?? 0);
    if (lowerCodePoint(character) !== character) return offset;
    offset += character.length;
  }
  return -1;
}

function lowerCodePoint(character: string): string {
  return character === "\u0130" ? "i" : character.toLowerCase();
}
