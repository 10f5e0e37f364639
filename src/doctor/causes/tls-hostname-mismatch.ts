import type { Fix } from "../model.js";
import type { CauseDefinition, FixContext } from "./definition.js";
import { NETWORK_CHECKS } from "./shared/checks.js";
import { endpointHost, fix } from "./shared/fixes.js";
import { PROBE_NOTE, probeCandidate } from "./shared/probes.js";
import { shQuote } from "../../text/index.js";

function hostnameFix(fc: FixContext): Fix {
  const host = endpointHost(fc);
  return fix(
    "The certificate does not name the host the image uses. Pull with the host name on the certificate, or reissue the certificate with this name as a subjectAltName.",
    [
      `openssl s_client -connect ${host.includes(":") ? host : `${host}:443`} -servername ${shQuote(host.replace(/:\d+$/, ""))} </dev/null 2>/dev/null | openssl x509 -noout -ext subjectAltName`,
    ],
  );
}

export const cause: CauseDefinition<"tls-hostname-mismatch"> = {
  id: "tls-hostname-mismatch",
  title: "The registry's certificate is not valid for its host name",
  category: "tls",
  checks: NETWORK_CHECKS,
  message: { score: 0.92 },
  wordings: [
    {
      id: "x509-hostname-mismatch",
      priority: 3010,
      re: /x509: certificate is valid for [^\n]*?, not ([^\s,]+)|x509: certificate is not valid for any names/,
      meaning: "the registry's certificate is not issued for the host name used in the image",
    },
  ],
  fix: hostnameFix,
  probe(ctx, image, probe) {
    if (probe.result.outcome !== "tls" || probe.result.reason !== "hostname-mismatch") return undefined;
    return probeCandidate(
      "tls-hostname-mismatch",
      hostnameFix,
      { ctx, image, probe },
      0.8,
      [PROBE_NOTE],
      ["image-pull-failed", "registry-unavailable"],
    );
  },
};
