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
export { checkMany } from "./check-many.js";
export { ACCESS_FIXES, accessFix } from "./fixes.js";
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
export { formatPlatform, parsePlatform } from "./platform.js";
export type { Platform } from "./platform.js";
export type { RealmProblem } from "./realm.js";
export { redactText } from "./redact.js";
export { createTokenCache } from "./token-cache.js";
export type { CachedToken, TokenCache } from "./token-cache.js";
export { TransportError } from "./transport-error.js";
export type { NetworkReason, RedirectReason, TlsReason, TransportFailure } from "./transport-error.js";
export { createTransport, DEFAULT_USER_AGENT } from "./transport.js";
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
