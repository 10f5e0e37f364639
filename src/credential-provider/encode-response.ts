/**
 * The `CredentialProviderResponse` the plugin prints: the fields kubelet decodes and nothing else (its decoder
 * is strict, so an extra field would make kubelet drop the answer), in the version of the request (kubelet
 * checks the response's apiVersion against the provider's config). Key order as Go writes it: TypeMeta first.
 */
import { RESPONSE_KIND } from "./protocol.js";
import type { CredentialProviderResponse } from "./protocol.js";

export function encodeCredentialProviderResponse(response: CredentialProviderResponse): string {
  // fromEntries defines own properties, so even a key named __proto__ stays a key.
  const auth = Object.fromEntries(
    Object.entries(response.auth).map(([key, { username, password }]) => [key, { username, password }]),
  );
  return `${JSON.stringify({
    kind: RESPONSE_KIND,
    apiVersion: response.apiVersion,
    cacheKeyType: response.cacheKeyType,
    ...(response.cacheDuration !== undefined ? { cacheDuration: response.cacheDuration } : {}),
    auth,
  })}\n`;
}
