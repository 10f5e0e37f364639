/**
 * `secret inspect --probe`: what the GitHub API says about each ghcr.io token of the inspected pull secrets
 * (src/cloud/github), by entry. The report itself stays the offline one (src/inspect); these findings are added
 * beside each entry, in the text and in `-o json` (`githubToken`), and count in the summary.
 */
import { probeGhcrCredentials } from "../../../cloud/github/probe-credentials.js";
import type { GitHubProbeOptions } from "../../../cloud/github/probe-token.js";
import type { GitHubTokenReport } from "../../../cloud/github/token-scopes.js";
import type { InspectReport } from "../../../inspect/index.js";
import type { PullCredentialSource } from "../../../manifest/index.js";
import { entryId, summaryWithGitHubTokens } from "./render.js";

/** The GitHub API's report on each entry holding a token worth probing, by entryId. */
export function probeInspectedTokens(
  sources: readonly PullCredentialSource[],
  options: GitHubProbeOptions,
): Promise<Map<string, GitHubTokenReport>> {
  const credentials = sources.flatMap((source, sourceIndex) =>
    source.config.entries.flatMap((entry, entryIndex) =>
      entry.decoded
        ? [
            {
              id: entryId(sourceIndex, entryIndex),
              registry: entry.key,
              username: entry.decoded.username,
              password: entry.decoded.password,
            },
          ]
        : [],
    ),
  );
  return probeGhcrCredentials(credentials, options);
}

/** `-o json`: the report with each probed entry's `githubToken`, and the summary counting its findings. */
export function withGitHubTokens(report: InspectReport, probes: ReadonlyMap<string, GitHubTokenReport>) {
  return {
    sources: report.sources.map((source, sourceIndex) => ({
      ...source,
      entries: source.entries.map((entry, entryIndex) => {
        const probe = probes.get(entryId(sourceIndex, entryIndex));
        return probe ? { ...entry, githubToken: probe } : entry;
      }),
    })),
    summary: summaryWithGitHubTokens(report, probes),
  };
}
