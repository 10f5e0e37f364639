// `pullwarden secret inspect [FILE|-]`: what a pull secret holds, redacted, with every problem; with --probe,
// what the GitHub API says about its ghcr.io tokens.
import { ExitCode, UsageError } from "../../../errors.js";
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
  if (!options.probe && options.githubApiUrl !== undefined) {
    throw new UsageError("--github-api-url applies to --probe");
  }
  const { inspectPullCredentials } = await import("../../../inspect/index.js");
  const probeOptions = options.probe
    ? await (await import("../../flags/github-probe.js")).gitHubProbeOptions(options, io)
    : undefined;
  const { sources } = await readPullCredentialSources(file, io);
  const now = io.now();
  const report = inspectPullCredentials(sources, { now, showSecrets: options.showSecrets });
  if (!probeOptions) {
    if (options.output === "json") io.stdout.write(toJson(report));
    else io.stdout.write(renderInspectReport(report, now, stdoutPaint(io)));
    return report.summary.errors > 0 ? ExitCode.findings : ExitCode.ok;
  }
  const { probeInspectedTokens, withGitHubTokens } = await import("./github-probe.js");
  const probes = await probeInspectedTokens(sources, probeOptions);
  const probed = withGitHubTokens(report, probes);
  if (options.output === "json") io.stdout.write(toJson(probed));
  else io.stdout.write(renderInspectReport(report, now, stdoutPaint(io), probes));
  return probed.summary.errors > 0 ? ExitCode.findings : ExitCode.ok;
}
