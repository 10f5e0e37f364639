// Docker credential helpers (I/O edge) and how a docker config.json resolves to pull credentials.
export { DEFAULT_HELPER_TIMEOUT_MS, createRunHelper } from "./exec-helper.js";
export { resolveDockerConfigCredentials } from "./resolve.js";
export type { ResolvedCredential } from "./resolve.js";
export { createHelperPort } from "./helper-port.js";
