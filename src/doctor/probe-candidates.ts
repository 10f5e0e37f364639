/**
 * Causes supported by `doctor --probe` answers: for each failing image and each probe of it, the causes'
 * probe matchers (`CauseDefinition.probe`) are asked; one answer supports one cause, the highest-scored
 * (e.g. a classic PAT without read:packages explains whatever ghcr.io answered).
 */
import { CAUSE_DEFINITIONS } from "./causes/index.js";
import { parsedFailingImages } from "./causes/shared/images.js";
import type { DiagnosisContext } from "./context.js";
import type { Candidate } from "./model.js";

export function probeCandidates(ctx: DiagnosisContext): Candidate[] {
  const probes = ctx.evidence.probes ?? [];
  const out: Candidate[] = [];
  for (const image of parsedFailingImages(ctx)) {
    for (const probe of probes.filter((p) => p.image === image.image)) {
      let best: Candidate | undefined;
      for (const cause of CAUSE_DEFINITIONS) {
        const found = cause.probe?.(ctx, image, probe);
        if (found && (!best || found.score > best.score)) best = found;
      }
      if (best) out.push(best);
    }
  }
  return out;
}
