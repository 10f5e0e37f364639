/**
 * The cause catalogue: every cause `doctor` and `explain` report, one definition per file (`<id>.ts` beside
 * this one: title, category, checks, runtime wordings, message score, evidence detectors, probe matcher, fix),
 * as audit keeps one file per rule. The engines iterate it: recognition (every cause's wordings), the message
 * candidates, the evidence detectors and the probe matchers (diagnose.ts), and `explain`'s next checks.
 *
 * Design decision: one file per cause, even where causes share a detector. Where one piece of evidence decides
 * between several causes (a missing Secret is misspelled, in another namespace, or just missing; a bad
 * credential is expired, of a refused kind, or not yet valid; a probe answer), each cause states its own
 * condition over facts computed once in shared/ (missing-Secret facts, the bad credentials, the ServiceAccount
 * gap), so a cause reads whole in its file and adding one never edits another's. Where a probe answer fits
 * several causes' matchers, the highest-scored one wins.
 *
 * Adding a cause: its id in ids.ts (the position is its catalogue order: docs and ties in ranking follow it),
 * its `<id>.ts` exporting `cause`, its line below, and its row in docs/doctor.md (a test holds the docs and
 * this catalogue to the same ids).
 */
import type { CauseKnowledge } from "../context.js";
import type { Fix } from "../model.js";
import { recognizeWith } from "../runtime-messages.js";
import type { RuntimeRecognition, Wording } from "../runtime-messages.js";
import type { CauseDefinition, FixContext } from "./definition.js";
import type { CauseCategory, CauseId } from "./ids.js";
import { CAUSE_IDS } from "./ids.js";
import { unknownDetailFix } from "./shared/fixes.js";
import { cause as aksNodeMissingAcrpull } from "./aks-node-missing-acrpull.js";
import { cause as blobMissing } from "./blob-missing.js";
import { cause as cachedImageCredentialsVerified } from "./cached-image-credentials-verified.js";
import { cause as clockSkew } from "./clock-skew.js";
import { cause as connectionRefused } from "./connection-refused.js";
import { cause as credentialExpired } from "./credential-expired.js";
import { cause as credentialKindRejected } from "./credential-kind-rejected.js";
import { cause as credentialRejected } from "./credential-rejected.js";
import { cause as dnsFailure } from "./dns-failure.js";
import { cause as dockerhubRateLimit } from "./dockerhub-rate-limit.js";
import { cause as fixedAwaitingRetry } from "./fixed-awaiting-retry.js";
import { cause as ecrTokenExpired } from "./ecr-token-expired.js";
import { cause as eksNodeRoleMissingEcrPull } from "./eks-node-role-missing-ecr-pull.js";
import { cause as gcpArtifactRegistryPermissionDenied } from "./gcp-artifact-registry-permission-denied.js";
import { cause as ghcrReadPackagesMissing } from "./ghcr-read-packages-missing.js";
import { cause as imageInspectFailed } from "./image-inspect-failed.js";
import { cause as imageNeverPull } from "./image-never-pull.js";
import { cause as imageNotFound } from "./image-not-found.js";
import { cause as imagePullFailed } from "./image-pull-failed.js";
import { cause as invalidImageName } from "./invalid-image-name.js";
import { cause as networkError } from "./network-error.js";
import { cause as networkTimeout } from "./network-timeout.js";
import { cause as networkUnreachable } from "./network-unreachable.js";
import { cause as noPullCredential } from "./no-pull-credential.js";
import { cause as platformNotAvailable } from "./platform-not-available.js";
import { cause as podOverridesServiceaccountSecrets } from "./pod-overrides-serviceaccount-secrets.js";
import { cause as pullSecretHostMismatch } from "./pull-secret-host-mismatch.js";
import { cause as pullSecretInOtherNamespace } from "./pull-secret-in-other-namespace.js";
import { cause as pullSecretMalformed } from "./pull-secret-malformed.js";
import { cause as pullSecretMissing } from "./pull-secret-missing.js";
import { cause as pullSecretNameTypo } from "./pull-secret-name-typo.js";
import { cause as pullSecretWrongKey } from "./pull-secret-wrong-key.js";
import { cause as pullSecretWrongType } from "./pull-secret-wrong-type.js";
import { cause as rateLimited } from "./rate-limited.js";
import { cause as registryAccessDenied } from "./registry-access-denied.js";
import { cause as registryRequiresAuth } from "./registry-requires-auth.js";
import { cause as registrySpeaksHttp } from "./registry-speaks-http.js";
import { cause as registryUnauthorized } from "./registry-unauthorized.js";
import { cause as registryUnavailable } from "./registry-unavailable.js";
import { cause as schema1Unsupported } from "./schema1-unsupported.js";
import { cause as serviceaccountPatchedAfterPod } from "./serviceaccount-patched-after-pod.js";
import { cause as shortNameUnresolved } from "./short-name-unresolved.js";
import { cause as signatureValidationFailed } from "./signature-validation-failed.js";
import { cause as tlsCertificateInvalidTime } from "./tls-certificate-invalid-time.js";
import { cause as tlsHostnameMismatch } from "./tls-hostname-mismatch.js";
import { cause as tlsUnknownAuthority } from "./tls-unknown-authority.js";

