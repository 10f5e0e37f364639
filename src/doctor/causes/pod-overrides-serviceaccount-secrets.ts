import { recreatePodCommands, setPullSecretsCommand } from "../fix-commands.js";
import { candidate } from "../model.js";
import type { CauseDefinition } from "./definition.js";
import { recreatePodFix } from "./shared/fixes.js";
import { PULL_PATH_EXPLAINED } from "./shared/pull-secrets.js";
import { serviceAccountGap } from "./shared/service-account.js";

export const cause: CauseDefinition<"pod-overrides-serviceaccount-secrets"> = {
  id: "pod-overrides-serviceaccount-secrets",
  title: "The Pod sets its own imagePullSecrets, so the ServiceAccount's are never used",
  category: "service-account",
  checks: ["the ServiceAccount's current imagePullSecrets against the Pod's"],
  fix: recreatePodFix,
  // The Pod names Secrets of its own that the ServiceAccount does not (else: serviceaccount-patched-after-pod).
  detect(ctx) {
    const gap = serviceAccountGap(ctx);
    if (!gap || gap.podList.length === 0 || gap.subset) return [];
    const ev = ctx.evidence;
    const patch = setPullSecretsCommand(ev.pod, ev.source, [...gap.podList, ...gap.saOnly]);
    return [
      candidate(
        "pod-overrides-serviceaccount-secrets",
        (gap.served.length > 0 ? 0.93 : 0.82) * gap.relevance,
        {
          secrets: gap.saOnly,
          evidence: [
            ...gap.evidence,
            "a Pod that sets imagePullSecrets never receives the ServiceAccount's: admission copies them only into Pods that have none",
          ],
          fix: {
            explanation: `Add ${gap.saOnly.join(", ")} to the workload's own imagePullSecrets.`,
            commands: patch ? [patch] : recreatePodCommands(ev.pod, ev.source),
          },
          explains: PULL_PATH_EXPLAINED,
        },
      ),
    ];
  },
};
