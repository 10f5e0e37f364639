// PW303: several workloads of one ServiceAccount repeat the same imagePullSecrets; the ServiceAccount should carry them.
import { shQuote } from "../../text/index.js";
import type { Rule } from "../context.js";
import type { PodSource } from "../graph.js";
import { describeRef } from "../objects.js";
import { serviceAccountSecrets } from "../pull-path.js";
import type { RuleMeta } from "../types.js";

export const meta: RuleMeta = {
  id: "PW303",
  name: "repeated-pod-pull-secrets",
  title: "Same imagePullSecrets repeated across Pods of one ServiceAccount",
  severity: "info",
  explanation:
    "When every workload of a ServiceAccount lists the same imagePullSecrets, the list belongs on the ServiceAccount: admission copies it into each Pod that has none, new workloads get it for free, and a rename or rotation is one edit instead of many. Mind the admission rule: the ServiceAccount's list is copied only into Pods that list none, so remove the Pod-level lists after patching the ServiceAccount.",
  fix: "Patch the ServiceAccount with the list (the command is in each finding, with names shell-quoted), then remove imagePullSecrets from the workloads' Pod templates and roll them out.",
  tags: ["serviceaccount", "imagePullSecrets"],
};

export const rule: Rule = {
  meta,
  check(context) {
    const groups = new Map<string, PodSource[]>();
    for (const pod of context.graph.podSources) {
      if (pod.controlled || pod.admitted || pod.pullSecrets.length === 0) continue;
      const names = [...new Set(pod.pullSecrets.map((ref) => ref.name).filter(Boolean))].sort();
      if (names.length === 0) continue;
      const key = JSON.stringify([pod.namespace, pod.serviceAccount, names]);
      const group = groups.get(key);
      if (group) group.push(pod);
      else groups.set(key, [pod]);
    }
    for (const [key, pods] of groups) {
      if (pods.length < context.options.repeatedPullSecretsThreshold) continue;
      const [namespace, serviceAccount, names] = JSON.parse(key) as [string, string, string[]];
      const current = serviceAccountSecrets(context.graph, namespace, serviceAccount).names;
      const merged = [...current, ...names.filter((name) => !current.includes(name))];
      const patch = JSON.stringify({ imagePullSecrets: merged.map((name) => ({ name })) });
      const already = names.every((name) => current.includes(name));
      // Names come from the input: quoted so that no name can end the command or start another.
      const command = `kubectl patch serviceaccount ${shQuote(serviceAccount)} -n ${shQuote(namespace)} --type merge -p ${shQuote(patch)}`;
      const workloads = pods.map((pod) => describeRef(pod.owner.ref));
      for (const pod of pods) {
        context.report(meta, {
          message: `${pods.length} workloads of ServiceAccount ${namespace}/${serviceAccount} repeat imagePullSecrets [${names.join(", ")}]${already ? " that the ServiceAccount already carries" : ""}: ${workloads.slice(0, 4).join(", ")}${workloads.length > 4 ? ", ..." : ""}`,
          fix: already
            ? `Remove imagePullSecrets from these Pod templates; ServiceAccount ${serviceAccount} already gives them to every Pod that lists none.`
            : `${command}  # then remove imagePullSecrets from these Pod templates (the ServiceAccount's list is copied only into Pods that list none)`,
          object: pod.owner,
          field: [...pod.specPath, "imagePullSecrets"],
          subject: `repeated|${serviceAccount}|${names.join(",")}`,
          related: pods
            .filter((other) => other !== pod)
            .slice(0, 20)
            .map((other) => ({ object: other.owner })),
          properties: { serviceAccount, secrets: names, patch },
        });
      }
    }
  },
};
