// PW302: the same registry credential copied into many namespaces.
import type { Rule } from "../context.js";
import type { GraphObject } from "../graph.js";
import { normalizeKeyringKey, redactDerivedKey } from "../../dockerconfig/index.js";
import type { RuleMeta } from "../types.js";
import { pullSecretEntries } from "./credential-problems.js";

export const meta: RuleMeta = {
  id: "PW302",
  name: "credential-copied-across-namespaces",
  title: "Same credential copied into many namespaces",
  severity: "warning",
  explanation:
    "One registry credential copied into many namespaces means one leak exposes every team's images, rotation has to reach every copy (the one that is forgotten breaks later), and nobody can tell which workloads still need it. The copies are usually made by sync tooling from a single Secret.",
  fix: "Issue one credential per namespace or team, with pull rights on only its repositories, or remove the Secrets altogether with node identity or a kubelet credential provider. If the copies are intended, write them all from one place so a rotation reaches every copy: pullwarden apply NAME -n NS1,NS2 (or --namespace-selector KEY=VALUE) puts the same secret into each namespace, and --prune removes the copies no longer wanted.",
  tags: ["secret", "namespace", "rotation"],
};

export const rule: Rule = {
  meta,
  check(context) {
    // Grouped by what kubelet would send (normalised key, username, password): held in memory only, never shown.
    const groups = new Map<string, { key: string; username: string; secrets: Map<GraphObject, string> }>();
    for (const { secret, entry } of pullSecretEntries(context)) {
      if (!entry.decoded || entry.decoded.password === "") continue;
      const key = normalizeKeyringKey(entry.key) ?? entry.key;
      const identity = JSON.stringify([key, entry.decoded.username, entry.decoded.password]);
      let group = groups.get(identity);
      if (!group) {
        // Shown (message, properties): through the one key redaction, as every key.
        group = {
          key: redactDerivedKey(entry.key, key),
          username: entry.decoded.username,
          secrets: new Map(),
        };
        groups.set(identity, group);
      }
      if (!group.secrets.has(secret)) group.secrets.set(secret, entry.key);
    }
    for (const group of groups.values()) {
      const namespaces = [
        ...new Set([...group.secrets.keys()].map((secret) => secret.ref.namespace ?? "")),
      ].sort();
      if (namespaces.length < context.options.copiedCredentialThreshold) continue;
      const shown =
        namespaces.slice(0, 6).join(", ") +
        (namespaces.length > 6 ? `, and ${namespaces.length - 6} more` : "");
      for (const [secret] of group.secrets) {
        const analysis = context.catalog.get(secret.ref.namespace ?? "", secret.ref.name);
        context.report(meta, {
          message: `the same credential for ${group.key}${group.username ? ` (user ${group.username})` : ""} is stored in ${namespaces.length} namespaces: ${shown}`,
          object: secret,
          field: analysis?.valueField ?? ["data"],
          subject: `copied|${group.key}`,
          related: [...group.secrets.keys()]
            .filter((other) => other !== secret)
            .slice(0, 20)
            .map((other) => ({ object: other })),
          properties: { namespaces: namespaces.length, registry: group.key },
        });
      }
    }
  },
};
