/** What doctor checks, shared by the causes of a kind (`CauseDefinition.checks`). */

export const SECRET_CHECKS = [
  "whether every Secret named in the Pod's imagePullSecrets exists in the Pod's namespace, has type kubernetes.io/dockerconfigjson and parses",
  "which entries of those Secrets kubelet would try for the image, in kubelet's order",
];

export const CREDENTIAL_CHECKS = [
  "the kind and expiry of each credential kubelet would try (token prefix, JWT exp, ECR token expiration)",
  "with --probe: an authenticated manifest request with each of those credentials, and an anonymous one",
];

export const NETWORK_CHECKS = [
  "the node the Pod is scheduled on (its provider, runtime and kubelet version)",
  "with --probe: the registry handshake from where doctor runs (DNS, TCP, TLS, HTTP)",
];
