// `secret inspect` / `secret match` analysis (pure).
export { describeKeyCoverage } from "./describe-key.js";
export type { KeyCoverage } from "./describe-key.js";
export { inspectPullCredentials } from "./inspect.js";
export type {
  InspectOptions,
  InspectReport,
  InspectedCredential,
  InspectedEntry,
  InspectedSource,
} from "./inspect.js";
export type { InspectProblem, InspectProblemCode } from "./credential-problems.js";
export { registryLabel } from "./registry-label.js";
