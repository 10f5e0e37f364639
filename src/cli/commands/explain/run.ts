/**
 * `pullwarden explain [FILE|-]`: offline, from `kubectl describe pod` output, `kubectl get events`, Pod YAML/JSON
 * or bare event messages, the causes of image-pull failures that the text alone supports, with fixes and what
 * `doctor` would check next. Exit 1 when the text shows a pull failure (recognised or not), 0 when it shows none
 * (docs/doctor.md).
 */
import { ExitCode, UsageError } from "../../../errors.js";
import type { CliIo } from "../../io.js";
import { stdoutPaint, toJson } from "../../output.js";
import { MAX_MANIFEST_INPUT_BYTES, readText } from "../../read-input.js";
import type { ExplainFlags } from "./definition.js";
import { redactedDiagnosis, renderExplainReport } from "./render.js";

export async function runExplain(file: string, options: ExplainFlags, io: CliIo): Promise<number> {
  if (file === "-" && io.stdin.isTTY) {
    throw new UsageError("explain reads the text to explain from a file or standard input", {
      hint: "kubectl describe pod NAME -n NAMESPACE | pullwarden explain",
    });
  }
  const text = await readText(file, io, MAX_MANIFEST_INPUT_BYTES);
  const { explainText } = await import("../../../doctor/index.js");
  const report = explainText(text, { now: io.now() });
  if (options.output === "json") {
    const pods = report.pods.map((pod) => ({ ...pod, diagnoses: pod.diagnoses.map(redactedDiagnosis) }));
    io.stdout.write(toJson({ ...report, pods }));
  } else io.stdout.write(renderExplainReport(report, stdoutPaint(io)));
  return report.findings > 0 ? ExitCode.findings : ExitCode.ok;
}
