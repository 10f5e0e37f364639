/** The images of the context that causes look at, and how dates are written in evidence lines. */
import type { DiagnosisContext, ImageContext } from "../../context.js";

/** The images the Pod fails to pull. */
export function failingImages(ctx: DiagnosisContext): ImageContext[] {
  return ctx.images.filter((i) => i.failing);
}

/** The images the Pod fails to pull whose reference parses (a registry could be asked for them). */
export function parsedFailingImages(ctx: DiagnosisContext): ImageContext[] {
  return ctx.images.filter((i) => i.failing && i.refError === undefined);
}

export function iso(date: Date | undefined): string {
  return date ? date.toISOString() : "an unknown time";
}
