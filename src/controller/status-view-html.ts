/**
 * `pullwarden status -o html` (pure): one self-contained page — inline CSS and SVG, no script, no external
 * resource — with the expiry timeline of every credential (now, last refresh, next refresh, expiry, failures)
 * on one time axis, the namespace × registry coverage matrix, and the credential and binding tables with their
 * reasons. Everything is escaped; the view holds no secret in the first place.
 */
import { htmlEscape } from "../audit/report/html.js";
import type { CredentialView, StatusView } from "./status-view.js";
import type { CoverageMatrix, CoverageMethod } from "./status-view-coverage.js";
import { timeText } from "./status-view-text.js";

/** The matrix's own styles, also carried by `audit --cluster -o html`'s page. */
const MATRIX_STYLE = `
.matrix th.reg{writing-mode:vertical-rl;transform:rotate(180deg);font-weight:500;white-space:nowrap}
.matrix td.cell{text-align:center;min-width:2.2rem}
.controller{background:#dafbe1}.apply{background:#ddf4ff}.foreign{background:#fff8c5}.none{background:#ffebe9}
.legend span{display:inline-block;padding:.1rem .5rem;margin-right:.4rem;border:1px solid #d0d7de;border-radius:4px}
`;

const STYLE = `${MATRIX_STYLE}
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:2rem auto;max-width:80rem;padding:0 1rem;color:#1f2328;background:#fff}
h1{font-size:1.5rem;margin:0 0 .25rem}h2{margin-top:2rem;font-size:1.2rem}.muted{color:#57606a}
table{border-collapse:collapse;margin:.5rem 0}td,th{border:1px solid #d0d7de;padding:.3rem .6rem;text-align:left;vertical-align:top}
code{font-family:ui-monospace,SFMono-Regular,Menlo,monospace;font-size:12.5px}
.good{color:#1a7f37;font-weight:600}.bad{color:#cf222e;font-weight:600}.unknown{color:#9a6700}
.notes{margin:.2rem 0 0 1rem;padding:0}.notes li{color:#57606a}
svg text{font:12px system-ui,sans-serif;fill:#1f2328}svg .axis{stroke:#8c959f}svg .now{stroke:#0969da;stroke-dasharray:4 3}
`;

const SYMBOL: Readonly<Record<CoverageMethod, string>> = {
  controller: "C",
  apply: "A",
  foreign: "F",
  none: "✕",
};
const METHOD_NAME: Readonly<Record<CoverageMethod, string>> = {
  controller: "controller binding",
  apply: "pullwarden apply secret",
  foreign: "someone else's Secret",
  none: "nothing",
};

const LABEL_WIDTH = 170;
const PLOT_WIDTH = 720;
const ROW_HEIGHT = 34;
const HOUR = 3_600_000;
const MIN_SPAN = 60_000;

const ms = (iso: string | undefined): number | undefined => {
  const t = iso === undefined ? NaN : Date.parse(iso);
  return Number.isNaN(t) ? undefined : t;
};

function axisLabel(t: number, span: number): string {
  const iso = new Date(t).toISOString();
  return span > 2 * 24 * HOUR
    ? iso.slice(5, 16).replace("T", " ")
    : iso.slice(11, span > 10 * 60_000 ? 16 : 19);
}

/** The time axis every row shares: from the earliest to the latest moment shown, now included, padded. */
function timeRange(credentials: readonly CredentialView[], now: number): [number, number] {
  const times = credentials.flatMap((c) =>
    [c.lastRefreshTime, c.nextRefreshTime, c.expiresAt, ...c.failures.map((f) => f.at)].flatMap((iso) => {
      const t = ms(iso);
      return t === undefined ? [] : [t];
    }),
  );
  let start = Math.min(now, ...times);
  let end = Math.max(now, ...times);
  // At least a minute, centred on what there is: lifetimes of seconds (tests, tight policies) stay readable.
  const short = MIN_SPAN - (end - start);
  if (short > 0) {
    start -= short / 2;
    end += short / 2;
  }
  const pad = (end - start) * 0.04;
  return [start - pad, end + pad];
}

