/**
 * `secret inspect` as a pure function: for every entry of every pull credential source, what kubelet does
 * with it (normalised key, the images it serves), what it holds (user, token kind, expiry) and every problem,
 * with a severity. Secret values are replaced by a redacted form unless `showSecrets` is set.
 */
import { normalizeKeyringKey, redactDerivedKey, redactKey } from "../dockerconfig/index.js";
import type { DockerConfigEntry, Problem } from "../dockerconfig/index.js";
import { classifyRegistryHost } from "../hosts/index.js";
import type { RegistryHostInfo } from "../hosts/index.js";
import type { PullCredentialSource } from "../manifest/index.js";
import { assessPullCredential, classifyToken, redactSecret } from "../tokens/index.js";
import type { PullAcceptance, TokenInfo } from "../tokens/index.js";
import { describeKeyCoverage } from "./describe-key.js";
import type { KeyCoverage } from "./describe-key.js";
import { credentialProblems } from "./credential-problems.js";
import type { InspectProblem } from "./credential-problems.js";

export interface InspectedCredential {
  readonly username: string;
  /** Redacted (`ghp_…(40 chars)`) unless showSecrets. */
  readonly password: string;
  readonly token: TokenInfo;
  readonly acceptance: PullAcceptance;
}

export interface InspectedEntry {
  readonly source: string;
  /** The key as written, with any user info redacted (`https://***@host`). */
  readonly key: string;
  readonly coverage: KeyCoverage | undefined;
  readonly registry: RegistryHostInfo;
  readonly credential: InspectedCredential | undefined;
  readonly problems: readonly InspectProblem[];
}

export interface InspectedSource {
  readonly label: string;
  readonly location: string;
  readonly secret?: PullCredentialSource["secret"];
  readonly format: string;
  /** Problems about the source as a whole (not tied to one entry). */
  readonly problems: readonly InspectProblem[];
  readonly entries: readonly InspectedEntry[];
}

export interface InspectReport {
  readonly sources: readonly InspectedSource[];
  readonly summary: {
    readonly errors: number;
    readonly warnings: number;
    readonly infos: number;
    readonly entries: number;
  };
}

export interface InspectOptions {
  readonly now: Date;
  readonly showSecrets?: boolean;
}

export function inspectPullCredentials(
  sources: readonly PullCredentialSource[],
  options: InspectOptions,
): InspectReport {
  const inspected = sources.map((source) => inspectSource(source, options));
  const all = inspected.flatMap((source) => [
    ...source.problems,
    ...source.entries.flatMap((entry) => entry.problems),
  ]);
  return {
    sources: inspected,
    summary: {
      errors: all.filter((problem) => problem.severity === "error").length,
      warnings: all.filter((problem) => problem.severity === "warning").length,
      infos: all.filter((problem) => problem.severity === "info").length,
      entries: inspected.reduce((count, source) => count + source.entries.length, 0),
    },
  };
}

function inspectSource(source: PullCredentialSource, options: InspectOptions): InspectedSource {
  const claimed = new Set<Problem>();
  const entries = source.config.entries.map((entry) => {
    const own = source.problems.filter((problem) => problem.key !== undefined && problem.key === entry.key);
    own.forEach((problem) => claimed.add(problem));
    return inspectEntry(source.label, entry, own, options);
  });
  return {
    label: source.label,
    location: source.location,
    ...(source.secret ? { secret: source.secret } : {}),
    format: source.config.format,
    problems: source.problems.filter((problem) => !claimed.has(problem)),
    entries,
  };
}

function inspectEntry(
  source: string,
  entry: DockerConfigEntry,
  parseProblems: readonly Problem[],
  options: InspectOptions,
): InspectedEntry {
  const normalizedKey = normalizeKeyringKey(entry.key);
  // Shown forms of what kubelet reads from the key: a password with '/' or '?' in `user:pa/ss@host` ends up
  // in kubelet's normalised key (and host), which are then hidden.
  const shownKey = redactDerivedKey(entry.key, normalizedKey ?? entry.key);
  const registry = classifyRegistryHost(shownKey);
  const problems: InspectProblem[] = [...parseProblems];
  let credential: InspectedCredential | undefined;
  if (entry.decoded) {
    const { username, password } = entry.decoded;
    const token = classifyToken({ username, password });
    const acceptance = assessPullCredential({ registry, username, token, now: options.now });
    credential = {
      username,
      password: options.showSecrets ? password : redactSecret(password),
      token,
      acceptance,
    };
    problems.push(...credentialProblems(redactKey(entry.key), token, acceptance, options.now));
  }
  return {
    source,
    // Keys are shown redacted even with showSecrets: no consumer uses user info in a key, it is only a leak.
    key: redactKey(entry.key),
    // A password with '/' or '?' in `user:pa/ss@host` ends up in kubelet's normalised key too.
    coverage: normalizedKey === undefined ? undefined : coverageShown(normalizedKey, shownKey),
    registry,
    credential,
    problems,
  };
}

function coverageShown(normalizedKey: string, shownKey: string): KeyCoverage {
  const coverage = describeKeyCoverage(normalizedKey);
  if (shownKey === redactKey(normalizedKey)) return describeKeyCoverage(shownKey);
  return {
    normalizedKey: shownKey,
    canMatch: coverage.canMatch,
    description: "not shown: kubelet reads part of the key's user info (a password?) as its host",
  };
}
