// PW107: the ServiceAccount has imagePullSecrets, but the Pod lists its own, so the ServiceAccount's are not used.
import { lookupCredentials } from "../../dockerconfig/index.js";
import type { Rule } from "../context.js";
import { describeRef } from "../objects.js";
import type { RuleMeta } from "../types.js";

export const meta: RuleMeta = {
  id: "PW107",
  name: "serviceaccount-pull-secrets-ignored",
  title: "ServiceAccount's pull secrets are ignored because the Pod has its own",
  severity: "warning",
  explanation:
    "ServiceAccount admission copies a ServiceAccount's imagePullSecrets into a Pod only when the Pod has none; the two lists are never merged. A Pod that lists its own pull secrets therefore does not get its ServiceAccount's, which surprises anyone who attached a secret to the ServiceAccount and expects every Pod to use it.",
  fix: "Either remove imagePullSecrets from the Pod template so the ServiceAccount's list applies, or list every secret the Pod needs in the Pod itself.",
  tags: ["pull-path", "serviceaccount"],
};

export const rule: Rule = {
  meta,
  check(context) {
    for (const pod of context.graph.podSources) {
      if (pod.controlled) continue;
      const secrets = context.effective(pod);
      if (secrets.shadowed.length === 0) continue;
      // Would any of the shadowed secrets have matched an image of this Pod?
      const wouldMatch = new Set<string>();
      for (const name of secrets.shadowed) {
        const analysis = context.catalog.get(pod.namespace, name);
        if (!analysis || analysis.state !== "usable") continue;
        for (const container of pod.containers) {
          if (!container.image) continue;
          const lookup = lookupCredentials(analysis.entries, container.image);
          if (lookup.ok && lookup.matches.length > 0) wouldMatch.add(container.image);
        }
      }
      const matchNote =
        wouldMatch.size > 0 ? `; they would have matched ${[...wouldMatch].slice(0, 3).join(", ")}` : "";
      context.report(meta, {
        severity: wouldMatch.size > 0 ? "warning" : "info",
        message: `${describeRef(pod.owner.ref)} lists its own imagePullSecrets (${secrets.names.join(", ")}), so ServiceAccount ${pod.serviceAccount}'s (${secrets.shadowed.join(", ")}) are not copied into its Pods${matchNote}`,
        object: pod.owner,
        field: [...pod.specPath, "imagePullSecrets"],
        subject: `serviceaccount:${pod.serviceAccount}`,
        properties: { serviceAccount: pod.serviceAccount, ignored: secrets.shadowed },
      });
    }
  },
};
