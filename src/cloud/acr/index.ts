/**
 * ACR credentials from an Azure identity (issue 13): `mintAcrCredential` for a registry credential (an ACR
 * refresh token with the null-GUID username), and `mintAcrAccessToken` for a token limited to some
 * repositories. docs/acr-credentials.md describes the identities, the chain and the errors.
 */
export { AcrCredentialError } from "./errors.js";
export type { AcrErrorCode } from "./errors.js";
export type { AzureIdentity } from "./identity.js";
export { mintAcrCredential } from "./mint.js";
export type { MintAcrCredentialOptions } from "./mint.js";
export { mintAcrAccessToken } from "./access-token.js";
