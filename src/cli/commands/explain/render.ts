/**
 * Text rendering of diagnoses (shared by `explain` and `doctor`): each cause ranked, its evidence, the fix and
 * the exact commands. Colour only on a TTY without NO_COLOR. The JSON form (`-o json`) is the report itself.
 * Text that quotes what was read (evidence lines, messages) goes through the doctor's one redaction module
 * once more as it is printed, so a rule that forgot to redact still cannot print a secret.
 */
import type { Diagnosis, ExplainReport, ExplainedPod } from "../../../doctor/index.js";
import { redactMessage } from "../../../doctor/redact.js";
import { plural } from "../../../text/index.js";
import type { Paint } from "../../output.js";

function confidenceTag(diagnosis: Diagnosis, paint: Paint): string {
  if (diagnosis.informational) return paint.dim("info");
  if (diagnosis.confidence === "high") return paint.red("high");
  if (diagnosis.confidence === "medium") return paint.yellow("medium");
  return paint.dim("low");
}

function subject(diagnosis: Diagnosis): string {
  const parts: string[] = [];
  if (diagnosis.images.length > 0) parts.push(`image ${diagnosis.images.join(", ")}`);
  if (diagnosis.containers.length > 0)
    parts.push(`container${diagnosis.containers.length > 1 ? "s" : ""} ${diagnosis.containers.join(", ")}`);
  if (diagnosis.secrets.length > 0)
    parts.push(`secret${diagnosis.secrets.length > 1 ? "s" : ""} ${diagnosis.secrets.join(", ")}`);
  return parts.join("; ");
}

/** One diagnosis: title, id and confidence, subject, evidence, fix and commands. */
export function renderDiagnosis(diagnosis: Diagnosis, paint: Paint, indent = ""): string {
  const inner = `${indent}   `;
  let out = `${indent}${diagnosis.rank}. ${paint.bold(diagnosis.title)}\n`;
  out += `${inner}${paint.dim("cause:")} ${diagnosis.id}, confidence ${confidenceTag(diagnosis, paint)}\n`;
  const about = subject(diagnosis);
  if (about) out += `${inner}${about}\n`;
  if (diagnosis.evidence.length > 0) {
    out += `${inner}${paint.dim("evidence:")}\n`;
    for (const line of diagnosis.evidence) out += `${inner}  - ${redactMessage(line)}\n`;
  }
  out += `${inner}${paint.dim("fix:")} ${diagnosis.fix.explanation}\n`;
  for (const command of diagnosis.fix.commands) out += `${inner}  $ ${command}\n`;
  return out;
}

/** The diagnosis with its evidence lines through the redaction once more, for JSON output (see the top). */
export function redactedDiagnosis(diagnosis: Diagnosis): Diagnosis {
  return { ...diagnosis, evidence: diagnosis.evidence.map(redactMessage) };
}

export function renderDiagnoses(diagnoses: readonly Diagnosis[], paint: Paint, indent = ""): string {
  return diagnoses.map((d) => renderDiagnosis(d, paint, indent)).join("\n");
}

function podHeading(pod: ExplainedPod, paint: Paint): string {
  if (!pod.pod) return paint.bold("Messages");
  const facts = [pod.pod.controller, pod.pod.node ? `node ${pod.pod.node}` : undefined].filter(Boolean);
  const name = pod.pod.namespace ? `${pod.pod.namespace}/${pod.pod.name}` : pod.pod.name;
  return `${paint.bold(`Pod ${name}`)}${facts.length > 0 ? paint.dim(` (${facts.join(", ")})`) : ""}`;
}

/** Unrecognised text that was counted, not shown (explain.ts decides what is shown). */
function notShownLine(pod: ExplainedPod): string {
  const notShown = pod.notShown;
  if (!notShown) return "";
  const lines = plural(notShown.lines, pod.unrecognised.length > 0 ? "more line" : "line");
  const errors =
    notShown.pullFailures > 0
      ? `, ${plural(notShown.pullFailures, "pull error")} among them in wording pullwarden does not know`
      : "";
  return `  ${lines} not recognised (not shown${errors})\n`;
}

function renderExplainedPod(pod: ExplainedPod, paint: Paint): string {
  let out = `${podHeading(pod, paint)}\n`;
  const failures = pod.diagnoses.filter((d) => !d.informational);
  const unknownErrors = pod.unrecognised.length + (pod.notShown?.pullFailures ?? 0);
  if (failures.length === 0 && unknownErrors === 0) {
    out += "  No image-pull failure in this text.\n";
  }
  if (pod.diagnoses.length > 0) out += `\n${renderDiagnoses(pod.diagnoses, paint, "  ")}`;
  if (pod.unrecognised.length > 0) {
    out += `\n  ${paint.yellow("unrecognised")} wording, shown as written (secrets redacted):\n`;
    for (const message of pod.unrecognised)
      out += `    ${message.where}: ${redactMessage(message.message)}\n`;
  }
  if (pod.notShown && pod.unrecognised.length === 0 && pod.diagnoses.length > 0) out += "\n";
  out += notShownLine(pod);
  if (failures.length > 0 || unknownErrors > 0) {
    if (pod.nextChecks.length > 0) {
      out += `\n  ${paint.dim("doctor would check next:")}\n`;
      for (const check of pod.nextChecks) out += `    - ${check}\n`;
    }
    out += `    $ ${pod.doctorCommand}\n`;
  }
  return out;
}

export function renderExplainReport(report: ExplainReport, paint: Paint): string {
  if (report.pods.length === 0) return "No image-pull failure in this text.\n";
  return report.pods.map((pod) => renderExplainedPod(pod, paint)).join("\n");
}
