// The Secret printers without the YAML parser: `secret create` loads only this (start-up time); the name's hash
// suffix, with node:crypto, from secret-hash.ts when --append-hash asks for it.
export {
  DOCKER_CONFIG_JSON_KEY,
  DOCKER_CONFIG_JSON_TYPE,
  printSecretJson,
  printSecretName,
  printSecretYaml,
} from "./secret-manifest.js";
