// PW601 (live only): a running Pod whose imagePullSecrets differ from its ServiceAccount's current list,
// because it was admitted before the ServiceAccount changed.
import type { Rule } from "../context.js";
import type { PodSource } from "../graph.js";
import { arr, dig, isRecord, str } from "../objects.js";
import { serviceAccountSecrets } from "../pull-path.js";
import type { RuleMeta } from "../types.js";

export const meta: RuleMeta = {
  id: "PW601",
  name: "pod-pull-secrets-stale",
  title: "Pod's pull secrets differ from its ServiceAccount's current list",
  severity: "warning",
  explanation:
    "ServiceAccount admission copies the ServiceAccount's imagePullSecrets into a Pod once, when the Pod is created. Editing the ServiceAccount later changes nothing for running Pods: they keep pulling (on restart, on a new node) with the list they were admitted with, which may name a Secret that was deleted or lack the one that was added.",
  fix: "Recreate the affected Pods so admission copies the current list: kubectl rollout restart for their Deployment, StatefulSet or DaemonSet, or delete bare Pods and create them again.",
  liveOnly: true,
  tags: ["serviceaccount", "imagePullSecrets", "live"],
};

function same(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((name, index) => name === b[index]);
}

export const rule: Rule = {
  meta,
  check(context) {
    if (context.options.mode !== "cluster") return;
    const byUid = new Map<string, PodSource>();
    for (const pod of context.graph.podSources) if (pod.owner.uid) byUid.set(pod.owner.uid, pod);
    const controllerIn = (pod: PodSource) =>
      arr(dig(pod.owner.raw, "metadata", "ownerReferences")).some(
        (owner) => isRecord(owner) && owner["controller"] === true && byUid.has(str(owner["uid"]) ?? ""),
      );
    for (const pod of context.graph.podSources) {
      // Replicas of one controller were admitted alike: one finding, on the Pod that stands for them.
      if (!pod.admitted || (pod.controlled && !controllerIn(pod))) continue;
      const sa = serviceAccountSecrets(context.graph, pod.namespace, pod.serviceAccount);
      if (!sa.found) continue;
      const own = pod.pullSecrets.map((ref) => ref.name).filter(Boolean);
      let controllerTemplate: PodSource | undefined;
      for (const owner of arr(dig(pod.owner.raw, "metadata", "ownerReferences"))) {
        if (!isRecord(owner) || owner["controller"] !== true) continue;
        const uid = str(owner["uid"]);
        if (uid) controllerTemplate = byUid.get(uid);
      }
      // A template that lists its own secrets, not admission, gave the Pod its list.
      if (controllerTemplate && controllerTemplate.pullSecrets.length > 0) continue;
      if (!controllerTemplate && own.length > 0) continue;
      if (same(own, sa.names)) continue;
      const has = own.length > 0 ? `[${own.join(", ")}]` : "none";
      context.report(meta, {
        message: `Pod ${pod.namespace}/${pod.owner.ref.name} was admitted with imagePullSecrets ${has}, but ServiceAccount ${pod.serviceAccount} now has [${sa.names.join(", ")}]; the Pod keeps the old list until it is recreated`,
        object: pod.owner,
        field: [...pod.specPath, "imagePullSecrets"],
        subject: "stale",
        properties: { serviceAccount: pod.serviceAccount, pod: own, current: sa.names },
      });
    }
  },
};
