/**
 * kubelet's credential lookup (`BasicDockerKeyring`, kubernetes/kubernetes pkg/credentialprovider/keyring.go),
 * replicated exactly:
 *
 * 1. `Add` normalises each registry key: prefix `https://` unless it starts with `https://` or `http://`,
 *    parse with Go's url.Parse (failure: the entry is ignored), strip the first 3 characters of a path starting
 *    `/v1/` or `/v2/`, and key by `host` (path empty or `/`) or `host + path`. The index is de-duplicated and
 *    sorted in reverse (Go byte order), so longer, more specific keys come first.
 * 2. `Lookup(image)`, where image is `ParseNormalizedNamed(image).Name()` (`nginx:1` → `docker.io/library/nginx`),
 *    returns the credentials of every index key that `URLsMatchStr(key, image)`: same port string, same number
 *    of dot-separated host labels, each label matched with `filepath.Match`, and the key's path a raw string
 *    prefix of the image path.
 * 3. Only if nothing matched and the image is a Docker Hub image (`isDefaultRegistryMatch`), the credentials
 *    stored under the normalised key `index.docker.io` (e.g. `https://index.docker.io/v1/`) are used.
 *
 * kubelet tries the returned credentials in order until a pull succeeds. Within one key, kubelet's order follows
 * Go map iteration over one config (unspecified) and then the order of the pod's secrets; here it is input order.
 *
 * Matching is all this does: an entry without usable credentials (`decoded` undefined) still matches, as it does
 * in kubelet (which then sends empty credentials). Whether kubelet accepts a secret at all (an undecodable `auth`
 * makes it reject the whole secret) is reported by the parser's error-level problems.
 */
import { normalizeImageName } from "../reference/index.js";
import { goPathMatch } from "./go-match.js";
import { compareGoStrings } from "./go-strings.js";
import { parseGoUrl, splitGoHostPort } from "./go-url.js";
import type { GoUrl } from "./go-url.js";

/** The normalised key whose credentials serve Docker Hub images when nothing else matched. */
export const DEFAULT_REGISTRY_KEY = "index.docker.io";

export interface KeyringKey {
  /** What kubelet indexes the entry under. */
  normalizedKey: string;
  /** url.Host (host or host:port). */
  host: string;
  /** The path after stripping `/v1` or `/v2`; "" when the key has no path (or just `/`). */
  path: string;
  /** The parsed URL of the (scheme-prefixed) key. */
  url: GoUrl;
  /** True when kubelet added `https://`. */
  schemeAdded: boolean;
}

export type KeyringKeyResult = ({ ok: true } & KeyringKey) | { ok: false; reason: string };

/** kubelet's `BasicDockerKeyring.Add` normalisation of one registry key. */
export function parseKeyringKey(key: string): KeyringKeyResult {
  const schemeAdded = !key.startsWith("https://") && !key.startsWith("http://");
  const parsed = parseGoUrl(schemeAdded ? "https://" + key : key);
  if (!parsed.ok) return { ok: false, reason: parsed.error };
  const url = parsed.url;
  let effectivePath = url.path;
  if (effectivePath.startsWith("/v2/") || effectivePath.startsWith("/v1/"))
    effectivePath = effectivePath.slice(3);
  const path = effectivePath.length > 0 && effectivePath !== "/" ? effectivePath : "";
  return { ok: true, normalizedKey: url.host + path, host: url.host, path, url, schemeAdded };
}

/** The key kubelet indexes `key` under, or undefined when kubelet ignores the entry (url.Parse fails). */
export function normalizeKeyringKey(key: string): string | undefined {
  const r = parseKeyringKey(key);
  return r.ok ? r.normalizedKey : undefined;
}

export type UrlsMatchReason =
  | "matched"
  | "key-unparseable"
  | "target-unparseable"
  | "port-mismatch"
  | "label-count-mismatch"
  | "path-not-prefix"
  | "label-mismatch"
  | "bad-pattern";

export interface UrlsMatchExplanation {
  matched: boolean;
  reason: UrlsMatchReason;
}

/** kubelet's `ParseSchemelessURL` + `SplitURL`: host labels and port string. */
function splitSchemeless(s: string): { labels: string[]; port: string; path: string } | undefined {
  const parsed = parseGoUrl("https://" + s);
  if (!parsed.ok) return undefined;
  const hp = splitGoHostPort(parsed.url.host);
  const host = hp ? hp.host : parsed.url.host;
  return { labels: host.split("."), port: hp ? hp.port : "", path: parsed.url.path };
}

/**
 * kubelet's `URLsMatchStr(glob, target)` with the reason for the outcome. `globKey` is a normalised key (see
 * `normalizeKeyringKey`) and `target` a normalised image name; both are parsed as `https://` + string.
 * Never throws.
 */
export function explainUrlsMatch(globKey: string, target: string): UrlsMatchExplanation {
  const glob = splitSchemeless(globKey);
  if (!glob) return { matched: false, reason: "key-unparseable" };
  const tgt = splitSchemeless(target);
  if (!tgt) return { matched: false, reason: "target-unparseable" };
  if (glob.port !== tgt.port) return { matched: false, reason: "port-mismatch" };
  if (glob.labels.length !== tgt.labels.length) return { matched: false, reason: "label-count-mismatch" };
  if (!tgt.path.startsWith(glob.path)) return { matched: false, reason: "path-not-prefix" };
  for (let k = 0; k < glob.labels.length; k++) {
    const outcome = goPathMatch(glob.labels[k] ?? "", tgt.labels[k] ?? "");
    if (outcome === "bad-pattern") return { matched: false, reason: "bad-pattern" };
    if (outcome === "no-match") return { matched: false, reason: "label-mismatch" };
  }
  return { matched: true, reason: "matched" };
}

