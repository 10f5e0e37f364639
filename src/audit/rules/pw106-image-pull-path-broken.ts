// PW106: an image whose pull path exists but cannot work: a secret kubelet cannot decode (every pull of the Pod
// fails), or only credentials that are expired or that the registry rejects.
import type { Rule } from "../context.js";
import { describeContainer, imageField } from "../context.js";
import type { RuleMeta } from "../types.js";

export const meta: RuleMeta = {
  id: "PW106",
  name: "image-pull-path-broken",
  title: "Image's pull path cannot work",
  severity: "error",
  explanation:
    "kubelet builds one keyring from all of a Pod's pull secrets; if one of them cannot be decoded, the keyring fails and so does every pull of the Pod, even of public images. When the keyring works, kubelet tries each matching credential in turn and does not fall back to an anonymous pull when they all fail, so an image whose only credentials are expired, or of a kind the registry refuses (a fine-grained PAT or GitHub App token on ghcr.io), cannot be pulled.",
  fix: "Fix or remove the broken secret (pullwarden secret inspect shows why it fails), replace expired or rejected credentials, or move the image to a node-identity pull path.",
  tags: ["pull-path", "image", "credential"],
};

const BAD = new Set(["expired", "rejected", "not-yet-valid"]);

export const rule: Rule = {
  meta,
  check(context) {
    for (const resolved of context.images()) {
      // kubelet refuses an invalid reference before it builds the keyring (PW108).
      if (resolved.invalid !== undefined) continue;
      const { pod, container, path } = resolved;
      const where = `${resolved.image} (${describeContainer(pod, container)})`;
      const base = {
        object: pod.owner,
        field: imageField(pod, container.group, container.index),
        image: resolved.image,
        pullPath: path,
      };
      if (resolved.secrets.fatal.length > 0) {
        const names = resolved.secrets.fatal.map((secret) => secret.object.ref.name);
        context.report(meta, {
          ...base,
          message: `${where} cannot be pulled: kubelet cannot decode pull secret ${names.join(", ")}, and a secret it cannot decode fails every pull of the Pod`,
          fix: `Fix or remove secret ${names.join(", ")} (pullwarden secret inspect shows the problem), or drop it from imagePullSecrets.`,
          subject: `${container.group}/${container.name}|fatal`,
        });
        continue;
      }
      if (path.steps.length === 0 || path.steps.some((step) => step.via === "node-identity")) continue;
      if (!path.steps.every((step) => step.verdict !== undefined && BAD.has(step.verdict))) continue;
      const why = path.steps
        .map((step) => `${step.secret ?? "?"} (${step.credential ?? "credential"}: ${step.verdict ?? ""})`)
        .join(", ");
      context.report(meta, {
        ...base,
        message: `${where} cannot be pulled: every credential kubelet would try is unusable: ${why}. Pull path: ${path.summary}`,
        subject: `${container.group}/${container.name}|credentials`,
      });
    }
  },
};
