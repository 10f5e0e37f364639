/**
 * Docker registry credentials as Kubernetes uses them: building `.dockerconfigjson` payloads byte-identical to
 * kubectl's, parsing `.dockerconfigjson` / `.dockercfg` / docker `config.json` the way kubelet reads them (with
 * every problem real consumers have reported as a value), Secrets holding them, merging, and kubelet's exact
 * keyring lookup (which credentials kubelet tries for an image, and why). Pure: no I/O.
 */
export { encodeGoJson, encodeGoJsonIndent, goMap } from "./go-json.js";
export type { GoJsonValue } from "./go-json.js";

export type {
  DecodedCredentials,
  DockerConfigEntry,
  DockerConfigFormat,
  ParsedDockerConfig,
} from "./model.js";
export { PROBLEM_CODES } from "./problem-codes.js";
export { hasErrors, redactDerivedKey, redactKey } from "./problems.js";
export type { Problem, ProblemCode, Severity } from "./problems.js";

export {
  buildDockerConfigFromAuths,
  buildDockerConfigJson,
  validatePullCredential,
  validatePullCredentials,
} from "./build.js";
export type { BuildOptions, DockerAuthInput, PullCredentialInput } from "./build.js";

export { looksLikeYamlManifest, parseDockerConfigText } from "./parse.js";
export type { ParseDockerConfigOptions } from "./parse.js";

export {
  DOCKERCFG_KEY,
  DOCKERCONFIGJSON_KEY,
  SECRET_TYPE_DOCKERCFG,
  SECRET_TYPE_DOCKERCONFIGJSON,
  detectInputKind,
  dockerConfigFromSecret,
} from "./secret.js";
export type { DockerConfigSecret, DockerConfigSecretKey } from "./secret.js";

export { parseDockerConfigTextToView } from "./client-view.js";
export type { DockerClientEntry, DockerClientView } from "./client-view.js";

export { mergeDockerConfigs } from "./merge.js";
export type { MergeInput, MergedDockerConfig, MergedEntry } from "./merge.js";

export {
  buildKeyringIndex,
  explainUrlsMatch,
  lookupCredentials,
  normalizeKeyringKey,
  parseKeyringKey,
  urlsMatch,
} from "./keyring.js";
export type {
  KeyringKey,
  KeyringKeyResult,
  KeyringLookupResult,
  KeyringMatch,
  LookupOptions,
  UrlsMatchExplanation,
  UrlsMatchReason,
} from "./keyring.js";
