// PW301: a pull secret in the `default` namespace.
import type { Rule } from "../context.js";
import { looksLikePullSecret } from "../pull-secrets.js";
import type { RuleMeta } from "../types.js";

export const meta: RuleMeta = {
  id: "PW301",
  name: "pull-secret-in-default-namespace",
  title: "Pull secret in the default namespace",
  severity: "warning",
  explanation:
    "The default namespace is where everything lands that nobody placed: ad-hoc Pods, tutorials, `kubectl run`. A pull secret there is readable by whatever runs there and is the usual source of copy-everywhere tooling (sync a regcred from default into every namespace), which turns one credential into many copies nobody rotates.",
  fix: "Create pull secrets in the namespaces of the workloads that need them, one credential per team or namespace with only pull rights, and delete the copy in default.",
  tags: ["secret", "namespace"],
};

export const rule: Rule = {
  meta,
  check(context) {
    for (const secret of context.graph.secrets.values()) {
      if (secret.ref.namespace !== "default" || !looksLikePullSecret(secret)) continue;
      // A manifest without a namespace lands wherever it is applied; only an explicit default counts.
      if (secret.ref.namespaceDefaulted) continue;
      context.report(meta, {
        message: `pull secret ${secret.ref.name} is in the default namespace`,
        object: secret,
        field: ["metadata", "namespace"],
        subject: "namespace",
      });
    }
  },
};