export function timelineSvg(credentials: readonly CredentialView[], generatedAt: string): string {
  const now = Date.parse(generatedAt);
  const [start, end] = timeRange(credentials, now);
  const x = (t: number): number => LABEL_WIDTH + ((t - start) / (end - start)) * PLOT_WIDTH;
  const height = credentials.length * ROW_HEIGHT + 40;
  const parts: string[] = [];
  const ticks = 6;
  for (let i = 0; i <= ticks; i++) {
    const t = start + ((end - start) * i) / ticks;
    parts.push(
      `<line class="axis" x1="${x(t).toFixed(1)}" y1="${height - 22}" x2="${x(t).toFixed(1)}" y2="${height - 17}"/><text x="${x(t).toFixed(1)}" y="${height - 4}" text-anchor="middle">${htmlEscape(axisLabel(t, end - start))}</text>`,
    );
  }
  parts.push(
    `<line class="axis" x1="${LABEL_WIDTH}" y1="${height - 22}" x2="${LABEL_WIDTH + PLOT_WIDTH}" y2="${height - 22}"/>`,
  );
  credentials.forEach((c, row) => {
    const y = row * ROW_HEIGHT + 10;
    const mid = y + 9;
    parts.push(`<text x="4" y="${mid + 4}">${htmlEscape(c.name)}</text>`);
    const from = ms(c.lastRefreshTime);
    const expires = ms(c.expiresAt);
    const expired = expires !== undefined && expires <= now;
    const colour =
      c.ready?.status !== "True" || expired
        ? "#cf222e"
        : c.expiringSoon?.status === "True"
          ? "#bf8700"
          : "#2da44e";
    if (from !== undefined || expires !== undefined) {
      const a = x(from ?? start);
      const b = x(expires ?? end);
      const what = `${c.name}: served since ${c.lastRefreshTime ?? "unknown"}, ${c.expiresAt ? `expires ${c.expiresAt}` : "no known expiry"}`;
      parts.push(
        `<rect x="${a.toFixed(1)}" y="${y}" width="${Math.max(2, b - a).toFixed(1)}" height="18" rx="3" fill="${colour}" fill-opacity="${expires === undefined ? "0.35" : "0.8"}"><title>${htmlEscape(what)}</title></rect>`,
      );
      if (expires !== undefined)
        parts.push(
          `<line x1="${b.toFixed(1)}" y1="${y - 3}" x2="${b.toFixed(1)}" y2="${y + 21}" stroke="#cf222e" stroke-width="2"><title>${htmlEscape(`expires ${c.expiresAt ?? ""}`)}</title></line>`,
        );
    } else {
      parts.push(`<text x="${LABEL_WIDTH + 4}" y="${mid + 4}" class="muted">no credential served</text>`);
    }
    const next = ms(c.nextRefreshTime);
    if (next !== undefined) {
      const nx = x(next);
      parts.push(
        `<path d="M${nx.toFixed(1)} ${y - 2}l6 11l-6 11l-6 -11z" fill="#0969da" stroke="#fff"><title>${htmlEscape(`next refresh ${c.nextRefreshTime ?? ""}`)}</title></path>`,
      );
    }
    for (const failure of c.failures) {
      const t = ms(failure.at);
      if (t === undefined) continue;
      parts.push(
        `<circle cx="${x(t).toFixed(1)}" cy="${mid}" r="6" fill="#fff" stroke="#cf222e" stroke-width="3"><title>${htmlEscape(`${failure.at} ${failure.condition} ${failure.reason}: ${failure.message}`)}</title></circle>`,
      );
    }
  });
  const nx = x(now).toFixed(1);
  parts.push(
    `<line class="now" x1="${nx}" y1="0" x2="${nx}" y2="${height - 22}"><title>now ${htmlEscape(generatedAt)}</title></line><text x="${nx}" y="${height - 26}" text-anchor="middle" fill="#0969da">now</text>`,
  );
  return `<svg role="img" aria-label="credential expiry timeline" width="${LABEL_WIDTH + PLOT_WIDTH + 40}" height="${height}" viewBox="0 0 ${LABEL_WIDTH + PLOT_WIDTH + 40} ${height}">${parts.join("")}</svg>`;
}

/** The coverage matrix as an HTML table (also used by `audit --cluster -o html`). */
export function coverageMatrixHtml(coverage: CoverageMatrix): string {
  if (coverage.registries.length === 0)
    return `<p class="muted">No registry is served by a credential or held by a Secret.</p>`;
  const legend = (Object.keys(SYMBOL) as CoverageMethod[])
    .map(
      (m) => `<span class="${m}">${SYMBOL[m]} ${htmlEscape(METHOD_NAME[m])} (${coverage.totals[m]})</span>`,
    )
    .join("");
  const head = coverage.registries.map((r) => `<th class="reg">${htmlEscape(r)}</th>`).join("");
  const rows = coverage.rows
    .map(
      (row) =>
        `<tr><th>${htmlEscape(row.namespace)}</th>${row.cells
          .map(
            (cell, i) =>
              `<td class="cell ${cell.method}" title="${htmlEscape(`${row.namespace} × ${coverage.registries[i] ?? ""}: ${METHOD_NAME[cell.method]} — ${cell.detail}`)}">${SYMBOL[cell.method]}</td>`,
          )
          .join("")}</tr>`,
    )
    .join("\n");
  return `<p class="legend">${legend}</p>\n<table class="matrix"><tr><th>namespace</th>${head}</tr>\n${rows}</table>`;
}

