import { recreatePodCommands, setPullSecretsCommand } from "../fix-commands.js";
import { candidate } from "../model.js";
import type { CauseDefinition } from "./definition.js";
import { recreatePodFix } from "./shared/fixes.js";
import { PULL_PATH_EXPLAINED } from "./shared/pull-secrets.js";
import { serviceAccountGap } from "./shared/service-account.js";

export const cause: CauseDefinition<"serviceaccount-patched-after-pod"> = {
  id: "serviceaccount-patched-after-pod",
  title: "The ServiceAccount's imagePullSecrets changed after the Pod was created",
  category: "service-account",
  checks: ["the ServiceAccount's current imagePullSecrets against the Pod's"],
  fix: recreatePodFix,
  // The Pod names none of its own, or only some of the ServiceAccount's (else: pod-overrides-serviceaccount-secrets).
  detect(ctx) {
    const gap = serviceAccountGap(ctx);
    if (!gap || !(gap.podList.length === 0 || gap.subset)) return [];
    const ev = ctx.evidence;
    const patch = gap.podList.length > 0 ? setPullSecretsCommand(ev.pod, ev.source, gap.saList) : undefined;
    return [
      candidate(
        "serviceaccount-patched-after-pod",
        (gap.changedAfter || gap.served.length > 0 ? 0.94 : 0.88) * gap.relevance,
        {
          secrets: gap.saOnly,
          evidence: [
            ...gap.evidence,
            "the ServiceAccount admission plugin copies its imagePullSecrets into a Pod only at creation, and only when the Pod has none; editing the ServiceAccount later changes nothing for existing Pods",
          ],
          fix: {
            explanation:
              gap.podList.length === 0
                ? "Recreate the Pods: new Pods get the ServiceAccount's current imagePullSecrets at admission."
                : "The Pod template lists its own imagePullSecrets, so the ServiceAccount's are never copied: list them in the template too.",
            commands: patch ? [patch] : recreatePodCommands(ev.pod, ev.source),
          },
          explains: PULL_PATH_EXPLAINED,
        },
      ),
    ];
  },
};
