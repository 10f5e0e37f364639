/**
 * The static source: a docker `config.json`-style file of `auths` (GHCR classic PATs, Harbor robot accounts,
 * Docker Hub tokens), parsed by the one docker-config parser (src/dockerconfig/) and matched with kubelet's own
 * keyring rules (`keyringLookup`, `urlsMatch`), so the plugin hands kubelet what a pull secret with the same
 * entries would have matched. What a response holds depends on what kubelet caches it under:
 *
 * - `Image`: the entries that match this image (kubelet caches the answer for this image only);
 * - `Registry`: every entry for the image's registry host, whatever its path (the answer is reused for other
 *   images of the registry, whose paths may match other entries);
 * - `Global`: every entry (the answer is reused for every image this provider's matchImages send).
 *
 * Keys are the entries' normalised keys (`host[:port][/path]`: the port kept, a path a raw prefix), which kubelet
 * normalises and matches exactly as it does a pull secret's.
 */
import {
  hasErrors,
  lookupCredentials,
  normalizeKeyringKey,
  parseDockerConfigText,
  parseKeyringKey,
  redactKey,
  urlsMatch,
} from "../dockerconfig/index.js";
import { InputError } from "../errors.js";
import { classifyToken } from "../tokens/index.js";
import type { AuthConfig, CacheKeyType } from "./protocol.js";

/** The registry key kubelet's keyring uses for Docker Hub images when nothing else matched. */
const DOCKER_HUB_FALLBACK_KEY = "index.docker.io";

export interface StaticEntry {
  /** The key as written in the file. */
  readonly key: string;
  /** What kubelet's keyring indexes it under. */
  readonly normalizedKey: string;
  /** Host (and port) of the key, without its path. */
  readonly host: string;
  readonly username: string;
  readonly password: string;
  /** When the password says it expires (a JWT's exp): the answer is cached until shortly before. */
  readonly expiresAt?: Date;
}

export interface StaticCredentials {
  /** Names the file in messages. */
  readonly source: string;
  readonly entries: readonly StaticEntry[];
}

function refuse(source: string, message: string, hint: string): never {
  throw new InputError("E_PROVIDER_STATIC_CONFIG", `${source}: ${message}`, { source, hint });
}

/** Parses the static file's text; refuses what kubelet would misread and what the protocol cannot carry. */
export function parseStaticCredentials(text: string | Uint8Array, source: string): StaticCredentials {
  const parsed = parseDockerConfigText(text, { source });
  const error = parsed.problems.find((problem) => problem.severity === "error");
  if (hasErrors(parsed.problems) && error) {
    refuse(source, error.message, `check it with: pullwarden secret inspect ${source}`);
  }
  if (parsed.credsStore !== undefined || parsed.credHelpers !== undefined) {
    refuse(
      source,
      "names credential helpers (credsStore/credHelpers), which the plugin does not run",
      "put each registry's username and password under auths",
    );
  }
  const entries: StaticEntry[] = [];
  for (const entry of parsed.entries) {
    const keyText = redactKey(entry.key);
    const parsedKey = parseKeyringKey(entry.key);
    if (!parsedKey.ok) {
      refuse(
        source,
        `the key ${keyText} is not a URL kubelet can read (${parsedKey.reason})`,
        "write it as host[:port][/path]",
      );
    }
    const decoded = entry.decoded;
    if (!decoded || (decoded.username === "" && decoded.password === "")) {
      refuse(
        source,
        `the entry ${keyText} has no username and password (kubelet's credential provider protocol carries nothing else, not an identitytoken)`,
        "give it username and password (or auth)",
      );
    }
    const expiresAt = classifyToken({ username: decoded.username, password: decoded.password }).expiresAt;
    entries.push({
      key: entry.key,
      normalizedKey: parsedKey.normalizedKey,
      host: parsedKey.host,
      username: decoded.username,
      password: decoded.password,
      ...(expiresAt ? { expiresAt } : {}),
    });
  }
  if (entries.length === 0)
    refuse(source, "holds no registry credentials", "add an auths entry per registry");
  return { source, entries };
}

/** The entries a response cached under `cacheKeyType` must hold for `image` (empty: the image is not served). */
export function selectStaticEntries(
  credentials: StaticCredentials,
  normalizedImage: string,
  cacheKeyType: CacheKeyType,
): StaticEntry[] {
  switch (cacheKeyType) {
    case "Global":
      return [...credentials.entries];
    case "Image": {
      const found = lookupCredentials(credentials.entries, normalizedImage, {
        normalizeImageName: (name) => name,
      });
      return found.matches.map((match) => match.entry);
    }
    case "Registry": {
      const registry = normalizedImage.split("/")[0] ?? "";
      const forRegistry = credentials.entries.filter((entry) => urlsMatch(entry.host, registry));
      // kubelet's Docker Hub fallback (keyring.go isDefaultRegistryMatch): `index.docker.io` serves docker.io.
      const fallback =
        registry === "docker.io"
          ? credentials.entries.filter((entry) => normalizeKeyringKey(entry.key) === DOCKER_HUB_FALLBACK_KEY)
          : [];
      return [...new Set([...forRegistry, ...fallback])];
    }
  }
}

/** The `auth` map of the response: normalised key → credentials, the first entry of a key kept. */
export function staticAuth(entries: readonly StaticEntry[]): Record<string, AuthConfig> {
  const auth = new Map<string, AuthConfig>();
  for (const entry of entries) {
    if (!auth.has(entry.normalizedKey)) {
      auth.set(entry.normalizedKey, { username: entry.username, password: entry.password });
    }
  }
  return Object.fromEntries(auth);
}
