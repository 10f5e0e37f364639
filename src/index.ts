/**
 * pullwarden's library API (re-exports only). The pure core and the registry client load no Kubernetes client
 * and no cloud SDK; the cluster side (kubeconfig, CRUD, apply) is the separate entry `pullwarden/kube`.
 */
export * from "./errors.js";
export { VERSION } from "./version.js";
export * from "./reference/index.js";
export * from "./hosts/index.js";
export * from "./tokens/index.js";
export * from "./dockerconfig/index.js";
export * from "./manifest/index.js";
export * from "./inspect/index.js";
export * from "./desired/index.js";
export * from "./registry/index.js";
export * from "./plan/index.js";
export * from "./audit/index.js";
export * from "./doctor/index.js";
