/**
 * Manifest text to audit objects, through the manifest module's parser (multi-document YAML or JSON, `List`s
 * flattened, alias bombs and deep nesting refused). One bad document does not stop the rest: when the stream
 * fails as a whole, each document is parsed on its own and the broken ones are reported with file and line.
 * Rendered Helm output keeps its `# Source: chart/templates/x.yaml` comments, which name the template.
 */
import { InputError } from "../errors.js";
import { parseManifestDocuments } from "../manifest/index.js";
import type { ManifestDocument } from "../manifest/index.js";
import type { AuditObject, InputProblem } from "./types.js";

export interface LoadedText {
  readonly objects: AuditObject[];
  readonly problems: InputProblem[];
}

interface Chunk {
  readonly text: string;
  /** 0-based line of the chunk's first line in the whole text. */
  readonly lineOffset: number;
  readonly documentIndex: number;
}

/** Splits at `---` document markers at the start of a line (YAML forbids them inside any scalar). */
function splitDocuments(text: string): Chunk[] {
  const chunks: Chunk[] = [];
  const lines = text.split("\n");
  let start = 0;
  let documentIndex = 0;
  let sawContent = false;
  const flush = (end: number) => {
    const body = lines.slice(start, end).join("\n");
    chunks.push({ text: body, lineOffset: start, documentIndex });
    if (/^\s*[^\s#]/m.test(body)) documentIndex++;
  };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? "";
    if (/^---(?:\s|$)/.test(line)) {
      if (sawContent || i > start) flush(i);
      start = i;
      sawContent = false;
    } else if (line.trim() !== "" && !line.startsWith("#")) sawContent = true;
  }
  flush(lines.length);
  return chunks;
}

/** `# Source: …` comments of rendered Helm output, by the line they sit on (1-based). */
function helmSources(text: string): { line: number; template: string }[] {
  if (!text.includes("# Source: ")) return [];
  const out: { line: number; template: string }[] = [];
  text.split("\n").forEach((line, index) => {
    const match = /^# Source: (\S.*)$/.exec(line);
    if (match) out.push({ line: index + 1, template: (match[1] ?? "").trim().slice(0, 300) });
  });
  return out;
}

function problemOf(error: unknown, source: string, lineOffset: number): InputProblem {
  if (error instanceof InputError) {
    const line = error.position?.line !== undefined ? error.position.line + lineOffset : undefined;
    const column = error.position?.column;
    // Messages start with "<source>:<line>:<col>: " or "<source>: "; rebuild them with the real line.
    const detail = error.message
      .replace(/^.*?:\d+:\d+: /, "")
      .replace(new RegExp(`^${escapeRegExp(source)}: `), "");
    const where =
      line !== undefined
        ? `${source}:${line}${column !== undefined ? `:${column}` : ""}`
        : `${source}:${lineOffset + 1}`;
    return {
      severity: "error",
      source,
      line: line ?? lineOffset + 1,
      ...(column !== undefined ? { column } : {}),
      message: `${where}: ${detail}`,
    };
  }
  return {
    severity: "error",
    source,
    line: lineOffset + 1,
    message: `${source}:${lineOffset + 1}: cannot parse this document`,
  };
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

function toObjects(
  documents: readonly ManifestDocument[],
  source: string,
  lineOffset: number,
  documentOffset: number,
  helm: readonly { line: number; template: string }[],
): AuditObject[] {
  const itemCounters = new Map<number, number>();
  const objects: AuditObject[] = [];
  // A document that yields several objects is a List; locate.ts also recognises single-item Lists.
  const perDoc = new Map<number, number>();
  for (const document of documents)
    perDoc.set(document.documentIndex, (perDoc.get(document.documentIndex) ?? 0) + 1);
  for (const document of documents) {
    const documentIndex = document.documentIndex + documentOffset;
    const line = document.line + lineOffset;
    const isItem = (perDoc.get(document.documentIndex) ?? 0) > 1;
    let itemIndex: number | undefined;
    if (isItem) {
      itemIndex = itemCounters.get(documentIndex) ?? 0;
      itemCounters.set(documentIndex, itemIndex + 1);
    }
    let template: string | undefined;
    for (const entry of helm) {
      if (entry.line < line) template = entry.template;
      else break;
    }
    objects.push({
      object: document.object,
      origin: {
        file: source,
        line,
        documentIndex,
        ...(itemIndex !== undefined ? { itemIndex } : {}),
        ...(template !== undefined ? { template } : {}),
      },
    });
  }
  return objects;
}

/**
 * Parses one input. `source` names it in origins and messages (the path as given, or `stdin`). Never throws
 * for bad content: every unusable document becomes an input problem.
 */
export function loadManifestText(text: string, source: string): LoadedText {
  const helm = helmSources(text);
  try {
    const documents = parseManifestDocuments(text, source);
    return { objects: toObjects(documents, source, 0, 0, helm), problems: [] };
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
  }
  const objects: AuditObject[] = [];
  const problems: InputProblem[] = [];
  for (const chunk of splitDocuments(text)) {
    if (!/^\s*[^\s#-]/m.test(chunk.text) && !/^\s*-\s/m.test(chunk.text)) continue;
    try {
      const documents = parseManifestDocuments(chunk.text, source);
      objects.push(...toObjects(documents, source, chunk.lineOffset, chunk.documentIndex, helm));
    } catch (error) {
      problems.push(problemOf(error, source, chunk.lineOffset));
    }
  }
  return { objects, problems };
}
