import { createSecretCommand } from "../fix-commands.js";
import { candidate } from "../model.js";
import type { CauseDefinition } from "./definition.js";
import { GENERIC_AUTH_CAUSES } from "./ids.js";
import { CREDENTIAL_CHECKS } from "./shared/checks.js";
import { renewCredentialFix } from "./shared/fixes.js";
import { authWeight, badCredentials, imagesWithKnownCredentials } from "./shared/pull-secrets.js";

export const cause: CauseDefinition<"credential-expired"> = {
  id: "credential-expired",
  title: "The pull credential has expired",
  category: "credential",
  checks: CREDENTIAL_CHECKS,
  authentication: true,
  fix: renewCredentialFix,
  // A credential kubelet would try is past its own expiry (JWT exp…); an ECR token is ecr-token-expired.
  detect(ctx) {
    return imagesWithKnownCredentials(ctx).flatMap((image) =>
      badCredentials(image).flatMap(({ match, lines, share }) => {
        const credential = match.entry.credential;
        if (credential?.acceptance.verdict !== "expired" || credential.token.kind === "ecr-token") return [];
        return [
          candidate("credential-expired", 0.93 * Math.max(authWeight(image.auth), 0.8) * share, {
            image: image.image,
            containers: image.containers.map((c) => c.name),
            secrets: [match.secret.name],
            evidence: [...lines, credential.acceptance.reason],
            fix: {
              explanation:
                `Renew the credential and update the Secret. ${credential.acceptance.fix ?? ""}`.trim(),
              commands: [
                createSecretCommand(match.secret.name, match.secret.namespace, image.host, image.registry),
              ],
            },
            explains: [...GENERIC_AUTH_CAUSES, "ecr-token-expired", "credential-expired"],
          }),
        ];
      }),
    );
  },
};
