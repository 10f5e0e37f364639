/**
 * The catalogue of image-pull failure causes `doctor` and `explain` report. Ids are stable kebab-case strings:
 * they appear in JSON output, docs (docs/doctor.md) and tests unchanged, so scripts may branch on them.
 *
 * `checks` says what `doctor` looks at to confirm or refine the cause when only text was available (`explain`
 * prints them as "what doctor would check next"); `title` is one line for people.
 */

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
  | "unknown";

interface CauseSpec {
  readonly title: string;
  readonly category: CauseCategory;
  /** What doctor inspects (live) to confirm this cause or find the precise one behind it. */
  readonly checks: readonly string[];
}

const SECRET_CHECKS = [
  "whether every Secret named in the Pod's imagePullSecrets exists in the Pod's namespace, has type kubernetes.io/dockerconfigjson and parses",
  "which entries of those Secrets kubelet would try for the image, in kubelet's order",
];
const CREDENTIAL_CHECKS = [
  "the kind and expiry of each credential kubelet would try (token prefix, JWT exp, ECR token expiration)",
  "with --probe: an authenticated manifest request with each of those credentials, and an anonymous one",
];
const NETWORK_CHECKS = [
  "the node the Pod is scheduled on (its provider, runtime and kubelet version)",
  "with --probe: the registry handshake from where doctor runs (DNS, TCP, TLS, HTTP)",
];

