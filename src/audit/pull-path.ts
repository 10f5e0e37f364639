/**
 * Pull-path resolution, the core of the audit: for every image of every pod spec, which credentials kubelet
 * will try and in which order (wire-specs.md §2):
 *
 * 1. the Pod's own imagePullSecrets; only when it has none, the ServiceAccount's, copied at admission
 *    (plugin/pkg/admission/serviceaccount: never merged, and never re-copied after the SA changes);
 * 2. of those, the Secrets that exist and have a pull-secret type, merged into one keyring and matched with
 *    kubelet's rules (lookupCredentials: normalised keys, one label per `*`, port, path prefix, most specific
 *    first, the Docker Hub fallback);
 * 3. then the node's own credentials (a declared cloud identity or credential provider);
 * 4. nothing matched: an anonymous pull.
 *
 * A Secret kubelet cannot decode fails the whole keyring, so every pull of the Pod fails.
 */
import {
  buildKeyringIndex,
  explainUrlsMatch,
  lookupCredentials,
  redactKey,
  urlsMatch,
} from "../dockerconfig/index.js";
import type { KeyringLookupResult, KeyringMatch } from "../dockerconfig/index.js";
import { normalizeImageName } from "../reference/index.js";
import type { AuditGraph, ContainerRef, PodSource } from "./graph.js";
import { nsKey } from "./graph.js";
import { matchNodeIdentities } from "./node-identity.js";
import type { IdentityMatch } from "./node-identity.js";
import { arr, isRecord, str } from "./objects.js";
import { analyzePullSecret } from "./pull-secrets.js";
import type { PullSecretAnalysis, PullSecretEntry } from "./pull-secrets.js";
import type { NodeIdentity, PullPath, PullPathStep } from "./types.js";

/** Secrets decoded on first use, once each. */
export class PullSecretCatalog {
  private readonly cache = new Map<string, PullSecretAnalysis>();

  constructor(
    private readonly graph: AuditGraph,
    private readonly now: Date,
  ) {}

  /** undefined when no Secret of that name exists in the namespace. */
  get(namespace: string, name: string): PullSecretAnalysis | undefined {
    const key = nsKey(namespace, name);
    const cached = this.cache.get(key);
    if (cached) return cached;
    const object = this.graph.secrets.get(key);
    if (!object) return undefined;
    const analysis = analyzePullSecret(object, this.now);
    this.cache.set(key, analysis);
    return analysis;
  }
}

export interface ServiceAccountSecrets {
  readonly names: readonly string[];
  readonly found: boolean;
}

export function serviceAccountSecrets(
  graph: AuditGraph,
  namespace: string,
  name: string,
): ServiceAccountSecrets {
  const sa = graph.serviceAccounts.get(nsKey(namespace, name));
  if (!sa) return { names: [], found: false };
  const names: string[] = [];
  for (const entry of arr(sa.raw["imagePullSecrets"])) {
    const secretName = isRecord(entry) ? str(entry["name"]) : undefined;
    if (secretName) names.push(secretName);
  }
  return { names, found: true };
}

/** The effective imagePullSecrets of a pod spec, after ServiceAccount admission. */
export interface EffectiveSecrets {
  readonly from: "pod" | "serviceaccount" | "none";
  readonly names: readonly string[];
  /** Secrets in the effective list, by state. */
  readonly usable: readonly PullSecretAnalysis[];
  readonly ignored: readonly PullSecretAnalysis[];
  readonly fatal: readonly PullSecretAnalysis[];
  /** SOPS-encrypted manifests: present, content unknown. */
  readonly encrypted: readonly PullSecretAnalysis[];
  readonly missing: readonly string[];
  /** ServiceAccount secrets that are not used because the Pod lists its own. */
  readonly shadowed: readonly string[];
  readonly serviceAccountFound: boolean;
  /** Keyring entries of the usable secrets, in list order. */
  readonly entries: readonly PullSecretEntry[];
}

export function effectiveSecrets(
  pod: PodSource,
  graph: AuditGraph,
  catalog: PullSecretCatalog,
): EffectiveSecrets {
  const own = pod.pullSecrets.map((ref) => ref.name).filter((name) => name !== "");
  const sa = serviceAccountSecrets(graph, pod.namespace, pod.serviceAccount);
  let from: EffectiveSecrets["from"];
  let names: readonly string[];
  // An admitted (live) Pod already holds what admission copied; a template gets the SA's list only if empty.
  if (pod.pullSecrets.length > 0 || pod.admitted) {
    from = own.length > 0 ? "pod" : "none";
    names = own;
  } else if (sa.names.length > 0) {
    from = "serviceaccount";
    names = sa.names;
  } else {
    from = "none";
    names = [];
  }
  const usable: PullSecretAnalysis[] = [];
  const ignored: PullSecretAnalysis[] = [];
  const fatal: PullSecretAnalysis[] = [];
  const encrypted: PullSecretAnalysis[] = [];
  const missing: string[] = [];
  const entries: PullSecretEntry[] = [];
  const seen = new Set<string>();
  for (const name of names) {
    if (seen.has(name)) continue;
    seen.add(name);
    const analysis = catalog.get(pod.namespace, name);
    if (!analysis) missing.push(name);
    else if (analysis.state === "usable") {
      usable.push(analysis);
      entries.push(...analysis.entries);
    } else if (analysis.state === "fatal") fatal.push(analysis);
    else if (analysis.state === "encrypted") encrypted.push(analysis);
    else ignored.push(analysis);
  }
  const shadowed =
    from === "pod" && !pod.admitted ? sa.names.filter((name) => !own.includes(name)) : ([] as string[]);
  return {
    from,
    names,
    usable,
    ignored,
    fatal,
    encrypted,
    missing,
    shadowed,
    serviceAccountFound: sa.found,
    entries,
  };
}

