/**
 * Where a value sits in the layout's YAML: JSON-pointer-like paths (ajv's `instancePath`) mapped to the line and
 * column of the YAML node, and field paths printed the way users write them (`registries[2].credential.type`).
 * Also finds the alias behind an anchor bomb, so that error too names a field and a line.
 */
import { LineCounter, isAlias, isMap, isPair, isScalar, isSeq, parseAllDocuments } from "yaml";
import type { Document, Node as YamlNode } from "yaml";
import { parseJsonPointer } from "../kube-model/index.js";

export type PathSegment = string | number;

export interface SourcePosition {
  readonly line: number;
  readonly column: number;
}

/** The field of a problem with the document as a whole (YAML syntax, an empty file). */
export const DOCUMENT_FIELD = "(document)";

/** `registries[2].credential.type`; the empty path is `(document)`. */
export function formatFieldPath(segments: readonly PathSegment[]): string {
  let out = "";
  for (const segment of segments) {
    if (typeof segment === "number") out += `[${segment}]`;
    else out += out === "" ? segment : `.${segment}`;
  }
  return out === "" ? DOCUMENT_FIELD : out;
}

/** ajv `instancePath` (`/registries/2/credential`) to segments; numeric segments become numbers. */
export function parseInstancePath(instancePath: string): PathSegment[] {
  return parseJsonPointer(instancePath).map((segment) =>
    /^(0|[1-9]\d*)$/.test(segment) ? Number(segment) : segment,
  );
}

/** One YAML document of the layout with its positions. */
export class LocatedDocument {
  private constructor(
    private readonly document: Document.Parsed,
    private readonly lineCounter: LineCounter,
  ) {}

  /**
   * The first document with content (what `parseManifestDocuments` returned), parsed again for positions.
   * Callers run `parseManifestDocuments` first, so syntax, nesting and alias expansion are already checked.
   */
  static parse(text: string, documentIndex = 0): LocatedDocument {
    const lineCounter = new LineCounter();
    const documents = parseAllDocuments(text, { lineCounter, uniqueKeys: true, strict: true });
    const list = Array.isArray(documents) ? documents : [documents];
    const document = list[documentIndex] ?? list[0];
    if (!document) throw new Error("no YAML document to locate positions in");
    return new LocatedDocument(document as Document.Parsed, lineCounter);
  }

  private position(offset: number): SourcePosition {
    const { line, col } = this.lineCounter.linePos(offset);
    return { line, column: col };
  }

  private resolve(node: unknown): unknown {
    return isAlias(node) ? node.resolve(this.document) : node;
  }

  /** The node at `segments`, following aliases, or the deepest existing ancestor. */
  private walk(segments: readonly PathSegment[]): { node: unknown; keyNode?: unknown; complete: boolean } {
    let node: unknown = this.document.contents;
    let keyNode: unknown;
    for (const segment of segments) {
      node = this.resolve(node);
      if (isMap(node)) {
        const pair = node.items.find(
          (item) => isScalar(item.key) && String(item.key.value) === String(segment),
        );
        if (!pair) return { node, complete: false };
        keyNode = pair.key;
        node = pair.value;
      } else if (isSeq(node) && typeof segment === "number") {
        const item = node.items[segment];
        if (item === undefined) return { node, complete: false };
        keyNode = undefined;
        node = item;
      } else {
        return { node, complete: false };
      }
    }
    return { node, keyNode, complete: true };
  }

  private rangeStart(node: unknown): number | undefined {
    const range = (node as { range?: [number, number, number] } | null | undefined)?.range;
    return range ? range[0] : undefined;
  }

  /** Position of the value at `segments` (or of its closest existing ancestor). */
  valuePosition(segments: readonly PathSegment[]): SourcePosition {
    const { node } = this.walk(segments);
    const start = this.rangeStart(node) ?? this.rangeStart(this.document.contents) ?? 0;
    return this.position(start);
  }

  /** Position of the key of `segments`' last map entry (for unknown fields), else of its value. */
  keyPosition(segments: readonly PathSegment[]): SourcePosition {
    const found = this.walk(segments);
    const start =
      (found.complete ? this.rangeStart(found.keyNode) : undefined) ?? this.rangeStart(found.node);
    return this.position(start ?? 0);
  }
}

export interface AliasBomb {
  readonly path: PathSegment[];
  readonly position: SourcePosition;
  readonly anchor: string;
  /** Nodes the document would expand to, capped. */
  readonly expandedNodes: number;
}

/**
 * Finds the alias that makes the document expand past `limit` nodes (the first whose expansion crosses it, or
 * else the one that expands most). Counting is memoised and capped, so a billion-laughs document is measured in
 * time linear in its size.
 */
export function findAliasBomb(text: string, limit = 10_000): AliasBomb | undefined {
  const lineCounter = new LineCounter();
  const documents = parseAllDocuments(text, { lineCounter });
  const list = Array.isArray(documents) ? documents : [documents];
  const cap = limit * 1000;
  for (const document of list) {
    const memo = new Map<unknown, number>();
    const visiting = new Set<unknown>();
    const size = (node: unknown): number => {
      const target = isAlias(node) ? node.resolve(document) : node;
      if (target === undefined || target === null) return 1;
      const cached = memo.get(target);
      if (cached !== undefined) return cached;
      if (visiting.has(target)) return cap;
      visiting.add(target);
      let total = 1;
      if (isMap(target) || isSeq(target)) {
        for (const item of (target as { items: unknown[] }).items) {
          total += isPair(item) ? size(item.key) + size(item.value) : size(item);
          if (total >= cap) break;
        }
      }
      visiting.delete(target);
      const capped = Math.min(total, cap);
      memo.set(target, capped);
      return capped;
    };
    let running = 0;
    let worst: AliasBomb | undefined;
    let crossed: AliasBomb | undefined;
    const visit = (node: unknown, path: PathSegment[]): void => {
      if (crossed) return;
      if (isAlias(node)) {
        const expanded = size(node);
        running += expanded;
        const start = (node as YamlNode).range?.[0] ?? 0;
        const { line, col } = lineCounter.linePos(start);
        const found: AliasBomb = {
          path: [...path],
          position: { line, column: col },
          anchor: node.source,
          expandedNodes: Math.min(running, cap),
        };
        if (!worst || expanded > worst.expandedNodes) worst = { ...found, expandedNodes: expanded };
        if (running > limit) crossed = found;
        return;
      }
      running += 1;
      if (isMap(node)) {
        for (const pair of node.items) {
          const key = isScalar(pair.key) ? String(pair.key.value) : "?";
          visit(pair.value, [...path, key]);
          if (crossed) return;
        }
      } else if (isSeq(node)) {
        node.items.forEach((item, index) => visit(item, [...path, index]));
      }
    };
    visit(document.contents, []);
    if (crossed) return crossed;
    if (worst) return worst;
  }
  return undefined;
}
