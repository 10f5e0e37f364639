// Helpers shared by the reporters: where a finding is, how findings group, the docs link of a rule.
import { describeRef } from "../objects.js";
import type { AuditResult, Finding, Location, Severity } from "../types.js";
import { SEVERITIES } from "../types.js";
import { plural } from "../../text/index.js";

/** Where rule documentation lives, relative to the repository root (and online). */
export const DOCS_BASE = "https://github.com/pullwarden/pullwarden/blob/main/docs/audit/";

export function docsUrl(ruleId: string): string {
  return `${DOCS_BASE}${ruleId}.md`;
}

/** `file:line:column` for file objects, `cluster` for live ones, plus the Helm template when known. */
export function whereText(location: Location): string {
  const origin = location.origin;
  if (!origin) return "cluster";
  const line = location.line ?? origin.line;
  const column = location.column !== undefined && location.line !== undefined ? `:${location.column}` : "";
  const template = origin.template ? ` (${origin.template})` : "";
  return `${origin.file}:${line}${column}${template}`;
}

export function objectText(location: Location): string {
  return describeRef(location.object);
}

export interface SeverityGroup {
  readonly severity: Severity;
  readonly namespaces: readonly {
    readonly namespace: string | undefined;
    readonly findings: readonly Finding[];
  }[];
  readonly count: number;
}

/** Findings (suppressed left out unless asked) grouped by severity, then namespace (cluster-scoped last). */
export function groupFindings(result: AuditResult, includeSuppressed = false): SeverityGroup[] {
  const groups: SeverityGroup[] = [];
  for (const severity of SEVERITIES) {
    const findings = result.findings.filter(
      (finding) => finding.severity === severity && (includeSuppressed || !finding.suppressed),
    );
    if (findings.length === 0) continue;
    const byNamespace = new Map<string | undefined, Finding[]>();
    for (const finding of findings) {
      const key = finding.location.object.namespace;
      const list = byNamespace.get(key);
      if (list) list.push(finding);
      else byNamespace.set(key, [finding]);
    }
    groups.push({
      severity,
      count: findings.length,
      namespaces: [...byNamespace].map(([namespace, list]) => ({ namespace, findings: list })),
    });
  }
  return groups;
}

// Kept importable from here for doctor and the CLI's diagnosis renderer; the one copy is text/'s.
export { plural };

export function summaryLine(result: AuditResult): string {
  const { summary } = result;
  const parts = [plural(summary.error, "error"), plural(summary.warning, "warning"), `${summary.info} info`];
  const suppressed = summary.suppressed > 0 ? `; ${summary.suppressed} suppressed` : "";
  return `${parts.join(", ")}${suppressed} (${plural(summary.objects, "object")}, ${plural(summary.containers, "container")} audited)`;
}
