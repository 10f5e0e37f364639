import { recreatePodCommands } from "../fix-commands.js";
import type { CauseDefinition } from "./definition.js";
import { fix } from "./shared/fixes.js";

/**
 * The Pod's status and events tell of kubelet's last failed pull, and what is true now says it is fixed: a probe
 * pulls the image with the credentials kubelet sends, or a Secret kubelet could not read then exists now. kubelet
 * keeps the Pod in ImagePullBackOff until its next attempt and reads the pull secrets again at it, so nothing is
 * left to fix. The diagnosis step that finds it is src/doctor/supersede.ts (it weighs the other causes' stale
 * evidence); the back-off is kubelet's image back-off, 10 s doubling up to MaxImageBackOff = 300 s
 * (https://github.com/kubernetes/kubernetes/blob/v1.32.0/pkg/kubelet/kubelet.go, `MaxImageBackOff`;
 * https://kubernetes.io/docs/concepts/containers/images/#imagepullbackoff).
 */
export const cause: CauseDefinition<"fixed-awaiting-retry"> = {
  id: "fixed-awaiting-retry",
  title: "Fixed since kubelet's last failed pull: kubelet pulls at its next retry",
  category: "back-off",
  checks: [
    "the registry's answer now (--probe) with the credentials kubelet sends, against the failure the Pod's status and events report",
    "when the Pod's pull secrets were created or last written, against the time of the last failed pull",
  ],
  fix: ({ ctx }) =>
    fix(
      "Nothing left to fix: kubelet pulls at its next retry, at most 5 minutes away (ImagePullBackOff doubles from 10 s up to 5 minutes), and reads the pull secrets again then. Not to wait, make a new Pod, which pulls at once (delete the Pod of a controller, or restart the workload).",
      recreatePodCommands(ctx.evidence.pod, ctx.evidence.source),
    ),
};
