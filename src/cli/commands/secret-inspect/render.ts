/**
 * Text rendering of an inspect report for terminals and logs (`secret inspect`; `secret match` shows entries the
 * same way). Colour only on a TTY without NO_COLOR. The JSON form (`-o json`) is the report itself.
 */
import type { GitHubTokenReport } from "../../../cloud/github/token-scopes.js";
import type { InspectProblem, InspectReport, InspectedEntry } from "../../../inspect/index.js";
import { registryLabel } from "../../../inspect/index.js";
import { plural } from "../../../text/index.js";
import type { Paint } from "../../output.js";

/** Where an entry is in the report: `sourceIndex/entryIndex` (the report keeps the sources' order). */
export function entryId(sourceIndex: number, entryIndex: number): string {
  return `${sourceIndex}/${entryIndex}`;
}

/** What a problem line shows: an inspect problem, or a finding of the GitHub API probe. */
type ShownProblem = Pick<InspectProblem, "severity" | "message" | "position" | "fix"> & { code: string };

export function severityTag(severity: InspectProblem["severity"], paint: Paint): string {
  if (severity === "error") return paint.red("error  ");
  if (severity === "warning") return paint.yellow("warning");
  return paint.dim("info   ");
}

function formatExpiry(expiresAt: Date | undefined, now: Date): string {
  if (!expiresAt) return "not recorded in the credential";
  const ms = expiresAt.getTime() - now.getTime();
  const hours = Math.abs(ms) / 3_600_000;
  const span =
    hours >= 48
      ? `${Math.round(hours / 24)} days`
      : hours >= 1
        ? `${hours.toFixed(1)} h`
        : `${Math.round(hours * 60)} min`;
  return `${expiresAt.toISOString()} (${ms >= 0 ? `in ${span}` : `${span} ago`})`;
}

/** `showLine`: positions point into the file itself (raw configs), not into a Secret's decoded payload. */
export function renderProblem(problem: ShownProblem, paint: Paint, indent: string, showLine = false): string {
  const where = showLine && problem.position?.line ? ` (line ${problem.position.line})` : "";
  const fix = problem.fix ? `${indent}        ${paint.dim("fix:")} ${problem.fix}\n` : "";
  return `${indent}${severityTag(problem.severity, paint)} ${problem.code}: ${problem.message}${where}\n${fix}`;
}

export function renderEntry(
  entry: InspectedEntry,
  now: Date,
  paint: Paint,
  indent = "  ",
  showLine = false,
  githubToken?: GitHubTokenReport,
): string {
  const inner = `${indent}  `;
  let out = `${indent}${paint.bold(entry.key)}\n`;
  out += `${inner}kubelet key: ${entry.coverage?.normalizedKey ?? "(kubelet cannot parse this key)"}\n`;
  if (entry.coverage) out += `${inner}matches:     ${entry.coverage.description}\n`;
  out += `${inner}registry:    ${registryLabel(entry.registry)}\n`;
  if (entry.credential) {
    const { credential } = entry;
    out += `${inner}username:    ${credential.username || "(empty)"}\n`;
    out += `${inner}password:    ${credential.password || "(empty)"}\n`;
    out += `${inner}credential:  ${credential.token.label}\n`;
    out += `${inner}expires:     ${formatExpiry(credential.token.expiresAt, now)}\n`;
    out += `${inner}pull:        ${credential.acceptance.verdict}: ${credential.acceptance.reason}\n`;
  } else {
    out += `${inner}credential:  none kubelet can use\n`;
  }
  for (const problem of entry.problems) out += renderProblem(problem, paint, inner, showLine);
  if (githubToken) {
    const scopes = githubToken.scopes ? githubToken.scopes.join(", ") || "none" : "not listed";
    const expiry = githubToken.expiresAt ? `, expires ${formatExpiry(githubToken.expiresAt, now)}` : "";
    out += `${inner}github api:  scopes ${scopes}${expiry}\n`;
    for (const finding of githubToken.findings) out += renderProblem(finding, paint, inner);
  }
  return out;
}

/** `githubTokens`: `secret inspect --probe`'s findings by entry (`sourceIndex/entryIndex`), counted in the summary. */
export function renderInspectReport(
  report: InspectReport,
  now: Date,
  paint: Paint,
  githubTokens?: ReadonlyMap<string, GitHubTokenReport>,
): string {
  let out = "";
  for (const [sourceIndex, source] of report.sources.entries()) {
    const type = source.secret ? `  ${paint.dim(source.secret.type)}` : `  ${paint.dim(source.format)}`;
    out += `${paint.bold(source.label)}${type}\n`;
    const showLine = source.secret === undefined;
    for (const problem of source.problems) out += renderProblem(problem, paint, "  ", showLine);
    if (source.entries.length === 0) out += "  (no registry entries)\n";
    for (const [entryIndex, entry] of source.entries.entries()) {
      const probe = githubTokens?.get(entryId(sourceIndex, entryIndex));
      out += renderEntry(entry, now, paint, "  ", showLine, probe);
    }
    out += "\n";
  }
  const { errors, warnings, infos, entries } = summaryWithGitHubTokens(report, githubTokens);
  out += `${report.sources.length} source(s), ${plural(entries, "entry", "entries")}: ${errors} error(s), ${warnings} warning(s), ${infos} info\n`;
  return out;
}

/** The report's counts, with the GitHub API probe's findings counted by severity. */
export function summaryWithGitHubTokens(
  report: InspectReport,
  githubTokens: ReadonlyMap<string, GitHubTokenReport> | undefined,
): InspectReport["summary"] {
  const found = [...(githubTokens?.values() ?? [])].flatMap((probe) => probe.findings);
  const count = (severity: string) => found.filter((finding) => finding.severity === severity).length;
  return {
    entries: report.summary.entries,
    errors: report.summary.errors + count("error"),
    warnings: report.summary.warnings + count("warning"),
    infos: report.summary.infos + count("info"),
  };
}
