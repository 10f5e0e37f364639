/**
 * Merges several parsed docker configs into one set of `auths` entries, one per registry as kubelet normalises
 * keys (`ghcr.io`, `https://ghcr.io` and `ghcr.io/v2/` are one registry). When the same registry appears more
 * than once the later entry wins and the replacement is reported: `merge-conflict` (warning) when the
 * credentials differ, `merge-duplicate` (info) when they are the same.
 *
 * This is pullwarden's policy for producing a single secret. kubelet itself, given several pull secrets, keeps
 * all of them and tries each matching credential in turn.
 */
import type { DockerConfigEntry, ParsedDockerConfig } from "./model.js";
import { normalizeKeyringKey } from "./keyring.js";
import { makeProblem, quoteKey, redactDerivedKey } from "./problems.js";
import type { Problem } from "./problems.js";

export interface MergeInput {
  /** Names the config in problems (a path, `secret ns/name`). */
  source: string;
  config: ParsedDockerConfig;
}

export interface MergedEntry extends DockerConfigEntry {
  /** The config the entry comes from. */
  source: string;
  /** kubelet's normalised key; the raw key when kubelet cannot parse it. */
  normalizedKey: string;
}

export interface MergedDockerConfig {
  /** One entry per normalised key, in order of first appearance; feed to buildDockerConfigFromAuths. */
  auths: MergedEntry[];
  /** Merge findings only; each input's own problems stay in its ParsedDockerConfig. */
  problems: Problem[];
}

export function mergeDockerConfigs(configs: readonly MergeInput[]): MergedDockerConfig {
  const byKey = new Map<string, MergedEntry>();
  const problems: Problem[] = [];
  for (const { source, config } of configs) {
    for (const entry of config.entries) {
      const normalizedKey = normalizeKeyringKey(entry.key) ?? entry.key;
      const merged: MergedEntry = { ...entry, source, normalizedKey };
      const previous = byKey.get(normalizedKey);
      if (previous) {
        const same = sameCredentials(previous, merged);
        const details: Parameters<typeof makeProblem>[2] = { key: entry.key, source };
        if (entry.position !== undefined) details.position = entry.position;
        problems.push(
          makeProblem(
            same ? "merge-duplicate" : "merge-conflict",
            `registry ${quoteKey(redactDerivedKey(entry.key, normalizedKey))}: ${quoteKey(entry.key)} from ${source} replaces ${quoteKey(previous.key)} from ${previous.source}${same ? " (same credentials)" : " (different credentials)"}`,
            details,
          ),
        );
      }
      // Map#set on an existing key keeps its first position: later wins, order of first appearance.
      byKey.set(normalizedKey, merged);
    }
  }
  return { auths: [...byKey.values()], problems };
}

function sameCredentials(a: DockerConfigEntry, b: DockerConfigEntry): boolean {
  return (
    a.decoded?.username === b.decoded?.username &&
    a.decoded?.password === b.decoded?.password &&
    (a.decoded !== undefined || (a.auth ?? "") === (b.auth ?? "")) &&
    (a.email ?? "") === (b.email ?? "") &&
    (a.identityToken ?? "") === (b.identityToken ?? "") &&
    (a.registryToken ?? "") === (b.registryToken ?? "")
  );
}
