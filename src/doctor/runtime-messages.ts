/**
 * Recognition of image-pull error messages in the wordings of kubelet, containerd 1.6 / 1.7 / 2.x, CRI-O
 * (containers/image), dockershim (the Docker daemon) and the registries behind them
 * (/work/shared/reference/peers-audit-doctor.md table b). Sources per wording are in the table below.
 *
 * kubelet's shapes around a runtime error:
 * - event `Failed`: `Failed to pull image "<img>": <runtime error>`, then `Error: ErrImagePull`;
 * - waiting message (kubelet ≥ 1.32): `Back-off pulling image "<img>": ErrImagePull: <previous error>`;
 * - a runtime error is usually gRPC-wrapped: `rpc error: code = Unknown desc = failed to pull and unpack image
 *   "<ref>": failed to resolve reference "<ref>": …` (containerd image_pull.go, client/pull.go);
 * - several credentials tried: kubelet aggregates the errors as `[err1, err2]`.
 *
 * The text is redacted first (redact.ts): every captured fragment comes from redacted text, so recognition
 * never carries a secret. Patterns are linear (no nested quantifiers) and input is capped in length, so any
 * text, however hostile, is answered quickly. Nothing here throws.
 */
import { parseNormalizedReference } from "../reference/index.js";
import type { CauseId } from "./causes.js";
import { MAX_MESSAGE_LENGTH, redactMessage } from "./redact.js";

/**
 * The runtime whose wording was recognised. `containerd-1.7+` covers 1.7 and 2.x (same wording);
 * `containerd` is containerd of any version; `kubelet` is kubelet's own text.
 */
export type RuntimeId =
  | "containerd-1.6"
  | "containerd-1.7+"
  | "containerd-2.x"
  | "containerd"
  | "cri-o"
  | "dockershim"
  | "kubelet"
  | "registry"
  | "unknown";

export interface RuntimeRecognition {
  readonly recognised: boolean;
  readonly cause: CauseId | "unrecognised";
  /** Causes the same wording is also used for (registries blur 401/403/404 on purpose). */
  readonly alternatives: readonly CauseId[];
  readonly runtime: RuntimeId;
  /** Stable id of the wording that matched (see WORDINGS), or "unrecognised". */
  readonly wording: string;
  /** What the wording means, in one line. */
  readonly meaning: string;
  /** The image the message is about, when it names one. */
  readonly image?: string;
  /** The registry host the message names (from a URL, a lookup or the image). */
  readonly host?: string;
  /** The HTTP status in the message, when it has one. */
  readonly status?: number;
  /** Wording-specific details: `secrets` (names), `platform`, `what` (tag/repository), `time`… */
  readonly details: Readonly<Record<string, string>>;
  /** Other causes found in the same text (kubelet aggregates one error per credential tried). */
  readonly also: readonly CauseId[];
  /** The message, redacted. */
  readonly message: string;
}

interface Wording {
  readonly id: string;
  readonly cause: CauseId;
  readonly re: RegExp;
  readonly meaning: string;
  /** Set when the wording itself pins the runtime (version). */
  readonly runtime?: RuntimeId;
  readonly alternatives?: readonly CauseId[];
  readonly details?: (match: RegExpExecArray) => Record<string, string | undefined>;
  readonly status?: (match: RegExpExecArray) => number | undefined;
  /** Refines the cause from the match (e.g. by HTTP status). */
  readonly causeFor?: (match: RegExpExecArray) => CauseId;
}

const statusGroup =
  (group: number) =>
  (match: RegExpExecArray): number | undefined => {
    const value = Number(match[group]);
    return Number.isInteger(value) && value >= 100 && value <= 599 ? value : undefined;
  };

/**
 * In priority order: the first wording that matches gives the cause. Specific before generic: a message such
 * as `pull access denied …: authorization failed: no basic auth credentials` is about missing credentials,
 * not about a missing repository.
 */
