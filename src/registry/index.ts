/**
 * The OCI distribution client of pullwarden: can this credential pull this image?
 *
 * The handshake (see access.ts for the step-by-step): ping `GET /v2/` → parse `WWW-Authenticate`
 * (challenge.ts) → Basic, or a Bearer token from the realm (token.ts; realm checked by realm.ts, scope from
 * scope.ts, cached by token-cache.ts) → `HEAD /v2/<name>/manifests/<ref>` → optional platform check
 * (platform.ts). Results are values (`AccessResult`, types.ts) with a stable `outcome`, a one-line `fix`
 * (fixes.ts) and a `steps` trace; nothing secret is ever returned (redact.ts). transport.ts is the only
 * module doing network I/O, and is injectable (share-pings.ts decorates it).
 *
 * Over many images: the kubelet keychain (keychain.ts: pull secrets, a docker config, one credential or none →
 * the ordered attempts for an image) and `checkImages` (check-images.ts), which runs them as kubelet does.
 */
export { checkAccess } from "./access.js";
export type { CheckAccessOptions } from "./access.js";
export { checkImages, selectResult } from "./check-images.js";
export type { AttemptReport, CheckImagesOptions, ImageCheckReport, SkipReason } from "./check-images.js";
export { checkMany, DEFAULT_CHECK_CONCURRENCY, mapWithConcurrency } from "./check-many.js";
export type { CheckManyItem, CheckManyOptions } from "./check-many.js";
export { describeChallenge, parseChallenges, preferredChallenge } from "./challenge.js";
export type { Challenge } from "./challenge.js";
export { BLUR_NOTES, classifyManifestAnswer, classifyTokenAnswer } from "./classify.js";
export type { Classification, ManifestAnswer, TokenAnswer } from "./classify.js";
export {
  DOCKER_HUB_REGISTRY,
  imageString,
  manifestReference,
  registryBaseUrl,
  registryHost,
} from "./endpoint.js";
export { ACCESS_FIXES, accessFix } from "./fixes.js";
export type { AccessFixKey } from "./fixes.js";
export {
  anonymousKeychain,
  dockerConfigKeychain,
  explicitKeychain,
  pullSecretAttempts,
  pullSecretKeychain,
} from "./keychain.js";
export type {
  AnonymousReason,
  CredentialLabel,
  DockerConfigResolver,
  Keychain,
  KeychainAttempt,
  KeychainImage,
  PullSecretSource,
} from "./keychain.js";
export { MANIFEST_ACCEPT, MediaType } from "./media-types.js";
export { formatPlatform, normalizePlatform, parsePlatform, platformMatches } from "./platform.js";
export type { Platform } from "./platform.js";
export { checkRealm, isForbiddenHost } from "./realm.js";
export type { RealmCheck, RealmProblem } from "./realm.js";
export { redactHeaders, redactText, redactUrl } from "./redact.js";
export { parseRegistryErrors, parseRetryAfter } from "./registry-errors.js";
export type { RegistryErrorEntry } from "./registry-errors.js";
export { formatScope, parseScope, repositoryScope, splitScopes } from "./scope.js";
export { sharePings } from "./share-pings.js";
export type { Scope } from "./scope.js";
export { fetchToken, MINIMUM_TOKEN_LIFETIME_SECONDS, parseTokenResponse, TOKEN_CLIENT_ID } from "./token.js";
export type { FetchTokenOptions, TokenFailure, TokenGrant, TokenResult } from "./token.js";
export { createTokenCache, TOKEN_EXPIRY_LEEWAY_MS } from "./token-cache.js";
export type { CachedToken, TokenCache, TokenCacheOptions } from "./token-cache.js";
export { classifyNetworkError, TransportError } from "./transport-error.js";
export type { NetworkReason, RedirectReason, TlsReason, TransportFailure } from "./transport-error.js";
export {
  createTransport,
  DEFAULT_MAX_BODY_BYTES,
  DEFAULT_MAX_REDIRECTS,
  DEFAULT_TIMEOUT_MS,
  DEFAULT_USER_AGENT,
  headerValue,
} from "./transport.js";
export type {
  HttpMethod,
  Transport,
  TransportOptions,
  TransportRequest,
  TransportResponse,
} from "./transport.js";
export { AccessOutcome } from "./types.js";
export type {
  AccessResult,
  AccessStep,
  AccessStepName,
  AuthMode,
  BadRealmResult,
  DeniedResult,
  ImageTarget,
  NetworkResult,
  NotFoundResult,
  NotFoundWhat,
  OkResult,
  PlainHttpReason,
  PlainHttpResult,
  PlatformMissingResult,
  RateLimitedResult,
  RegistryCredential,
  RegistryErrorReason,
  RegistryErrorResult,
  TlsResult,
  UnauthorizedReason,
  UnauthorizedResult,
} from "./types.js";
