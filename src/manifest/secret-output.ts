// The Secret printers and hash without the YAML parser: `secret create` loads only this (start-up time).
export {
  DOCKER_CONFIG_JSON_KEY,
  DOCKER_CONFIG_JSON_TYPE,
  printSecretJson,
  printSecretName,
  printSecretYaml,
} from "./secret-manifest.js";
export { withHashSuffix } from "./secret-hash.js";
