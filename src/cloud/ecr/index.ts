/**
 * ECR registry credentials minted through the AWS SDK (loaded only when a token is minted). The API:
 * - `mintEcrCredential({ server, auth?, ... })` → `ResolvedCredential` (username `AWS`, the token's password,
 *   `expiresAt` from ECR's answer, `identity` = the role/profile/chain link that signed), or a
 *   `CloudCredentialError` (E_AWS_*, E_ECR_*; docs/exit-codes.md) / `InputError` (E_ECR_HOST,
 *   E_ECR_PUBLIC_UNSUPPORTED);
 * - `auth: { kind: "web-identity", token, roleArn }` for a ServiceAccount token given by kubelet;
 * - `ecrRegistryTarget(server)` for the region/account/partition a host names (pure).
 */
export { mintEcrCredential, ECR_MAX_ATTEMPTS, ECR_MINT_DEADLINE_MS, ECR_REQUEST_TIMEOUT_MS } from "./mint.js";
export type { EcrAuth, EcrMintRequest } from "./mint.js";
export { ecrRegistryTarget } from "./registry-target.js";
export type { EcrRegistryTarget, EcrTargetHints } from "./registry-target.js";
