/**
 * Suppression: an annotation on the object (`pullwarden.io/ignore: "PW105 reason=public mirror until=2026-12-31"`,
 * several entries separated by `;` or new lines, several rules by `,`) or an entry of the audit config file.
 * A reason is required; `until=YYYY-MM-DD` makes it lapse after that day (UTC), and the finding returns.
 * Suppressed findings stay in the result, flagged, so reports can show what was waived and why.
 */
import type { GraphObject } from "./graph.js";
import type { Finding, RuleMeta, Suppression, SuppressionRule } from "./types.js";

export const IGNORE_ANNOTATION = "pullwarden.io/ignore";

export const SUPPRESSION_RULE: RuleMeta = {
  id: "PW901",
  name: "suppression-invalid",
  title: "Suppression annotation cannot be used",
  severity: "warning",
  explanation:
    "A pullwarden.io/ignore annotation must name a known rule (id or name, or * for all) and give a reason (reason=...); an optional until=YYYY-MM-DD makes it lapse. An entry without a reason, with an unknown rule or with an unreadable date suppresses nothing, so a waiver nobody can explain does not silently hide a finding.",
  fix: 'Write the annotation as pullwarden.io/ignore: "PW105 reason=why it is acceptable until=2026-12-31".',
  tags: ["suppression"],
};

export interface AnnotationSuppression {
  readonly rules: readonly string[];
  readonly reason: string;
  readonly until?: string;
}

export interface ParsedAnnotation {
  readonly entries: readonly AnnotationSuppression[];
  readonly problems: readonly string[];
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

export function isValidDate(text: string): boolean {
  if (!DATE.test(text)) return false;
  const date = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(text);
}

/** True once the day `until` (inclusive, UTC) is over. */
export function isExpired(until: string | undefined, now: Date): boolean {
  if (until === undefined) return false;
  return now.getTime() >= new Date(`${until}T00:00:00Z`).getTime() + 24 * 3600 * 1000;
}

export function parseIgnoreAnnotation(value: string, known: (rule: string) => boolean): ParsedAnnotation {
  const entries: AnnotationSuppression[] = [];
  const problems: string[] = [];
  for (const raw of value.split(/[;\n]/)) {
    const text = raw.trim();
    if (text === "") continue;
    const head = /^(\S+)\s*(.*)$/.exec(text);
    const rules = (head?.[1] ?? "")
      .split(",")
      .map((rule) => rule.trim())
      .filter(Boolean);
    const rest = head?.[2] ?? "";
    const unknown = rules.filter((rule) => !known(rule));
    if (rules.length === 0 || unknown.length > 0) {
      problems.push(`unknown rule ${JSON.stringify(unknown[0] ?? text.slice(0, 40))}`);
      continue;
    }
    const untilMatch = /(?:^|\s)until=(\S*)/.exec(rest);
    const withoutUntil = untilMatch ? rest.replace(untilMatch[0], " ") : rest;
    const reasonMatch = /(?:^|\s)reason=(.*)$/s.exec(withoutUntil);
    const reason = (reasonMatch?.[1] ?? "")
      .trim()
      .replace(/^["'](.*)["']$/s, "$1")
      .trim();
    if (reason === "") {
      problems.push(`${rules.join(",")}: no reason given (reason=...)`);
      continue;
    }
    const until = untilMatch?.[1];
    if (until !== undefined && !isValidDate(until)) {
      problems.push(
        `${rules.join(",")}: until=${JSON.stringify(until.slice(0, 20))} is not a date (YYYY-MM-DD)`,
      );
      continue;
    }
    entries.push({ rules, reason, ...(until !== undefined ? { until } : {}) });
  }
  return { entries, problems };
}

function globToRegExp(glob: string): RegExp {
  const escaped = glob
    .replace(/[.+^${}()|[\]\\]/g, "\\$&")
    .replace(/\*/g, ".*")
    .replace(/\?/g, ".");
  return new RegExp(`^${escaped}$`);
}

const globCache = new Map<string, RegExp>();
export function globMatch(glob: string, value: string): boolean {
  let re = globCache.get(glob);
  if (!re) {
    re = globToRegExp(glob);
    globCache.set(glob, re);
  }
  return re.test(value);
}

function ruleMatches(selector: string, finding: Finding): boolean {
  return selector === "*" || selector === finding.ruleId || selector === finding.rule;
}

export function configRuleMatches(rule: SuppressionRule, finding: Finding): boolean {
  if (!ruleMatches(rule.rule, finding)) return false;
  const object = finding.location.object;
  if (rule.namespace !== undefined && !globMatch(rule.namespace, object.namespace ?? "")) return false;
  if (rule.kind !== undefined && rule.kind !== object.kind) return false;
  if (rule.name !== undefined && !globMatch(rule.name, object.name)) return false;
  if (rule.image !== undefined && (finding.image === undefined || !globMatch(rule.image, finding.image)))
    return false;
  return true;
}

/** The first annotation or config suppression that applies to the finding, if any. */
export function findSuppression(
  finding: Finding,
  annotations: readonly AnnotationSuppression[],
  config: readonly SuppressionRule[],
): Suppression | undefined {
  for (const entry of annotations) {
    if (entry.rules.some((rule) => ruleMatches(rule, finding))) {
      return {
        kind: "annotation",
        reason: entry.reason,
        ...(entry.until !== undefined ? { until: entry.until } : {}),
        source: IGNORE_ANNOTATION,
      };
    }
  }
  for (const rule of config) {
    if (configRuleMatches(rule, finding)) {
      return {
        kind: "config",
        reason: rule.reason,
        ...(rule.until !== undefined ? { until: rule.until } : {}),
        source: rule.source,
      };
    }
  }
  return undefined;
}

/** Annotation text of an object: its own, plus its pod template's for workloads. */
export function ignoreAnnotations(
  object: GraphObject,
  templateAnnotations?: Readonly<Record<string, string>>,
): string[] {
  const values: string[] = [];
  const own = object.annotations[IGNORE_ANNOTATION];
  if (own !== undefined) values.push(own);
  const template = templateAnnotations?.[IGNORE_ANNOTATION];
  if (template !== undefined) values.push(template);
  return values;
}
