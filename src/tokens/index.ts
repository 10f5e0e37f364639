// Public API of the tokens module: offline credential classification and pull assessment (re-exports only).
export { assessPullCredential } from "./assess.js";
export { ACR_REFRESH_TOKEN_USERNAME, classifyToken, ECR_USERNAME } from "./classify.js";
export { redactSecret } from "./redact.js";
export type {
  AssessPullCredentialInput,
  ClassifyTokenInput,
  PullAcceptance,
  PullVerdict,
  TokenInfo,
  TokenKind,
  TokenVariant,
} from "./types.js";
