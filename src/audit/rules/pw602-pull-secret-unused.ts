// PW602 (live only): a pull secret nothing references.
import type { Rule } from "../context.js";
import { nsKey } from "../graph.js";
import { arr, dig, isRecord, record, str } from "../objects.js";
import { looksLikePullSecret } from "../pull-secrets.js";
import type { RuleMeta } from "../types.js";

export const meta: RuleMeta = {
  id: "PW602",
  name: "pull-secret-unused",
  title: "Pull secret is not used",
  severity: "info",
  explanation:
    "A pull secret that no Pod, workload or ServiceAccount references, and that no container mounts or reads through env, is a credential kept alive for nothing: it still has to be rotated, and it still leaks if the namespace's Secrets are read.",
  fix: "Delete the Secret if nothing outside the cluster needs it (kubectl delete secret NAME -n NAMESPACE), and revoke its credential at the registry.",
  liveOnly: true,
  tags: ["secret", "live"],
};

export const rule: Rule = {
  meta,
  check(context) {
    if (context.options.mode !== "cluster") return;
    // Without every Pod and ServiceAccount, "unused" cannot be known.
    if (["Pod", "ServiceAccount"].some((kind) => context.options.incompleteKinds.has(kind))) return;
    const used = new Set<string>();
    const use = (namespace: string, name: unknown) => {
      if (typeof name === "string" && name !== "") used.add(nsKey(namespace, name));
    };
    for (const pod of context.graph.podSources) {
      for (const name of context.effective(pod).names) use(pod.namespace, name);
      for (const ref of pod.pullSecrets) use(pod.namespace, ref.name);
      for (const volume of arr(pod.spec["volumes"])) {
        use(pod.namespace, dig(volume, "secret", "secretName"));
        for (const source of arr(dig(volume, "projected", "sources")))
          use(pod.namespace, dig(source, "secret", "name"));
      }
      for (const container of pod.containers) {
        for (const env of arr(container.spec["env"]))
          use(pod.namespace, dig(env, "valueFrom", "secretKeyRef", "name"));
        for (const from of arr(container.spec["envFrom"])) use(pod.namespace, dig(from, "secretRef", "name"));
      }
    }
    for (const sa of context.graph.serviceAccounts.values()) {
      for (const list of ["imagePullSecrets", "secrets"]) {
        for (const entry of arr(sa.raw[list]))
          use(sa.ref.namespace ?? "", isRecord(entry) ? entry["name"] : undefined);
      }
    }
    for (const [key, secret] of context.graph.secrets) {
      if (used.has(key) || !looksLikePullSecret(secret)) continue;
      const owners = arr(dig(secret.raw, "metadata", "ownerReferences")).map((owner) =>
        str(record(owner)?.["kind"]),
      );
      const ownedNote = owners.length > 0 ? ` (owned by ${owners.filter(Boolean).join(", ")})` : "";
      context.report(meta, {
        message: `pull secret ${secret.ref.name} is referenced by no Pod, workload or ServiceAccount in namespace ${secret.ref.namespace ?? "?"}${ownedNote}`,
        object: secret,
        field: ["metadata", "name"],
        subject: "unused",
      });
    }
  },
};
