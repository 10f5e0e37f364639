import { createSecretCommand, isObjectName, nsFlag, secretNameFor } from "../fix-commands.js";
import { candidate } from "../model.js";
import type { CauseDefinition, FixContext } from "./definition.js";
import { GENERIC_AUTH_CAUSES } from "./ids.js";
import { SECRET_CHECKS } from "./shared/checks.js";
import { fix, hostOf, ns } from "./shared/fixes.js";
import { failingImages } from "./shared/images.js";
import { AUTH_EXPLAINED, missingPodSecrets, podWeight } from "./shared/pull-secrets.js";

/** The first Secret kubelet's message says it could not retrieve, when it is a valid name. */
function firstMissingSecret(fc: FixContext): string | undefined {
  const names = fc.recognition?.details["secrets"];
  const first = names?.split(",")[0]?.trim();
  return first && isObjectName(first) ? first : undefined;
}

export const cause: CauseDefinition<"pull-secret-missing"> = {
  id: "pull-secret-missing",
  title: "A pull secret the Pod references does not exist in its namespace",
  category: "pull-secret",
  checks: [
    ...SECRET_CHECKS,
    "Secrets with a similar name in the namespace (a typo), and Secrets of that name in other namespaces",
  ],
  authentication: true,
  message: { score: 0.86, explains: GENERIC_AUTH_CAUSES },
  wordings: [
    {
      id: "kubelet-missing-pull-secrets",
      priority: 1020,
      runtime: "kubelet",
      re: /Unable to retrieve some image pull secrets \(([^)\n]*)\)/,
      meaning:
        "kubelet could not read some of the Pod's imagePullSecrets (FailedToRetrieveImagePullSecret) and pulls without them",
      details: (m) => ({ secrets: m[1] }),
    },
  ],
  fix(fc) {
    const namespace = ns(fc);
    return fix(
      "kubelet pulls without the missing Secret. If the name is misspelled, fix it in the workload's imagePullSecrets; otherwise create the Secret in the Pod's namespace (a Secret in another namespace does not count).",
      [
        `kubectl ${nsFlag(namespace)} get secrets --field-selector type=kubernetes.io/dockerconfigjson`,
        createSecretCommand(
          firstMissingSecret(fc) ?? secretNameFor(fc.image?.registry),
          namespace,
          hostOf(fc),
          fc.image?.registry,
        ),
      ],
    );
  },
  // Neither misspelled (pull-secret-name-typo) nor in another namespace (pull-secret-in-other-namespace).
  detect(ctx) {
    const ev = ctx.evidence;
    const first = failingImages(ctx)[0];
    const weight = podWeight(ctx);
    return missingPodSecrets(ctx)
      .filter((missing) => missing.closest === undefined && missing.elsewhere === undefined)
      .map(({ secret, namespace, lines }) =>
        candidate("pull-secret-missing", 0.9 * weight, {
          secrets: [secret.name],
          title: `The pull secret ${secret.name} does not exist in namespace ${namespace}`,
          evidence: [
            ...lines,
            ...(ev.namespaceSecrets !== undefined ? ["no Secret in the namespace has a similar name"] : []),
            ...(ev.elsewhere !== undefined ? ["no other namespace has a Secret of that name either"] : []),
          ],
          fix: {
            explanation: `Create ${secret.name} in namespace ${namespace} with a credential for ${first?.host ?? "the image's registry"}.`,
            commands: [
              createSecretCommand(
                isObjectName(secret.name) ? secret.name : "<secret>",
                namespace,
                first?.host,
                first?.registry,
              ),
            ],
          },
          explains: AUTH_EXPLAINED,
        }),
      );
  },
};
