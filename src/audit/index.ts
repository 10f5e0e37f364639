/**
 * `audit`: finds broken and insecure image-pull setups in Kubernetes objects (manifests or a live cluster's
 * objects). Pure: `audit(objects, options)` returns findings as values; the reporters turn them into text,
 * JSON, SARIF 2.1.0, JUnit or HTML. Rules are listed in RULE_CATALOG and documented in docs/audit/.
 */
export { audit, compareFindings } from "./audit.js";
export { parseAuditConfig } from "./config.js";
export type { AuditConfig } from "./config.js";
export { loadManifestText } from "./load-text.js";
export type { LoadedText } from "./load-text.js";
export { locateFields, locateFindings } from "./locate.js";
export { PROVIDER_IDENTITIES, providerIdentity } from "./node-identity.js";
export type { CloudProvider } from "./node-identity.js";
export { RULE_CATALOG, findRule } from "./rules/index.js";
export { IGNORE_ANNOTATION, parseIgnoreAnnotation } from "./suppress.js";
export { scanForCredentials } from "./credential-scan.js";
export type { CredentialHit } from "./credential-scan.js";
export { renderText, PLAIN } from "./report/text.js";
export type { Painter, TextOptions } from "./report/text.js";
export { buildJsonReport, REPORT_API_VERSION } from "./report/json.js";
export type { ToolInfo } from "./report/json.js";
export { buildSarif, SARIF_SCHEMA } from "./report/sarif.js";
export type { SarifOptions } from "./report/sarif.js";
export { renderJunit } from "./report/junit.js";
export { renderHtml } from "./report/html.js";
export { docsUrl } from "./report/shared.js";
export { SEVERITIES, SEVERITY_RANK } from "./types.js";
export type {
  AuditObject,
  AuditOptions,
  AuditResult,
  AuditSummary,
  FieldPath,
  Finding,
  InputProblem,
  Location,
  NodeIdentity,
  ObjectOrigin,
  ObjectRef,
  PullPath,
  PullPathStep,
  RuleMeta,
  Severity,
  Suppression,
  SuppressionRule,
} from "./types.js";