/** kubelet's `URLsMatchStr(glob, target)`; a malformed pattern or unparseable string is no match. */
export function urlsMatch(globKey: string, target: string): boolean {
  return explainUrlsMatch(globKey, target).matched;
}

/**
 * kubelet's `isDefaultRegistryMatch(image)`: the image pulls from Docker Hub judging by its name (first segment
 * `docker.io` / `index.docker.io`, or containing neither `.` nor `:`). Note that `localhost/x` also qualifies.
 */
export function isDefaultRegistryMatch(image: string): boolean {
  const slash = image.indexOf("/");
  const first = slash < 0 ? image : image.slice(0, slash);
  if (first.length === 0) return false;
  if (slash < 0) return true;
  if (first === "docker.io" || first === "index.docker.io") return true;
  return !first.includes(".") && !first.includes(":");
}

export interface KeyringIndexEntry<T> {
  normalizedKey: string;
  entries: { entry: T; entryIndex: number }[];
}

export interface KeyringIndex<T> {
  /** De-duplicated normalised keys in kubelet's lookup order (reverse byte order). */
  keys: KeyringIndexEntry<T>[];
  /** Entries kubelet ignores because url.Parse fails on their key. */
  ignored: { entry: T; entryIndex: number; reason: string }[];
}

/** kubelet's `BasicDockerKeyring.Add` over `entries` (one config, or several concatenated in secret order). */
export function buildKeyringIndex<T extends { key: string }>(entries: readonly T[]): KeyringIndex<T> {
  const byKey = new Map<string, KeyringIndexEntry<T>>();
  const ignored: KeyringIndex<T>["ignored"] = [];
  entries.forEach((entry, entryIndex) => {
    const parsed = parseKeyringKey(entry.key);
    if (!parsed.ok) {
      ignored.push({ entry, entryIndex, reason: parsed.reason });
      return;
    }
    let slot = byKey.get(parsed.normalizedKey);
    if (!slot) {
      slot = { normalizedKey: parsed.normalizedKey, entries: [] };
      byKey.set(parsed.normalizedKey, slot);
    }
    slot.entries.push({ entry, entryIndex });
  });
  const keys = [...byKey.values()].sort((a, b) => compareGoStrings(b.normalizedKey, a.normalizedKey));
  return { keys, ignored };
}

export interface KeyringMatch<T> {
  entry: T;
  /** Index of the entry in the array given to the lookup. */
  entryIndex: number;
  /** The entry's key as written. */
  key: string;
  /** The normalised key that matched. */
  normalizedKey: string;
  /** `key-match`: URLsMatch(normalizedKey, image); `docker-hub-fallback`: the index.docker.io fallback. */
  via: "key-match" | "docker-hub-fallback";
}

/**
 * kubelet's `BasicDockerKeyring.Lookup(target)` for an already normalised image name (`docker.io/library/nginx`,
 * no tag or digest): the credentials kubelet tries, in order. Never throws.
 */
export function keyringLookup<T extends { key: string }>(
  entries: readonly T[],
  target: string,
): KeyringMatch<T>[] {
  const index = buildKeyringIndex(entries);
  const matches: KeyringMatch<T>[] = [];
  for (const slot of index.keys) {
    if (!urlsMatch(slot.normalizedKey, target)) continue;
    for (const { entry, entryIndex } of slot.entries) {
      matches.push({
        entry,
        entryIndex,
        key: entry.key,
        normalizedKey: slot.normalizedKey,
        via: "key-match",
      });
    }
  }
  if (matches.length > 0 || !isDefaultRegistryMatch(target)) return matches;
  const fallback = index.keys.find((slot) => slot.normalizedKey === DEFAULT_REGISTRY_KEY);
  for (const { entry, entryIndex } of fallback?.entries ?? []) {
    matches.push({
      entry,
      entryIndex,
      key: entry.key,
      normalizedKey: DEFAULT_REGISTRY_KEY,
      via: "docker-hub-fallback",
    });
  }
  return matches;
}

/**
 * The result of `lookupCredentials`: `ok: false` when the image is not a valid reference (kubelet fails such a
 * pull before looking up credentials), with distribution's reason.
 */
export type KeyringLookupResult<T> =
  | { ok: true; image: string; normalizedImage: string; matches: KeyringMatch<T>[] }
  | { ok: false; image: string; reason: string; matches: [] };

export interface LookupOptions {
  /** Replaces the reference module's normaliser (ParseNormalizedNamed(image).Name()); for tests. */
  normalizeImageName?: (image: string) => string;
}

/**
 * What kubelet tries for `image` (as written in a pod spec, e.g. `nginx:1.27`): normalises it like kubelet
 * (`ParseNormalizedNamed(image).Name()`), then `keyringLookup`. Never throws: an invalid image gives
 * `{ ok: false, reason }`.
 */
export function lookupCredentials<T extends { key: string }>(
  entries: readonly T[],
  image: string,
  options: LookupOptions = {},
): KeyringLookupResult<T> {
  let normalizedImage: string;
  try {
    normalizedImage = (options.normalizeImageName ?? normalizeImageName)(image);
  } catch (error) {
    const reason = error instanceof Error ? error.message : "invalid image reference";
    return { ok: false, image, reason, matches: [] };
  }
  if (typeof normalizedImage !== "string") {
    return { ok: false, image, reason: "invalid image reference", matches: [] };
  }
  return { ok: true, image, normalizedImage, matches: keyringLookup(entries, normalizedImage) };
}
