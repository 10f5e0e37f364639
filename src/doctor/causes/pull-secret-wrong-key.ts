import { createSecretCommand } from "../fix-commands.js";
import { candidate } from "../model.js";
import type { CauseDefinition } from "./definition.js";
import { SECRET_CHECKS } from "./shared/checks.js";
import { failingImages } from "./shared/images.js";
import {
  AUTH_EXPLAINED,
  podPullSecrets,
  podWeight,
  rebuildCommands,
  rebuiltName,
  secretRef,
} from "./shared/pull-secrets.js";

export const cause: CauseDefinition<"pull-secret-wrong-key"> = {
  id: "pull-secret-wrong-key",
  title: "The pull secret has no .dockerconfigjson key, so kubelet ignores it",
  category: "pull-secret",
  checks: SECRET_CHECKS,
  detect(ctx) {
    const weight = podWeight(ctx);
    return podPullSecrets(ctx).flatMap((secret) => {
      if (secret.state !== "found" || secret.docker) return [];
      const keys = secret.dataKeys ?? [];
      const guess = keys.find((k) => /docker|config\.json|auth/i.test(k)) ?? keys[0];
      const fixedName = rebuiltName(secret);
      return [
        candidate("pull-secret-wrong-key", 0.9 * weight, {
          secrets: [secret.name],
          title: `The pull secret ${secret.name} has no .dockerconfigjson key`,
          evidence: [
            `Secret ${secretRef(secret)} has type ${secret.type ?? "Opaque"} and keys ${keys.length > 0 ? keys.join(", ") : "(none)"}`,
            "kubelet reads only .dockerconfigjson (type kubernetes.io/dockerconfigjson) or .dockercfg (type kubernetes.io/dockercfg) and skips any other Secret",
          ],
          fix: {
            explanation: guess
              ? `If ${guess} holds a docker config, store it as .dockerconfigjson in a Secret of type kubernetes.io/dockerconfigjson (a Secret's type cannot be changed, so create a new one).`
              : "Create a Secret of type kubernetes.io/dockerconfigjson with the registry credentials.",
            commands: guess
              ? rebuildCommands(ctx, secret, guess, fixedName)
              : [
                  createSecretCommand(
                    fixedName,
                    secret.namespace,
                    failingImages(ctx)[0]?.host,
                    failingImages(ctx)[0]?.registry,
                  ),
                ],
          },
          explains: AUTH_EXPLAINED,
        }),
      ];
    });
  },
};
