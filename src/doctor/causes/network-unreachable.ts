import type { CauseDefinition } from "./definition.js";
import { NETWORK_CHECKS } from "./shared/checks.js";
import { unreachableRegistryFix } from "./shared/fixes.js";
import { PROBE_NOTE, probeCandidate } from "./shared/probes.js";

export const cause: CauseDefinition<"network-unreachable"> = {
  id: "network-unreachable",
  title: "The registry's network is unreachable from the node",
  category: "network",
  checks: NETWORK_CHECKS,
  message: { score: 0.85 },
  wordings: [
    {
      id: "network-unreachable",
      priority: 3070,
      re: /network is unreachable|no route to host/,
      meaning: "the node has no route to the registry",
    },
  ],
  fix: unreachableRegistryFix,
  probe(ctx, image, probe) {
    if (probe.result.outcome !== "network" || probe.result.reason !== "unreachable") return undefined;
    return probeCandidate(
      "network-unreachable",
      unreachableRegistryFix,
      { ctx, image, probe },
      0.55,
      [PROBE_NOTE],
      ["image-pull-failed"],
    );
  },
};
