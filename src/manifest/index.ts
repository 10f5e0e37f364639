// Kubernetes manifests as kubectl prints them (pure).
export { goYamlString } from "./go-yaml-scalar.js";
export {
  DOCKER_CONFIG_JSON_KEY,
  DOCKER_CONFIG_JSON_TYPE,
  printSecretJson,
  printSecretYaml,
} from "./secret-manifest.js";
export type { PrintOptions, SecretManifest } from "./secret-manifest.js";
export { withHashSuffix } from "./secret-hash.js";
export { parseManifestDocuments } from "./documents.js";
export type { ManifestDocument } from "./documents.js";
export { loadPullCredentialSources } from "./pull-credential-sources.js";
export type { PullCredentialSource, PullCredentialSources } from "./pull-credential-sources.js";
