/**
 * The GHCR token probe's flag, shared by `check`, `doctor --probe` and `secret inspect --probe`, declared and read
 * here: `--github-api-url`, the GitHub REST API asked about a ghcr.io token's scopes and expiry (src/cloud/github).
 * Not read from GITHUB_API_URL: inside a GitHub Enterprise Server workflow that names the enterprise's API, which
 * knows nothing of github.com tokens. Light (command definitions import it): the reader loads the rest lazily.
 */
import type { Command } from "@commander-js/extra-typings";
import type { GitHubProbeOptions } from "../../cloud/github/probe-token.js";
import type { CliIo } from "../io.js";
import { sharedFlags } from "./values.js";
import type { FlagsOf } from "./values.js";

function declareGitHubProbeFlags(command: Command, scope = "") {
  return command.option(
    "--github-api-url <url>",
    `${scope}the GitHub API asked for a ghcr.io token's scopes and expiry (default https://api.github.com; GitHub Enterprise Server: https://HOST/api/v3)`,
  );
}

// Pure: the fast path (cli/fast-path/) drops the declaration, and commander with it, from its chunks.
export const gitHubProbeFlags = /* @__PURE__ */ sharedFlags(declareGitHubProbeFlags);

export type GitHubProbeFlags = FlagsOf<ReturnType<typeof declareGitHubProbeFlags>>;

/**
 * How to ask the GitHub API: the flag's base (a usage error when it cannot carry a token), the clock, and the
 * command's registry `--timeout` when shorter than the probe's own bound.
 */
export async function gitHubProbeOptions(
  flags: GitHubProbeFlags,
  io: CliIo,
  timeoutMs?: number,
): Promise<GitHubProbeOptions> {
  const bound = { now: io.now, ...(timeoutMs !== undefined ? { timeoutMs } : {}) };
  if (flags.githubApiUrl === undefined) return bound;
  const { parseGitHubApiUrl } = await import("../../cloud/github/api-url.js");
  return { ...bound, apiUrl: parseGitHubApiUrl(flags.githubApiUrl, "--github-api-url") };
}
