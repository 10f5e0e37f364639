import { createSecretCommand, secretNameFor } from "../fix-commands.js";
import { candidate } from "../model.js";
import type { CauseDefinition } from "./definition.js";
import { GENERIC_AUTH_CAUSES } from "./ids.js";
import { CREDENTIAL_CHECKS } from "./shared/checks.js";
import { firstPodSecret, fix, hostOf, ns } from "./shared/fixes.js";
import { authWeight, badCredentials, imagesWithKnownCredentials } from "./shared/pull-secrets.js";

export const cause: CauseDefinition<"credential-kind-rejected"> = {
  id: "credential-kind-rejected",
  title: "The registry does not accept this kind of credential for pulls",
  category: "credential",
  checks: CREDENTIAL_CHECKS,
  authentication: true,
  fix: (fc) =>
    fix("Use a credential kind the registry accepts for pulls and update the Secret.", [
      createSecretCommand(
        firstPodSecret(fc) ?? secretNameFor(fc.image?.registry),
        ns(fc),
        hostOf(fc),
        fc.image?.registry,
      ),
    ]),
  // A credential kubelet would try is of a kind the registry refuses (a GitHub App token on ghcr.io…).
  detect(ctx) {
    return imagesWithKnownCredentials(ctx).flatMap((image) =>
      badCredentials(image).flatMap(({ match, lines, share }) => {
        const credential = match.entry.credential;
        if (credential?.acceptance.verdict !== "rejected") return [];
        return [
          candidate("credential-kind-rejected", 0.92 * Math.max(authWeight(image.auth), 0.7) * share, {
            image: image.image,
            containers: image.containers.map((c) => c.name),
            secrets: [match.secret.name],
            title: `${image.host ?? "The registry"} does not accept the ${credential.token.label} in ${match.secret.name}`,
            evidence: [...lines, credential.acceptance.reason],
            fix: {
              explanation: credential.acceptance.fix || "Use a credential kind the registry accepts.",
              commands: [
                createSecretCommand(match.secret.name, match.secret.namespace, image.host, image.registry),
              ],
            },
            explains: [...GENERIC_AUTH_CAUSES, "ghcr-read-packages-missing"],
          }),
        ];
      }),
    );
  },
};
