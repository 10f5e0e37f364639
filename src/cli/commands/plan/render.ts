// Output of `pullwarden plan -o DIR` on stderr (the summary without -o is the library's renderPlanSummary).
import { join } from "node:path";

export interface WrittenPlan {
  /** How many files were written. */
  readonly files: number;
  /** The directory, as messages name it. */
  readonly directory: string;
  /** The previous plan output left in place (files appeared in it while it was replaced), as messages name it. */
  readonly kept?: string;
  readonly warnings: readonly string[];
}

export function renderWrittenPlan(written: WrittenPlan): string {
  let out = `wrote ${written.files} files to ${written.directory}; next: read ${join(written.directory, "README.md")} and run the steps in order\n`;
  if (written.kept) {
    out += `warning: kept the previous plan output as ${written.kept}: files appeared in it while it was replaced\n`;
  }
  for (const warning of written.warnings) out += `warning: ${warning}\n`;
  return out;
}
