// PW105: an image that needs credentials but gets none: no secret key matches and no node identity covers it.
import type { Rule } from "../context.js";
import { describeContainer, imageField } from "../context.js";
import { describeRef } from "../objects.js";
import { PrivateRegistryJudge } from "../private-registries.js";
import type { RuleMeta } from "../types.js";

export const meta: RuleMeta = {
  id: "PW105",
  name: "image-without-pull-path",
  title: "Private-registry image has no pull path",
  severity: "error",
  explanation:
    "For each image kubelet tries, in order, the credentials of the Pod's imagePullSecrets (or, only when the Pod lists none, its ServiceAccount's) whose keys match the registry, then the node's own credentials (a cloud identity or a kubelet credential provider). When nothing matches it pulls anonymously, which a private registry refuses: ErrImagePull, then ImagePullBackOff.",
  fix: "Give the image a pull path, best first: let the nodes pull with their identity (AKS: az aks update --attach-acr; EKS: a node role with AmazonEC2ContainerRegistryPullOnly; elsewhere a kubelet credential provider), or create a pull secret keyed by the image's registry host in the Pod's namespace and attach it to the Pod's ServiceAccount.",
  tags: ["pull-path", "image"],
};

export const rule: Rule = {
  meta,
  check(context) {
    const images = context.images();
    const judge = new PrivateRegistryJudge(context.options.privateRegistries, images);
    for (const resolved of images) {
      if (resolved.invalid !== undefined || !resolved.repository || !resolved.host) continue;
      if (resolved.secrets.fatal.length > 0 || resolved.path.steps.length > 0) continue;
      // An encrypted (SOPS) secret may well hold the credential: its content is unknown here.
      if (resolved.secrets.encrypted.length > 0) continue;
      const evidence = judge.judge(resolved);
      if (!evidence) continue;
      const { pod, container } = resolved;
      context.report(meta, {
        severity: evidence.severity,
        message: `${resolved.image} (${describeContainer(pod, container)}) will be pulled anonymously, but ${evidence.reason}. Pull path: ${resolved.path.summary}`,
        ...(evidence.fix !== undefined ? { fix: evidence.fix } : {}),
        object: pod.owner,
        field: imageField(pod, container.group, container.index),
        subject: `${container.group}/${container.name}`,
        image: resolved.image,
        pullPath: resolved.path,
        properties: { workload: describeRef(pod.owner.ref) },
      });
    }
  },
};