/**
 * A key of the Pod's secrets that names the image's registry but that kubelet does not match, because one side
 * spells the default HTTPS port (`registry.example.com:443`) and the other does not: containerd reaches the same
 * registry either way, kubelet compares the port strings and pulls anonymously.
 */
export interface PortSpellingMiss {
  /** The Secret's name. */
  readonly secret: string;
  /** The registry key as written in the Secret. */
  readonly key: string;
  /** kubelet's normalised key. */
  readonly normalizedKey: string;
}

export interface ResolvedImage {
  readonly pod: PodSource;
  readonly container: ContainerRef;
  readonly image: string;
  readonly secrets: EffectiveSecrets;
  /** Set when the reference is invalid (kubelet fails before looking up credentials). */
  readonly invalid?: string;
  readonly repository?: string;
  readonly host?: string;
  readonly matches: readonly KeyringMatch<PullSecretEntry>[];
  /** Set only when no key matched: keys of the same registry that differ from the image in the :443 spelling. */
  readonly portMisses: readonly PortSpellingMiss[];
  readonly identities: readonly IdentityMatch[];
  readonly path: PullPath;
}

/** `host:443/path` → `host/path`: the name of the same registry without the default HTTPS port. */
export function withoutDefaultPort(name: string): string {
  const slash = name.indexOf("/");
  const host = slash < 0 ? name : name.slice(0, slash);
  return host.endsWith(":443") ? host.slice(0, -4) + name.slice(host.length) : name;
}

/**
 * kubelet's keyring (its own key normalisation and URLsMatch) over the Pod's entries: the keys that fail to match
 * `repository` only on the port, and match once both sides drop the default :443.
 */
function portSpellingMisses(entries: readonly PullSecretEntry[], repository: string): PortSpellingMiss[] {
  const misses: PortSpellingMiss[] = [];
  for (const slot of buildKeyringIndex(entries).keys) {
    if (explainUrlsMatch(slot.normalizedKey, repository).reason !== "port-mismatch") continue;
    if (!urlsMatch(withoutDefaultPort(slot.normalizedKey), withoutDefaultPort(repository))) continue;
    for (const { entry } of slot.entries) {
      misses.push({
        secret: entry.secret.slice(entry.secret.indexOf("/") + 1),
        key: redactKey(entry.key),
        normalizedKey: slot.normalizedKey,
      });
    }
  }
  return misses;
}

function hostOf(repository: string): string {
  const slash = repository.indexOf("/");
  return slash < 0 ? repository : repository.slice(0, slash);
}

/**
 * Matching depends only on the registry keys and the image, and most namespaces hold the same keys (ghcr.io,
 * the same ACR), so lookups are cached by (keys, image) and mapped back onto each Pod's own entries.
 */
export interface LookupCache {
  readonly byKeys: Map<string, KeyringLookupResult<{ key: string }>>;
  readonly normalized: Map<string, string>;
}

export function newLookupCache(): LookupCache {
  return { byKeys: new Map(), normalized: new Map() };
}

function cachedLookup(
  secrets: EffectiveSecrets,
  image: string,
  cache: LookupCache | undefined,
): KeyringLookupResult<PullSecretEntry> {
  if (!cache) return lookupCredentials(secrets.entries, image);
  const keys = secrets.entries.map((entry) => ({ key: entry.key }));
  const cacheKey = `${keys.map((entry) => entry.key).join("\u0000")}\u0001${image}`;
  let lookup = cache.byKeys.get(cacheKey);
  if (!lookup) {
    lookup = lookupCredentials(keys, image, {
      normalizeImageName: (name) => {
        let normalized = cache.normalized.get(name);
        if (normalized === undefined) {
          normalized = normalizeImageName(name);
          cache.normalized.set(name, normalized);
        }
        return normalized;
      },
    });
    cache.byKeys.set(cacheKey, lookup);
  }
  if (!lookup.ok) return lookup;
  return {
    ...lookup,
    matches: lookup.matches.map((match) => ({
      ...match,
      entry: secrets.entries[match.entryIndex] as PullSecretEntry,
    })),
  };
}

