// PW102: a Secret used (or meant) as a pull secret whose type or data key kubelet does not read.
import type { Rule } from "../context.js";
import { nsKey } from "../graph.js";
import { describeRef } from "../objects.js";
import { looksLikePullSecret } from "../pull-secrets.js";
import type { RuleMeta } from "../types.js";

export const meta: RuleMeta = {
  id: "PW102",
  name: "pull-secret-wrong-type",
  title: "Pull secret has the wrong type or key",
  severity: "error",
  explanation:
    "kubelet reads only Secrets of type kubernetes.io/dockerconfigjson with the key .dockerconfigjson, and the legacy kubernetes.io/dockercfg with the key .dockercfg. Any other pairing (an Opaque Secret holding .dockerconfigjson, a dockerconfigjson Secret whose key is config.json) is skipped without a word, so the pull goes out without credentials.",
  fix: "Recreate the Secret with type kubernetes.io/dockerconfigjson and the key .dockerconfigjson (pullwarden secret create or kubectl create secret docker-registry do both). The type of an existing Secret cannot be changed: delete and recreate it.",
  tags: ["secret", "imagePullSecrets"],
};

export const rule: Rule = {
  meta,
  check(context) {
    // Secrets named in imagePullSecrets anywhere, with one referrer for the message.
    const referrers = new Map<string, string>();
    for (const pod of context.graph.podSources) {
      for (const name of context.effective(pod).names) {
        const key = nsKey(pod.namespace, name);
        if (!referrers.has(key)) referrers.set(key, describeRef(pod.owner.ref));
      }
    }
    for (const [key, secret] of context.graph.secrets) {
      const referrer = referrers.get(key);
      if (!referrer && !looksLikePullSecret(secret)) continue;
      const analysis = context.catalog.get(secret.ref.namespace ?? "", secret.ref.name);
      if (!analysis || (analysis.state !== "ignored" && analysis.state !== "empty")) continue;
      const used = referrer ? ` It is named in imagePullSecrets (${referrer}).` : "";
      context.report(meta, {
        message: `kubelet ignores this Secret as a pull secret: ${analysis.reason ?? "it holds no docker config"}.${used}`,
        object: secret,
        field:
          analysis.state === "empty" || analysis.key === undefined
            ? ["type"]
            : (analysis.valueField ?? ["type"]),
        subject: "type",
        properties: { type: analysis.type },
      });
    }
  },
};
