// `plan` and `init` (pure): layout → validated layout → decisions → files or a summary.
export {
  CREDENTIAL_TYPES,
  LAYOUT_API_VERSION,
  LAYOUT_KIND,
  LAYOUT_SCHEMA,
  LAYOUT_SCHEMA_URL,
} from "./layout-schema.js";
export type {
  AksSettings,
  ClusterDecl,
  ClusterProvider,
  CredentialDecl,
  CredentialType,
  EksSettings,
  GkeSettings,
  Layout,
  NamespaceDecl,
  RegistryDecl,
  WorkloadDecl,
  WorkloadKind,
} from "./layout-types.js";
export { MAX_LAYOUT_BYTES, ecrHost, parseLayout } from "./layout-parse.js";
export type { ParseLayoutOptions } from "./layout-parse.js";
export { LayoutError, formatProblem } from "./layout-errors.js";
export { FORMATS, formatMismatch } from "./layout-formats.js";
export type { StringFormat } from "./layout-formats.js";
export type { LayoutProblem } from "./layout-errors.js";
export { ACR_PULL_ROLE_ID, ECR_PULL_ONLY_POLICY, ECR_READ_ONLY_POLICY, planLayout } from "./decide.js";
export type { PlanOptions } from "./decide.js";
export type {
  CloudStep,
  ControllerResources,
  CredentialProviderConfig,
  CredentialProviderEntry,
  ImageCheck,
  NamespacePlan,
  Plan,
  PodReference,
  PullMethod,
  RegistryDecision,
  Rotation,
  ServiceAccountBinding,
  PlanFile,
  RenderOptions,
  SecretValue,
  Step,
} from "./plan-types.js";
export { buildCredentialProviderConfig, ecrPattern } from "./credential-provider.js";
export { renderPlanFiles } from "./render-files.js";
export { workloadPatch } from "./render-manifests.js";
export { renderPlanSummary } from "./render-summary.js";
export {
  USERNAME_PLACEHOLDER,
  nameRegistries,
  needsCredential,
  parseRegistrySpec,
  renderInitLayout,
} from "./init-layout.js";
export type { InitAnswers, InitRegistry } from "./init-layout.js";

export { planFromLayoutText } from "./plan-from-text.js";
