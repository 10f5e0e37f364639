// Docker credential helpers (I/O edge) and how a docker config.json resolves to pull credentials.
export { NOT_FOUND_MESSAGE, interpretGet, interpretList } from "./protocol.js";
export type { HelperCredentials, HelperFailure, HelperGetResult } from "./protocol.js";
export { DEFAULT_HELPER_TIMEOUT_MS, createRunHelper } from "./exec-helper.js";
export type { HelperRun, RunHelper, RunHelperOptions } from "./exec-helper.js";
export {
  DOCKER_HUB_CONFIG_KEY,
  configKeyHostname,
  registryToConfigKey,
  resolveDockerConfigCredentials,
} from "./resolve.js";
export type { HelperPort, ResolvedCredential } from "./resolve.js";
export { createHelperPort } from "./helper-port.js";
export type { HelperPortOptions } from "./helper-port.js";
