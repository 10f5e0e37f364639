// Public API of the hosts module: pure registry-host classification (re-exports only).
export { classifyRegistryHost } from "./classify.js";
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
} from "./types.js";
