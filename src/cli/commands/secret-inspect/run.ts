// `pullwarden secret inspect [FILE|-]`: what a pull secret holds, redacted, with every problem.
import { ExitCode } from "../../../errors.js";
import type { CliIo } from "../../io.js";
import { stdoutPaint, toJson } from "../../output.js";
import { readPullCredentialSources } from "../../read-input.js";
import type { SecretInspectFlags } from "./definition.js";
import { renderInspectReport } from "./render.js";

export async function runSecretInspect(
  file: string,
  options: SecretInspectFlags,
  io: CliIo,
): Promise<number> {
  const { inspectPullCredentials } = await import("../../../inspect/index.js");
  const { sources } = await readPullCredentialSources(file, io);
  const now = io.now();
  const report = inspectPullCredentials(sources, { now, showSecrets: options.showSecrets });
  if (options.output === "json") io.stdout.write(toJson(report));
  else io.stdout.write(renderInspectReport(report, now, stdoutPaint(io)));
  return report.summary.errors > 0 ? ExitCode.findings : ExitCode.ok;
}
