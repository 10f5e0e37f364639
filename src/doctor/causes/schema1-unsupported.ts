import type { CauseDefinition } from "./definition.js";
import { fix } from "./shared/fixes.js";

export const cause: CauseDefinition<"schema1-unsupported"> = {
  id: "schema1-unsupported",
  title: "The image uses the Docker schema 1 manifest format, which containerd 2 no longer pulls",
  category: "image",
  checks: ["the node's container runtime version"],
  message: { score: 0.93 },
  wordings: [
    {
      id: "containerd-schema1-unsupported",
      priority: 4050,
      runtime: "containerd-2.x",
      re: /is no longer supported since containerd v2\.0/,
      meaning: "the image is in the Docker schema 1 format, which containerd 2.0 removed",
    },
  ],
  fix: (fc) =>
    fix(
      "containerd 2 no longer pulls Docker schema 1 images. Rebuild and push the image with a current builder (OCI or Docker schema 2).",
      [`skopeo copy --format v2s2 docker://${fc.image?.image ?? "<image>"} docker://<new-image>`],
    ),
};
