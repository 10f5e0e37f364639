import { scopesAllowPull } from "../../cloud/github/token-scopes.js";
import { classifyRegistryHost } from "../../hosts/index.js";
import { createSecretCommand } from "../fix-commands.js";
import type { Fix } from "../model.js";
import type { CauseDefinition, FixContext } from "./definition.js";
import { CREDENTIAL_CHECKS } from "./shared/checks.js";
import { firstPodSecret, fix, ns } from "./shared/fixes.js";
import { probeCandidate, probeTokenKind } from "./shared/probes.js";

function ghcrFix(fc: FixContext): Fix {
  return fix(
    "ghcr.io pulls need a classic personal access token with the read:packages scope whose user can see the package (fine-grained PATs and GitHub App tokens are not accepted). Create one for a machine user with only read:packages and an expiry, grant that user access to the package, and update the Secret.",
    [
      "curl -sI -H \"Authorization: Bearer $GHCR_PAT\" https://api.github.com/user | grep -i '^x-oauth-scopes'",
      createSecretCommand(
        firstPodSecret(fc) ?? "ghcr-pull",
        ns(fc),
        "ghcr.io",
        classifyRegistryHost("ghcr.io"),
      ),
    ],
  );
}

export const cause: CauseDefinition<"ghcr-read-packages-missing"> = {
  id: "ghcr-read-packages-missing",
  title: "The GitHub token cannot read the package (read:packages scope or package access missing)",
  category: "authorization",
  checks: [
    ...CREDENTIAL_CHECKS,
    "with --probe: the token's scopes (X-OAuth-Scopes of api.github.com) and a manifest request on ghcr.io",
  ],
  authentication: true,
  message: {
    score: 0.75,
    explains: ["registry-access-denied", "registry-unauthorized"],
    registries: ["ghcr"],
  },
  wordings: [
    {
      id: "ghcr-read-package-denied",
      priority: 2010,
      re: /permission_denied: (?:read_package|The token provided does not match expected scopes)/,
      meaning:
        "ghcr.io refused the token: it lacks read:packages, or the package is not visible to the token's user",
      alternatives: ["registry-access-denied", "credential-kind-rejected"],
    },
  ],
  fix: ghcrFix,
  // A classic PAT without read:packages explains whatever ghcr.io answered; with the scope, a 403 means the
  // token's user may not see the package.
  probe(ctx, image, probe) {
    if (image.registry?.kind !== "ghcr") return undefined;
    const scopes = probe.githubTokenScopes;
    if (scopes !== undefined && !scopesAllowPull(scopes)) {
      return probeCandidate("ghcr-read-packages-missing", ghcrFix, { ctx, image, probe }, 0.97, [
        `the token's scopes are [${scopes.join(", ")}]: no read:packages`,
      ]);
    }
    if (probe.result.outcome !== "denied" || probe.credential.kind !== "secret") return undefined;
    if (probeTokenKind(ctx, probe) !== "github-classic-pat") return undefined;
    return probeCandidate("ghcr-read-packages-missing", ghcrFix, { ctx, image, probe }, 0.88, [
      "a classic PAT authenticates but may not read this package",
    ]);
  },
};
