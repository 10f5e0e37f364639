/**
 * The GHCR probe over many credentials (`check`'s attempts, a Pod's pull secrets, a pull secret file's entries):
 * those worth asking GitHub about (a token ghcr.io may accept, for ghcr.io: `isGitHubTokenToProbe`), each
 * distinct token asked once, a few at a time. The rest are not sent anywhere.
 */
import { mapWithConcurrency } from "../../concurrency.js";
import { classifyRegistryHost } from "../../hosts/index.js";
import { classifyToken } from "../../tokens/index.js";
import { probeGitHubToken } from "./probe-token.js";
import type { GitHubProbeOptions } from "./probe-token.js";
import { isGitHubTokenToProbe } from "./token-scopes.js";
import type { GitHubTokenReport } from "./token-scopes.js";

/** A credential and the registry it is for; `id` names it in the result (never shown). */
export interface CredentialToProbe<Id> {
  readonly id: Id;
  /** The registry host (or a pull secret key, which classifyRegistryHost reads too). */
  readonly registry: string;
  readonly username: string;
  readonly password: string;
}

/** Probes at once: a handful of tokens is the usual case, and GitHub's rate limit is per token. */
const PROBE_CONCURRENCY = 4;

/** The report of each credential worth probing, by id (absent: not a GitHub token for ghcr.io). */
export async function probeGhcrCredentials<Id>(
  credentials: readonly CredentialToProbe<Id>[],
  options: GitHubProbeOptions,
): Promise<Map<Id, GitHubTokenReport>> {
  const wanted = credentials.filter((credential) =>
    isGitHubTokenToProbe(
      classifyRegistryHost(credential.registry),
      classifyToken({ username: credential.username, password: credential.password }),
    ),
  );
  const tokens = [...new Set(wanted.map((credential) => credential.password))];
  const reports = await mapWithConcurrency(tokens, PROBE_CONCURRENCY, (token) =>
    probeGitHubToken(token, options),
  );
  const byToken = new Map(tokens.map((token, index) => [token, reports[index] as GitHubTokenReport]));
  return new Map(
    wanted.map((credential) => [credential.id, byToken.get(credential.password) as GitHubTokenReport]),
  );
}
