import type { Fix } from "../model.js";
import type { CauseDefinition } from "./definition.js";
import { fix } from "./shared/fixes.js";
import { probeCandidate } from "./shared/probes.js";

function rateLimitFix(): Fix {
  return fix(
    "The registry is rate-limiting. Authenticate pulls (higher limits), reduce pulls with imagePullPolicy: IfNotPresent, or use a pull-through cache.",
    [],
  );
}

export const cause: CauseDefinition<"rate-limited"> = {
  id: "rate-limited",
  title: "The registry is rate-limiting pulls",
  category: "registry",
  checks: ["whether a credential kubelet would try covers the registry"],
  message: { score: 0.8 },
  wordings: [
    {
      id: "registry-too-many-requests",
      priority: 7000,
      re: /toomanyrequests|429 Too Many Requests|too many requests to registry|\bTOOMANYREQUESTS\b/i,
      meaning: "the registry is rate-limiting (429)",
      status: () => 429,
    },
  ],
  fix: rateLimitFix,
  // Docker Hub's limit is dockerhub-rate-limit.
  probe(ctx, image, probe) {
    if (probe.result.outcome !== "rate-limited" || image.registry?.kind === "dockerhub") return undefined;
    return probeCandidate(
      "rate-limited",
      rateLimitFix,
      { ctx, image, probe },
      0.85,
      [],
      ["image-pull-failed", "registry-unavailable"],
    );
  },
};
