/**
 * Line and column of a field inside a manifest file, for findings that point at one (`image:` of a container,
 * an imagePullSecrets entry, a ConfigMap key). The file is parsed once more into a YAML syntax tree (no
 * conversion to objects, so aliases are never expanded), only for files that have findings.
 */
import { LineCounter, isMap, isPair, isScalar, isSeq, parseAllDocuments } from "yaml";
import type { Node } from "yaml";
import type { FieldPath, Finding, Location } from "./types.js";

export interface FieldRequest {
  /** 1-based line where the object starts (ObjectOrigin.line). */
  readonly line: number;
  readonly field: FieldPath;
}

export interface FieldPosition {
  readonly line: number;
  readonly column: number;
}

type AnyNode = Node | null | undefined;

function startOf(node: { range?: readonly number[] | null } | null | undefined): number | undefined {
  return node?.range?.[0];
}

/** The node of the object that starts at `line`: a document's root, or an item of a List document. */
function objectAt(roots: readonly AnyNode[], lineOf: (offset: number) => number, line: number): AnyNode {
  let best: AnyNode;
  for (const root of roots) {
    const start = startOf(root);
    if (start === undefined) continue;
    if (lineOf(start) > line) break;
    best = root;
  }
  if (best && isMap(best)) {
    const items = best.get("items", true);
    if (isSeq(items)) {
      for (const item of items.items as AnyNode[]) {
        const start = startOf(item);
        if (start !== undefined && lineOf(start) === line) return item;
      }
    }
  }
  return best;
}

function walk(root: AnyNode, field: FieldPath): number | undefined {
  let node: AnyNode = root;
  let position = startOf(node);
  for (const step of field) {
    if (typeof step === "number") {
      if (!isSeq(node)) break;
      const next = node.items[step] as AnyNode;
      if (!next) break;
      node = next;
      position = startOf(node) ?? position;
    } else {
      if (!isMap(node)) break;
      const pair = node.items.find((item) => isPair(item) && isScalar(item.key) && item.key.value === step);
      if (!pair) break;
      position = startOf(pair.key as AnyNode) ?? position;
      node = pair.value as AnyNode;
    }
  }
  return position;
}

/** Indentation of a line, or -1 for blank and comment-only lines (and lines with tabs, which stop the fast path). */
function indentOf(line: string): number {
  let i = 0;
  while (i < line.length && line.charCodeAt(i) === 0x20) i++;
  if (i === line.length || line[i] === "#") return -1;
  return line[i] === "\t" ? -2 : i;
}

const KEY = /^([A-Za-z0-9_./-]+|"[^"\\]*"|'[^']*'):(?:\s|$)/;

function keyAt(line: string, column: number): string | undefined {
  const match = KEY.exec(line.slice(column));
  if (!match) return undefined;
  const key = match[1] as string;
  return key.startsWith('"') || key.startsWith("'") ? key.slice(1, -1) : key;
}

/**
 * The common case without a YAML parser: block-style manifests (kubectl, Helm and kustomize all print them),
 * walked by indentation. Returns "fallback" at anything unusual on the path (flow collections, tabs, anchors,
 * tags, odd keys), so the caller parses that document properly.
 */
