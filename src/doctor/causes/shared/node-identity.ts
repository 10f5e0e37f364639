/**
 * What the node-identity causes (AKS, EKS, GKE) share: on these clusters, an image no pull secret covers is
 * pulled with the node's own identity, so a failure points at that identity's rights.
 */
import type { DiagnosisContext, ImageContext } from "../../context.js";
import type { NodeEvidence, NodeProvider } from "../../evidence.js";
import type { Candidate } from "../../model.js";
import { parsedFailingImages } from "./images.js";

export function nodeLine(node: NodeEvidence): string {
  const parts = [`provider ${node.provider}`];
  if (node.kubeletVersion) parts.push(`kubelet ${node.kubeletVersion}`);
  if (node.containerRuntimeVersion) parts.push(node.containerRuntimeVersion);
  return `node ${node.name}: ${parts.join(", ")}`;
}

/** True when no pull secret of the Pod covers the image; undefined when the Secrets are unknown. */
export function noPodCredential(image: ImageContext): boolean | undefined {
  return image.matches === undefined ? undefined : image.matches.length === 0;
}

/**
 * The candidates of a node-identity cause: one per failing image, on nodes of `providers`. A provider guessed
 * from the node's name alone (explain) is weaker evidence.
 */
export function nodeIdentityCandidates(
  ctx: DiagnosisContext,
  providers: readonly NodeProvider[],
  candidateFor: (node: NodeEvidence, image: ImageContext) => Candidate | undefined,
): Candidate[] {
  const node = ctx.evidence.node;
  if (!node || !providers.includes(node.provider)) return [];
  const out: Candidate[] = [];
  for (const image of parsedFailingImages(ctx)) {
    const found = candidateFor(node, image);
    if (!found) continue;
    if (node.inferred) found.score *= 0.9;
    out.push(found);
  }
  return out;
}
