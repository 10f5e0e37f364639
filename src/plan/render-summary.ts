/** `pullwarden plan` without `-o`: the decisions and their reasons, as text for a terminal. */
import type { Plan, RenderOptions } from "./plan-types.js";
import { renderPlanFiles } from "./render-files.js";
import { METHOD_LABELS } from "./render-readme.js";

function wrap(text: string, indent: string, width = 110): string[] {
  const lines: string[] = [];
  let current = indent;
  for (const word of text.split(/\s+/).filter((w) => w !== "")) {
    if (current.length + word.length + 1 > width && current.trim() !== "") {
      lines.push(current);
      current = indent;
    }
    current += current.trim() === "" ? word : ` ${word}`;
  }
  if (current.trim() !== "") lines.push(current);
  return lines;
}

function table(rows: string[][]): string[] {
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? "").length))) ?? [];
  return rows.map((r) =>
    r
      .map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i] ?? 0)))
      .join("   ")
      .trimEnd(),
  );
}

export function renderPlanSummary(plan: Plan, options: RenderOptions): string {
  const { cluster } = plan.layout;
  const out: string[] = [
    `Plan for cluster ${cluster.name} (${cluster.provider}${cluster.nodesConfigurable ? ", nodes configurable" : ""}) from ${options.layoutSource}`,
    "",
    ...table([
      ["REGISTRY", "HOST", "METHOD", "NAMESPACES"],
      ...plan.decisions.map((d) => [
        d.registry,
        d.host,
        METHOD_LABELS[d.method] ?? d.method,
        d.namespaces.join(",") || "-",
      ]),
    ]),
  ];
  for (const d of plan.decisions) {
    out.push("", `${d.registry} (${d.host})`, ...wrap(d.summary, "  "), ...wrap(`why: ${d.reason}`, "  "));
    for (const note of d.notes) out.push(...wrap(`note: ${note}`, "  "));
  }
  out.push("", "Namespaces");
  for (const n of plan.namespaces) {
    const parts: string[] = [];
    for (const sa of n.serviceAccounts) parts.push(`serviceaccount/${sa.name} <- ${sa.secrets.join(", ")}`);
    for (const ref of n.podReferences)
      parts.push(`${ref.kind.toLowerCase()}/${ref.name} <- ${ref.secrets.join(", ")} (Pod spec)`);
    for (const w of n.withoutSecret) parts.push(`${w.registry}: ${w.method}`);
    out.push(`  ${n.name}: ${parts.join("; ")}`);
    if (n.pattern) out.push(...wrap(n.pattern, "    "));
  }
  if (plan.warnings.length > 0) {
    out.push("", "Warnings");
    for (const w of plan.warnings) out.push(...wrap(`- ${w}`, "  "));
  }
  const files = renderPlanFiles(plan, options).map((f) => f.path);
  out.push(
    "",
    `Files (written by: pullwarden plan -f ${options.layoutSource} -o DIR):`,
    ...wrap(files.join(" "), "  "),
  );
  return out.join("\n") + "\n";
}
