/**
 * ECR registry credentials minted through the AWS SDK (loaded only when a token is minted). The API:
 * - `mintEcrCredential({ server, auth?, ... })` → `ResolvedCredential` (username `AWS`, the token's password,
 *   `expiresAt` from ECR's answer, `identity` = the role/profile/chain link that signed), or a
 *   `CloudCredentialError` (its AWS and ECR codes are listed in docs/exit-codes.md) / `InputError`
 *   (E_ECR_HOST, E_ECR_PUBLIC_UNSUPPORTED);
 * - `auth: { kind: "web-identity", token, roleArn }` for a ServiceAccount token given by kubelet;
 * - bounds: `requestTimeoutMs` (10 s per request), `maxAttempts` (3), `deadlineMs` (45 s in all).
 */
export { mintEcrCredential } from "./mint.js";
export type { EcrMintRequest } from "./mint.js";
