import type { CauseDefinition } from "./definition.js";
import { fix } from "./shared/fixes.js";

export const cause: CauseDefinition<"cached-image-credentials-verified"> = {
  id: "cached-image-credentials-verified",
  title: "kubelet re-verified the Pod's credentials for a cached image (KubeletEnsureSecretPulledImages)",
  category: "credential",
  checks: ["the credentials kubelet would try for the image"],
  informational: true,
  message: { score: 0.05 },
  wordings: [
    {
      id: "kubelet-cached-image-verified",
      priority: 1040,
      runtime: "kubelet",
      re: /already present on machine and can be accessed by the pod/,
      meaning:
        "the image was cached and kubelet verified that this Pod's credentials may use it (KubeletEnsureSecretPulledImages)",
    },
  ],
  fix: () =>
    fix(
      "Nothing to fix: kubelet verified that this Pod may use the cached image. With this feature, Pods that relied on another Pod's credentials now need their own.",
      [],
    ),
};
