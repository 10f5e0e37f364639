import type { DiagnosisContext } from "../context.js";
import type { Candidate } from "../model.js";
import { candidate } from "../model.js";
import { statusGroup } from "../runtime-messages.js";
import type { CauseDefinition } from "./definition.js";
import { GENERIC_AUTH_CAUSES } from "./ids.js";
import { CREDENTIAL_CHECKS } from "./shared/checks.js";
import { renewCredentialFix } from "./shared/fixes.js";
import { probeCandidate } from "./shared/probes.js";
import { credentialLabel, imagesWithKnownCredentials, isBadCredential } from "./shared/pull-secrets.js";

/**
 * A 401 to a pull that sent a credential: the runtime sends the credentials kubelet gives it, so the registry
 * refused those (without any, containerd says "no basic auth credentials" or fetches an anonymous token, both
 * worded apart). When a credential kubelet tries cannot work anyway (expired, of a refused kind, empty), that is
 * the cause (its own), not a refusal of good credentials.
 */
function refusedCredentials(ctx: DiagnosisContext): Candidate[] {
  return imagesWithKnownCredentials(ctx).flatMap((image) => {
    const refusals = image.signals.filter((s) => s.recognition.cause === "registry-unauthorized");
    const sent = image.matches;
    if (refusals.length === 0 || sent.length === 0 || sent.some(isBadCredential)) return [];
    const secrets = [...new Set(sent.map((m) => m.secret.name))];
    return [
      candidate("credential-rejected", 0.76, {
        image: image.image,
        containers: image.containers.map((c) => c.name),
        secrets,
        title: `The registry rejected the credential in ${secrets.join(", ")} (wrong, expired or revoked)`,
        evidence: [
          ...new Set(refusals.map((s) => s.line)),
          `the registry answered 401 although kubelet sends it ${sent.map(credentialLabel).join("; ")} for ${image.lookupName ?? image.image}: it refused that credential (with none, the runtime would say "no basic auth credentials")`,
        ],
        fix: renewCredentialFix({ ctx, image }),
        explains: ["registry-unauthorized", "registry-requires-auth", "image-pull-failed"],
        // The refusal is the last failure's message; the Secret it names may have been fixed since.
        lastFailureOnly: true,
      }),
    ];
  });
}

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
  detect: refusedCredentials,
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