export const CAUSES = {
  // --- the reference itself ------------------------------------------------------------------------------
  "invalid-image-name": {
    title: "The image reference is malformed",
    category: "reference",
    checks: ["the image string of each container, parsed with the grammar kubelet uses"],
  },
  "short-name-unresolved": {
    title: "CRI-O cannot resolve an unqualified (short) image name",
    category: "reference",
    checks: ["the node's runtime (CRI-O) and the image string"],
  },
  "image-never-pull": {
    title: "imagePullPolicy is Never and the image is not on the node",
    category: "image",
    checks: ["the container's imagePullPolicy and the node the Pod runs on"],
  },
  // --- pull secrets ----------------------------------------------------------------------------------------
  "pull-secret-missing": {
    title: "A pull secret the Pod references does not exist in its namespace",
    category: "pull-secret",
    checks: [
      ...SECRET_CHECKS,
      "Secrets with a similar name in the namespace (a typo), and Secrets of that name in other namespaces",
    ],
  },
  "pull-secret-in-other-namespace": {
    title: "The pull secret exists, but in another namespace",
    category: "pull-secret",
    checks: SECRET_CHECKS,
  },
  "pull-secret-name-typo": {
    title: "The pull secret name is misspelled",
    category: "pull-secret",
    checks: SECRET_CHECKS,
  },
  "pull-secret-wrong-type": {
    title: "The pull secret has the wrong type, so kubelet ignores it",
    category: "pull-secret",
    checks: SECRET_CHECKS,
  },
  "pull-secret-wrong-key": {
    title: "The pull secret has no .dockerconfigjson key, so kubelet ignores it",
    category: "pull-secret",
    checks: SECRET_CHECKS,
  },
  "pull-secret-malformed": {
    title: "A pull secret cannot be read, which fails every pull of the Pod",
    category: "pull-secret",
    checks: SECRET_CHECKS,
  },
  "pull-secret-host-mismatch": {
    title: "No pull secret entry matches the image's registry, so kubelet pulls anonymously",
    category: "pull-secret",
    checks: SECRET_CHECKS,
  },
  "no-pull-credential": {
    title: "The Pod has no credential for a registry that requires one",
    category: "pull-secret",
    checks: [
      ...SECRET_CHECKS,
      "the ServiceAccount's imagePullSecrets and the node's provider (kubelet credential providers)",
    ],
  },
  // --- service accounts ------------------------------------------------------------------------------------
  "serviceaccount-patched-after-pod": {
    title: "The ServiceAccount's imagePullSecrets changed after the Pod was created",
    category: "service-account",
    checks: ["the ServiceAccount's current imagePullSecrets against the Pod's"],
  },
  "pod-overrides-serviceaccount-secrets": {
    title: "The Pod sets its own imagePullSecrets, so the ServiceAccount's are never used",
    category: "service-account",
    checks: ["the ServiceAccount's current imagePullSecrets against the Pod's"],
  },
  // --- credentials -----------------------------------------------------------------------------------------
  "ecr-token-expired": {
    title: "An ECR token stored in a static pull secret has expired",
    category: "credential",
    checks: CREDENTIAL_CHECKS,
  },
  "credential-expired": {
    title: "The pull credential has expired",
    category: "credential",
    checks: CREDENTIAL_CHECKS,
  },
  "credential-kind-rejected": {
    title: "The registry does not accept this kind of credential for pulls",
    category: "credential",
    checks: CREDENTIAL_CHECKS,
  },
  "credential-rejected": {
    title: "The registry rejected the credential (wrong, expired or revoked)",
    category: "credential",
    checks: CREDENTIAL_CHECKS,
  },
  "ghcr-read-packages-missing": {
    title: "The GitHub token cannot read the package (read:packages scope or package access missing)",
    category: "authorization",
    checks: [
      ...CREDENTIAL_CHECKS,
      "with --probe: the token's scopes (X-OAuth-Scopes of api.github.com) and a manifest request on ghcr.io",
    ],
  },
  // --- authorization -----------------------------------------------------------------------------------------
  "registry-requires-auth": {
    title: "The registry requires credentials and none were sent",
    category: "authorization",
    checks: [...SECRET_CHECKS, ...CREDENTIAL_CHECKS],
  },
  "registry-unauthorized": {
    title: "The registry answered 401 Unauthorized (credentials missing or rejected)",
    category: "authorization",
    checks: [...SECRET_CHECKS, ...CREDENTIAL_CHECKS],
  },
  "registry-access-denied": {
    title: "Access denied: the credential may not pull this repository, or the repository does not exist",
    category: "authorization",
    checks: [...SECRET_CHECKS, ...CREDENTIAL_CHECKS],
  },
  "aks-node-missing-acrpull": {
    title: "The AKS kubelet identity lacks AcrPull on the registry",
    category: "node-identity",
    checks: [
      "the node's provider and kubelet identity (labels, providerID)",
      "whether a pull secret covers the ACR host",
    ],
  },
  "eks-node-role-missing-ecr-pull": {
    title: "The EKS node role cannot pull from ECR",
    category: "node-identity",
    checks: [
      "the node's provider and node group (labels, providerID)",
      "whether a pull secret covers the ECR host",
    ],
  },
  "gcp-artifact-registry-permission-denied": {
    title: "The Google service account lacks Artifact Registry read access",
    category: "node-identity",
    checks: ["the node's provider and the credential kubelet would try"],
  },
  // --- the image ---------------------------------------------------------------------------------------------
  "image-not-found": {
    title: "The repository or tag does not exist",
    category: "image",
    checks: [
      "with --probe: manifest and tag requests with the Pod's credentials (a 404 with a valid credential is a real not-found)",
    ],
  },
  "platform-not-available": {
    title: "The image has no variant for the node's platform",
    category: "image",
    checks: ["the node's OS and architecture", "with --probe: the platforms listed in the image index"],
  },
  "blob-missing": {
    title: "The manifest exists but one of its layers is missing from the registry",
    category: "image",
    checks: ["with --probe: the manifest and its blobs"],
  },
  "schema1-unsupported": {
    title: "The image uses the Docker schema 1 manifest format, which containerd 2 no longer pulls",
    category: "image",
    checks: ["the node's container runtime version"],
  },
  "signature-validation-failed": {
    title: "The runtime's signature policy rejected the image",
    category: "image",
    checks: ["the node's runtime (CRI-O) and its policy.json"],
  },
  // --- network and TLS ---------------------------------------------------------------------------------------
  "dns-failure": {
    title: "The registry host name does not resolve from the node",
    category: "network",
    checks: NETWORK_CHECKS,
  },
  "network-timeout": {
    title: "The connection to the registry timed out",
    category: "network",
    checks: NETWORK_CHECKS,
  },
  "connection-refused": {
    title: "The registry refused the connection",
    category: "network",
    checks: NETWORK_CHECKS,
  },
  "network-unreachable": {
    title: "The registry's network is unreachable from the node",
    category: "network",
    checks: NETWORK_CHECKS,
  },
  "network-error": {
    title: "The connection to the registry failed",
    category: "network",
    checks: NETWORK_CHECKS,
  },
  "tls-unknown-authority": {
    title: "The registry's certificate is signed by a CA the node does not trust",
    category: "tls",
    checks: NETWORK_CHECKS,
  },
  "tls-hostname-mismatch": {
    title: "The registry's certificate is not valid for its host name",
    category: "tls",
    checks: NETWORK_CHECKS,
  },
  "tls-certificate-invalid-time": {
    title: "The registry's certificate is expired or not yet valid (or the node's clock is wrong)",
    category: "tls",
    checks: [...NETWORK_CHECKS, "the node's clock against the API server's"],
  },
  "registry-speaks-http": {
    title: "The registry speaks plain HTTP where the runtime expects HTTPS",
    category: "tls",
    checks: NETWORK_CHECKS,
  },
  // --- the registry service ----------------------------------------------------------------------------------
  "dockerhub-rate-limit": {
    title: "Docker Hub's pull rate limit was reached",
    category: "registry",
    checks: [
      "whether a credential kubelet would try covers Docker Hub (authenticated pulls have higher limits)",
    ],
  },
  "rate-limited": {
    title: "The registry is rate-limiting pulls",
    category: "registry",
    checks: ["whether a credential kubelet would try covers the registry"],
  },
  "registry-unavailable": {
    title: "The registry is unavailable or failing",
    category: "registry",
    checks: NETWORK_CHECKS,
  },
  // --- time --------------------------------------------------------------------------------------------------
  "clock-skew": {
    title:
      "A clock is wrong: the token or certificate is not valid yet, or already expired, on some machines",
    category: "clock",
    checks: [
      "the node's clock (lease renewals) against the API server's",
      "the not-before and expiry times of each credential kubelet would try",
    ],
  },
  // --- generic kubelet states --------------------------------------------------------------------------------
  "image-pull-failed": {
    title: "The image pull failed; the detailed error is not in the text",
    category: "unknown",
    checks: [
      "the container's waiting message (newer kubelets keep the previous pull error there) and the Pod's Failed events",
      ...SECRET_CHECKS,
    ],
  },
  "image-inspect-failed": {
    title: "The runtime could not inspect the image on the node",
    category: "unknown",
    checks: ["the node's container runtime and its logs"],
  },
  "cached-image-credentials-verified": {
    title: "kubelet re-verified the Pod's credentials for a cached image (KubeletEnsureSecretPulledImages)",
    category: "credential",
    checks: ["the credentials kubelet would try for the image"],
  },
} as const satisfies Record<string, CauseSpec>;

export type CauseId = keyof typeof CAUSES;

export const CAUSE_IDS = Object.keys(CAUSES) as CauseId[];

export function isCauseId(value: string): value is CauseId {
  return Object.hasOwn(CAUSES, value);
}

/** Causes that are not failures by themselves (reported, never counted as findings). */
export const INFORMATIONAL_CAUSES: ReadonlySet<CauseId> = new Set<CauseId>([
  "cached-image-credentials-verified",
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
