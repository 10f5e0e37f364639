import type { CauseDefinition } from "./definition.js";
import { NETWORK_CHECKS } from "./shared/checks.js";
import { unreachableRegistryFix } from "./shared/fixes.js";
import { PROBE_NOTE, probeCandidate } from "./shared/probes.js";

export const cause: CauseDefinition<"network-timeout"> = {
  id: "network-timeout",
  title: "The connection to the registry timed out",
  category: "network",
  checks: NETWORK_CHECKS,
  message: { score: 0.78 },
  wordings: [
    {
      id: "network-timeout",
      priority: 3050,
      re: /i\/o timeout|Client\.Timeout exceeded|TLS handshake timeout|context deadline exceeded|request canceled while waiting for connection/,
      meaning:
        "the connection to the registry timed out (firewall, proxy, egress policy or private endpoint)",
    },
  ],
  fix: unreachableRegistryFix,
  probe(ctx, image, probe) {
    if (probe.result.outcome !== "network" || probe.result.reason !== "timeout") return undefined;
    return probeCandidate(
      "network-timeout",
      unreachableRegistryFix,
      { ctx, image, probe },
      0.55,
      [PROBE_NOTE],
      ["image-pull-failed"],
    );
  },
};
