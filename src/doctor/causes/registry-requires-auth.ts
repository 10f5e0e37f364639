import { statusGroup } from "../runtime-messages.js";
import type { CauseDefinition } from "./definition.js";
import { CREDENTIAL_CHECKS, SECRET_CHECKS } from "./shared/checks.js";
import { anonymousPullFix } from "./shared/fixes.js";
import { probeCandidate } from "./shared/probes.js";

export const cause: CauseDefinition<"registry-requires-auth"> = {
  id: "registry-requires-auth",
  title: "The registry requires credentials and none were sent",
  category: "authorization",
  checks: [...SECRET_CHECKS, ...CREDENTIAL_CHECKS],
  authentication: true,
  message: { score: 0.74 },
  wordings: [
    {
      id: "containerd-anonymous-token-denied",
      priority: 5030,
      runtime: "containerd",
      re: /failed to fetch anonymous token: unexpected status(?: from GET request to \S+)?: (40[13])/,
      meaning:
        "no credentials were sent (none matched the image) and the registry refuses anonymous access: private repository, or pull secret missing or keyed for another host",
      status: statusGroup(1),
    },
    {
      id: "no-basic-auth-credentials",
      priority: 5040,
      re: /no basic auth credentials/,
      meaning: "a Basic-auth registry (such as ECR) asked for credentials and none matched the image's host",
    },
  ],
  fix: anonymousPullFix,
  probe(ctx, image, probe) {
    const { result } = probe;
    if (result.outcome !== "unauthorized" || result.reason !== "no-credential") return undefined;
    if (probe.credential.kind !== "anonymous" || image.matches?.length !== 0) return undefined;
    return probeCandidate("registry-requires-auth", anonymousPullFix, { ctx, image, probe }, 0.8, [
      "the image is not public, and no credential of the Pod matches it",
    ]);
  },
};
