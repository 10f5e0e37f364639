/**
 * The kubelet image credential provider (KEP-2133, with KEP-4412's ServiceAccount tokens): the plugin kubelet
 * execs (`plugin.ts`, entry `main.ts`), the decisions behind it (`serve.ts` and the sources), and the tooling
 * around kubelet's CredentialProviderConfig (`check-config.ts`, `simulate.ts`). docs/credential-provider.md.
 */
export { checkKubeletConfig } from "./check-config.js";
export type { ConfigCheck } from "./check-config.js";
export { readConfigFiles } from "./read-config-files.js";
export { checkPluginOptions } from "./plugin-options.js";
export { runPlugin } from "./plugin.js";
export { simulateKubelet } from "./simulate.js";
export type { Simulation } from "./simulate.js";
