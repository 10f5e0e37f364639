import { nodeDebugCommand } from "../fix-commands.js";
import type { CauseDefinition } from "./definition.js";
import { fix, nodeName } from "./shared/fixes.js";

export const cause: CauseDefinition<"image-inspect-failed"> = {
  id: "image-inspect-failed",
  title: "The runtime could not inspect the image on the node",
  category: "unknown",
  checks: ["the node's container runtime and its logs"],
  message: { score: 0.5 },
  wordings: [
    {
      id: "kubelet-inspect-failed",
      priority: 8000,
      runtime: "kubelet",
      re: /Failed to inspect image|\bErrImageInspect\b/,
      meaning: "the runtime could not inspect the image on the node",
    },
  ],
  fix: (fc) =>
    fix("The runtime failed to inspect its local image store. Look at the runtime's logs on the node.", [
      nodeDebugCommand(nodeName(fc), "chroot /host journalctl -u containerd --since -1h"),
    ]),
};
