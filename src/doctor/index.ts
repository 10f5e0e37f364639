/**
 * Why a Pod cannot pull its image, and the fix. Core of `pullwarden doctor` and `pullwarden explain`:
 * - the Evidence model (evidence.ts) and its construction from API objects (from-objects.ts);
 * - `gatherDoctorEvidence` (gather.ts): reads a Pod, its events, its ServiceAccount, its Secrets and its node
 *   through a narrow port (`DoctorClusterReader`) the caller implements over its Kubernetes client;
 * - `diagnose(evidence)`: ranked causes with stable ids, evidence lines and exact fix commands; each cause is
 *   one definition in causes/ (title, wordings, detectors, fix), listed by causes/index.ts;
 * - `recognizeRuntimeMessage(text)`: the cause, runtime and wording of a kubelet / containerd / CRI-O /
 *   dockershim / registry error message;
 * - `explainText(text)`: the causes that `kubectl describe pod` output or event messages alone support.
 * No I/O but through that port; no secret value ever reaches a result (messages are redacted, Secrets reduced
 * to their shape).
 */
export { CAUSES } from "./causes/index.js";
export { CAUSE_IDS } from "./causes/ids.js";
export type { CauseCategory, CauseId } from "./causes/ids.js";
export { describeGap, describeGaps, diagnose } from "./diagnose.js";
export type { Confidence, Diagnosis, Fix } from "./model.js";
export type {
  ContainerEvidence,
  ContainerKind,
  EventEvidence,
  Evidence,
  EvidenceGap,
  EvidenceSource,
  GapSubject,
  KubeletSecretUse,
  NodeEvidence,
  NodeProvider,
  OwnerEvidence,
  PodEvidence,
  ProbeCredential,
  ProbeEvidence,
  PullPolicy,
  SecretDockerConfig,
  SecretElsewhere,
  SecretEvidence,
  SecretListing,
  SecretState,
  ServiceAccountEvidence,
} from "./evidence.js";
export {
  eventEvidenceFromObject,
  evidenceFromObjects,
  kubeletHasNotReported,
  nodeEvidenceFromObject,
  nodeProvider,
  podEvidenceFromObject,
  secretEvidenceFromObject,
  serviceAccountEvidenceFromObject,
} from "./from-objects.js";
export type { GatheredObjects } from "./from-objects.js";
export { gatherDoctorEvidence, podStillThere } from "./gather.js";
export type { ClusterRead, DoctorClusterReader, DoctorTarget, GatheredPod } from "./gather.js";
export { recognizeRuntimeMessage, WORDINGS } from "./causes/index.js";
export type { RuntimeId, RuntimeRecognition } from "./runtime-messages.js";
export { parseDiagnosticText, providerFromNodeName } from "./describe-text.js";
export type { TextFormat } from "./describe-text.js";
export { explainText } from "./explain.js";
export type { ExplainedMessage, ExplainedPod, ExplainOptions, ExplainReport, NotShown } from "./explain.js";
export { probePods } from "./probe.js";
export { redactMessage } from "./redact.js";