export function resolveImage(
  pod: PodSource,
  container: ContainerRef,
  image: string,
  secrets: EffectiveSecrets,
  identities: readonly NodeIdentity[],
  cache?: LookupCache,
): ResolvedImage {
  const lookup = cachedLookup(secrets, image, cache);
  const secretVia: PullPathStep["via"] =
    secrets.from === "serviceaccount" ? "serviceaccount-secret" : "pod-secret";
  const steps: PullPathStep[] = [];
  let repository: string | undefined;
  let host: string | undefined;
  let identityMatches: IdentityMatch[] = [];
  if (lookup.ok) {
    repository = lookup.normalizedImage;
    host = hostOf(repository);
    for (const match of lookup.matches) {
      const inspected = match.entry.inspected;
      const credential = inspected?.credential;
      steps.push({
        via: secretVia,
        secret: match.entry.secret.slice(match.entry.secret.indexOf("/") + 1),
        key: redactKey(match.key),
        ...(credential
          ? {
              credential: credential.token.label,
              verdict: credential.acceptance.verdict,
              reason: credential.acceptance.reason,
            }
          : { credential: "no credentials kubelet can use", verdict: "rejected" as const }),
      });
    }
    identityMatches = matchNodeIdentities(identities, repository);
    for (const { identity, pattern } of identityMatches) {
      steps.push({ via: "node-identity", key: pattern, identity: identity.label });
    }
  }
  const portMisses =
    lookup.ok && lookup.matches.length === 0 && repository !== undefined
      ? portSpellingMisses(secrets.entries, repository)
      : [];
  const path: PullPath = {
    image,
    ...(repository !== undefined ? { repository } : {}),
    ...(host !== undefined ? { host } : {}),
    secretsFrom: secrets.from,
    serviceAccount: pod.serviceAccount,
    secrets: secrets.names,
    steps,
    summary: lookup.ok
      ? summarize(steps, secrets, pod, host ?? "", portMisses)
      : `none: the image reference is invalid (${lookup.reason})`,
  };
  return {
    pod,
    container,
    image,
    secrets,
    ...(lookup.ok ? {} : { invalid: lookup.reason }),
    ...(repository !== undefined ? { repository } : {}),
    ...(host !== undefined ? { host } : {}),
    matches: lookup.matches,
    portMisses,
    identities: identityMatches,
    path,
  };
}

/** For the pull path: `key "registry.example.com" of secret pull differs only in the port spelling, ...`. */
function describePortMiss(miss: PortSpellingMiss, imageHost: string): string {
  return `key ${JSON.stringify(miss.key)} of secret ${miss.secret} differs from ${imageHost} only in the port spelling, which kubelet compares as written`;
}

function describeStep(step: PullPathStep, pod: PodSource): string {
  if (step.via === "node-identity")
    return `node identity: ${step.identity ?? "declared"} (pattern ${step.key ?? ""})`;
  const owner = step.via === "pod-secret" ? "pod secret" : `ServiceAccount ${pod.serviceAccount}'s secret`;
  const verdict =
    step.verdict && step.verdict !== "accepted" && step.verdict !== "unknown" ? `, ${step.verdict}` : "";
  return `${owner} ${step.secret ?? "?"} (key ${JSON.stringify(step.key ?? "")}${verdict})`;
}

function summarize(
  steps: readonly PullPathStep[],
  secrets: EffectiveSecrets,
  pod: PodSource,
  host: string,
  portMisses: readonly PortSpellingMiss[],
): string {
  if (secrets.fatal.length > 0) {
    return `none: kubelet cannot decode secret ${secrets.fatal.map((s) => s.object.ref.name).join(", ")}, so every pull of the Pod fails`;
  }
  if (steps.length > 0) return steps.map((step) => describeStep(step, pod)).join(" → ");
  const parts: string[] = [];
  if (secrets.names.length === 0) {
    parts.push(
      pod.pullSecrets.length > 0 || pod.admitted
        ? "the Pod has no imagePullSecrets"
        : `neither the Pod nor ServiceAccount ${pod.serviceAccount} has imagePullSecrets`,
    );
  } else {
    const source = secrets.from === "serviceaccount" ? `ServiceAccount ${pod.serviceAccount}'s` : "the Pod's";
    const usable = secrets.usable.map((s) => s.object.ref.name);
    parts.push(
      usable.length > 0
        ? `no key of ${source} secrets (${usable.join(", ")}) matches ${host}`
        : `none of ${source} secrets (${secrets.names.join(", ")}) is usable`,
    );
  }
  for (const miss of portMisses) parts.push(describePortMiss(miss, host));
  if (secrets.shadowed.length > 0) {
    parts.push(
      `ServiceAccount ${pod.serviceAccount}'s secrets (${secrets.shadowed.join(", ")}) are not copied because the Pod has its own`,
    );
  }
  parts.push("no node identity declared for it");
  return `anonymous: ${parts.join("; ")}`;
}
