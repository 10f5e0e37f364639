import { recreatePodCommands, setPullSecretsCommand } from "../fix-commands.js";
import { candidate } from "../model.js";
import type { CauseDefinition } from "./definition.js";
import { SECRET_CHECKS } from "./shared/checks.js";
import { AUTH_EXPLAINED, missingPodSecrets, podWeight, replaceName } from "./shared/pull-secrets.js";

export const cause: CauseDefinition<"pull-secret-name-typo"> = {
  id: "pull-secret-name-typo",
  title: "The pull secret name is misspelled",
  category: "pull-secret",
  checks: SECRET_CHECKS,
  // A missing Secret whose namespace has a Secret of a close name (edit distance, case, separators).
  detect(ctx) {
    const ev = ctx.evidence;
    const weight = podWeight(ctx);
    return missingPodSecrets(ctx).flatMap(({ secret, namespace, lines, closest }) => {
      if (closest === undefined) return [];
      const listing = ev.namespaceSecrets?.find((s) => s.name === closest);
      const patch = setPullSecretsCommand(
        ev.pod,
        ev.source,
        replaceName(ev.pod.imagePullSecrets ?? [], secret.name, closest),
      );
      return [
        candidate("pull-secret-name-typo", 0.94 * weight, {
          secrets: [secret.name, closest],
          title: `The pull secret name "${secret.name}" is misspelled: namespace ${namespace} has "${closest}"`,
          evidence: [
            ...lines,
            `namespace ${namespace} has a Secret named ${closest}${listing ? ` (type ${listing.type})` : ""}, a close spelling`,
          ],
          fix: {
            explanation: `Reference ${closest} instead of ${secret.name} in the workload's imagePullSecrets (a Pod's spec cannot be edited; its controller's can).`,
            commands: patch ? [patch] : recreatePodCommands(ev.pod, ev.source),
          },
          explains: AUTH_EXPLAINED,
        }),
      ];
    });
  },
};
