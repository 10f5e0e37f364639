import { parseNormalizedReference } from "../../reference/index.js";
import { nsFlag, workloadOf } from "../fix-commands.js";
import { candidate } from "../model.js";
import type { CauseDefinition } from "./definition.js";
import { containerIndex, fix, ns } from "./shared/fixes.js";
import { shQuote } from "../../text/index.js";

/** The image with its repository name lower-cased, when that parses. */
function lowercaseSuggestion(image: string): string | undefined {
  const at = image.indexOf("@");
  const beforeDigest = at >= 0 ? image.slice(0, at) : image;
  const lastSlash = beforeDigest.lastIndexOf("/");
  const colon = beforeDigest.indexOf(":", lastSlash + 1);
  const name = colon >= 0 ? beforeDigest.slice(0, colon) : beforeDigest;
  const suggestion = name.toLowerCase() + image.slice(name.length);
  if (suggestion === image) return undefined;
  try {
    parseNormalizedReference(suggestion);
    return suggestion;
  } catch {
    return undefined;
  }
}

export const cause: CauseDefinition<"invalid-image-name"> = {
  id: "invalid-image-name",
  title: "The image reference is malformed",
  category: "reference",
  checks: ["the image string of each container, parsed with the grammar kubelet uses"],
  namedByReasonOnly: true,
  message: { score: 0.97 },
  wordings: [
    {
      id: "kubelet-invalid-image-name",
      priority: 1000,
      runtime: "kubelet",
      re: /Failed to apply default image tag "([^"\n]*)"|couldn't parse image (?:name|reference)|\bInvalidImageName\b/,
      meaning: "kubelet could not parse the image reference (InvalidImageName); nothing was pulled",
      details: (m) => ({ lowercase: /must be lowercase/.test(m.input) ? "true" : undefined }),
    },
  ],
  fix(fc) {
    const workload = workloadOf(fc.ctx.evidence.pod, fc.ctx.evidence.source);
    const container = containerIndex(fc);
    return fix(
      "Correct the image string: repository names are lower-case, and a reference is [host[:port]/]path[:tag][@digest].",
      [
        `kubectl ${nsFlag(ns(fc))} set image ${workload.ref} ${shQuote(container?.name ?? "<container>")}=<fixed-image>`,
      ],
    );
  },
  detect(ctx) {
    return ctx.images
      .filter((image) => image.refError !== undefined && !image.containers.every((c) => c.running))
      .map((image) => {
        const suggestion = lowercaseSuggestion(image.image.trim());
        const container = image.containers[0];
        const workload = workloadOf(ctx.evidence.pod, ctx.evidence.source);
        return candidate("invalid-image-name", 0.98, {
          image: image.image,
          containers: image.containers.map((c) => c.name),
          evidence: [`image ${JSON.stringify(image.image)}: ${image.refError ?? ""}`],
          fix: {
            explanation: suggestion
              ? `Repository names must be lower-case: use ${suggestion}.`
              : "Correct the image string: [host[:port]/]path[:tag][@digest], lower-case repository path.",
            commands: [
              `kubectl ${nsFlag(ctx.evidence.pod.namespace || undefined)} set image ${workload.ref} ${shQuote(container?.name ?? "<container>")}=${suggestion ? shQuote(suggestion) : "<fixed-image>"}`,
            ],
          },
          explains: ["invalid-image-name", "image-pull-failed"],
        });
      });
  },
};