export const WORDINGS: readonly Wording[] = [
  // --- kubelet's own text (pkg/kubelet/images/image_manager.go, kubelet_pods.go) -------------------------
  {
    id: "kubelet-invalid-image-name",
    cause: "invalid-image-name",
    runtime: "kubelet",
    re: /Failed to apply default image tag "([^"\n]*)"|couldn't parse image (?:name|reference)|\bInvalidImageName\b/,
    meaning: "kubelet could not parse the image reference (InvalidImageName); nothing was pulled",
    details: (m) => ({ lowercase: /must be lowercase/.test(m.input) ? "true" : undefined }),
  },
  {
    id: "kubelet-never-pull",
    cause: "image-never-pull",
    runtime: "kubelet",
    re: /is not present with pull policy of Never|\bErrImageNeverPull\b/,
    meaning: "imagePullPolicy: Never and the image is not on the node (ErrImageNeverPull)",
  },
  {
    id: "kubelet-missing-pull-secrets",
    cause: "pull-secret-missing",
    runtime: "kubelet",
    re: /Unable to retrieve some image pull secrets \(([^)\n]*)\)/,
    meaning:
      "kubelet could not read some of the Pod's imagePullSecrets (FailedToRetrieveImagePullSecret) and pulls without them",
    details: (m) => ({ secrets: m[1] }),
  },
  {
    id: "kubelet-signature-validation-failed",
    cause: "signature-validation-failed",
    runtime: "cri-o",
    re: /because the signature validation failed|\bSignatureValidationFailed\b|Source image rejected:/,
    meaning: "the runtime's signature policy (CRI-O policy.json) rejected the image",
  },
  {
    id: "kubelet-cached-image-verified",
    cause: "cached-image-credentials-verified",
    runtime: "kubelet",
    re: /already present on machine and can be accessed by the pod/,
    meaning:
      "the image was cached and kubelet verified that this Pod's credentials may use it (KubeletEnsureSecretPulledImages)",
  },
  // --- registry-specific answers ----------------------------------------------------------------------------
  {
    id: "ecr-token-expired",
    cause: "ecr-token-expired",
    re: /Your authorization token has expired/i,
    meaning: "Amazon ECR refused an expired authorization token (ECR tokens live 12 hours)",
  },
  {
    id: "ghcr-read-package-denied",
    cause: "ghcr-read-packages-missing",
    re: /permission_denied: (?:read_package|The token provided does not match expected scopes)/,
    meaning:
      "ghcr.io refused the token: it lacks read:packages, or the package is not visible to the token's user",
    alternatives: ["registry-access-denied", "credential-kind-rejected"],
  },
  {
    id: "gar-download-denied",
    cause: "gcp-artifact-registry-permission-denied",
    re: /Permission "artifactregistry\.repositories\.downloadArtifacts" denied/,
    meaning:
      "Google Artifact Registry refused the caller: no Artifact Registry Reader role (or no such repository)",
    alternatives: ["image-not-found"],
  },
  {
    id: "dockerhub-rate-limit",
    cause: "dockerhub-rate-limit",
    re: /You have reached your (unauthenticated )?pull rate limit/,
    meaning: "Docker Hub's pull rate limit was reached (anonymous pulls have the lowest limit)",
    details: (m) => ({ anonymous: m[1] ? "true" : undefined }),
  },
  // --- TLS, HTTP and network (Go crypto/x509, net/http, net) -------------------------------------------------
  {
    id: "x509-unknown-authority",
    cause: "tls-unknown-authority",
    re: /x509: certificate signed by unknown authority|x509: certificate is not trusted/,
    meaning: "the registry's certificate chain ends at a CA the node does not trust (a private CA)",
  },
  {
    id: "x509-hostname-mismatch",
    cause: "tls-hostname-mismatch",
    re: /x509: certificate is valid for [^\n]*?, not ([^\s,]+)|x509: certificate is not valid for any names/,
    meaning: "the registry's certificate is not issued for the host name used in the image",
  },
  {
    id: "x509-expired-or-not-yet-valid",
    cause: "tls-certificate-invalid-time",
    re: /x509: certificate has expired or is not yet valid(?:: current time (\S+) is (after|before) (\S+))?/,
    meaning: "the certificate is expired or not yet valid by the node's clock",
    alternatives: ["clock-skew"],
    details: (m) => ({ nodeTime: m[1], relation: m[2], certificateTime: m[3] }),
  },
  {
    id: "http-response-to-https-client",
    cause: "registry-speaks-http",
    re: /server gave HTTP response to HTTPS client/,
    meaning: "the registry answered in plain HTTP where the runtime spoke HTTPS",
  },
  {
    id: "dns-no-such-host",
    cause: "dns-failure",
    re: /lookup ([^\s:]+)(?: on [^\s]+)?: (?:no such host|server misbehaving|Temporary failure in name resolution)|\bno such host\b/,
    meaning: "the registry's host name did not resolve from the node",
    details: (m) => ({ lookup: m[1] }),
  },
  {
    id: "network-timeout",
    cause: "network-timeout",
    re: /i\/o timeout|Client\.Timeout exceeded|TLS handshake timeout|context deadline exceeded|request canceled while waiting for connection/,
    meaning: "the connection to the registry timed out (firewall, proxy, egress policy or private endpoint)",
  },
  {
    id: "connection-refused",
    cause: "connection-refused",
    re: /connection refused/,
    meaning: "nothing accepted the connection at the registry's address and port",
  },
  {
    id: "network-unreachable",
    cause: "network-unreachable",
    re: /network is unreachable|no route to host/,
    meaning: "the node has no route to the registry",
  },
  {
    id: "connection-reset",
    cause: "network-error",
    re: /connection reset by peer|unexpected EOF|broken pipe/,
    meaning: "the connection to the registry broke (proxy, firewall or a port speaking another protocol)",
  },
  // --- image content ---------------------------------------------------------------------------------------
  {
    id: "containerd-no-match-for-platform",
    cause: "platform-not-available",
    runtime: "containerd",
    re: /no match for platform in manifest/,
    meaning: "the image index has no manifest for the node's OS and architecture",
  },
  {
    id: "crio-no-image-for-architecture",
    cause: "platform-not-available",
    runtime: "cri-o",
    re: /no image found in (?:manifest list|image index) for architecture "?([^",\s]*)"?, variant "?([^",\s]*)"?, OS "?([^",\s]*)"?/,
    meaning: "the image index has no manifest for the node's OS and architecture",
    details: (m) => ({ platform: [m[3], m[1], m[2]].filter((p) => p).join("/") }),
  },
  {
    id: "docker-no-matching-manifest",
    cause: "platform-not-available",
    runtime: "dockershim",
    re: /no matching manifest for (\S+) in the manifest list entries/,
    meaning: "the image index has no manifest for the node's OS and architecture",
    details: (m) => ({ platform: m[1] }),
  },
  {
    id: "containerd-blob-not-found",
    cause: "blob-missing",
    runtime: "containerd",
    re: /could not fetch content descriptor (sha256:[0-9a-f]+)[^\n]*?from remote: not found|httpReadSeeker: failed open: content at \S+ not found/,
    meaning: "the manifest was found but a layer or config blob is missing from the registry (a broken push)",
    details: (m) => ({ blob: m[1] }),
  },
  {
    id: "registry-blob-unknown",
    cause: "blob-missing",
    re: /blob unknown to registry|\bBLOB_UNKNOWN\b/,
    meaning: "the manifest was found but a layer or config blob is missing from the registry (a broken push)",
  },
  {
    id: "containerd-schema1-unsupported",
    cause: "schema1-unsupported",
    runtime: "containerd-2.x",
    re: /is no longer supported since containerd v2\.0/,
    meaning: "the image is in the Docker schema 1 format, which containerd 2.0 removed",
  },
  {
    id: "crio-short-name",
    cause: "short-name-unresolved",
    runtime: "cri-o",
    re: /short-name "([^"\n]*)" did not resolve to an alias|short-name resolution enforced but cannot prompt/,
    meaning:
      "CRI-O does not guess a registry for an unqualified name (no alias, no unqualified-search registry)",
    details: (m) => ({ shortName: m[1] }),
  },
  // --- authentication and authorization ----------------------------------------------------------------------
  {
    id: "containerd-oauth-token-rejected",
    cause: "credential-rejected",
    runtime: "containerd",
    re: /failed to fetch oauth token: unexpected status(?: from (?:POST|GET) request to \S+)?: (40[13])/,
    meaning: "credentials were sent to the registry's token service and rejected (wrong, expired or revoked)",
    status: statusGroup(1),
  },
  {
    id: "crio-invalid-username-password",
    cause: "credential-rejected",
    runtime: "cri-o",
    re: /unable to retrieve auth token: invalid username\/password/,
    meaning: "the registry's token service rejected the username and password",
  },
  {
    id: "docker-incorrect-username-password",
    cause: "credential-rejected",
    re: /incorrect username or password/,
    meaning: "the registry rejected the username and password",
  },
  {
    id: "containerd-anonymous-token-denied",
    cause: "registry-requires-auth",
    runtime: "containerd",
    re: /failed to fetch anonymous token: unexpected status(?: from GET request to \S+)?: (40[13])/,
    meaning:
      "no credentials were sent (none matched the image) and the registry refuses anonymous access: private repository, or pull secret missing or keyed for another host",
    status: statusGroup(1),
  },
  {
    id: "no-basic-auth-credentials",
    cause: "registry-requires-auth",
    re: /no basic auth credentials/,
    meaning: "a Basic-auth registry (such as ECR) asked for credentials and none matched the image's host",
  },
  {
    id: "containerd-insufficient-scope",
    cause: "registry-access-denied",
    runtime: "containerd",
    re: /pull access denied, repository does not exist or may require authorization(?:: server message: (\w+))?/,
    meaning:
      "the registry refused the pull: credentials missing or without pull scope, or no such repository (registries answer alike on purpose)",
    alternatives: ["registry-requires-auth", "image-not-found"],
    details: (m) => ({ serverMessage: m[1] }),
  },
  {
    id: "docker-pull-access-denied",
    cause: "registry-access-denied",
    runtime: "dockershim",
    re: /pull access denied for ([^,\s]+), repository does not exist or may require 'docker login'/,
    meaning:
      "the registry refused the pull: credentials missing or without access, or no such repository (registries answer alike on purpose)",
    alternatives: ["registry-requires-auth", "image-not-found"],
  },
  {
    id: "acr-authentication-required",
    cause: "registry-unauthorized",
    re: /unauthorized: authentication required, visit https:\/\/aka\.ms\/acr\/authorization/,
    meaning:
      "Azure Container Registry answered 401: no credential, or a wrong or expired service principal, token or admin password",
    alternatives: ["registry-requires-auth", "credential-rejected"],
  },
  {
    id: "containerd-status-403",
    cause: "registry-access-denied",
    runtime: "containerd-1.7+",
    re: /unexpected status from (?:HEAD|GET) request to \S+: 403 Forbidden/,
    meaning:
      "authenticated (or anonymous) but not authorized for this repository: package not shared, repository policy, expired ECR token, firewall",
    alternatives: ["ecr-token-expired", "ghcr-read-packages-missing"],
    status: () => 403,
  },
  {
    id: "containerd-status-401",
    cause: "registry-unauthorized",
    runtime: "containerd-1.7+",
    re: /unexpected status from (?:HEAD|GET) request to \S+: 401 Unauthorized/,
    meaning: "the registry answered 401 to the manifest request: credentials missing or rejected",
    alternatives: ["registry-requires-auth", "credential-rejected"],
    status: () => 401,
  },
  {
    id: "containerd-1.6-host-status",
    cause: "registry-unauthorized",
    runtime: "containerd-1.6",
    re: /pulling from host (\S+) failed with status code \[manifests ([^\]\n]*)\]: (\d{3})/,
    meaning: "the registry refused the manifest request (containerd 1.6 wording)",
    alternatives: ["registry-requires-auth", "credential-rejected"],
    status: statusGroup(3),
    causeFor: (m) =>
      m[3] === "403"
        ? "registry-access-denied"
        : m[3] === "404"
          ? "image-not-found"
          : "registry-unauthorized",
    details: (m) => ({ host: m[1], reference: m[2] }),
  },
  {
    id: "registry-denied",
    cause: "registry-access-denied",
    re: /denied: requested access to the resource is denied|\bdenied: [^\n]*|403 Forbidden/,
    meaning:
      "the registry refused the pull (403 DENIED): the credential may not pull this repository, or the repository does not exist",
    alternatives: ["image-not-found"],
  },
  {
    id: "registry-unauthorized",
    cause: "registry-unauthorized",
    re: /unauthorized: (?:authentication required|access to the requested resource is not authorized)|401 Unauthorized|\bunauthorized: [^\n]*|(?:^|: )unauthorized\s*$/m,
    meaning: "the registry answered 401 (UNAUTHORIZED): credentials missing or rejected",
    alternatives: ["registry-requires-auth", "credential-rejected"],
  },
  // --- not found ---------------------------------------------------------------------------------------------
  {
    id: "containerd-reference-not-found",
    cause: "image-not-found",
    runtime: "containerd",
    re: /failed to resolve reference "([^"\n]*)": [^\s"]*: not found/,
    meaning:
      "the registry has no manifest for this tag or digest (some registries also answer 404 to callers without access)",
    alternatives: ["registry-access-denied"],
  },
  {
    id: "crio-reading-manifest-unknown",
    cause: "image-not-found",
    runtime: "cri-o",
    re: /reading manifest (\S+) in (\S+): manifest unknown/i,
    meaning: "the registry has no manifest for this tag (MANIFEST_UNKNOWN)",
    details: (m) => ({ what: "tag", reference: m[1], repository: m[2] }),
  },
  {
    id: "docker-manifest-not-found",
    cause: "image-not-found",
    runtime: "dockershim",
    re: /manifest for (\S+) not found/,
    meaning: "the registry has no manifest for this tag",
    details: () => ({ what: "tag" }),
  },
  {
    id: "registry-name-unknown",
    cause: "image-not-found",
    re: /name unknown|repository name not known to registry|\bNAME_UNKNOWN\b/,
    meaning: "the registry has no such repository (NAME_UNKNOWN)",
    details: () => ({ what: "repository" }),
  },
  {
    id: "registry-manifest-unknown",
    cause: "image-not-found",
    re: /manifest unknown|\bMANIFEST_UNKNOWN\b/,
    meaning: "the registry has no manifest for this tag or digest (MANIFEST_UNKNOWN)",
    details: () => ({ what: "tag" }),
  },
  // --- rate limits and availability ---------------------------------------------------------------------------
  {
    id: "registry-too-many-requests",
    cause: "rate-limited",
    re: /toomanyrequests|429 Too Many Requests|too many requests to registry|\bTOOMANYREQUESTS\b/i,
    meaning: "the registry is rate-limiting (429)",
    status: () => 429,
  },
  {
    id: "registry-unavailable",
    cause: "registry-unavailable",
    re: /because the registry is unavailable|\bRegistryUnavailable\b|50[0234] (?:Internal Server Error|Bad Gateway|Service Unavailable|Gateway Timeout)|\bUNAVAILABLE\b/,
    meaning: "the registry could not be reached or answered with a server error",
  },
  {
    id: "registry-404",
    cause: "image-not-found",
    re: /404 Not Found|: not found$/m,
    meaning: "the registry answered 404: no such repository or tag",
    alternatives: ["registry-access-denied"],
  },
  // --- kubelet's generic states (the detail is elsewhere) -----------------------------------------------------
  {
    id: "kubelet-inspect-failed",
    cause: "image-inspect-failed",
    runtime: "kubelet",
    re: /Failed to inspect image|\bErrImageInspect\b/,
    meaning: "the runtime could not inspect the image on the node",
  },
  {
    id: "kubelet-back-off",
    cause: "image-pull-failed",
    runtime: "kubelet",
    re: /^\s*(?:Back-off pulling image "[^"\n]*"|(?:Error: )?ImagePullBackOff)\s*$/,
    meaning:
      "kubelet is waiting before the next pull attempt; the error of the last attempt is not in this text",
  },
  {
    id: "kubelet-err-image-pull",
    cause: "image-pull-failed",
    runtime: "kubelet",
    re: /^\s*(?:Error: )?ErrImagePull\s*$/,
    meaning: "the pull failed; the runtime's error is in the Failed event that precedes this one",
  },
];

