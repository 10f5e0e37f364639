/**
 * The vocabulary of the cause catalogue: every cause id, the categories that group them, and the group of
 * generic causes that more specific ones explain. Ids are stable kebab-case strings: they appear in JSON
 * output, docs (docs/doctor.md) and tests unchanged, so scripts may branch on them.
 *
 * The order of CAUSE_IDS is the catalogue order: `diagnose` ranks causes of equal score in it. Each id has its
 * definition in `<id>.ts` beside this file (see index.ts) and its row in docs/doctor.md.
 */

export const CAUSE_IDS = [
  // the reference itself
  "invalid-image-name",
  "short-name-unresolved",
  "image-never-pull",
  // pull secrets
  "pull-secret-missing",
  "pull-secret-in-other-namespace",
  "pull-secret-name-typo",
  "pull-secret-wrong-type",
  "pull-secret-wrong-key",
  "pull-secret-malformed",
  "pull-secret-host-mismatch",
  "no-pull-credential",
  // service accounts
  "serviceaccount-patched-after-pod",
  "pod-overrides-serviceaccount-secrets",
  // credentials
  "ecr-token-expired",
  "credential-expired",
  "credential-kind-rejected",
  "credential-rejected",
  "ghcr-read-packages-missing",
  // authorization
  "registry-requires-auth",
  "registry-unauthorized",
  "registry-access-denied",
  "aks-node-missing-acrpull",
  "eks-node-role-missing-ecr-pull",
  "gcp-artifact-registry-permission-denied",
  // the image
  "image-not-found",
  "platform-not-available",
  "blob-missing",
  "schema1-unsupported",
  "signature-validation-failed",
  // network and TLS
  "dns-failure",
  "network-timeout",
  "connection-refused",
  "network-unreachable",
  "network-error",
  "tls-unknown-authority",
  "tls-hostname-mismatch",
  "tls-certificate-invalid-time",
  "registry-speaks-http",
  // the registry service
  "dockerhub-rate-limit",
  "rate-limited",
  "registry-unavailable",
  // time
  "clock-skew",
  // generic kubelet states
  "fixed-awaiting-retry",
  "image-pull-failed",
  "image-inspect-failed",
  "cached-image-credentials-verified",
] as const;

export type CauseId = (typeof CAUSE_IDS)[number];

export type CauseCategory =
  | "reference"
  | "pull-secret"
  | "service-account"
  | "credential"
  | "authorization"
  | "node-identity"
  | "image"
  | "network"
  | "tls"
  | "registry"
  | "clock"
  | "back-off"
  | "unknown";

/** The categories of causes about credentials: which one kubelet sends, and whether the registry takes it. */
export const CREDENTIAL_CATEGORIES: ReadonlySet<CauseCategory> = new Set([
  "pull-secret",
  "credential",
  "authorization",
  "node-identity",
  "service-account",
]);

/** Causes that only say "authentication or authorization failed", which more specific evidence explains. */
export const GENERIC_AUTH_CAUSES: readonly CauseId[] = [
  "registry-requires-auth",
  "registry-unauthorized",
  "registry-access-denied",
  "credential-rejected",
  "no-pull-credential",
  "image-pull-failed",
];
