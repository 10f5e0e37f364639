// `pullwarden/kube`: the cluster side of the library (loads @kubernetes/client-node).
export * from "./kube/index.js";
export * from "./apply/index.js";
