import { nsFlag, workloadOf } from "../fix-commands.js";
import type { CauseDefinition } from "./definition.js";
import { fix, ns } from "./shared/fixes.js";
import { shQuote } from "../../text/index.js";

export const cause: CauseDefinition<"short-name-unresolved"> = {
  id: "short-name-unresolved",
  title: "CRI-O cannot resolve an unqualified (short) image name",
  category: "reference",
  checks: ["the node's runtime (CRI-O) and the image string"],
  message: { score: 0.95 },
  wordings: [
    {
      id: "crio-short-name",
      priority: 4060,
      runtime: "cri-o",
      re: /short-name "([^"\n]*)" did not resolve to an alias|short-name resolution enforced but cannot prompt/,
      meaning:
        "CRI-O does not guess a registry for an unqualified name (no alias, no unqualified-search registry)",
      details: (m) => ({ shortName: m[1] }),
    },
  ],
  fix(fc) {
    const workload = workloadOf(fc.ctx.evidence.pod, fc.ctx.evidence.source);
    return fix(
      "Use a fully qualified image name (docker.io/library/nginx:1.27, not nginx:1.27): CRI-O does not guess the registry.",
      [
        `kubectl ${nsFlag(ns(fc))} set image ${workload.ref} ${shQuote(fc.image?.containers[0]?.name ?? "<container>")}=<registry-host>/<repository>:<tag>`,
      ],
    );
  },
};
