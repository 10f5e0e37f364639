import type { CauseDefinition } from "./definition.js";
import { fix, imageArg } from "./shared/fixes.js";

export const cause: CauseDefinition<"signature-validation-failed"> = {
  id: "signature-validation-failed",
  title: "The runtime's signature policy rejected the image",
  category: "image",
  checks: ["the node's runtime (CRI-O) and its policy.json"],
  namedByReasonOnly: true,
  message: { score: 0.93 },
  wordings: [
    {
      id: "kubelet-signature-validation-failed",
      priority: 1030,
      runtime: "cri-o",
      re: /because the signature validation failed|\bSignatureValidationFailed\b|Source image rejected:/,
      meaning: "the runtime's signature policy (CRI-O policy.json) rejected the image",
    },
  ],
  fix: (fc) =>
    fix(
      "The node's signature policy (CRI-O /etc/containers/policy.json) rejected the image. Sign the image with a key the policy trusts, or adjust the policy for this registry.",
      [`cosign verify --key <public-key> ${imageArg(fc)}`],
    ),
};
