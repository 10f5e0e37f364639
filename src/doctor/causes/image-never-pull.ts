import { nsFlag, workloadOf } from "../fix-commands.js";
import type { CauseDefinition } from "./definition.js";
import { containerIndex, fix, imageArg, nodeName, ns } from "./shared/fixes.js";
import { shQuote } from "../../text/index.js";

export const cause: CauseDefinition<"image-never-pull"> = {
  id: "image-never-pull",
  title: "imagePullPolicy is Never and the image is not on the node",
  category: "image",
  checks: ["the container's imagePullPolicy and the node the Pod runs on"],
  namedByReasonOnly: true,
  message: { score: 0.97 },
  wordings: [
    {
      id: "kubelet-never-pull",
      priority: 1010,
      runtime: "kubelet",
      re: /is not present with pull policy of Never|\bErrImageNeverPull\b/,
      meaning: "imagePullPolicy: Never and the image is not on the node (ErrImageNeverPull)",
    },
  ],
  fix(fc) {
    const workload = workloadOf(fc.ctx.evidence.pod, fc.ctx.evidence.source);
    const container = containerIndex(fc);
    const image = imageArg(fc);
    const node = nodeName(fc);
    const patch = JSON.stringify([
      {
        op: "replace",
        path: `${workload.podSpecPath ?? "/spec/template/spec"}${container?.path ?? "/containers/0"}/imagePullPolicy`,
        value: "IfNotPresent",
      },
    ]);
    const kindCluster = node && /^(.+)-(?:control-plane|worker\d*)$/.exec(node)?.[1];
    const load =
      fc.ctx.evidence.node?.provider === "kind" && kindCluster
        ? `kind load docker-image ${image} --name ${shQuote(kindCluster)}`
        : `ctr -n k8s.io images import image.tar   # on node ${node ?? "<node>"}, after docker save ${image} -o image.tar`;
    return fix(
      "With imagePullPolicy: Never the image must already be on the node. Load it onto every node that may run the Pod (kubelet retries on its own), or let kubelet pull it.",
      workload.barePod
        ? [load]
        : [load, `kubectl ${nsFlag(ns(fc))} patch ${workload.ref} --type=json -p ${shQuote(patch)}`],
    );
  },
};
