/**
 * pullwarden's library API, `import { ... } from "pullwarden"`: docs/library.md says what each group is for,
 * with an example the test suite runs. Everything here is pure or talks only to registries: importing it loads
 * no Kubernetes client and no cloud SDK. The cluster side (kubeconfig, the client, apply) is `pullwarden/kube`
 * (src/kube-entry.ts).
 *
 * The list is deliberate: a name is here because a library user needs it, or because it appears in the
 * signature of one that is (test/library.test.ts fails on a forgotten type). Changing it changes
 * test/library-api.snapshot.txt, so an API change is a visible diff.
 */

// Errors and exit codes (docs/exit-codes.md): every failure is a PullwardenError with a stable `code`.
export {
  EnvironmentError,
  ExitCode,
  InputError,
  InternalError,
  InvalidReferenceError,
  PullwardenError,
  UsageError,
  exitCodeOf,
} from "./errors.js";
export type { InputPosition, PullwardenErrorOptions } from "./errors.js";
export { VERSION } from "./version.js";

// Image references, parsed as kubelet, containerd and Docker parse them (distribution/reference).
export {
  familiarName,
  familiarString,
  isDockerHubDomain,
  normalizeImageName,
  parseCanonicalReference,
  parseNormalizedReference,
  referenceString,
  repositoryName,
  splitHostPort,
  withDefaultTag,
} from "./reference/index.js";
export type { ImageReference } from "./reference/index.js";

// Registry hosts: which kind of registry (ACR, ECR, GCR/Artifact Registry, GHCR, Docker Hub, other) a host is.
export { classifyRegistryHost } from "./hosts/index.js";
export type {
  AcrCloud,
  AcrHostInfo,
  AwsPartition,
  DockerHubHostInfo,
  DockerHubKubeletMatch,
  EcrHostInfo,
  EcrPublicHostInfo,
  GcrHostInfo,
  GenericHostInfo,
  GhcrHostInfo,
  RegistryHostInfo,
  RegistryKind,
} from "./hosts/index.js";

// Tokens: what a password is (ECR token, ACR refresh token, GitHub PAT, JWT, ...) and whether a pull accepts it.
export { assessPullCredential, classifyToken, redactSecret } from "./tokens/index.js";
export type {
  AssessPullCredentialInput,
  ClassifyTokenInput,
  PullAcceptance,
  PullVerdict,
  TokenInfo,
  TokenKind,
  TokenVariant,
} from "./tokens/index.js";

// .dockerconfigjson: build (byte-identical to kubectl), validate, parse as kubelet reads it, merge, Secrets.
export {
  DOCKERCFG_KEY,
  DOCKERCONFIGJSON_KEY,
  PROBLEM_CODES,
  SECRET_TYPE_DOCKERCFG,
  SECRET_TYPE_DOCKERCONFIGJSON,
  buildDockerConfigFromAuths,
  buildDockerConfigJson,
  dockerConfigFromSecret,
  hasErrors,
  mergeDockerConfigs,
  parseDockerConfigText,
  redactKey,
  validatePullCredential,
  validatePullCredentials,
} from "./dockerconfig/index.js";
export type {
  BuildOptions,
  DecodedCredentials,
  DockerAuthInput,
  DockerConfigEntry,
  DockerConfigFormat,
  DockerConfigSecret,
  DockerConfigSecretKey,
  MergeInput,
  MergedDockerConfig,
  MergedEntry,
  ParseDockerConfigOptions,
  ParsedDockerConfig,
  Problem,
  ProblemCode,
  PullCredentialInput,
  Severity,
} from "./dockerconfig/index.js";
// The Secret manifest around a payload, printed as `kubectl create secret docker-registry -o yaml|json` does.
export { printSecretJson, printSecretYaml, withHashSuffix } from "./manifest/index.js";
export type { PrintOptions, SecretManifest } from "./manifest/index.js";

// Kubelet matching: which credentials kubelet tries for an image, in which order, and why a key matches or not.
export {
  explainUrlsMatch,
  lookupCredentials,
  normalizeKeyringKey,
  parseKeyringKey,
  urlsMatch,
} from "./dockerconfig/index.js";
export type {
  KeyringKey,
  KeyringKeyResult,
  KeyringLookupResult,
  KeyringMatch,
  LookupOptions,
  UrlsMatchExplanation,
  UrlsMatchReason,
} from "./dockerconfig/index.js";
export type { GoUrl, GoUserinfo } from "./dockerconfig/go-url.js";
export { describeKeyCoverage } from "./inspect/index.js";
export type { KeyCoverage } from "./inspect/index.js";

// Inspect (`secret inspect`): Secrets, config.json and .dockercfg text → sources → a report of every entry.
export { loadPullCredentialSources } from "./manifest/index.js";
export type { PullCredentialSource, PullCredentialSources } from "./manifest/index.js";
export { inspectPullCredentials } from "./inspect/index.js";
export type {
  InspectOptions,
  InspectProblem,
  InspectProblemCode,
  InspectReport,
  InspectedCredential,
  InspectedEntry,
  InspectedSource,
} from "./inspect/index.js";

