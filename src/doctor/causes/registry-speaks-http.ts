import type { Fix } from "../model.js";
import type { CauseDefinition, FixContext } from "./definition.js";
import { NETWORK_CHECKS } from "./shared/checks.js";
import { endpointHost, fix, runtimeFamily } from "./shared/fixes.js";
import { PROBE_NOTE, probeCandidate } from "./shared/probes.js";
import { shQuote } from "../../text/index.js";

/** Declares the registry as plain HTTP in the node's runtime (the runtime's family when known, else both). */
function plainHttpCommands(fc: FixContext): string[] {
  const host = endpointHost(fc);
  const family = runtimeFamily(fc);
  const containerd = [
    `sudo mkdir -p /etc/containerd/certs.d/${shQuote(host)}`,
    `printf 'server = "http://%s"\\n\\n[host."http://%s"]\\n  capabilities = ["pull", "resolve"]\\n' ${shQuote(host)} ${shQuote(host)} | sudo tee /etc/containerd/certs.d/${shQuote(host)}/hosts.toml`,
  ];
  const crio = [
    `printf '[[registry]]\\nlocation = "%s"\\ninsecure = true\\n' ${shQuote(host)} | sudo tee /etc/containers/registries.conf.d/50-${shQuote(host.replace(/[^A-Za-z0-9.-]/g, "-"))}.conf`,
  ];
  if (family === "cri-o") return crio;
  if (family === "containerd") return containerd;
  return [...containerd, ...crio];
}

function plainHttpFix(fc: FixContext): Fix {
  return fix(
    "The registry serves plain HTTP. Best: serve it over TLS. Otherwise declare it as an HTTP registry in every node's runtime configuration.",
    plainHttpCommands(fc),
  );
}

export const cause: CauseDefinition<"registry-speaks-http"> = {
  id: "registry-speaks-http",
  title: "The registry speaks plain HTTP where the runtime expects HTTPS",
  category: "tls",
  checks: NETWORK_CHECKS,
  message: { score: 0.92 },
  wordings: [
    {
      id: "http-response-to-https-client",
      priority: 3030,
      re: /server gave HTTP response to HTTPS client/,
      meaning: "the registry answered in plain HTTP where the runtime spoke HTTPS",
    },
  ],
  fix: plainHttpFix,
  probe(ctx, image, probe) {
    if (probe.result.outcome !== "plain-http" || probe.result.reason !== "server-speaks-http")
      return undefined;
    return probeCandidate(
      "registry-speaks-http",
      plainHttpFix,
      { ctx, image, probe },
      0.8,
      [PROBE_NOTE],
      ["image-pull-failed"],
    );
  },
};
