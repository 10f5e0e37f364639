/**
 * `pullwarden status` as text (pure): tables like `kubectl get -o wide` (credentials, bindings, coverage), each
 * followed by the reasons behind anything not ready. Times are RFC 3339 with the distance from now.
 */
import { formatDuration } from "../duration.js";
import type { ConditionView, StatusView } from "./status-view.js";
import type { CoverageMethod } from "./status-view-coverage.js";

/** Columns padded to their widest cell, three spaces apart, as kubectl's printer. */
export function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  return [header, ...rows]
    .map((row) =>
      row
        .map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i] ?? 0)))
        .join("   ")
        .trimEnd(),
    )
    .join("\n");
}

/** `2026-06-01T12:00:00Z (in 3h)`, `… (5m ago)`, `-` when absent. */
export function timeText(iso: string | undefined, now: Date): string {
  if (!iso) return "-";
  const delta = Date.parse(iso) - now.getTime();
  if (Number.isNaN(delta)) return iso;
  return `${iso} (${delta >= 0 ? `in ${formatDuration(delta)}` : `${formatDuration(-delta)} ago`})`;
}

const statusText = (c: ConditionView | undefined): string => c?.status ?? "-";

const METHOD_TEXT: Readonly<Record<CoverageMethod, string>> = {
  controller: "controller",
  apply: "apply",
  foreign: "foreign",
  none: "-",
};

export function renderStatusText(view: StatusView): string {
  const now = new Date(view.generatedAt);
  const out: string[] = [];
  out.push(`CLUSTER PULL CREDENTIALS (${view.credentials.length})`);
  if (view.credentials.length === 0) out.push("none");
  else
    out.push(
      table(
        [
          "NAME",
          "SOURCE",
          "READY",
          "VERIFIED",
          "EXPIRING-SOON",
          "EXPIRES",
          "LAST-REFRESH",
          "NEXT-REFRESH",
          "REGISTRIES",
        ],
        view.credentials.map((c) => [
          c.name,
          c.source,
          statusText(c.ready),
          statusText(c.verified),
          statusText(c.expiringSoon),
          timeText(c.expiresAt, now),
          timeText(c.lastRefreshTime, now),
          timeText(c.nextRefreshTime, now),
          c.registries.join(",") || "-",
        ]),
      ),
    );
  for (const c of view.credentials) {
    const notes = [
      ...c.problems.map((p) => `invalid spec: ${p}`),
      ...(!c.ready
        ? ["no status yet: is the controller running?"]
        : c.stale
          ? ["the controller has not reported on its current spec yet"]
          : []),
      ...[
        ["Ready", c.ready, "True"],
        ["Verified", c.verified, "True"],
        ["ExpiringSoon", c.expiringSoon, "False"],
      ]
        .filter(([, cond, good]) => cond && (cond as ConditionView).status !== good)
        .map(([type, cond]) => {
          const v = cond as ConditionView;
          return `${type as string}=${v.status} ${v.reason} since ${v.since}${v.message ? `: ${v.message}` : ""}`;
        }),
    ];
    for (const note of notes) out.push(`  ${c.name}: ${note}`);
  }

  out.push("", `CLUSTER PULL SECRET BINDINGS (${view.bindings.length})`);
  if (view.bindings.length === 0) out.push("none");
  else
    out.push(
      table(
        [
          "NAME",
          "SECRET",
          "CREDENTIALS",
          "READY",
          "REASON",
          "NAMESPACES",
          "IN-SYNC",
          "NOT-COVERED",
          "SERVICE-ACCOUNTS",
        ],
        view.bindings.map((b) => [
          b.name,
          b.secretName,
          b.credentials.join(","),
          statusText(b.ready),
          b.ready?.reason ?? "-",
          String(b.namespaces.length),
          String(b.namespaces.filter((n) => n.state === "in-sync").length),
          String(b.namespaces.filter((n) => n.state !== "in-sync").length + b.notSelected.length),
          b.serviceAccounts.join(",") || "-",
        ]),
      ),
    );
  for (const b of view.bindings) {
    const notes = [
      ...b.problems.map((p) => `invalid spec: ${p}`),
      ...(b.stale ? ["the controller has not reported on its current spec yet"] : []),
      ...(b.ready && b.ready.status !== "True"
        ? [`Ready=${b.ready.status} ${b.ready.reason}: ${b.ready.message}`]
        : []),
      ...b.namespaces
        .filter((n) => n.state !== "in-sync")
        .map((n) => `${n.namespace}: ${n.state}: ${n.reason}`),
      ...b.notSelected.map((n) => `${n.namespace}: not covered: ${n.reason}`),
    ];
    for (const note of notes) out.push(`  ${b.name}: ${note}`);
  }

  const { coverage } = view;
  out.push("", `COVERAGE (namespace × registry: controller, apply, foreign, - for none)`);
  if (coverage.registries.length === 0) out.push("no registry is served by a credential or held by a Secret");
  else
    out.push(
      table(
        ["NAMESPACE", ...coverage.registries],
        coverage.rows.map((row) => [row.namespace, ...row.cells.map((cell) => METHOD_TEXT[cell.method])]),
      ),
      `${coverage.totals.controller} controller, ${coverage.totals.apply} apply, ${coverage.totals.foreign} foreign, ${coverage.totals.none} none`,
    );
  return `${out.join("\n")}\n`;
}
