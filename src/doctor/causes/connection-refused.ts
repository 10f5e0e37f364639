import type { CauseDefinition } from "./definition.js";
import { NETWORK_CHECKS } from "./shared/checks.js";
import { unreachableRegistryFix } from "./shared/fixes.js";
import { PROBE_NOTE, probeCandidate } from "./shared/probes.js";

export const cause: CauseDefinition<"connection-refused"> = {
  id: "connection-refused",
  title: "The registry refused the connection",
  category: "network",
  checks: NETWORK_CHECKS,
  message: { score: 0.85 },
  wordings: [
    {
      id: "connection-refused",
      priority: 3060,
      re: /connection refused/,
      meaning: "nothing accepted the connection at the registry's address and port",
    },
  ],
  fix: unreachableRegistryFix,
  probe(ctx, image, probe) {
    if (probe.result.outcome !== "network" || probe.result.reason !== "refused") return undefined;
    return probeCandidate(
      "connection-refused",
      unreachableRegistryFix,
      { ctx, image, probe },
      0.55,
      [PROBE_NOTE],
      ["image-pull-failed"],
    );
  },
};
