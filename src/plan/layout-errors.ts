import { InputError } from "../errors.js";
import { DOCUMENT_FIELD } from "./yaml-positions.js";

/** One problem in a layout: the field, where it is, what is wrong, and optionally what to do. */
export interface LayoutProblem {
  /** Field path as users write it, e.g. `registries[2].credential.type`. */
  readonly field: string;
  readonly line: number;
  readonly column: number;
  readonly message: string;
  readonly hint?: string;
}

/** `file:line:column: field: what`, the one format of every layout problem (no field for the document's own). */
export function formatProblem(source: string, problem: LayoutProblem): string {
  const where = `${source}:${problem.line}:${problem.column}`;
  return problem.field === DOCUMENT_FIELD
    ? `${where}: ${problem.message}`
    : `${where}: ${problem.field}: ${problem.message}`;
}

/**
 * A layout that cannot be planned. The message is the first problem (`file:line:column: field: what`); all
 * of them are in `problems`, sorted by position. Exit code 3 (invalid input).
 */
export class LayoutError extends InputError {
  readonly problems: readonly LayoutProblem[];

  constructor(source: string, problems: readonly LayoutProblem[]) {
    const sorted = [...problems].sort((a, b) => a.line - b.line || a.column - b.column);
    const first = sorted[0];
    const message = first
      ? formatProblem(source, first) +
        (sorted.length > 1 ? ` (and ${sorted.length - 1} more problem${sorted.length > 2 ? "s" : ""})` : "")
      : `${source}: invalid layout`;
    super("E_LAYOUT_INVALID", message, {
      source,
      position: first ? { line: first.line, column: first.column } : {},
      hint:
        first?.hint ??
        (first?.field === DOCUMENT_FIELD
          ? "fix the YAML at that line; `pullwarden init` writes a commented layout"
          : "fix the field named above; `pullwarden init` writes a commented layout, and schemas/layout.schema.json lets editors complete it"),
    });
    this.problems = sorted;
  }

  /** One problem as `file:line:column: field: what`. */
  describe(problem: LayoutProblem): string {
    return formatProblem(this.source ?? "layout", problem);
  }
}
