import { candidate } from "../model.js";
import type { CauseDefinition } from "./definition.js";
import { SECRET_CHECKS } from "./shared/checks.js";
import {
  AUTH_EXPLAINED,
  podPullSecrets,
  podWeight,
  rebuildCommands,
  rebuiltName,
  secretRef,
} from "./shared/pull-secrets.js";

/** The Secret type kubelet pairs with each docker config key. */
const DOCKER_TYPES: Record<string, string> = {
  ".dockerconfigjson": "kubernetes.io/dockerconfigjson",
  ".dockercfg": "kubernetes.io/dockercfg",
};

export const cause: CauseDefinition<"pull-secret-wrong-type"> = {
  id: "pull-secret-wrong-type",
  title: "The pull secret has the wrong type, so kubelet ignores it",
  category: "pull-secret",
  checks: SECRET_CHECKS,
  detect(ctx) {
    const weight = podWeight(ctx);
    return podPullSecrets(ctx).flatMap((secret) => {
      const docker = secret.docker;
      if (secret.state !== "found" || docker?.kubelet !== "ignores") return [];
      const expected = DOCKER_TYPES[docker.key] ?? "kubernetes.io/dockerconfigjson";
      return [
        candidate("pull-secret-wrong-type", 0.91 * weight, {
          secrets: [secret.name],
          title: `The pull secret ${secret.name} has type ${secret.type ?? "Opaque"}, so kubelet ignores it`,
          evidence: [
            `Secret ${secretRef(secret)} holds ${docker.key} but has type ${secret.type ?? "Opaque"}; kubelet uses it only with type ${expected}`,
            ...docker.problems
              .filter((p) => p.code === "secret-type-mismatch" || p.code === "secret-key-type-mismatch")
              .map((p) => `${p.code}: ${p.message}`),
          ],
          fix: {
            explanation: `A Secret's type cannot be changed: create a new Secret of type kubernetes.io/dockerconfigjson with the same content and reference it.`,
            commands: rebuildCommands(ctx, secret, docker.key, rebuiltName(secret)),
          },
          explains: AUTH_EXPLAINED,
        }),
      ];
    });
  },
};
