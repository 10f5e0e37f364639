import type { Fix } from "../model.js";
import type { CauseDefinition, FixContext } from "./definition.js";
import { NETWORK_CHECKS } from "./shared/checks.js";
import { endpointHost, fix, runtimeFamily } from "./shared/fixes.js";
import { PROBE_NOTE, probeCandidate } from "./shared/probes.js";
import { shQuote } from "../../text/index.js";

/** Makes the node's runtime trust the CA for this registry (the runtime's family when known, else both). */
function trustCaCommands(fc: FixContext): string[] {
  const host = endpointHost(fc);
  const family = runtimeFamily(fc);
  const containerd = [
    `sudo mkdir -p /etc/containerd/certs.d/${shQuote(host)} && sudo cp ca.crt /etc/containerd/certs.d/${shQuote(host)}/ca.crt`,
    `printf '[host."https://%s"]\\n  ca = "/etc/containerd/certs.d/%s/ca.crt"\\n' ${shQuote(host)} ${shQuote(host)} | sudo tee /etc/containerd/certs.d/${shQuote(host)}/hosts.toml`,
  ];
  const crio = [
    `sudo mkdir -p /etc/containers/certs.d/${shQuote(host)} && sudo cp ca.crt /etc/containers/certs.d/${shQuote(host)}/ca.crt`,
  ];
  if (family === "cri-o") return crio;
  if (family === "containerd") return containerd;
  return [...containerd, ...crio];
}

function trustCaFix(fc: FixContext): Fix {
  return fix(
    "The registry's certificate comes from a private CA. Make the nodes' runtime trust that CA for this registry (no restart needed for containerd's certs.d).",
    trustCaCommands(fc),
  );
}

export const cause: CauseDefinition<"tls-unknown-authority"> = {
  id: "tls-unknown-authority",
  title: "The registry's certificate is signed by a CA the node does not trust",
  category: "tls",
  checks: NETWORK_CHECKS,
  message: { score: 0.92 },
  wordings: [
    {
      id: "x509-unknown-authority",
      priority: 3000,
      re: /x509: certificate signed by unknown authority|x509: certificate is not trusted/,
      meaning: "the registry's certificate chain ends at a CA the node does not trust (a private CA)",
    },
  ],
  fix: trustCaFix,
  probe(ctx, image, probe) {
    if (probe.result.outcome !== "tls" || probe.result.reason !== "unknown-authority") return undefined;
    return probeCandidate(
      "tls-unknown-authority",
      trustCaFix,
      { ctx, image, probe },
      0.8,
      [PROBE_NOTE],
      ["image-pull-failed", "registry-unavailable"],
    );
  },
};
