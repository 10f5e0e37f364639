import { classifyRegistryHost } from "../../hosts/index.js";
import type { Fix } from "../model.js";
import type { CauseDefinition, FixContext } from "./definition.js";
import { addPullSecretCommands, fix } from "./shared/fixes.js";
import { probeCandidate } from "./shared/probes.js";

function authenticatePullsFix(fc: FixContext): Fix {
  return fix(
    "Docker Hub limits anonymous pulls per IP (nodes behind one NAT share it). Authenticate pulls with a Docker Hub access token, or use a mirror or pull-through cache.",
    addPullSecretCommands(fc, { host: "docker.io", registry: classifyRegistryHost("docker.io") }),
  );
}

export const cause: CauseDefinition<"dockerhub-rate-limit"> = {
  id: "dockerhub-rate-limit",
  title: "Docker Hub's pull rate limit was reached",
  category: "registry",
  checks: [
    "whether a credential kubelet would try covers Docker Hub (authenticated pulls have higher limits)",
  ],
  message: { score: 0.92, registries: ["dockerhub"] },
  wordings: [
    {
      id: "dockerhub-rate-limit",
      priority: 2030,
      re: /You have reached your (unauthenticated )?pull rate limit/,
      meaning: "Docker Hub's pull rate limit was reached (anonymous pulls have the lowest limit)",
      details: (m) => ({ anonymous: m[1] ? "true" : undefined }),
    },
  ],
  fix: authenticatePullsFix,
  probe(ctx, image, probe) {
    if (probe.result.outcome !== "rate-limited" || image.registry?.kind !== "dockerhub") return undefined;
    return probeCandidate(
      "dockerhub-rate-limit",
      authenticatePullsFix,
      { ctx, image, probe },
      0.85,
      [],
      ["image-pull-failed", "registry-unavailable"],
    );
  },
};
