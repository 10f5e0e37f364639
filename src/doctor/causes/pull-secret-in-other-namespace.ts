import { nsFlag } from "../fix-commands.js";
import { candidate } from "../model.js";
import type { CauseDefinition } from "./definition.js";
import { SECRET_CHECKS } from "./shared/checks.js";
import { AUTH_EXPLAINED, missingPodSecrets, podWeight } from "./shared/pull-secrets.js";
import { shQuote } from "../../text/index.js";

export const cause: CauseDefinition<"pull-secret-in-other-namespace"> = {
  id: "pull-secret-in-other-namespace",
  title: "The pull secret exists, but in another namespace",
  category: "pull-secret",
  checks: SECRET_CHECKS,
  // A missing Secret with no close name in its namespace (that would be pull-secret-name-typo).
  detect(ctx) {
    const weight = podWeight(ctx);
    return missingPodSecrets(ctx).flatMap(({ secret, namespace, lines, closest, elsewhere }) => {
      const other = elsewhere?.namespaces[0];
      if (closest !== undefined || !elsewhere || !other) return [];
      const key = other.type === "kubernetes.io/dockercfg" ? ".dockercfg" : ".dockerconfigjson";
      const template = shQuote(`{{index .data "${key}" | base64decode}}`);
      return [
        candidate("pull-secret-in-other-namespace", 0.93 * weight, {
          secrets: [secret.name],
          title: `The pull secret ${secret.name} exists in namespace ${other.namespace}, not in ${namespace}`,
          evidence: [
            ...lines,
            `a Secret named ${secret.name} exists in namespace${elsewhere.namespaces.length > 1 ? "s" : ""} ${elsewhere.namespaces
              .map((n) => n.namespace)
              .join(", ")}; Pods can only use pull secrets of their own namespace`,
          ],
          fix: {
            explanation: `Create the Secret in namespace ${namespace} too (copy it, or better, create it from its source and keep both in sync).`,
            commands: [
              `kubectl ${nsFlag(namespace)} create secret generic ${shQuote(secret.name)} --type=${shQuote(other.type)} --from-file=${key}=<(kubectl -n ${shQuote(other.namespace)} get secret ${shQuote(secret.name)} -o go-template=${template})`,
            ],
          },
          explains: AUTH_EXPLAINED,
        }),
      ];
    });
  },
};
