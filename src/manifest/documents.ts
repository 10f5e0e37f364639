/**
 * Kubernetes manifests from text: multi-document YAML or JSON (JSON is YAML 1.2), `List` kinds flattened.
 * Duplicate keys, anchors bombs and deep nesting are refused with the line and column of the problem.
 * Only the yaml library's parser is used; nothing is evaluated (no custom tags).
 */
import { LineCounter, parseAllDocuments } from "yaml";
import { InputError } from "../errors.js";

export interface ManifestDocument {
  readonly object: unknown;
  /** 1-based line where the document (or List item) starts. */
  readonly line: number;
  /** Index of the YAML document in the stream, 0-based. */
  readonly documentIndex: number;
}

const MAX_NESTING = 64;

function depthExceeds(value: unknown, limit: number): boolean {
  const stack: Array<[unknown, number]> = [[value, 0]];
  while (stack.length > 0) {
    const [current, depth] = stack.pop() as [unknown, number];
    if (depth > limit) return true;
    if (current && typeof current === "object") {
      for (const child of Object.values(current as Record<string, unknown>)) stack.push([child, depth + 1]);
    }
  }
  return false;
}

/** A quick bracket-depth scan so pathological nesting never reaches the recursive parser. */
function maxBracketDepth(text: string): { depth: number; offset: number } {
  let depth = 0;
  let max = 0;
  let offset = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x5b || c === 0x7b) {
      depth++;
      if (depth > max) {
        max = depth;
        offset = i;
        if (max > MAX_NESTING) break;
      }
    } else if (c === 0x5d || c === 0x7d) depth = Math.max(0, depth - 1);
  }
  return { depth: max, offset };
}

function lineColumnOf(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 0x0a) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

export function parseManifestDocuments(text: string, source: string): ManifestDocument[] {
  const nesting = maxBracketDepth(text);
  if (nesting.depth > MAX_NESTING) {
    const position = lineColumnOf(text, nesting.offset);
    throw new InputError(
      "E_INPUT_TOO_DEEP",
      `${source}:${position.line}:${position.column}: nesting deeper than ${MAX_NESTING} levels`,
      { source, position: { ...position, offset: nesting.offset } },
    );
  }
  const lineCounter = new LineCounter();
  let documents;
  try {
    documents = parseAllDocuments(text, { lineCounter, uniqueKeys: true, prettyErrors: false, strict: true });
  } catch (error) {
    throw new InputError("E_INPUT_SYNTAX", `${source}: cannot parse as YAML or JSON`, {
      source,
      cause: error,
    });
  }
  if (!Array.isArray(documents)) documents = [documents];
  const result: ManifestDocument[] = [];
  documents.forEach((document, documentIndex) => {
    const problem = document.errors[0];
    if (problem) {
      const offset = problem.pos[0];
      const { line, col: column } = lineCounter.linePos(offset);
      // The parser's messages describe structure ("Map keys must be unique"), never values beyond a key name.
      const message = (problem.message.split("\n")[0] ?? "syntax error").replace(
        / at line \d+, column \d+.*$/,
        "",
      );
      throw new InputError("E_INPUT_SYNTAX", `${source}:${line}:${column}: ${message}`, {
        source,
        position: { line, column, offset },
      });
    }
    let object: unknown;
    try {
      object = document.toJS({ maxAliasCount: 100 });
    } catch (error) {
      const reason = error instanceof Error ? error.message.split("\n")[0] : "invalid document";
      throw new InputError("E_INPUT_SYNTAX", `${source}: document ${documentIndex + 1}: ${reason}`, {
        source,
        cause: error,
      });
    }
    if (object === null || object === undefined) return;
    if (depthExceeds(object, MAX_NESTING)) {
      throw new InputError(
        "E_INPUT_TOO_DEEP",
        `${source}: document ${documentIndex + 1} nests deeper than ${MAX_NESTING} levels`,
        { source },
      );
    }
    // The first line of content, not the `---` marker or comments above it.
    const start = document.contents?.range?.[0] ?? document.range[0];
    const line = lineCounter.linePos(start).line;
    if (isList(object)) {
      const items = (object as { items: unknown[] }).items;
      const itemNodes = listItemLines(document, lineCounter);
      items.forEach((item, index) =>
        result.push({ object: item, line: itemNodes[index] ?? line, documentIndex }),
      );
    } else {
      result.push({ object, line, documentIndex });
    }
  });
  return result;
}

function isList(object: unknown): boolean {
  if (typeof object !== "object" || object === null) return false;
  const record = object as Record<string, unknown>;
  return (
    typeof record["kind"] === "string" &&
    (record["kind"] === "List" || (record["kind"] as string).endsWith("List")) &&
    Array.isArray(record["items"])
  );
}

function listItemLines(
  document: ReturnType<typeof parseAllDocuments>[number] extends infer D ? D : never,
  lineCounter: LineCounter,
): number[] {
  const doc = document as unknown as { get(key: string, keepScalar?: boolean): unknown };
  const items = doc.get("items", true) as { items?: Array<{ range?: [number, number, number] }> } | undefined;
  return (items?.items ?? []).map((node) => (node.range ? lineCounter.linePos(node.range[0]).line : 0));
}