function fastLocate(
  lines: readonly string[],
  first: number,
  end: number,
  field: FieldPath,
): FieldPosition | "fallback" {
  // The object's own block: its first line and every following line indented at least as much.
  const line = first;
  let indent = indentOf(lines[line] ?? "");
  if (indent < 0) return "fallback";
  const text = lines[line] ?? "";
  if (text.startsWith("- ", indent)) indent += 2; // a List item: "- apiVersion: v1"
  let position: FieldPosition = { line: line + 1, column: indent + 1 };
  let blockEnd = end;
  for (let k = first + 1; k < end; k++) {
    const own = indentOf(lines[k] ?? "");
    if (own === -2) return "fallback";
    if (own >= 0 && own < indent) {
      blockEnd = k;
      break;
    }
  }
  let blockStart = line;
  for (let step = 0; step < field.length; step++) {
    const wanted = field[step];
    if (typeof wanted === "string") {
      // A key at exactly `indent` within [blockStart, blockEnd).
      let found = -1;
      for (let k = blockStart; k < blockEnd; k++) {
        const row = lines[k] ?? "";
        const own =
          k === blockStart && row.startsWith("- ", indent - 2) && indentOf(row) === indent - 2
            ? indent
            : indentOf(row);
        if (own !== indent) continue;
        if (keyAt(row, indent) === wanted) {
          found = k;
          break;
        }
      }
      if (found < 0) return "fallback";
      position = { line: found + 1, column: indent + 1 };
      if (step === field.length - 1) return position;
      const row = lines[found] ?? "";
      const rest = row.slice(indent + (KEY.exec(row.slice(indent))?.[0].length ?? 0)).trim();
      if (rest !== "" && !rest.startsWith("#")) return "fallback"; // an inline (flow or scalar) value on the path
      // The value's block: following lines indented deeper, or "- " items at the same indentation.
      let next = found + 1;
      while (next < blockEnd && indentOf(lines[next] ?? "") === -1) next++;
      if (next >= blockEnd) return "fallback";
      const valueIndent = indentOf(lines[next] ?? "");
      const compactSequence = valueIndent === indent && (lines[next] ?? "").startsWith("- ", indent);
      if (valueIndent < 0 || (valueIndent <= indent && !compactSequence)) return "fallback";
      let valueEnd = blockEnd;
      for (let k = next + 1; k < blockEnd; k++) {
        const own = indentOf(lines[k] ?? "");
        if (own < 0) continue;
        if (
          own < valueIndent ||
          (own === indent && !compactSequence) ||
          (compactSequence && own === indent && !(lines[k] ?? "").startsWith("- ", indent))
        ) {
          valueEnd = k;
          break;
        }
      }
      blockStart = next;
      blockEnd = valueEnd;
      indent = valueIndent;
    } else {
      // The n-th "- " item at `indent`.
      let seen = -1;
      let found = -1;
      for (let k = blockStart; k < blockEnd; k++) {
        const row = lines[k] ?? "";
        if (indentOf(row) !== indent) continue;
        if (!row.startsWith("- ", indent) && row.slice(indent) !== "-") return "fallback";
        seen++;
        if (seen === wanted) {
          found = k;
          break;
        }
      }
      if (found < 0) return "fallback";
      const row = lines[found] ?? "";
      // Like the syntax tree, an item's position is where its content starts, after "- ".
      const content = row.length - row.slice(indent + 1).trimStart().length;
      position = { line: found + 1, column: content + 1 };
      if (step === field.length - 1) return row.slice(indent + 1).trim() === "" ? "fallback" : position;
      if (row.slice(indent + 2).trim() === "" || /^[[{&!|>]/.test(row.slice(indent + 2))) return "fallback";
      let itemEnd = blockEnd;
      for (let k = found + 1; k < blockEnd; k++) {
        const own = indentOf(lines[k] ?? "");
        if (own >= 0 && own <= indent) {
          itemEnd = k;
          break;
        }
      }
      blockStart = found;
      blockEnd = itemEnd;
      indent += 2;
    }
  }
  return position;
}

/** 0-based line numbers where documents start (`---` markers), plus 0. */
function documentStarts(lines: readonly string[]): number[] {
  const starts = [0];
  lines.forEach((line, index) => {
    if (index > 0 && /^---(?:\s|$)/.test(line)) starts.push(index);
  });
  return starts;
}

/**
 * Positions of the requested fields in `text`; undefined where the file cannot be read again. Only the
 * documents that hold a requested object are parsed again, so a finding in a 2 MB install file costs one
 * document, not the whole file.
 */
export function locateFields(
  text: string,
  requests: readonly FieldRequest[],
  options: { readonly fast?: boolean } = {},
): (FieldPosition | undefined)[] {
  const lines = text.split("\n");
  const starts = documentStarts(lines);
  const chunks = new Map<number, { roots: AnyNode[]; lineCounter: LineCounter } | null>();
  const chunkOf = (line: number): { index: number; first: number } => {
    // The last document start at or before the (0-based) line.
    let low = 0;
    let high = starts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if ((starts[mid] ?? 0) <= line) low = mid;
      else high = mid - 1;
    }
    return { index: low, first: starts[low] ?? 0 };
  };
  return requests.map((request) => {
    const { index, first } = chunkOf(request.line - 1);
    if (request.field.length > 0 && options.fast !== false) {
      const quick = fastLocate(lines, request.line - 1, starts[index + 1] ?? lines.length, request.field);
      if (quick !== "fallback") return quick;
    }
    let parsed = chunks.get(index);
    if (parsed === undefined) {
      const end = starts[index + 1] ?? lines.length;
      const lineCounter = new LineCounter();
      try {
        const roots = parseAllDocuments(lines.slice(first, end).join("\n"), {
          lineCounter,
          uniqueKeys: false,
        });
        parsed = Array.isArray(roots)
          ? { roots: roots.map((document) => document.contents as AnyNode), lineCounter }
          : null;
      } catch {
        parsed = null;
      }
      chunks.set(index, parsed);
    }
    if (!parsed) return undefined;
    const { roots, lineCounter } = parsed;
    try {
      const lineOf = (offset: number) => lineCounter.linePos(offset).line + first;
      const object = objectAt(roots, lineOf, request.line);
      if (!object) return undefined;
      const offset = walk(object, request.field);
      if (offset === undefined) return undefined;
      const { line, col } = lineCounter.linePos(offset);
      return { line: line + first, column: col };
    } catch {
      return undefined;
    }
  });
}

/**
 * Fills in `line`/`column` of every finding location (and related location) read from a file whose text
 * `textOf` returns. Locations without a field keep the object's own line.
 */
export function locateFindings(
  findings: readonly Finding[],
  textOf: (file: string) => string | undefined,
): Finding[] {
  const byFile = new Map<string, Location[]>();
  const collect = (location: Location) => {
    if (!location.origin) return;
    const list = byFile.get(location.origin.file);
    if (list) list.push(location);
    else byFile.set(location.origin.file, [location]);
  };
  for (const finding of findings) {
    collect(finding.location);
    finding.related?.forEach(collect);
  }
  const resolved = new Map<Location, FieldPosition>();
  for (const [file, locations] of byFile) {
    const text = textOf(file);
    if (text === undefined) continue;
    const withField = locations.filter((location) => location.field && location.origin);
    const positions = locateFields(
      text,
      withField.map((location) => ({ line: location.origin?.line ?? 1, field: location.field ?? [] })),
    );
    withField.forEach((location, index) => {
      const position = positions[index];
      if (position) resolved.set(location, position);
    });
  }
  const place = (location: Location): Location => {
    const position = resolved.get(location);
    if (position) return { ...location, line: position.line, column: position.column };
    return location.origin ? { ...location, line: location.origin.line } : location;
  };
  return findings.map((finding) => ({
    ...finding,
    location: place(finding.location),
    ...(finding.related ? { related: finding.related.map(place) } : {}),
  }));
}
