/**
 * The GHCR probe's I/O edge: `GET {api}/user` with the token (`Authorization: token …`, as GitHub's REST docs
 * show for classic tokens), its answer judged by token-scopes.ts. Bounded like every registry request (the
 * registry transport: a deadline over connect, TLS, headers and body, a body cap), and stricter: redirects are
 * never followed (the token goes to the API base and nowhere else), and only the headers are read. A probe
 * that gets no answer is a finding (`github-api-unanswered`), never an error: the probe is advice, the pull
 * check or the secret is what the user asked for.
 */
import { TransportError, createTransport } from "../../registry/index.js";
import type { Transport } from "../../registry/index.js";
import { GITHUB_API_URL } from "./api-url.js";
import { judgeGitHubTokenAnswer, unanswered } from "./token-scopes.js";
import type { GitHubTokenReport } from "./token-scopes.js";

/** The probe gives up after this: it is advice, and must not hold a check up. */
export const GITHUB_PROBE_TIMEOUT_MS = 10_000;
/** Only headers are read; a body (GET /user's profile) is cut here. */
const MAX_BODY_BYTES = 64 * 1024;

export interface GitHubProbeOptions {
  /** The API base (parseGitHubApiUrl), default https://api.github.com/. */
  readonly apiUrl?: URL;
  /** A shorter deadline (a command's --timeout); never longer than GITHUB_PROBE_TIMEOUT_MS. */
  readonly timeoutMs?: number;
  readonly now: () => Date;
  /** The HTTP client, for tests; by default one bounded as above, closed after the probe. */
  readonly transport?: Transport;
}

/** Why a request got no answer, in words (no URL with user info, no token). */
function describeFailure(error: TransportError): string {
  const { failure } = error;
  if (failure.kind === "redirect") return "it answered with a redirect, which is not followed with a token";
  if (failure.kind === "network" && failure.reason === "timeout") return "no answer in time";
  return `${failure.kind} error (${failure.reason}${failure.code ? `, ${failure.code}` : ""})`;
}

/** What the GitHub API says about `token` (the scopes, the expiry), as findings. */
export async function probeGitHubToken(
  token: string,
  options: GitHubProbeOptions,
): Promise<GitHubTokenReport> {
  const base = options.apiUrl ?? new URL(`${GITHUB_API_URL}/`);
  const transport =
    options.transport ??
    createTransport({
      timeoutMs: Math.min(options.timeoutMs ?? GITHUB_PROBE_TIMEOUT_MS, GITHUB_PROBE_TIMEOUT_MS),
      maxRedirects: 0,
      maxBodyBytes: MAX_BODY_BYTES,
    });
  try {
    const response = await transport.request({
      method: "GET",
      url: new URL("user", base),
      headers: {
        authorization: `token ${token}`,
        accept: "application/vnd.github+json",
        "x-github-api-version": "2022-11-28",
      },
      maxBodyBytes: MAX_BODY_BYTES,
    });
    return judgeGitHubTokenAnswer(response, options.now());
  } catch (error) {
    if (error instanceof TransportError) return { findings: [unanswered(describeFailure(error))] };
    throw error;
  } finally {
    if (!options.transport) transport.close();
  }
}
