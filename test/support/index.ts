// The real-component test harness: registries, a token server, skopeo, containerd's CRI, kubectl, a real Kubernetes
// control plane (etcd, kube-apiserver, kube-controller-manager).
// Each module holds one concept; startWorld() wires the common setup together.
export * from "./authfile.js";
export * from "./cleanup.js";
export * from "./credential-helper.js";
export * from "./containerd.js";
export * from "./control-plane.js";
export * from "./cri-client.js";
export * from "./kubectl.js";
export * from "./net.js";
export * from "./oci-image.js";
export * from "./pod-status.js";
export * from "./processes.js";
export * from "./registry.js";
export * from "./scratch.js";
export * from "./skopeo.js";
export * from "./tls.js";
export * from "./token-server.js";
export * from "./tools.js";
export * from "./world.js";