/** Wrappers that tell the runtime when the wording itself does not. */
const RUNTIME_MARKERS: readonly { runtime: RuntimeId; re: RegExp }[] = [
  { runtime: "containerd-2.x", re: /since containerd v2\.0/ },
  {
    runtime: "containerd-1.6",
    re: /unexpected status: \d{3}|pulling from host \S+ failed with status code/,
  },
  { runtime: "containerd-1.7+", re: /unexpected status from (?:GET|POST|HEAD) request to/ },
  { runtime: "dockershim", re: /Error response from daemon|may require 'docker login'/ },
  {
    runtime: "cri-o",
    re: /initializing source docker:\/\/|pinging container registry|reading manifest \S+ in |unable to retrieve auth token|choosing image instance|no image found in (?:manifest list|image index)|short-name "|too many requests to registry|copying system image|trying to reuse blob|fetching blob|because the registry is unavailable|because the signature validation failed/,
  },
  {
    runtime: "containerd",
    re: /failed to pull and unpack image|failed to resolve reference|failed to authorize:|failed to fetch (?:anonymous|oauth) token|httpReadSeeker|failed to do request:|no match for platform in manifest|pull access denied, repository does not exist or may require authorization|failed to copy:|failed to extract layer|failed to unpack image/,
  },
  {
    runtime: "kubelet",
    re: /Failed to apply default image tag|is not present with pull policy of Never|Unable to retrieve some image pull secrets|already present on machine/,
  },
];

