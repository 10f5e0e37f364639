/**
 * Registry token cache: bearer tokens keyed by realm + service + scope + identity, honouring expiry, with
 * in-flight de-duplication (concurrent checks of images in one repository share one token request, like
 * containerd's per-scope `authResult` and octokit's `pendingPromises`).
 *
 * The identity part of the key is an HMAC of the credential under a random per-cache key: the cache never
 * holds the credential, and its keys cannot be brute-forced offline even if they were printed.
 */
import { createHmac, randomBytes } from "node:crypto";
import type { RegistryCredential } from "./types.js";

export interface CachedToken {
  token: string;
  /** Epoch milliseconds after which the token is not used. */
  expiresAt: number;
}

export interface TokenCache {
  /** A valid (not yet expiring) token for `key`, or undefined. */
  get(key: string, nowMs: number): CachedToken | undefined;
  set(key: string, token: CachedToken): void;
  /**
   * Runs `start` unless a run for `key` is in flight, in which case its promise is shared. The entry is
   * dropped once the promise settles.
   */
  inFlight<T>(key: string, start: () => Promise<T>): Promise<T>;
  /** The opaque identity of a credential for cache keys ("anonymous" for none). */
  identityOf(credential: RegistryCredential | undefined): string;
  /** Forgets every token. */
  clear(): void;
  readonly size: number;
}

/** Tokens are not handed out during their last seconds, so none expires in flight. */
export const TOKEN_EXPIRY_LEEWAY_MS = 5_000;

export interface TokenCacheOptions {
  /** Entries kept at most (oldest evicted first), default 1000. */
  maxEntries?: number;
}

/** The cache key of a token request. */
export function tokenCacheKey(parts: {
  realm: string;
  service: string;
  scopes: readonly string[];
  identity: string;
}): string {
  return JSON.stringify([parts.realm, parts.service, [...parts.scopes].sort().join(" "), parts.identity]);
}

export function createTokenCache(options: TokenCacheOptions = {}): TokenCache {
  const maxEntries = options.maxEntries ?? 1000;
  const tokens = new Map<string, CachedToken>();
  const pending = new Map<string, Promise<unknown>>();
  const hmacKey = randomBytes(32);

  return {
    get(key, nowMs) {
      const hit = tokens.get(key);
      if (!hit) return undefined;
      if (nowMs >= hit.expiresAt - TOKEN_EXPIRY_LEEWAY_MS) {
        tokens.delete(key);
        return undefined;
      }
      return hit;
    },
    set(key, token) {
      tokens.delete(key);
      tokens.set(key, token);
      while (tokens.size > maxEntries) {
        const oldest = tokens.keys().next().value;
        if (oldest === undefined) break;
        tokens.delete(oldest);
      }
    },
    inFlight<T>(key: string, start: () => Promise<T>): Promise<T> {
      const running = pending.get(key);
      if (running) return running as Promise<T>;
      const p = start().finally(() => {
        pending.delete(key);
      });
      pending.set(key, p);
      return p;
    },
    identityOf(credential) {
      if (credential === undefined) return "anonymous";
      const material =
        "identityToken" in credential
          ? ["identity", credential.username ?? "", credential.identityToken]
          : ["basic", credential.username, credential.password];
      return createHmac("sha256", hmacKey).update(material.join("\0")).digest("base64url");
    },
    clear() {
      tokens.clear();
    },
    get size() {
      return tokens.size;
    },
  };
}
