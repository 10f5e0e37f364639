import type { CauseDefinition } from "./definition.js";
import { SECRET_CHECKS } from "./shared/checks.js";
import { unknownDetailFix } from "./shared/fixes.js";

export const cause: CauseDefinition<"image-pull-failed"> = {
  id: "image-pull-failed",
  title: "The image pull failed; the detailed error is not in the text",
  category: "unknown",
  checks: [
    "the container's waiting message (newer kubelets keep the previous pull error there) and the Pod's Failed events",
    ...SECRET_CHECKS,
  ],
  namedByReasonOnly: true,
  message: { score: 0.15 },
  wordings: [
    {
      id: "kubelet-back-off",
      priority: 8010,
      runtime: "kubelet",
      re: /^\s*(?:Back-off pulling image "[^"\n]*"|(?:Error: )?ImagePullBackOff)\s*$/,
      meaning:
        "kubelet is waiting before the next pull attempt; the error of the last attempt is not in this text",
    },
    {
      id: "kubelet-err-image-pull",
      priority: 8020,
      runtime: "kubelet",
      re: /^\s*(?:Error: )?ErrImagePull\s*$/,
      meaning: "the pull failed; the runtime's error is in the Failed event that precedes this one",
    },
  ],
  fix: unknownDetailFix,
};
