/**
 * What the two ServiceAccount causes share: the ServiceAccount names pull secrets the Pod lacks, and whether
 * those would serve a failing image. Admission copies a ServiceAccount's imagePullSecrets into a Pod only at
 * creation, and only when the Pod has none.
 */
import { lookupCredentials } from "../../../dockerconfig/index.js";
import type { DiagnosisContext, ImageContext } from "../../context.js";
import type { SecretEvidence } from "../../evidence.js";
import { iso, parsedFailingImages } from "./images.js";
import { authWeight } from "./pull-secrets.js";

/** Whether `secrets` would give kubelet a credential for `image` (undefined when the Secrets are unknown). */
function wouldMatch(
  secrets: readonly SecretEvidence[] | undefined,
  image: ImageContext,
): boolean | undefined {
  if (secrets === undefined || secrets.some((s) => s.state !== "found" && s.state !== "missing"))
    return undefined;
  const entries = secrets
    .filter((s) => s.state === "found" && s.docker?.kubelet === "uses")
    .flatMap((s) => (s.docker?.entries ?? []).map((entry) => ({ key: entry.key })));
  const lookup = lookupCredentials(entries, image.image);
  return lookup.ok && lookup.matches.length > 0;
}

export interface ServiceAccountGap {
  /** The Pod's own imagePullSecrets (names). */
  readonly podList: readonly string[];
  /** The ServiceAccount's, each once. */
  readonly saList: readonly string[];
  /** Those the ServiceAccount names and the Pod does not. */
  readonly saOnly: readonly string[];
  /** The Pod names none, or only some of the ServiceAccount's: new Pods would get the ServiceAccount's list. */
  readonly subset: boolean;
  /** 0..1: how likely the ServiceAccount-only Secrets would serve a failing image the Pod's own do not. */
  readonly relevance: number;
  /** The failing images they would serve. */
  readonly served: readonly string[];
  /** The ServiceAccount's imagePullSecrets were written after the Pod was created. */
  readonly changedAfter: boolean;
  readonly evidence: readonly string[];
}

/** The ServiceAccount names pull secrets the Pod lacks while images fail; undefined otherwise. */
export function serviceAccountGap(ctx: DiagnosisContext): ServiceAccountGap | undefined {
  const ev = ctx.evidence;
  const sa = ev.serviceAccount;
  const podList = ev.pod.imagePullSecrets?.filter((n) => n !== "");
  if (!sa || podList === undefined) return undefined;
  const saList = [...new Set(sa.imagePullSecrets.filter((n) => n !== ""))];
  const saOnly = saList.filter((n) => !podList.includes(n));
  if (saOnly.length === 0) return undefined;
  const saOnlySecrets = ev.secrets?.filter((s) => saOnly.includes(s.name));
  const images = parsedFailingImages(ctx);
  if (images.length === 0) return undefined;
  // Relevance: the ServiceAccount-only Secrets would serve a failing image the Pod's own Secrets do not.
  let relevance = 0;
  const served: string[] = [];
  for (const image of images) {
    const podHas = image.matches !== undefined ? image.matches.length > 0 : undefined;
    const saHas = wouldMatch(saOnlySecrets, image);
    const weight = authWeight(image.auth);
    if (saHas === true && podHas !== true) {
      relevance = Math.max(relevance, weight);
      served.push(image.image);
    } else if (saHas === undefined) relevance = Math.max(relevance, 0.7 * weight);
    else relevance = Math.max(relevance, 0.3 * weight);
  }
  return {
    podList,
    saList,
    saOnly,
    subset: podList.every((n) => saList.includes(n)),
    relevance,
    served,
    changedAfter:
      sa.imagePullSecretsChangedAt !== undefined &&
      ev.pod.createdAt !== undefined &&
      sa.imagePullSecretsChangedAt.getTime() > ev.pod.createdAt.getTime(),
    evidence: [
      `Pod ${ev.pod.namespace}/${ev.pod.name} was created ${iso(ev.pod.createdAt)} with imagePullSecrets [${podList.join(", ")}]`,
      `ServiceAccount ${sa.name} now lists [${saList.join(", ")}]${
        sa.imagePullSecretsChangedAt ? ` (last changed ${iso(sa.imagePullSecretsChangedAt)})` : ""
      }`,
      ...(served.length > 0 ? [`${saOnly.join(", ")} would serve ${served.join(", ")}`] : []),
    ],
  };
}
