import type { CauseDefinition } from "./definition.js";
import { CREDENTIAL_CHECKS, SECRET_CHECKS } from "./shared/checks.js";
import { fix, imageArg } from "./shared/fixes.js";
import { probeCandidate } from "./shared/probes.js";
import type { FixContext } from "./definition.js";
import type { Fix } from "../model.js";

function accessDeniedFix(fc: FixContext): Fix {
  return fix(
    "The registry refused this repository to the credential, or the repository does not exist (registries answer alike on purpose). Check the image name, then grant the credential pull access (AcrPull, an ECR repository policy, GitHub package access with read:packages).",
    [`pullwarden check ${imageArg(fc)} --secret <pull-secret.yaml>`],
  );
}

export const cause: CauseDefinition<"registry-access-denied"> = {
  id: "registry-access-denied",
  title: "Access denied: the credential may not pull this repository, or the repository does not exist",
  category: "authorization",
  checks: [...SECRET_CHECKS, ...CREDENTIAL_CHECKS],
  authentication: true,
  message: { score: 0.56 },
  wordings: [
    {
      id: "containerd-insufficient-scope",
      priority: 5050,
      runtime: "containerd",
      re: /pull access denied, repository does not exist or may require authorization(?:: server message: (\w+))?/,
      meaning:
        "the registry refused the pull: credentials missing or without pull scope, or no such repository (registries answer alike on purpose)",
      alternatives: ["registry-requires-auth", "image-not-found"],
      details: (m) => ({ serverMessage: m[1] }),
    },
    {
      id: "docker-pull-access-denied",
      priority: 5060,
      runtime: "dockershim",
      re: /pull access denied for ([^,\s]+), repository does not exist or may require 'docker login'/,
      meaning:
        "the registry refused the pull: credentials missing or without access, or no such repository (registries answer alike on purpose)",
      alternatives: ["registry-requires-auth", "image-not-found"],
    },
    {
      id: "containerd-status-403",
      priority: 5080,
      runtime: "containerd-1.7+",
      re: /unexpected status from (?:HEAD|GET) request to \S+: 403 Forbidden/,
      meaning:
        "authenticated (or anonymous) but not authorized for this repository: package not shared, repository policy, expired ECR token, firewall",
      alternatives: ["ecr-token-expired", "ghcr-read-packages-missing"],
      status: () => 403,
    },
    {
      id: "registry-denied",
      priority: 5110,
      re: /denied: requested access to the resource is denied|\bdenied: [^\n]*|403 Forbidden/,
      meaning:
        "the registry refused the pull (403 DENIED): the credential may not pull this repository, or the repository does not exist",
      alternatives: ["image-not-found"],
    },
  ],
  fix: accessDeniedFix,
  // A credential that authenticates but may not pull (a classic PAT on ghcr.io is ghcr-read-packages-missing).
  probe(ctx, image, probe) {
    if (probe.result.outcome !== "denied" || probe.credential.kind !== "secret") return undefined;
    return probeCandidate(
      "registry-access-denied",
      accessDeniedFix,
      { ctx, image, probe },
      0.85,
      ["the credential authenticates but may not pull this repository"],
      ["registry-unauthorized", "registry-requires-auth", "credential-rejected", "image-pull-failed"],
    );
  },
};
