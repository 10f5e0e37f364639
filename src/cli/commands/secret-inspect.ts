// `pullwarden secret inspect [FILE|-]`: what a pull secret holds, redacted, with every problem.
import { ExitCode } from "../../errors.js";
import type { CliIo } from "../io.js";
import { useColor } from "../io.js";
import { readPullCredentialSources } from "../load-pull-credentials.js";
import { createPaint, renderInspectReport } from "../render-inspect.js";
import { toJson } from "../output.js";

export interface SecretInspectOptions {
  output?: "text" | "json";
  showSecrets?: boolean;
}

export async function runSecretInspect(
  file: string,
  options: SecretInspectOptions,
  io: CliIo,
): Promise<number> {
  const { inspectPullCredentials } = await import("../../inspect/index.js");
  const { sources } = await readPullCredentialSources(file, io);
  const now = io.now();
  const report = inspectPullCredentials(sources, { now, showSecrets: options.showSecrets === true });
  if (options.output === "json") io.stdout.write(toJson(report));
  else io.stdout.write(renderInspectReport(report, now, createPaint(useColor(io))));
  return report.summary.errors > 0 ? ExitCode.findings : ExitCode.ok;
}