// Registry access (`check`): can this credential pull this image, and if not, why and what fixes it.
// checkAccess checks one credential; checkImages runs a keychain's attempts for each image as kubelet does.
export {
  AccessOutcome,
  TransportError,
  anonymousKeychain,
  checkAccess,
  checkImages,
  createTransport,
  dockerConfigKeychain,
  explicitKeychain,
  parsePlatform,
  pullSecretAttempts,
  pullSecretKeychain,
} from "./registry/index.js";
export type {
  AnonymousReason,
  AttemptReport,
  CheckImagesOptions,
  CredentialLabel,
  DockerConfigResolver,
  ImageCheckReport,
  Keychain,
  KeychainAttempt,
  KeychainImage,
  PullSecretSource,
  SkipReason,
} from "./registry/index.js";
export type { ResolvedCredential } from "./credential-helpers/index.js";
export type {
  AccessResult,
  AccessStep,
  AccessStepName,
  AuthMode,
  BadRealmResult,
  CachedToken,
  CheckAccessOptions,
  DeniedResult,
  HttpMethod,
  ImageTarget,
  NetworkReason,
  NetworkResult,
  NotFoundResult,
  NotFoundWhat,
  OkResult,
  PlainHttpReason,
  PlainHttpResult,
  Platform,
  PlatformMissingResult,
  RateLimitedResult,
  RealmProblem,
  RedirectReason,
  RegistryCredential,
  RegistryErrorReason,
  RegistryErrorResult,
  TlsReason,
  TlsResult,
  TokenCache,
  Transport,
  TransportFailure,
  TransportOptions,
  TransportRequest,
  TransportResponse,
  UnauthorizedReason,
  UnauthorizedResult,
} from "./registry/index.js";

// Plan (`plan`, `init`): layout YAML → validated layout → plan (decisions) → files or a summary.
export {
  LAYOUT_SCHEMA,
  LayoutError,
  parseLayout,
  planFromLayoutText,
  planLayout,
  renderInitLayout,
  renderPlanFiles,
  renderPlanSummary,
} from "./plan/index.js";
export type {
  AksSettings,
  CloudStep,
  ClusterDecl,
  ControllerResources,
  ClusterProvider,
  CredentialDecl,
  CredentialProviderConfig,
  CredentialProviderEntry,
  CredentialType,
  EksSettings,
  GkeSettings,
  ImageCheck,
  InitAnswers,
  InitRegistry,
  Layout,
  LayoutProblem,
  NamespaceDecl,
  NamespacePlan,
  ParseLayoutOptions,
  Plan,
  PlanFile,
  PlanOptions,
  PodReference,
  PullMethod,
  RegistryDecision,
  RegistryDecl,
  RenderOptions,
  Rotation,
  SecretValue,
  ServiceAccountBinding,
  WorkloadDecl,
  WorkloadKind,
} from "./plan/index.js";
// The desired pull setup a plan produces (`plan.spec`) and `pullwarden/kube`'s applyPullSetup applies.
export type { CredentialSource, NamespaceSelection, PullSecretSpec, PullSetupSpec } from "./desired/index.js";
// The pullwarden controller's custom resources, as a plan with `cluster.rotation: controller` writes them.
export type {
  ClusterPullCredential,
  ClusterPullCredentialSpec,
  ClusterPullCredentialStatus,
  ClusterPullSecretBinding,
  ClusterPullSecretBindingSpec,
  ClusterPullSecretBindingStatus,
  Condition,
  CredentialSourceSpec,
  NamespaceSelectionSpec,
  RefreshPolicySpec,
  VerifySpec,
} from "./desired/index.js";
export type { LabelSelector, LabelSelectorOperator, LabelSelectorRequirement } from "./kube-model/index.js";

// Audit (`audit`): Kubernetes objects → findings (rules in RULE_CATALOG, docs/audit/) → text, JSON, SARIF,
// JUnit or HTML.
export {
  RULE_CATALOG,
  audit,
  buildJsonReport,
  buildSarif,
  findRule,
  loadManifestText,
  parseAuditConfig,
  renderHtml,
  renderJunit,
  renderText,
} from "./audit/index.js";
export type {
  AuditConfig,
  AuditObject,
  AuditOptions,
  AuditResult,
  AuditSummary,
  FieldPath,
  Finding,
  InputProblem,
  LoadedText,
  Location,
  NodeIdentity,
  ObjectOrigin,
  ObjectRef,
  Painter,
  PullPath,
  PullPathStep,
  RuleMeta,
  SarifOptions,
  Suppression,
  SuppressionRule,
  TextOptions,
  ToolInfo,
} from "./audit/index.js";

// Doctor (`doctor`, `explain`): evidence about a Pod → ranked causes with fixes; pasted text → the same.
export {
  CAUSES,
  CAUSE_IDS,
  diagnose,
  evidenceFromObjects,
  explainText,
  recognizeRuntimeMessage,
} from "./doctor/index.js";
export type {
  CauseCategory,
  CauseId,
  Confidence,
  ContainerEvidence,
  ContainerKind,
  Diagnosis,
  EventEvidence,
  Evidence,
  EvidenceGap,
  EvidenceSource,
  ExplainOptions,
  ExplainReport,
  ExplainedMessage,
  ExplainedPod,
  Fix,
  GapSubject,
  GatheredObjects,
  KubeletSecretUse,
  NodeEvidence,
  NodeProvider,
  NotShown,
  OwnerEvidence,
  PodEvidence,
  ProbeCredential,
  ProbeEvidence,
  PullPolicy,
  RuntimeId,
  RuntimeRecognition,
  SecretDockerConfig,
  SecretElsewhere,
  SecretEvidence,
  SecretListing,
  SecretState,
  ServiceAccountEvidence,
  TextFormat,
} from "./doctor/index.js";
// What doctor's probe learnt from the GitHub API about a ghcr.io token (ProbeEvidence.githubToken).
export type { GitHubTokenFinding, GitHubTokenFindingCode } from "./cloud/github/token-scopes.js";
