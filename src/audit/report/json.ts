/**
 * The JSON report (`-o json`): a stable, documented shape (docs/audit/README.md). Findings keep the audit's
 * order; suppressed ones are included with their suppression so a CI job can see what was waived.
 */
import type { AuditResult, Finding, Location } from "../types.js";

export const REPORT_API_VERSION = "pullwarden.io/v1alpha1";

export interface ToolInfo {
  readonly name: string;
  readonly version: string;
}

function locationJson(location: Location): Record<string, unknown> {
  const origin = location.origin;
  return {
    kind: location.object.kind,
    ...(location.object.namespace !== undefined ? { namespace: location.object.namespace } : {}),
    name: location.object.name,
    ...(origin
      ? {
          file: origin.file,
          line: location.line ?? origin.line,
          ...(location.column !== undefined ? { column: location.column } : {}),
          ...(origin.template ? { template: origin.template } : {}),
        }
      : {}),
    ...(location.field ? { field: location.field.join(".") } : {}),
  };
}

function findingJson(finding: Finding): Record<string, unknown> {
  return {
    ruleId: finding.ruleId,
    rule: finding.rule,
    severity: finding.severity,
    message: finding.message,
    fix: finding.fix,
    location: locationJson(finding.location),
    ...(finding.image !== undefined ? { image: finding.image } : {}),
    ...(finding.pullPath ? { pullPath: finding.pullPath } : {}),
    ...(finding.related ? { related: finding.related.map(locationJson) } : {}),
    fingerprint: finding.fingerprint,
    ...(finding.suppressed ? { suppressed: finding.suppressed } : {}),
    ...(finding.expiredSuppression ? { expiredSuppression: finding.expiredSuppression } : {}),
    ...(finding.properties ? { properties: finding.properties } : {}),
  };
}

export function buildJsonReport(result: AuditResult, tool: ToolInfo, now: Date): Record<string, unknown> {
  return {
    apiVersion: REPORT_API_VERSION,
    kind: "AuditReport",
    tool,
    generatedAt: now.toISOString(),
    mode: result.mode,
    summary: result.summary,
    inputProblems: result.inputProblems,
    findings: result.findings.map(findingJson),
    rules: result.rules.map((rule) => ({
      id: rule.id,
      name: rule.name,
      severity: rule.severity,
      title: rule.title,
    })),
  };
}