const IMAGE_PATTERNS: readonly RegExp[] = [
  /Failed to pull image "([^"\n]{1,512})"/,
  /Back-off pulling image "([^"\n]{1,512})"/,
  /failed to pull and unpack image "([^"\n]{1,512})"/,
  /failed to resolve reference "([^"\n]{1,512})"/,
  /Container image "([^"\n]{1,512})"/,
  /Failed to apply default image tag "([^"\n]{1,512})"/,
  /image pull failed for (\S{1,512}) because/,
  /initializing source docker:\/\/(\S{1,512}?):? /,
  /pull access denied for ([^,\s]{1,512}),/,
];

const HOST_PATTERNS: readonly RegExp[] = [
  /pulling from host ([^\s\]]{1,256})/,
  /pinging container registry ([^\s:]{1,256}(?::\d{1,5})?):/,
  /lookup ([^\s:]{1,256})(?: on [^\s]{1,64})?: /,
  /https?:\/\/([^/\s?#"]{1,256})/,
];

function exec(re: RegExp, text: string): RegExpExecArray | null {
  re.lastIndex = 0;
  return re.exec(text);
}

function detectRuntime(text: string): RuntimeId {
  for (const marker of RUNTIME_MARKERS) if (exec(marker.re, text)) return marker.runtime;
  return "unknown";
}

/** A wording's pinned runtime is more precise than a wrapper's, except that a family refines to a version. */
function combineRuntime(fromWording: RuntimeId | undefined, fromText: RuntimeId): RuntimeId {
  if (fromWording === undefined) return fromText;
  if (fromWording === "containerd" && fromText.startsWith("containerd")) return fromText;
  return fromWording;
}

function firstCapture(patterns: readonly RegExp[], text: string): string | undefined {
  for (const re of patterns) {
    const match = exec(re, text);
    if (match?.[1]) return match[1];
  }
  return undefined;
}

function hostOfImage(image: string): string | undefined {
  try {
    return parseNormalizedReference(image).domain || undefined;
  } catch {
    return undefined;
  }
}

/** The error kubelet stored in a back-off message (kubelet ≥ 1.32), or undefined for other texts. */
function storedPullError(text: string): string | undefined {
  const backOff =
    /Back-off pulling image "[^"\n]*": (?:ErrImagePull|RegistryUnavailable|SignatureValidationFailed|ErrImageNeverPull|[A-Z][A-Za-z]{2,40}): ([\s\S]+)$/.exec(
      text,
    );
  const stored = backOff?.[1]?.trim();
  return stored ? stored : undefined;
}

