/**
 * ACR credentials from an Azure identity (issue 13): `mintAcrCredential` for a registry credential (an ACR
 * refresh token with the null-GUID username), and `mintAcrAccessToken` for a token limited to some
 * repositories. See docs/cloud-credentials.md for the identities, the chain and the errors.
 */
export { ACR_SCOPE, AUTHORITY_HOSTS } from "./clouds.js";
export type { AzureCloud } from "./clouds.js";
export { AcrCredentialError } from "./errors.js";
export type { AcrErrorCode } from "./errors.js";
export type { AzureIdentity, AzureIdentityKind } from "./identity.js";
export { ACR_STEP_TIMEOUT_MS, mintAcrCredential } from "./mint.js";
export type { MintAcrCredentialOptions } from "./mint.js";
export { mintAcrAccessToken } from "./access-token.js";
export type { MintAcrAccessTokenOptions } from "./access-token.js";
