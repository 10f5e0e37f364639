// Output of `pullwarden audit`: the report in the chosen format on stdout (the library's reporters), and the
// input problems on stderr.
import type { AuditResult, InputProblem } from "../../../audit/index.js";
import type * as AuditModule from "../../../audit/index.js";
import type { Paint } from "../../output.js";
import { toJson } from "../../output.js";
import type { AuditFlags } from "./definition.js";

export interface RenderContext {
  readonly tool: { readonly name: string; readonly version: string };
  readonly now: Date;
  /** The working directory: SARIF's %SRCROOT%. */
  readonly cwd: string;
  readonly paint: Paint;
  readonly showSuppressed: boolean;
  /** Sections appended to the HTML report (`--cluster`: the namespace × registry coverage matrix). */
  readonly htmlSections?: string;
}

/** The report in `format`; the reporters come from the audit module the run loaded. */
export function renderAuditReport(
  result: AuditResult,
  format: AuditFlags["output"],
  context: RenderContext,
  audit: typeof AuditModule,
): string {
  switch (format) {
    case "json":
      return toJson(audit.buildJsonReport(result, context.tool, context.now));
    case "sarif":
      // %SRCROOT% is the working directory: input paths, relative or absolute, are placed against it.
      return toJson(audit.buildSarif(result, context.tool, { sourceRoot: context.cwd }));
    case "junit":
      return audit.renderJunit(result);
    case "html":
      return audit.renderHtml(result, context.tool, context.now, context.htmlSections);
    case "text":
      return audit.renderText(result, { paint: context.paint, showSuppressed: context.showSuppressed });
  }
}

/** One line per problem with the inputs (`error: ...`, `warning: ...`). */
export function renderInputProblems(problems: readonly InputProblem[]): string {
  return problems.map((problem) => `${problem.severity}: ${problem.message}\n`).join("");
}
