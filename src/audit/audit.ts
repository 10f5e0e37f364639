/**
 * `audit(objects, options) -> AuditResult`: pure. Builds the graph, runs every rule, applies suppressions,
 * sorts. No I/O, no clock but `options.now`, never throws on odd input (odd objects become input problems).
 */
import { buildGraph } from "./graph.js";
import type { GraphObject } from "./graph.js";
import { RuleContext, resolveOptions } from "./context.js";
import { refKey } from "./objects.js";
import { RULES, RULE_CATALOG, findRule } from "./rules/index.js";
import {
  IGNORE_ANNOTATION,
  SUPPRESSION_RULE,
  findSuppression,
  ignoreAnnotations,
  isExpired,
  parseIgnoreAnnotation,
} from "./suppress.js";
import type { AnnotationSuppression } from "./suppress.js";
import type { AuditObject, AuditOptions, AuditResult, Finding, RuleMeta } from "./types.js";
import { SEVERITY_RANK } from "./types.js";

function known(rule: string): boolean {
  return rule === "*" || findRule(rule) !== undefined;
}

export function audit(objects: readonly AuditObject[], options: AuditOptions): AuditResult {
  const resolved = resolveOptions(options);
  const graph = buildGraph(objects, { mode: resolved.mode, defaultNamespace: resolved.defaultNamespace });
  const context = new RuleContext(graph, resolved);
  const disabled = new Set(
    (options.disabledRules ?? []).map((rule) => findRule(rule)?.id ?? rule.trim().toUpperCase()),
  );
  const ran: RuleMeta[] = [];
  for (const rule of RULES) {
    if (disabled.has(rule.meta.id)) continue;
    if (rule.meta.liveOnly && resolved.mode !== "cluster") continue;
    ran.push(rule.meta);
    rule.check(context);
  }

  // Annotation suppressions per object (workloads also read their pod template's annotations).
  const templateAnnotations = new Map<GraphObject, Readonly<Record<string, string>>>();
  for (const pod of graph.podSources) templateAnnotations.set(pod.owner, pod.templateAnnotations);
  const byRef = new Map<string, AnnotationSuppression[]>();
  const checkSuppressions = !disabled.has(SUPPRESSION_RULE.id);
  for (const object of graph.objects) {
    const values = ignoreAnnotations(object, templateAnnotations.get(object));
    if (values.length === 0) continue;
    const entries: AnnotationSuppression[] = [];
    for (const value of values) {
      const parsed = parseIgnoreAnnotation(value, known);
      entries.push(...parsed.entries);
      if (!checkSuppressions) continue;
      for (const problem of parsed.problems) {
        context.report(SUPPRESSION_RULE, {
          message: `${IGNORE_ANNOTATION}: ${problem}; this entry suppresses nothing`,
          object,
          field: ["metadata", "annotations", IGNORE_ANNOTATION],
          subject: problem,
        });
      }
    }
    byRef.set(refKey(object.ref), entries);
  }
  if (checkSuppressions) ran.push(SUPPRESSION_RULE);

  const config = options.suppressions ?? [];
  const findings: Finding[] = context.findings.map((finding) => {
    if (finding.ruleId === SUPPRESSION_RULE.id) return finding;
    const suppression = findSuppression(finding, byRef.get(refKey(finding.location.object)) ?? [], config);
    if (!suppression) return finding;
    return isExpired(suppression.until, resolved.now)
      ? { ...finding, expiredSuppression: suppression }
      : { ...finding, suppressed: suppression };
  });
  findings.sort(compareFindings);

  const active = findings.filter((finding) => !finding.suppressed);
  const summary = {
    error: active.filter((finding) => finding.severity === "error").length,
    warning: active.filter((finding) => finding.severity === "warning").length,
    info: active.filter((finding) => finding.severity === "info").length,
    suppressed: findings.length - active.length,
    objects: graph.objects.length,
    containers: context.containers().length,
  };
  return {
    findings,
    summary,
    rules: RULE_CATALOG.filter((meta) => ran.includes(meta)),
    inputProblems: graph.inputProblems,
    mode: resolved.mode,
  };
}

function compareStrings(a: string | undefined, b: string | undefined): number {
  const x = a ?? "";
  const y = b ?? "";
  return x < y ? -1 : x > y ? 1 : 0;
}

/** Severity, namespace (cluster-scoped last), kind, name, rule, message. */
export function compareFindings(a: Finding, b: Finding): number {
  const sa = SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity];
  if (sa !== 0) return sa;
  const na = a.location.object.namespace;
  const nb = b.location.object.namespace;
  if (na === undefined && nb !== undefined) return 1;
  if (nb === undefined && na !== undefined) return -1;
  return (
    compareStrings(na, nb) ||
    compareStrings(a.location.object.kind, b.location.object.kind) ||
    compareStrings(a.location.object.name, b.location.object.name) ||
    compareStrings(a.ruleId, b.ruleId) ||
    compareStrings(a.message, b.message)
  );
}
