import { describe, expect, it } from "vitest";
import { readResponseAsKubelet } from "./decode-response.js";
import { encodeCredentialProviderResponse } from "./encode-response.js";

describe("encodeCredentialProviderResponse", () => {
  it("writes TypeMeta first and only the fields kubelet decodes, in the request's version", () => {
    const text = encodeCredentialProviderResponse({
      apiVersion: "credentialprovider.kubelet.k8s.io/v1beta1",
      cacheKeyType: "Image",
      cacheDuration: "5m0s",
      auth: { "registry.example.com:5000/team": { username: "u", password: "p" } },
    });
    expect(text).toBe(
      '{"kind":"CredentialProviderResponse","apiVersion":"credentialprovider.kubelet.k8s.io/v1beta1","cacheKeyType":"Image","cacheDuration":"5m0s","auth":{"registry.example.com:5000/team":{"username":"u","password":"p"}}}\n',
    );
    expect(readResponseAsKubelet(text, "credentialprovider.kubelet.k8s.io/v1beta1").ok).toBe(true);
  });

  it("keeps a key named __proto__ a key", () => {
    const auth = Object.fromEntries([["__proto__", { username: "u", password: "p" }]]);
    const text = encodeCredentialProviderResponse({
      apiVersion: "credentialprovider.kubelet.k8s.io/v1",
      cacheKeyType: "Registry",
      auth,
    });
    expect(text).toContain('"auth":{"__proto__":{"username":"u","password":"p"}}');
  });
});
