import { nodeDebugCommand } from "../fix-commands.js";
import type { Fix } from "../model.js";
import type { CauseDefinition, FixContext } from "./definition.js";
import { NETWORK_CHECKS } from "./shared/checks.js";
import { endpointHost, fix, nodeName } from "./shared/fixes.js";
import { probeCandidate } from "./shared/probes.js";

function unavailableFix(fc: FixContext): Fix {
  return fix(
    "The registry could not be reached or failed. Check the registry's status and the node's path to it, then wait for the back-off to retry.",
    [nodeDebugCommand(nodeName(fc), `wget -S -O- https://${endpointHost(fc)}/v2/`)],
  );
}

export const cause: CauseDefinition<"registry-unavailable"> = {
  id: "registry-unavailable",
  title: "The registry is unavailable or failing",
  category: "registry",
  checks: NETWORK_CHECKS,
  namedByReasonOnly: true,
  message: { score: 0.68 },
  wordings: [
    {
      id: "registry-unavailable",
      priority: 7010,
      re: /because the registry is unavailable|\bRegistryUnavailable\b|50[0234] (?:Internal Server Error|Bad Gateway|Service Unavailable|Gateway Timeout)|\bUNAVAILABLE\b/,
      meaning: "the registry could not be reached or answered with a server error",
    },
  ],
  fix: unavailableFix,
  probe(ctx, image, probe) {
    if (probe.result.outcome !== "registry-error" || probe.result.reason !== "server-error") return undefined;
    return probeCandidate(
      "registry-unavailable",
      unavailableFix,
      { ctx, image, probe },
      0.7,
      [],
      ["image-pull-failed"],
    );
  },
};