/**
 * kubelet tries every matching credential and aggregates the errors (`[err1, err2]`, utilerrors.Aggregate):
 * one segment per runtime error.
 */
function splitAggregate(text: string): string[] {
  const starts: number[] = [];
  const marker = /rpc error: code = |Error response from daemon: |failed to pull and unpack image "/g;
  for (const match of text.matchAll(marker)) {
    const previous = starts[starts.length - 1];
    // "rpc error: … desc = failed to pull and unpack image" is one error: keep markers far enough apart.
    if (previous === undefined || match.index - previous > 40) starts.push(match.index);
  }
  if (starts.length < 2) return [text];
  return starts.map((start, i) => text.slice(start, starts[i + 1] ?? text.length));
}

function firstHit(text: string): { wording: Wording; match: RegExpExecArray } | undefined {
  for (const wording of WORDINGS) {
    const match = exec(wording.re, text);
    if (match) return { wording, match };
  }
  return undefined;
}

const UNRECOGNISED_MEANING =
  "this wording is not in pullwarden's table; the message is shown as written (redacted)";

/**
 * Recognises one message (an event message, a waiting message, or a bare runtime error). Always returns a
 * value; `recognised` is false (cause "unrecognised") for wording not in the table.
 */
export function recognizeRuntimeMessage(text: string): RuntimeRecognition {
  const message = redactMessage(typeof text === "string" ? text : "").slice(0, MAX_MESSAGE_LENGTH);
  const error = storedPullError(message) ?? message;
  const runtimeFromText = detectRuntime(message);
  const image = firstCapture(IMAGE_PATTERNS, message);
  const segments = splitAggregate(error);
  const hits = segments
    .map((segment) => firstHit(segment))
    .filter((hit): hit is { wording: Wording; match: RegExpExecArray } => hit !== undefined)
    .sort((a, b) => WORDINGS.indexOf(a.wording) - WORDINGS.indexOf(b.wording));
  const host = firstCapture(HOST_PATTERNS, error) ?? (image !== undefined ? hostOfImage(image) : undefined);
  const first = hits[0];
  if (!first) {
    return {
      recognised: false,
      cause: "unrecognised",
      alternatives: [],
      runtime: runtimeFromText,
      wording: "unrecognised",
      meaning: UNRECOGNISED_MEANING,
      ...(image !== undefined ? { image } : {}),
      ...(host !== undefined ? { host } : {}),
      details: {},
      also: [],
      message,
    };
  }
  const { wording, match } = first;
  const cause = wording.causeFor?.(match) ?? wording.cause;
  const details: Record<string, string> = {};
  for (const [key, value] of Object.entries(wording.details?.(match) ?? {})) {
    if (value !== undefined && value !== "") details[key] = value;
  }
  const status = wording.status?.(match);
  const also = [
    ...new Set(hits.slice(1).map((hit) => hit.wording.causeFor?.(hit.match) ?? hit.wording.cause)),
  ].filter((other) => other !== cause);
  return {
    recognised: true,
    cause,
    alternatives: (wording.alternatives ?? []).filter((a) => a !== cause),
    runtime: combineRuntime(wording.runtime, runtimeFromText),
    wording: wording.id,
    meaning: wording.meaning,
    ...(image !== undefined ? { image } : {}),
    ...(host !== undefined ? { host } : {}),
    ...(status !== undefined ? { status } : {}),
    details,
    also,
    message,
  };
}

/** Waiting reasons and event reasons that belong to image pulls. */
export const PULL_WAITING_REASONS: ReadonlySet<string> = new Set([
  "ErrImagePull",
  "ImagePullBackOff",
  "InvalidImageName",
  "ErrImageNeverPull",
  "RegistryUnavailable",
  "SignatureValidationFailed",
  "ErrImageInspect",
]);

export const PULL_EVENT_REASONS: ReadonlySet<string> = new Set([
  "Failed",
  "BackOff",
  "InspectFailed",
  "ErrImageNeverPull",
  "FailedToRetrieveImagePullSecret",
  "Pulled",
]);
