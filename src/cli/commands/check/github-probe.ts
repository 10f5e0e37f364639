/**
 * `check` on ghcr.io images: besides the registry's handshake, what the GitHub API says about each GitHub token
 * the keychain sends to ghcr.io (src/cloud/github: scopes without read:packages, broader scopes, an expiry
 * close or past), as warnings naming the credential as the table does. Only ghcr.io images are looked at, and
 * only tokens ghcr.io may accept are sent to the API.
 */
import { probeGhcrCredentials } from "../../../cloud/github/probe-credentials.js";
import type { GitHubProbeOptions } from "../../../cloud/github/probe-token.js";
import { classifyRegistryHost } from "../../../hosts/index.js";
import type { CredentialLabel, Keychain, KeychainImage } from "../../../registry/index.js";
import { describeCredential } from "./render.js";

/** One warning line per finding about each distinct GitHub token of the ghcr.io images. */
export async function gitHubTokenWarnings(
  images: readonly KeychainImage[],
  keychain: Keychain,
  options: GitHubProbeOptions,
): Promise<string[]> {
  const ghcr = images.filter((image) => classifyRegistryHost(image.reference.domain).kind === "ghcr");
  // Credentials by token: one that several entries hold is named once, with how many others hold it.
  const byToken = new Map<string, { labels: CredentialLabel[]; registry: string; username: string }>();
  const seen = new Set<string>();
  for (const image of ghcr) {
    for (const attempt of await keychain.attemptsFor(image)) {
      const credential = attempt.credential;
      if (!credential || !("password" in credential) || seen.has(attempt.id)) continue;
      seen.add(attempt.id);
      const holders = byToken.get(credential.password);
      if (holders) holders.labels.push(attempt.label);
      else
        byToken.set(credential.password, {
          labels: [attempt.label],
          registry: image.reference.domain,
          username: credential.username,
        });
    }
  }
  if (byToken.size === 0) return [];
  const tokens = [...byToken.entries()];
  const reports = await probeGhcrCredentials(
    tokens.map(([password, { registry, username }], id) => ({ id, registry, username, password })),
    options,
  );
  const warnings: string[] = [];
  for (const [id, report] of reports) {
    const [first, ...others] = tokens[id]?.[1].labels ?? [];
    const who = `${first ? describeCredential(first) : "a credential"}${others.length > 0 ? ` (and ${others.length} other credential(s) with the same token)` : ""}`;
    for (const finding of report.findings) {
      warnings.push(
        `GitHub token of ${who}: ${finding.message}${finding.fix ? `; fix: ${finding.fix}` : ""}`,
      );
    }
  }
  return warnings;
}
