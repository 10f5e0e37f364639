import { createSecretCommand, nsFlag } from "../fix-commands.js";
import { candidate } from "../model.js";
import type { CauseDefinition } from "./definition.js";
import { SECRET_CHECKS } from "./shared/checks.js";
import { failingImages } from "./shared/images.js";
import { AUTH_EXPLAINED, podPullSecrets, podWeight, secretRef } from "./shared/pull-secrets.js";
import { shQuote } from "../../text/index.js";

export const cause: CauseDefinition<"pull-secret-malformed"> = {
  id: "pull-secret-malformed",
  title: "A pull secret cannot be read, which fails every pull of the Pod",
  category: "pull-secret",
  checks: SECRET_CHECKS,
  detect(ctx) {
    const weight = podWeight(ctx);
    const firstFailing = failingImages(ctx)[0];
    return podPullSecrets(ctx).flatMap((secret) => {
      const docker = secret.docker;
      if (secret.state !== "found" || docker?.kubelet !== "fails") return [];
      const what = docker.unreadable
        ? `${docker.key} cannot be read: ${docker.unreadable.message} (${docker.unreadable.code})`
        : `${docker.key} has problems kubelet cannot get past: ${docker.problems
            .filter((p) => p.severity === "error")
            .map((p) => p.code)
            .join(", ")}`;
      return [
        candidate("pull-secret-malformed", Math.max(0.6, 0.95 * weight), {
          secrets: [secret.name],
          title: `The pull secret ${secret.name} is malformed, which fails every pull of the Pod`,
          evidence: [
            `Secret ${secretRef(secret)}: ${what}`,
            "kubelet builds one keyring from all of the Pod's pull secrets; a Secret it cannot decode makes that fail, and with it every image pull of the Pod",
          ],
          fix: {
            explanation:
              "Recreate the Secret with a well-formed docker config (pullwarden secret create writes exactly what kubectl does, with padded base64 auth).",
            commands: [
              createSecretCommand(secret.name, secret.namespace, firstFailing?.host, firstFailing?.registry),
              `pullwarden secret inspect <(kubectl ${nsFlag(secret.namespace)} get secret ${shQuote(secret.name)} -o yaml)`,
            ],
          },
          explains: [...AUTH_EXPLAINED, "image-pull-failed"],
        }),
      ];
    });
  },
};
