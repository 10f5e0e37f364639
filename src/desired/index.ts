// The desired pull setup shared by `plan` and `apply` (pure).
export {
  CONTROLLER_WRITER,
  MANAGED_BY_LABEL_KEY,
  MANAGED_BY_LABEL_VALUE,
  WRITER_LABEL_KEY,
} from "./model.js";
export type {
  CredentialSource,
  DesiredBinding,
  NamespaceSelection,
  PullSecretSpec,
  PullSetupSpec,
} from "./model.js";
export { expandSpec } from "./expand.js";
export {
  BINDING_KIND,
  BINDING_PLURAL,
  CONTROLLER_API_GROUP,
  CREDENTIAL_KIND,
  CREDENTIAL_PLURAL,
} from "./controller-resources.js";
export type {
  ClusterPullCredential,
  ClusterPullCredentialSpec,
  ClusterPullCredentialStatus,
  ClusterPullSecretBinding,
  ClusterPullSecretBindingSpec,
  ClusterPullSecretBindingStatus,
  Condition,
  CredentialSourceSpec,
  NamespaceSelectionSpec,
  RefreshPolicySpec,
  VerifySpec,
} from "./controller-resources.js";
