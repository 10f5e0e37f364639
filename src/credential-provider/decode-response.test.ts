import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { readResponseAsKubelet } from "./decode-response.js";

const V1 = "credentialprovider.kubelet.k8s.io/v1";
const ok = (fields: Record<string, unknown>) =>
  JSON.stringify({ kind: "CredentialProviderResponse", apiVersion: V1, cacheKeyType: "Registry", ...fields });

describe("readResponseAsKubelet (plugin.go ExecPlugin and decodeResponse)", () => {
  it("reads what kubelet uses: cacheKeyType, cacheDuration, auth", () => {
    expect(
      readResponseAsKubelet(
        ok({ cacheDuration: "6h0m0s", auth: { "ghcr.io": { username: "u", password: "p" } } }),
        V1,
      ),
    ).toEqual({
      ok: true,
      response: {
        cacheKeyType: "Registry",
        cacheDurationMs: 6 * 3600_000,
        auth: { "ghcr.io": { username: "u", password: "p" } },
      },
    });
    expect(readResponseAsKubelet(ok({}), V1)).toEqual({
      ok: true,
      response: { cacheKeyType: "Registry", auth: {} },
    });
  });

  it.each<[string, string, RegExp]>([
    [
      "another apiVersion",
      ok({}).replace(V1, "credentialprovider.kubelet.k8s.io/v1beta1"),
      /did not match expected apiVersion/,
    ],
    ["an unknown field (kubelet decodes strictly)", ok({ expiresAt: "x" }), /unknown field/],
    [
      "an invalid cacheKeyType",
      ok({ cacheKeyType: "Pod" }),
      /invalid cacheKeyType "Pod": the response is not used/,
    ],
    ["a cacheDuration that is not a Go duration", ok({ cacheDuration: "10 minutes" }), /cacheDuration/],
    [
      "an auth entry with an identity token",
      ok({ auth: { h: { username: "u", password: "p", identitytoken: "t" } } }),
      /unknown field/,
    ],
    ["the wrong kind", ok({ kind: "CredentialProviderRequest" }), /kind was not CredentialProviderResponse/],
    ["not JSON", "Error: no credentials", /error reading GVK/],
    [
      "a repeated field",
      `{"kind":"CredentialProviderResponse","apiVersion":"${V1}","cacheKeyType":"Image","cacheKeyType":"Image"}`,
      /repeats a field/,
    ],
  ])("drops %s", (_what, stdout, reason) => {
    const reading = readResponseAsKubelet(stdout, V1);
    expect(reading.ok).toBe(false);
    if (!reading.ok) expect(reading.reason).toMatch(reason);
  });

  it("never echoes a password in a reason (fast-check)", () => {
    fc.assert(
      fc.property(fc.string({ minLength: 8 }), fc.jsonValue(), (password, junk) => {
        const reading = readResponseAsKubelet(ok({ auth: { h: { username: "u", password } }, junk }), V1);
        if (!reading.ok) expect(reading.reason).not.toContain(password);
      }),
    );
  });
});
