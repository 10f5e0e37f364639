import { nodeDebugCommand } from "../fix-commands.js";
import type { Fix } from "../model.js";
import type { CauseDefinition, FixContext } from "./definition.js";
import { NETWORK_CHECKS } from "./shared/checks.js";
import { endpointHost, fix, nodeName } from "./shared/fixes.js";
import { PROBE_NOTE, probeCandidate } from "./shared/probes.js";
import { shQuote } from "../../text/index.js";

function dnsFix(fc: FixContext): Fix {
  return fix(
    "The registry host does not resolve from the node. Check the spelling of the host, the cluster's and node's DNS, and private DNS zones for private endpoints.",
    [nodeDebugCommand(nodeName(fc), `nslookup ${shQuote(endpointHost(fc))}`)],
  );
}

export const cause: CauseDefinition<"dns-failure"> = {
  id: "dns-failure",
  title: "The registry host name does not resolve from the node",
  category: "network",
  checks: NETWORK_CHECKS,
  message: { score: 0.88 },
  wordings: [
    {
      id: "dns-no-such-host",
      priority: 3040,
      re: /lookup ([^\s:]+)(?: on [^\s]+)?: (?:no such host|server misbehaving|Temporary failure in name resolution)|\bno such host\b/,
      meaning: "the registry's host name did not resolve from the node",
      details: (m) => ({ lookup: m[1] }),
    },
  ],
  fix: dnsFix,
  probe(ctx, image, probe) {
    if (probe.result.outcome !== "network" || probe.result.reason !== "dns") return undefined;
    return probeCandidate(
      "dns-failure",
      dnsFix,
      { ctx, image, probe },
      0.55,
      [PROBE_NOTE],
      ["image-pull-failed"],
    );
  },
};
