import type { CauseDefinition } from "./definition.js";
import { NETWORK_CHECKS } from "./shared/checks.js";
import { unreachableRegistryFix } from "./shared/fixes.js";
import { PROBE_NOTE, probeCandidate } from "./shared/probes.js";

/** Network failures with causes of their own. */
const SPECIFIC = new Set(["dns", "refused", "timeout", "unreachable"]);

export const cause: CauseDefinition<"network-error"> = {
  id: "network-error",
  title: "The connection to the registry failed",
  category: "network",
  checks: NETWORK_CHECKS,
  message: { score: 0.6 },
  wordings: [
    {
      id: "connection-reset",
      priority: 3080,
      re: /connection reset by peer|unexpected EOF|broken pipe/,
      meaning: "the connection to the registry broke (proxy, firewall or a port speaking another protocol)",
    },
  ],
  fix: unreachableRegistryFix,
  probe(ctx, image, probe) {
    if (probe.result.outcome !== "network" || SPECIFIC.has(probe.result.reason)) return undefined;
    return probeCandidate(
      "network-error",
      unreachableRegistryFix,
      { ctx, image, probe },
      0.55,
      [PROBE_NOTE],
      ["image-pull-failed"],
    );
  },
};
