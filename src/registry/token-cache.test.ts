import { describe, expect, it } from "vitest";
import { TOKEN_EXPIRY_LEEWAY_MS, createTokenCache, tokenCacheKey } from "./token-cache.js";
import { parseTokenResponse } from "./token.js";

describe("parseTokenResponse", () => {
  const now = new Date("2026-01-01T00:00:00Z");
  it.each([
    ['{"token":"t","expires_in":300,"issued_at":"2026-01-01T00:00:00Z"}', "t", 300],
    ['{"token":"t","access_token":"a","expires_in":300}', "a", 300],
    ['{"access_token":"a"}', "a", 60],
    ['{"token":"t","expires_in":10}', "t", 60],
    ['{"token":"t","expires_in":"300"}', "t", 60],
    ['{"token":"t","access_token":"","expires_in":120}', "t", 120],
    // issued_at in the past shortens the life; in the future (server clock ahead) it is capped at now.
    ['{"token":"t","expires_in":300,"issued_at":"2025-12-31T23:59:00Z"}', "t", 240],
    ['{"token":"t","expires_in":300,"issued_at":"2026-01-01T01:00:00Z"}', "t", 300],
    ['{"token":"t","expires_in":300,"issued_at":"garbage"}', "t", 300],
  ])("%s", (body, token, lifetimeSeconds) => {
    expect(parseTokenResponse(body, now)).toEqual({
      token,
      expiresAt: new Date(now.getTime() + lifetimeSeconds * 1000),
    });
  });

  it.each(["", "not json", "[]", "null", '{"token":""}', '{"expires_in":60}', '{"token":5}'])(
    "%j is refused",
    (body) => {
      expect(typeof parseTokenResponse(body, now)).toBe("string");
    },
  );
});

describe("createTokenCache", () => {
  it("honours expiry with a leeway", () => {
    const cache = createTokenCache();
    cache.set("k", { token: "t", expiresAt: 100_000 });
    expect(cache.get("k", 100_000 - TOKEN_EXPIRY_LEEWAY_MS - 1)?.token).toBe("t");
    expect(cache.get("k", 100_000 - TOKEN_EXPIRY_LEEWAY_MS)).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it("evicts the oldest entries beyond maxEntries", () => {
    const cache = createTokenCache({ maxEntries: 2 });
    cache.set("a", { token: "1", expiresAt: Infinity });
    cache.set("b", { token: "2", expiresAt: Infinity });
    cache.set("c", { token: "3", expiresAt: Infinity });
    expect(cache.get("a", 0)).toBeUndefined();
    expect(cache.get("c", 0)?.token).toBe("3");
    cache.clear();
    expect(cache.size).toBe(0);
  });

  it("shares one in-flight run per key", async () => {
    const cache = createTokenCache();
    let runs = 0;
    let release: (v: string) => void = () => {};
    const start = (): Promise<string> => {
      runs++;
      return new Promise<string>((resolve) => {
        release = resolve;
      });
    };
    const a = cache.inFlight("k", start);
    const b = cache.inFlight("k", start);
    const c = cache.inFlight("other", () => Promise.resolve("x"));
    release("shared");
    expect(await Promise.all([a, b, c])).toEqual(["shared", "shared", "x"]);
    expect(runs).toBe(1);
    // Settled runs are forgotten.
    expect(await cache.inFlight("k", () => Promise.resolve("again"))).toBe("again");
  });

  it("keys identities by an HMAC that holds no part of the credential", () => {
    const cache = createTokenCache();
    const password = "s3cr3t-Pa55word-value";
    const id = cache.identityOf({ username: "testuser", password });
    expect(id).not.toContain(password);
    expect(id).not.toContain("testuser");
    expect(id).toBe(cache.identityOf({ username: "testuser", password }));
    expect(id).not.toBe(cache.identityOf({ username: "testuser", password: `${password}x` }));
    expect(cache.identityOf({ identityToken: password })).not.toBe(
      cache.identityOf({ username: "", password }),
    );
    expect(cache.identityOf(undefined)).toBe("anonymous");
    // Another cache (another process) derives other identities: nothing to correlate or brute-force.
    expect(createTokenCache().identityOf({ username: "testuser", password })).not.toBe(id);
  });

  it("builds keys independent of scope order", () => {
    const k = (scopes: string[]): string =>
      tokenCacheKey({ realm: "https://r/t", service: "s", scopes, identity: "i" });
    expect(k(["repository:a:pull", "repository:b:pull"])).toBe(k(["repository:b:pull", "repository:a:pull"]));
    expect(k(["repository:a:pull"])).not.toBe(k(["repository:b:pull"]));
  });
});
