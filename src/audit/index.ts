/**
 * `audit`: finds broken and insecure image-pull setups in Kubernetes objects (manifests or a live cluster's
 * objects). Pure: `audit(objects, options)` returns findings as values; the reporters turn them into text,
 * JSON, SARIF 2.1.0, JUnit or HTML. Rules are listed in RULE_CATALOG and documented in docs/audit/.
 */
export { audit } from "./audit.js";
export { parseAuditConfig } from "./config.js";
export type { AuditConfig } from "./config.js";
export { loadManifestText } from "./load-text.js";
export type { LoadedText } from "./load-text.js";
export { locateFields, locateFindings } from "./locate.js";
export { layoutIdentities, providerIdentity } from "./node-identity.js";
export type { CloudProvider } from "./node-identity.js";
export { RULE_CATALOG, findRule } from "./rules/index.js";
export { parseIgnoreAnnotation } from "./suppress.js";
export { renderText } from "./report/text.js";
export type { Painter, TextOptions } from "./report/text.js";
export { buildJsonReport } from "./report/json.js";
export type { ToolInfo } from "./report/json.js";
export { buildSarif } from "./report/sarif.js";
export type { SarifOptions } from "./report/sarif.js";
export { renderJunit } from "./report/junit.js";
export { renderHtml } from "./report/html.js";
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