const DEFINITIONS: { readonly [Id in CauseId]: CauseDefinition<Id> } = {
  "invalid-image-name": invalidImageName,
  "short-name-unresolved": shortNameUnresolved,
  "image-never-pull": imageNeverPull,
  "pull-secret-missing": pullSecretMissing,
  "pull-secret-in-other-namespace": pullSecretInOtherNamespace,
  "pull-secret-name-typo": pullSecretNameTypo,
  "pull-secret-wrong-type": pullSecretWrongType,
  "pull-secret-wrong-key": pullSecretWrongKey,
  "pull-secret-malformed": pullSecretMalformed,
  "pull-secret-host-mismatch": pullSecretHostMismatch,
  "no-pull-credential": noPullCredential,
  "serviceaccount-patched-after-pod": serviceaccountPatchedAfterPod,
  "pod-overrides-serviceaccount-secrets": podOverridesServiceaccountSecrets,
  "ecr-token-expired": ecrTokenExpired,
  "credential-expired": credentialExpired,
  "credential-kind-rejected": credentialKindRejected,
  "credential-rejected": credentialRejected,
  "ghcr-read-packages-missing": ghcrReadPackagesMissing,
  "registry-requires-auth": registryRequiresAuth,
  "registry-unauthorized": registryUnauthorized,
  "registry-access-denied": registryAccessDenied,
  "aks-node-missing-acrpull": aksNodeMissingAcrpull,
  "eks-node-role-missing-ecr-pull": eksNodeRoleMissingEcrPull,
  "gcp-artifact-registry-permission-denied": gcpArtifactRegistryPermissionDenied,
  "image-not-found": imageNotFound,
  "platform-not-available": platformNotAvailable,
  "blob-missing": blobMissing,
  "schema1-unsupported": schema1Unsupported,
  "signature-validation-failed": signatureValidationFailed,
  "dns-failure": dnsFailure,
  "network-timeout": networkTimeout,
  "connection-refused": connectionRefused,
  "network-unreachable": networkUnreachable,
  "network-error": networkError,
  "tls-unknown-authority": tlsUnknownAuthority,
  "tls-hostname-mismatch": tlsHostnameMismatch,
  "tls-certificate-invalid-time": tlsCertificateInvalidTime,
  "registry-speaks-http": registrySpeaksHttp,
  "dockerhub-rate-limit": dockerhubRateLimit,
  "rate-limited": rateLimited,
  "registry-unavailable": registryUnavailable,
  "clock-skew": clockSkew,
  "fixed-awaiting-retry": fixedAwaitingRetry,
  "image-pull-failed": imagePullFailed,
  "image-inspect-failed": imageInspectFailed,
  "cached-image-credentials-verified": cachedImageCredentialsVerified,
};

/** Every cause, in catalogue order. */
export const CAUSE_DEFINITIONS: readonly CauseDefinition[] = CAUSE_IDS.map((id) => DEFINITIONS[id]);

export function causeDefinition(id: CauseId): CauseDefinition {
  return DEFINITIONS[id];
}

export function isCauseId(value: string): value is CauseId {
  return Object.hasOwn(DEFINITIONS, value);
}

/** The catalogue as people read it: title, category and what doctor checks, by id. */
export const CAUSES: {
  readonly [Id in CauseId]: {
    readonly title: string;
    readonly category: CauseCategory;
    readonly checks: readonly string[];
  };
} = Object.fromEntries(
  CAUSE_DEFINITIONS.map((c) => [c.id, { title: c.title, category: c.category, checks: c.checks }]),
) as { [Id in CauseId]: { title: string; category: CauseCategory; checks: readonly string[] } };

/** Causes that are not failures by themselves (reported, never counted as findings). */
export const INFORMATIONAL_CAUSES: ReadonlySet<CauseId> = new Set(
  CAUSE_DEFINITIONS.filter((c) => c.informational).map((c) => c.id),
);

/** Every cause's wordings, in the order messages are matched against them (runtime-messages.ts). */
export const WORDINGS: readonly Wording[] = CAUSE_DEFINITIONS.flatMap((c) =>
  (c.wordings ?? []).map((w): Wording => ({ ...w, cause: c.id })),
).sort((a, b) => a.priority - b.priority);

/** The cause, runtime and wording of a kubelet / containerd / CRI-O / dockershim / registry message. */
export function recognizeRuntimeMessage(text: string): RuntimeRecognition {
  return recognizeWith(WORDINGS, text);
}

/** The fix of `cause` when only a message (and what else is known of the Pod) supports it. */
export function baselineFix(cause: CauseId, fc: FixContext): Fix {
  return (causeDefinition(cause).fix ?? unknownDetailFix)(fc);
}

/** What building a diagnosis context needs to know about causes. */
export const CAUSE_KNOWLEDGE: CauseKnowledge = {
  recognize: recognizeRuntimeMessage,
  isInformational: (cause) => causeDefinition(cause).informational === true,
  isAuthentication: (cause) => causeDefinition(cause).authentication === true,
  isNamedByReasonOnly: (cause) => causeDefinition(cause).namedByReasonOnly === true,
};
