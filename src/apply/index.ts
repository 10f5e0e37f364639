// `apply`: put pull secrets and ServiceAccount bindings into a cluster, idempotently (reconcile is pure; the
// executor is the only writer).
export { applyPullSetup, applyResolvedPullSetup } from "./apply.js";
export type {
  ApplyOptions,
  ApplyProgress,
  ApplyPullSetupOptions,
  CredentialResolver,
  ResolvedPullSecretSpec,
} from "./apply.js";
export { describeWrite, executeActions } from "./execute.js";
export type { ExecuteOptions } from "./execute.js";
export { OWNED_ENTRIES_ANNOTATION, isWriteAction } from "./model.js";
export type {
  Action,
  ApplyDesired,
  ApplyItemResult,
  ApplyResult,
  ApplySummary,
  DryRun,
  ItemStatus,
  NamespaceState,
  NoteAction,
  Observed,
  PruneScope,
  ReadFailure,
  ReconcileOptions,
  StuckPodSkip,
  WantedSecret,
  WriteAction,
} from "./model.js";
export { observeCluster, readNamespaceStates } from "./observe.js";
export type { ListScope, ObserveRequest } from "./observe.js";
export {
  encodePayload,
  isOwned,
  ownedEntries,
  planBind,
  planPrune,
  planSecret,
  planUnbind,
  reconcile,
  stuckContainer,
} from "./reconcile.js";
export { renderDiff } from "./diff.js";
