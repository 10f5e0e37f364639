/**
 * Output of `pullwarden doctor`: one Pod in full (the ranked causes with evidence and fix commands, what could
 * not be read), several Pods grouped by their most likely cause, and the JSON report (`-o json`).
 */
import { CAUSES, describeGap } from "../../../doctor/index.js";
import type { Diagnosis, EvidenceGap } from "../../../doctor/index.js";
import { redactMessage } from "../../../doctor/redact.js";
import { plural } from "../../../text/index.js";
import type { CliIo } from "../../io.js";
import type { Paint } from "../../output.js";
import { stdoutPaint, toJson } from "../../output.js";
import { redactedDiagnosis, renderDiagnoses } from "../explain/render.js";

export interface DoctorPodReport {
  readonly namespace: string;
  readonly name: string;
  /** `deployment/web`, when known. */
  readonly controller?: string;
  readonly node?: string;
  readonly phase?: string;
  /** The Pod has no status yet (kubelet never reported on it). */
  readonly noStatus: boolean;
  readonly pullTrouble: boolean;
  readonly diagnoses: readonly Diagnosis[];
  /** What could not be read and the permission that would allow it (printed as `describeGap` lines). */
  readonly gaps: readonly EvidenceGap[];
  readonly notes: readonly string[];
}

/** A Pod's report as printed: each gap one line. */
type PrintedPodReport = Omit<DoctorPodReport, "gaps"> & { readonly gaps: readonly string[] };

type PrintedReport = Omit<DoctorReport, "pods"> & { readonly pods: readonly PrintedPodReport[] };

export interface DoctorGroup {
  readonly cause: string;
  readonly title: string;
  readonly pods: readonly string[];
}

export interface DoctorReport {
  readonly target: string;
  readonly pods: readonly DoctorPodReport[];
  /** --all / deploy: Pods grouped by their rank-1 cause. */
  readonly groups: readonly DoctorGroup[];
  /** Namespaces or objects that could not be read at all. */
  readonly failures: readonly string[];
  /** Pods with at least one (non-informational) cause. */
  readonly findings: number;
  /** API requests made (reads). */
  readonly requests: number;
}

export function failuresOf(diagnoses: readonly Diagnosis[]): Diagnosis[] {
  return diagnoses.filter((d) => !d.informational);
}

export function groupByCause(pods: readonly DoctorPodReport[]): DoctorGroup[] {
  const groups = new Map<string, { cause: string; title: string; pods: string[] }>();
  for (const pod of pods) {
    const top = failuresOf(pod.diagnoses)[0];
    if (!top) continue;
    const group = groups.get(top.id) ?? { cause: top.id, title: top.title, pods: [] };
    // A title naming one Pod's Secret or image would be wrong for the others: then the cause's own title.
    if (group.title !== top.title) group.title = CAUSES[top.id].title;
    group.pods.push(`${pod.namespace}/${pod.name}`);
    groups.set(top.id, group);
  }
  return [...groups.values()].sort((a, b) => b.pods.length - a.pods.length || a.cause.localeCompare(b.cause));
}

function heading(pod: PrintedPodReport, paint: Paint): string {
  const facts = [pod.controller, pod.node ? `node ${pod.node}` : undefined, pod.phase].filter(Boolean);
  return `${paint.bold(`Pod ${pod.namespace}/${pod.name}`)}${facts.length > 0 ? paint.dim(` (${facts.join(", ")})`) : ""}\n`;
}

function renderPod(pod: PrintedPodReport, paint: Paint): string {
  let out = heading(pod, paint);
  const failures = failuresOf(pod.diagnoses);
  if (pod.noStatus) out += "  The Pod has no status yet: kubelet has not reported on it (not scheduled?).\n";
  if (failures.length === 0) out += "  No image-pull trouble found.\n";
  if (pod.diagnoses.length > 0) out += `\n${renderDiagnoses(pod.diagnoses, paint, "  ")}`;
  for (const note of pod.notes) out += `\n  ${paint.yellow("note:")} ${note}\n`;
  if (pod.gaps.length > 0) {
    out += `\n  ${paint.dim("not read (the diagnosis may miss causes):")}\n`;
    for (const gap of pod.gaps) out += `    - ${gap}\n`;
  }
  return out;
}

function renderGroups(report: PrintedReport, paint: Paint): string {
  let out = "";
  const troubled = report.pods.filter((p) => failuresOf(p.diagnoses).length > 0);
  out += `${plural(troubled.length, "Pod")} with image-pull trouble${report.groups.length > 0 ? `, ${plural(report.groups.length, "cause")}` : ""}\n`;
  for (const group of report.groups) {
    out += `\n${paint.bold(group.title)} ${paint.dim(`[${group.cause}]`)}: ${plural(group.pods.length, "Pod")}\n`;
    const shown = group.pods.slice(0, 10);
    out += `  ${shown.join(", ")}${group.pods.length > shown.length ? `, and ${group.pods.length - shown.length} more` : ""}\n`;
    const first = report.pods.find((p) => `${p.namespace}/${p.name}` === group.pods[0]);
    const top = first ? failuresOf(first.diagnoses)[0] : undefined;
    if (top) {
      out += `  ${paint.dim("fix (for")} ${group.pods[0]}${paint.dim("):")} ${top.fix.explanation}\n`;
      for (const command of top.fix.commands) out += `    $ ${command}\n`;
    }
    const [ns, name] = (group.pods[0] ?? "/").split("/");
    out += `  ${paint.dim("details:")} pullwarden doctor ${name ?? ""} -n ${ns ?? ""}\n`;
  }
  const gaps = [...new Set(report.pods.flatMap((p) => p.gaps))];
  if (gaps.length > 0) {
    out += `\n${paint.dim("not read (the diagnosis may miss causes):")}\n`;
    for (const gap of gaps) out += `  - ${gap}\n`;
  }
  return out;
}

/**
 * The report as printed, with every text that quotes what was read (API errors, notes, evidence) through the
 * doctor's redaction once more: a server's error may quote a URL with credentials or a token. A gap's line is
 * built from its fields by `describeGap`, which redacts the one part that quotes the server: redacting the whole
 * line would take the name before its colon (`namespace-secrets: …`, `secret registry-token: …`) for a
 * credential key and hide what could not be read.
 */
function redactedReport(report: DoctorReport): PrintedReport {
  return {
    ...report,
    pods: report.pods.map((pod) => ({
      ...pod,
      diagnoses: pod.diagnoses.map(redactedDiagnosis),
      gaps: pod.gaps.map(describeGap),
      notes: pod.notes.map(redactMessage),
    })),
    failures: report.failures.map(redactMessage),
  };
}

/** Writes the report as JSON, or as text (`single`: each Pod in full, else grouped by cause). */
export function renderDoctor(
  unredacted: DoctorReport,
  io: CliIo,
  output: "text" | "json",
  single: boolean,
): void {
  const report = redactedReport(unredacted);
  if (output === "json") {
    io.stdout.write(toJson(report));
    return;
  }
  const paint = stdoutPaint(io);
  let out = "";
  for (const failure of report.failures) out += `${paint.yellow("cannot read:")} ${failure}\n`;
  if (report.failures.length > 0) out += "\n";
  if (single) out += report.pods.map((p) => renderPod(p, paint)).join("\n");
  // Says where it looked: a context's namespace (often `default`) is easy to forget.
  else if (report.pods.length === 0) out += `No Pod with image-pull trouble (doctor ${report.target}).\n`;
  else out += renderGroups(report, paint);
  io.stdout.write(out);
}
