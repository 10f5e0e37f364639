/**
 * A self-contained HTML report (no scripts, no external assets): a summary with counts per severity and per
 * rule, then the findings grouped by severity and namespace, each with its pull path and fix. Everything is
 * escaped; findings never contain secret values in the first place.
 */
import type { AuditResult, Finding, RuleMeta } from "../types.js";
import { SEVERITIES } from "../types.js";
import { docsUrl, groupFindings, objectText, summaryLine, whereText } from "./shared.js";
import type { ToolInfo } from "./json.js";

export function htmlEscape(text: string): string {
  return text
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&#39;");
}

const STYLE = `
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:2rem auto;max-width:72rem;padding:0 1rem;color:#1f2328;background:#fff}
h1{font-size:1.5rem;margin:0 0 .25rem}h2{margin-top:2rem;font-size:1.2rem}h3{font-size:1rem;margin:1.25rem 0 .5rem;color:#57606a}
.muted{color:#57606a}.cards{display:flex;gap:.75rem;margin:1rem 0;flex-wrap:wrap}
.card{border:1px solid #d0d7de;border-radius:6px;padding:.6rem 1rem;min-width:7rem}.card b{display:block;font-size:1.6rem}
.error{border-left:4px solid #cf222e}.warning{border-left:4px solid #bf8700}.info{border-left:4px solid #0969da}.suppressed{border-left:4px solid #8c959f}
.finding{border:1px solid #d0d7de;border-radius:6px;padding:.6rem .9rem;margin:.5rem 0}
.finding header{display:flex;gap:.6rem;flex-wrap:wrap;align-items:baseline}.rule{font-weight:600}
code,.path{font-family:ui-monospace,SFMono-Regular,Menlo,monospace;font-size:12.5px}.path{background:#f6f8fa;border-radius:4px;padding:.2rem .4rem;display:inline-block;margin:.25rem 0}
table{border-collapse:collapse;margin:.5rem 0}td,th{border:1px solid #d0d7de;padding:.3rem .6rem;text-align:left}
.bar{display:inline-block;height:.7rem;background:#0969da;border-radius:2px;vertical-align:middle}
@media (prefers-color-scheme:dark){body{background:#0d1117;color:#e6edf3}.card,.finding,td,th{border-color:#30363d}.path{background:#161b22}.muted,h3{color:#8d96a0}}
`;

function findingHtml(finding: Finding): string {
  const cls = finding.suppressed ? "suppressed" : finding.severity;
  const path = finding.pullPath
    ? `<div>pull path: <span class="path">${htmlEscape(finding.pullPath.summary)}</span></div>`
    : "";
  const suppression = finding.suppressed
    ? `<div class="muted">suppressed (${htmlEscape(finding.suppressed.kind)}): ${htmlEscape(finding.suppressed.reason)}${finding.suppressed.until ? `, until ${htmlEscape(finding.suppressed.until)}` : ""}</div>`
    : finding.expiredSuppression
      ? `<div>suppression expired ${htmlEscape(finding.expiredSuppression.until ?? "")}: ${htmlEscape(finding.expiredSuppression.reason)}</div>`
      : "";
  return `<div class="finding ${cls}"><header><a class="rule" href="${htmlEscape(docsUrl(finding.ruleId))}">${htmlEscape(finding.ruleId)} ${htmlEscape(finding.rule)}</a><span>${htmlEscape(objectText(finding.location))}</span><code class="muted">${htmlEscape(whereText(finding.location))}</code></header>
<div>${htmlEscape(finding.message)}</div>${path}<div><b>Fix:</b> ${htmlEscape(finding.fix)}</div>${suppression}</div>\n`;
}

/**
 * The severities a rule's findings were reported with (a rule may report below or above its default, e.g. PW105
 * on weaker evidence), with counts when mixed and the rule's default when it differs: `warning (default error)`.
 */
function reportedSeverities(rule: RuleMeta, findings: readonly Finding[]): string {
  const counts = SEVERITIES.map(
    (severity) => [severity, findings.filter((finding) => finding.severity === severity).length] as const,
  ).filter(([, count]) => count > 0);
  const shown =
    counts.length === 1
      ? (counts[0]?.[0] ?? "")
      : counts.map(([severity, count]) => `${count} ${severity}`).join(", ");
  const sameAsDefault = counts.length === 1 && counts[0]?.[0] === rule.severity;
  return `${htmlEscape(shown)}${sameAsDefault ? "" : ` <span class="muted">(default ${htmlEscape(rule.severity)})</span>`}`;
}

/** `extraSections`: HTML the caller rendered (escaped there), appended to the body: `audit --cluster`'s coverage matrix. */
export function renderHtml(result: AuditResult, tool: ToolInfo, now: Date, extraSections = ""): string {
  const { summary } = result;
  const perRule = result.rules
    .map((rule) => ({
      rule,
      findings: result.findings.filter((finding) => finding.ruleId === rule.id && !finding.suppressed),
    }))
    .filter((entry) => entry.findings.length > 0);
  const max = Math.max(1, ...perRule.map((entry) => entry.findings.length));
  const ruleRows = perRule
    .map(
      ({ rule, findings }) =>
        `<tr><td><a href="${htmlEscape(docsUrl(rule.id))}">${htmlEscape(rule.id)}</a></td><td>${htmlEscape(rule.title)}</td><td>${reportedSeverities(rule, findings)}</td><td>${findings.length} <span class="bar" style="width:${Math.round((findings.length / max) * 12)}rem"></span></td></tr>`,
    )
    .join("\n");
  let body = "";
  for (const group of groupFindings(result)) {
    body += `<h2>${htmlEscape(group.severity)} (${group.count})</h2>\n`;
    for (const { namespace, findings } of group.namespaces) {
      body += `<h3>${namespace === undefined ? "cluster-scoped" : `namespace ${htmlEscape(namespace)}`}</h3>\n${findings.map(findingHtml).join("")}`;
    }
  }
  const suppressed = result.findings.filter((finding) => finding.suppressed);
  if (suppressed.length > 0)
    body += `<h2>suppressed (${suppressed.length})</h2>\n${suppressed.map(findingHtml).join("")}`;
  const problems =
    result.inputProblems.length > 0
      ? `<h2>input problems (${result.inputProblems.length})</h2>\n<ul>${result.inputProblems.map((problem) => `<li><code>${htmlEscape(problem.message)}</code></li>`).join("")}</ul>\n`
      : "";
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>pullwarden audit</title><style>${STYLE}</style></head>
<body>
<h1>pullwarden audit</h1>
<p class="muted">${htmlEscape(tool.name)} ${htmlEscape(tool.version)} · ${htmlEscape(result.mode === "cluster" ? "live cluster" : "manifest files")} · ${htmlEscape(now.toISOString())}</p>
<div class="cards"><div class="card error"><b>${summary.error}</b>errors</div><div class="card warning"><b>${summary.warning}</b>warnings</div><div class="card info"><b>${summary.info}</b>info</div><div class="card suppressed"><b>${summary.suppressed}</b>suppressed</div><div class="card"><b>${summary.objects}</b>objects</div><div class="card"><b>${summary.containers}</b>containers</div></div>
<p>${htmlEscape(summaryLine(result))}</p>
${ruleRows ? `<table><tr><th>rule</th><th>what</th><th>severity reported</th><th>findings</th></tr>\n${ruleRows}</table>\n` : "<p>No findings.</p>\n"}${problems}${body}${extraSections}</body></html>
`;
}
