/**
 * kubelet's credential provider exec protocol (KEP-2133, KEP-4412): the objects on the plugin's stdin and stdout.
 * Field names and which fields each version has are those of k8s.io/kubelet v0.37.2
 * `pkg/apis/credentialprovider/{v1,v1beta1,v1alpha1}/types.go`; the service-account fields exist in v1 only.
 * https://kubernetes.io/docs/reference/config-api/kubelet-credentialprovider.v1/
 */

export const CREDENTIAL_PROVIDER_GROUP = "credentialprovider.kubelet.k8s.io";

/** The versions kubelet speaks, newest first (kubelet sends the one the provider's config names). */
export const PROTOCOL_API_VERSIONS = [
  `${CREDENTIAL_PROVIDER_GROUP}/v1`,
  `${CREDENTIAL_PROVIDER_GROUP}/v1beta1`,
  `${CREDENTIAL_PROVIDER_GROUP}/v1alpha1`,
] as const;
export type ProtocolApiVersion = (typeof PROTOCOL_API_VERSIONS)[number];

/** The only version with `serviceAccountToken` and `serviceAccountAnnotations` (and `tokenAttributes`). */
export const SERVICE_ACCOUNT_API_VERSION: ProtocolApiVersion = `${CREDENTIAL_PROVIDER_GROUP}/v1`;

export const REQUEST_KIND = "CredentialProviderRequest";
export const RESPONSE_KIND = "CredentialProviderResponse";

/**
 * What kubelet caches a response under: the image, its registry (the first path segment, port included), or
 * everything. Any other value makes kubelet drop the response.
 */
export const CACHE_KEY_TYPES = ["Image", "Registry", "Global"] as const;
export type CacheKeyType = (typeof CACHE_KEY_TYPES)[number];

export function isProtocolApiVersion(value: string): value is ProtocolApiVersion {
  return (PROTOCOL_API_VERSIONS as readonly string[]).includes(value);
}

export function isCacheKeyType(value: string): value is CacheKeyType {
  return (CACHE_KEY_TYPES as readonly string[]).includes(value);
}

export interface CredentialProviderRequest {
  readonly apiVersion: ProtocolApiVersion;
  /** The image as the Pod names it (tag or digest included), e.g. `ghcr.io/org/app:1.2`. */
  readonly image: string;
  /** The Pod's ServiceAccount token, bound to the Pod (v1, only with `tokenAttributes`). A secret. */
  readonly serviceAccountToken?: string;
  /** The ServiceAccount annotations the provider's `tokenAttributes` lists (v1 only). */
  readonly serviceAccountAnnotations?: Readonly<Record<string, string>>;
}

export interface AuthConfig {
  readonly username: string;
  readonly password: string;
}

export interface CredentialProviderResponse {
  readonly apiVersion: ProtocolApiVersion;
  readonly cacheKeyType: CacheKeyType;
  /** Go duration (`11h45m0s`); undefined: kubelet uses the provider's `defaultCacheDuration`; `0s`: no caching. */
  readonly cacheDuration?: string;
  /** Match pattern (kubelet's keyring rules: port kept, path a raw prefix, `*` one host label) → credentials. */
  readonly auth: Readonly<Record<string, AuthConfig>>;
}
