import { InputError } from "../errors.js";

/** One problem in a layout: the field, where it is, what is wrong, and optionally what to do. */
export interface LayoutProblem {
  /** Field path as users write it, e.g. `registries[2].credential.type`. */
  readonly field: string;
  readonly line: number;
  readonly column: number;
  readonly message: string;
  readonly hint?: string;
}

export function formatProblem(source: string, problem: LayoutProblem): string {
  return `${source}:${problem.line}:${problem.column}: ${problem.field}: ${problem.message}`;
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
        "fix the field named above; `pullwarden init` writes a commented layout, and schemas/layout.schema.json lets editors complete it",
    });
    this.problems = sorted;
  }
}