/** The matrix as a section of another page (audit's), with its styles. */
export function coverageSectionHtml(coverage: CoverageMatrix): string {
  return `<h2>Coverage: namespace × registry</h2>\n<style>${MATRIX_STYLE}</style>\n${coverageMatrixHtml(coverage)}\n`;
}

/** A condition's status, green when it is the good one (`good`: True for Ready and Verified, False for ExpiringSoon). */
const cond = (c: { status: string; reason: string } | undefined, good = "True"): string =>
  c
    ? `<span class="${c.status === good ? "good" : c.status === "Unknown" ? "unknown" : "bad"}">${htmlEscape(c.status)}</span> ${htmlEscape(c.reason)}`
    : "-";

export function renderStatusHtml(view: StatusView, tool: { name: string; version: string }): string {
  const now = new Date(view.generatedAt);
  const credentialRows = view.credentials
    .map((c) => {
      const notes = [
        ...c.problems.map((p) => `invalid spec: ${p}`),
        ...[c.ready, c.verified].filter((v) => v && v.status !== "True").map((v) => v?.message ?? ""),
        ...(c.expiringSoon?.status === "True" ? [c.expiringSoon.message] : []),
      ].filter(Boolean);
      return `<tr><td><b>${htmlEscape(c.name)}</b><br><code class="muted">${htmlEscape(c.source)}</code></td><td>${cond(c.ready)}</td><td>${cond(c.verified)}</td><td>${cond(c.expiringSoon, "False")}</td><td>${htmlEscape(timeText(c.expiresAt, now))}</td><td>${htmlEscape(timeText(c.lastRefreshTime, now))}</td><td>${htmlEscape(timeText(c.nextRefreshTime, now))}</td><td>${htmlEscape(c.registries.join(", ") || "-")}<br><code class="muted">${htmlEscape(c.fingerprint ?? "")}</code></td></tr>${
        notes.length > 0
          ? `<tr><td colspan="8"><ul class="notes">${notes.map((n) => `<li>${htmlEscape(n)}</li>`).join("")}</ul></td></tr>`
          : ""
      }`;
    })
    .join("\n");
  const bindingRows = view.bindings
    .map((b) => {
      const inSync = b.namespaces.filter((n) => n.state === "in-sync").map((n) => n.namespace);
      const notes = [
        ...b.problems.map((p) => `invalid spec: ${p}`),
        ...(b.ready && b.ready.status !== "True" ? [b.ready.message] : []),
        ...b.namespaces
          .filter((n) => n.state !== "in-sync")
          .map((n) => `${n.namespace}: ${n.state}: ${n.reason}`),
        ...b.notSelected.map((n) => `${n.namespace}: not covered: ${n.reason}`),
      ];
      return `<tr><td><b>${htmlEscape(b.name)}</b></td><td><code>${htmlEscape(b.secretName)}</code></td><td>${htmlEscape(b.credentials.join(", "))}</td><td>${cond(b.ready)}</td><td>${inSync.length}/${b.namespaces.length}: ${htmlEscape(inSync.join(", ") || "none")}</td></tr>${
        notes.length > 0
          ? `<tr><td colspan="5"><ul class="notes">${notes.map((n) => `<li>${htmlEscape(n)}</li>`).join("")}</ul></td></tr>`
          : ""
      }`;
    })
    .join("\n");
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>pullwarden status</title><style>${STYLE}</style></head>
<body>
<h1>pullwarden status</h1>
<p class="muted">${htmlEscape(tool.name)} ${htmlEscape(tool.version)} · ${htmlEscape(view.generatedAt)} · ${view.credentials.length} credentials, ${view.bindings.length} bindings</p>
<h2>Expiry timeline</h2>
${view.credentials.length > 0 ? `${timelineSvg(view.credentials, view.generatedAt)}\n<p class="muted">bar: the served credential, from its last refresh to its expiry (green ready, amber expiring soon, red not ready; faint: no known expiry) · blue diamond: next refresh · red ring: a failure (hover for the reason) · dashed: now</p>` : `<p class="muted">No ClusterPullCredential.</p>`}
<h2>Coverage: namespace × registry</h2>
${coverageMatrixHtml(view.coverage)}
<h2>ClusterPullCredentials</h2>
${credentialRows ? `<table><tr><th>name</th><th>Ready</th><th>Verified</th><th>ExpiringSoon</th><th>expires</th><th>last refresh</th><th>next refresh</th><th>registries</th></tr>\n${credentialRows}</table>` : "<p>None.</p>"}
<h2>ClusterPullSecretBindings</h2>
${bindingRows ? `<table><tr><th>name</th><th>secret</th><th>credentials</th><th>Ready</th><th>namespaces in sync</th></tr>\n${bindingRows}</table>` : "<p>None.</p>"}
</body></html>
`;
}
