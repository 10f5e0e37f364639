import type { CauseDefinition } from "./definition.js";
import { GENERIC_AUTH_CAUSES } from "./ids.js";
import { CREDENTIAL_CHECKS } from "./shared/checks.js";
import { renewCredentialFix } from "./shared/fixes.js";
import { probeCandidate } from "./shared/probes.js";
import { statusGroup } from "../runtime-messages.js";

export const cause: CauseDefinition<"credential-rejected"> = {
  id: "credential-rejected",
  title: "The registry rejected the credential (wrong, expired or revoked)",
  category: "credential",
  checks: CREDENTIAL_CHECKS,
  authentication: true,
  message: { score: 0.78 },
  wordings: [
    {
      id: "containerd-oauth-token-rejected",
      priority: 5000,
      runtime: "containerd",
      re: /failed to fetch oauth token: unexpected status(?: from (?:POST|GET) request to \S+)?: (40[13])/,
      meaning:
        "credentials were sent to the registry's token service and rejected (wrong, expired or revoked)",
      status: statusGroup(1),
    },
    {
      id: "crio-invalid-username-password",
      priority: 5010,
      runtime: "cri-o",
      re: /unable to retrieve auth token: invalid username\/password/,
      meaning: "the registry's token service rejected the username and password",
    },
    {
      id: "docker-incorrect-username-password",
      priority: 5020,
      re: /incorrect username or password/,
      meaning: "the registry rejected the username and password",
    },
  ],
  fix: renewCredentialFix,
  probe(ctx, image, probe) {
    const { result } = probe;
    if (result.outcome !== "unauthorized" || result.reason !== "credential-rejected") return undefined;
    if (probe.credential.kind !== "secret") return undefined;
    return probeCandidate(
      "credential-rejected",
      renewCredentialFix,
      { ctx, image, probe },
      0.9,
      [],
      [...GENERIC_AUTH_CAUSES],
    );
  },
};
