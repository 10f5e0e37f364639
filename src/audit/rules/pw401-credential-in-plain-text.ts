// PW401: credentials embedded in env values, args, commands, annotations or ConfigMaps.
import type { Rule, RuleContext } from "../context.js";
import { scanForCredentials } from "../credential-scan.js";
import type { GraphObject } from "../graph.js";
import { arr, isRecord, str } from "../objects.js";
import type { FieldPath, RuleMeta } from "../types.js";

export const meta: RuleMeta = {
  id: "PW401",
  name: "credential-in-plain-text",
  title: "Credential embedded in a manifest outside a Secret",
  severity: "error",
  explanation:
    "Env values, container arguments, annotations and ConfigMaps are stored unencrypted, readable by anyone who can read the object (often far more people than can read Secrets), printed by kubectl describe, and committed to Git with the manifests. A registry token or docker auth blob there is a leaked credential. Found: GitHub, Docker Hub and GitLab tokens by their prefixes, AWS access keys, JWTs, and docker config blobs; the values are never printed.",
  fix: "Revoke and rotate the credential, since it has been exposed. Keep the new one in a Secret (a kubernetes.io/dockerconfigjson Secret in imagePullSecrets for pulls; env valueFrom.secretKeyRef or a volume for applications), or avoid it with workload identity.",
  tags: ["credential", "leak"],
};

function scan(
  context: RuleContext,
  object: GraphObject,
  value: unknown,
  field: FieldPath,
  where: string,
  name?: string,
): void {
  if (typeof value !== "string") return;
  for (const hit of scanForCredentials(value, name)) {
    context.report(meta, {
      message: `${where} holds a ${hit.label} (${hit.redacted})`,
      object,
      field,
      subject: `${field.join(".")}|${hit.label}`,
      properties: { credential: hit.label },
    });
  }
}

export const rule: Rule = {
  meta,
  check(context) {
    for (const pod of context.graph.podSources) {
      if (pod.controlled) continue;
      for (const container of pod.containers) {
        const base = [...pod.specPath, container.group, container.index];
        const label = `${container.group === "containers" ? "container" : container.group.replace(/s$/, "")} ${container.name}`;
        arr(container.spec["env"]).forEach((env, index) => {
          if (!isRecord(env)) return;
          const name = str(env["name"]) ?? `#${index}`;
          scan(
            context,
            pod.owner,
            env["value"],
            [...base, "env", index, "value"],
            `env ${name} of ${label}`,
            name,
          );
        });
        for (const list of ["args", "command"] as const) {
          arr(container.spec[list]).forEach((value, index) =>
            scan(context, pod.owner, value, [...base, list, index], `${list}[${index}] of ${label}`),
          );
        }
      }
      for (const [key, value] of Object.entries(pod.templateAnnotations)) {
        scan(
          context,
          pod.owner,
          value,
          [...pod.specPath.slice(0, -1), "metadata", "annotations", key],
          `pod template annotation ${key}`,
        );
      }
    }
    for (const object of context.graph.objects) {
      // Secrets are where credentials belong (their last-applied annotation repeats their data).
      if (object.ref.kind === "Secret") continue;
      for (const [key, value] of Object.entries(object.annotations)) {
        if (key.startsWith("pullwarden.io/")) continue;
        scan(context, object, value, ["metadata", "annotations", key], `annotation ${key}`);
      }
    }
    for (const configMap of context.graph.configMaps) {
      const data = configMap.raw["data"];
      if (!isRecord(data)) continue;
      for (const [key, value] of Object.entries(data))
        scan(context, configMap, value, ["data", key], `ConfigMap key ${key}`, key);
    }
  },
};
