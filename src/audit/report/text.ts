/**
 * Text report for people: findings grouped by severity, then namespace; each with where it is, the pull path
 * for image findings, and the fix. Colour comes from the caller's painter (plain text when piped or NO_COLOR).
 */
import type { AuditResult, Finding, Severity } from "../types.js";
import { docsUrl, groupFindings, objectText, summaryLine, whereText } from "./shared.js";

/** The CLI's painter (src/cli/output.ts createPaint) fits this shape. */
export interface Painter {
  red(text: string): string;
  yellow(text: string): string;
  dim(text: string): string;
  bold(text: string): string;
}

export const PLAIN: Painter = { red: (t) => t, yellow: (t) => t, dim: (t) => t, bold: (t) => t };

export interface TextOptions {
  readonly paint?: Painter;
  readonly showSuppressed?: boolean;
}

function heading(severity: Severity, count: number, paint: Painter): string {
  const label = `${severity.toUpperCase()} (${count})`;
  if (severity === "error") return paint.bold(paint.red(label));
  if (severity === "warning") return paint.bold(paint.yellow(label));
  return paint.bold(label);
}

function renderFinding(finding: Finding, paint: Painter): string {
  const indent = "    ";
  let out = `${indent}${paint.bold(finding.ruleId)} ${finding.rule}  ${objectText(finding.location)}  ${paint.dim(whereText(finding.location))}\n`;
  out += `${indent}  ${finding.message}\n`;
  if (finding.pullPath && !finding.message.includes(finding.pullPath.summary)) {
    out += `${indent}  ${paint.dim("pull path:")} ${finding.pullPath.summary}\n`;
  }
  out += `${indent}  ${paint.dim("fix:")} ${finding.fix}\n`;
  if (finding.suppressed) {
    out += `${indent}  ${paint.dim(`suppressed (${finding.suppressed.kind}): ${finding.suppressed.reason}${finding.suppressed.until ? `, until ${finding.suppressed.until}` : ""}`)}\n`;
  } else if (finding.expiredSuppression) {
    out += `${indent}  ${paint.yellow(`suppression expired ${finding.expiredSuppression.until ?? ""} (${finding.expiredSuppression.source}): ${finding.expiredSuppression.reason}`)}\n`;
  }
  return out;
}

export function renderText(result: AuditResult, options: TextOptions = {}): string {
  const paint = options.paint ?? PLAIN;
  const groups = groupFindings(result, options.showSuppressed === true);
  let out = "";
  for (const group of groups) {
    out += `${heading(group.severity, group.count, paint)}\n`;
    for (const { namespace, findings } of group.namespaces) {
      out += `  ${namespace === undefined ? "cluster-scoped" : `namespace ${namespace}`}\n`;
      for (const finding of findings) out += renderFinding(finding, paint);
    }
    out += "\n";
  }
  if (groups.length === 0) out += "No findings.\n";
  const ids = [
    ...new Set(result.findings.filter((finding) => !finding.suppressed).map((finding) => finding.ruleId)),
  ].sort();
  out += `${summaryLine(result)}\n`;
  if (ids.length > 0) out += paint.dim(`Rule docs: ${docsUrl("<ID>")} (${ids.join(", ")})\n`);
  return out;
}
