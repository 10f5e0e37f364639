// The desired pull setup shared by `plan` and `apply` (pure).
export { MANAGED_BY_LABEL_KEY, MANAGED_BY_LABEL_VALUE } from "./model.js";
export type {
  CredentialSource,
  DesiredBinding,
  NamespaceSelection,
  PullSecretSpec,
  PullSetupSpec,
} from "./model.js";
export { expandSpec } from "./expand.js";
