/**
 * Go's `path/filepath.Match` on Linux (identical to `path.Match`), which kubelet's `URLsMatch` applies to each
 * DNS label of a registry key. Ported from Go ≥ 1.20 (the version that validates the whole pattern), working
 * on UTF-8 bytes exactly as Go does:
 *
 *   `*` any run of non-`/` characters, `?` one non-`/` character, `[…]` / `[^…]` classes with ranges,
 *   `\x` a literal x. A malformed pattern (`[`, `[]`, `[a-]`, trailing `\`) is ErrBadPattern.
 */
import { decodeRune, utf8Encode } from "./go-strings.js";

export type GoMatchResult = "match" | "no-match" | "bad-pattern";

const SEP = 0x2f; // '/'
const STAR = 0x2a;
const LBRACKET = 0x5b;
const RBRACKET = 0x5d;
const BACKSLASH = 0x5c;
const QUESTION = 0x3f;
const CARET = 0x5e;
const DASH = 0x2d;

/** Go `filepath.Match(pattern, name)` on Linux. */
export function goPathMatch(pattern: string, name: string): GoMatchResult {
  return matchBytes(utf8Encode(pattern), utf8Encode(name));
}

function matchBytes(p: Uint8Array, n: Uint8Array): GoMatchResult {
  let pi = 0;
  let ni = 0;
  pattern: while (pi < p.length) {
    const chunk = scanChunk(p, pi);
    pi = chunk.end;
    if (chunk.star && chunk.start === chunk.end) {
      // Trailing * matches the rest of the name unless it has a '/'.
      return n.indexOf(SEP, ni) < 0 ? "match" : "no-match";
    }
    const here = matchChunk(p, chunk.start, chunk.end, n, ni);
    if (here.kind === "ok" && (here.rest === n.length || pi < p.length)) {
      ni = here.rest;
      continue;
    }
    if (here.kind === "bad") return "bad-pattern";
    if (chunk.star) {
      // Look for a match skipping i+1 bytes; '*' cannot skip '/'.
      for (let i = ni; i < n.length && n[i] !== SEP; i++) {
        const t = matchChunk(p, chunk.start, chunk.end, n, i + 1);
        if (t.kind === "ok") {
          if (pi === p.length && t.rest < n.length) continue;
          ni = t.rest;
          continue pattern;
        }
        if (t.kind === "bad") return "bad-pattern";
      }
    }
    // Before reporting no match, check that the rest of the pattern is well-formed.
    while (pi < p.length) {
      const next = scanChunk(p, pi);
      pi = next.end;
      if (matchChunk(p, next.start, next.end, n, n.length).kind === "bad") return "bad-pattern";
    }
    return "no-match";
  }
  return ni === n.length ? "match" : "no-match";
}

interface Chunk {
  star: boolean;
  start: number;
  end: number;
}

/** Go's scanChunk: leading stars, then the chunk up to the next unbracketed '*'. */
function scanChunk(p: Uint8Array, from: number): Chunk {
  let i = from;
  let star = false;
  while (i < p.length && p[i] === STAR) {
    i++;
    star = true;
  }
  const start = i;
  let inRange = false;
  for (; i < p.length; i++) {
    const c = p[i];
    if (c === BACKSLASH) {
      if (i + 1 < p.length) i++;
    } else if (c === LBRACKET) {
      inRange = true;
    } else if (c === RBRACKET) {
      inRange = false;
    } else if (c === STAR && !inRange) {
      break;
    }
  }
  return { star, start, end: i };
}

type ChunkResult = { kind: "ok"; rest: number } | { kind: "fail" } | { kind: "bad" };

/** Go's matchChunk: keeps validating the chunk after a mismatch, so malformed chunks are always reported. */
function matchChunk(p: Uint8Array, cs: number, ce: number, n: Uint8Array, si: number): ChunkResult {
  let failed = false;
  let ci = cs;
  while (ci < ce) {
    if (!failed && si >= n.length) failed = true;
    const c = p[ci];
    if (c === LBRACKET) {
      let r = 0;
      if (!failed) {
        const [rune, size] = decodeRune(n, si, n.length);
        r = rune;
        si += size;
      }
      ci++;
      let negated = false;
      if (ci < ce && p[ci] === CARET) {
        negated = true;
        ci++;
      }
      let matched = false;
      let nrange = 0;
      for (;;) {
        if (ci < ce && p[ci] === RBRACKET && nrange > 0) {
          ci++;
          break;
        }
        const lo = getEsc(p, ci, ce);
        if (lo === undefined) return { kind: "bad" };
        ci = lo.next;
        let hi = lo.rune;
        if (p[ci] === DASH) {
          const h = getEsc(p, ci + 1, ce);
          if (h === undefined) return { kind: "bad" };
          ci = h.next;
          hi = h.rune;
        }
        if (lo.rune <= r && r <= hi) matched = true;
        nrange++;
      }
      if (matched === negated) failed = true;
    } else if (c === QUESTION) {
      if (!failed) {
        if (n[si] === SEP) failed = true;
        const [, size] = decodeRune(n, si, n.length);
        si += size;
      }
      ci++;
    } else {
      if (c === BACKSLASH) {
        ci++;
        if (ci >= ce) return { kind: "bad" };
      }
      if (!failed) {
        if (p[ci] !== n[si]) failed = true;
        si++;
      }
      ci++;
    }
  }
  return failed ? { kind: "fail" } : { kind: "ok", rest: si };
}

/** Go's getEsc: one (possibly escaped) class character; undefined for ErrBadPattern. */
function getEsc(p: Uint8Array, ci: number, ce: number): { rune: number; next: number } | undefined {
  if (ci >= ce || p[ci] === DASH || p[ci] === RBRACKET) return undefined;
  if (p[ci] === BACKSLASH) {
    ci++;
    if (ci >= ce) return undefined;
  }
  const [rune, size] = decodeRune(p, ci, ce);
  if (rune === 0xfffd && size === 1) return undefined;
  const next = ci + size;
  if (next >= ce) return undefined;
  return { rune, next };
}
