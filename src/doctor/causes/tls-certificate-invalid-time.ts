import { nodeDebugCommand } from "../fix-commands.js";
import type { Fix } from "../model.js";
import type { CauseDefinition, FixContext } from "./definition.js";
import { NETWORK_CHECKS } from "./shared/checks.js";
import { endpointHost, fix, nodeName } from "./shared/fixes.js";
import { PROBE_NOTE, probeCandidate } from "./shared/probes.js";

function certificateTimeFix(fc: FixContext): Fix {
  const host = endpointHost(fc);
  return fix(
    "Either the registry's certificate expired (renew it), or the node's clock is wrong (fix NTP on the node).",
    [
      `openssl s_client -connect ${host.includes(":") ? host : `${host}:443`} </dev/null 2>/dev/null | openssl x509 -noout -dates`,
      nodeDebugCommand(nodeName(fc), "date -u"),
    ],
  );
}

export const cause: CauseDefinition<"tls-certificate-invalid-time"> = {
  id: "tls-certificate-invalid-time",
  title: "The registry's certificate is expired or not yet valid (or the node's clock is wrong)",
  category: "tls",
  checks: [...NETWORK_CHECKS, "the node's clock against the API server's"],
  message: { score: 0.82, explains: ["image-pull-failed"] },
  wordings: [
    {
      id: "x509-expired-or-not-yet-valid",
      priority: 3020,
      re: /x509: certificate has expired or is not yet valid(?:: current time (\S+) is (after|before) (\S+))?/,
      meaning: "the certificate is expired or not yet valid by the node's clock",
      alternatives: ["clock-skew"],
      details: (m) => ({ nodeTime: m[1], relation: m[2], certificateTime: m[3] }),
    },
  ],
  fix: certificateTimeFix,
  // Every TLS failure but an unknown authority and a host name mismatch (their own causes).
  probe(ctx, image, probe) {
    const { result } = probe;
    if (
      result.outcome !== "tls" ||
      result.reason === "unknown-authority" ||
      result.reason === "hostname-mismatch"
    )
      return undefined;
    return probeCandidate(
      "tls-certificate-invalid-time",
      certificateTimeFix,
      { ctx, image, probe },
      0.8,
      [PROBE_NOTE],
      ["image-pull-failed", "registry-unavailable"],
    );
  },
};
