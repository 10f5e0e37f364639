// PW104: a pull secret whose registry keys match none of the images of the Pods that use it.
import { redactKey } from "../../dockerconfig/index.js";
import type { Rule } from "../context.js";
import type { GraphObject } from "../graph.js";
import { nsKey } from "../graph.js";
import { describeRef } from "../objects.js";
import type { RuleMeta } from "../types.js";

export const meta: RuleMeta = {
  id: "PW104",
  name: "pull-secret-matches-no-image",
  title: "Pull secret matches none of the images that use it",
  severity: "warning",
  explanation:
    "kubelet offers a pull secret's credentials only for images whose registry matches one of its keys, with its own rules: `*` matches exactly one host label, the port must be spelled the same, a path is a raw prefix, registry-1.docker.io never matches and https://index.docker.io/v1/ serves Docker Hub only as a fallback. A secret whose keys match none of the images of the Pods that reference it is dead weight at best, and at worst the reason a private image is pulled anonymously.",
  fix: "Key the secret by the registry host exactly as the images spell it (ghcr.io, myreg.azurecr.io, registry.example.com:5000, docker.io for Docker Hub), or drop it from imagePullSecrets. pullwarden secret match IMAGE FILE shows what kubelet would try.",
  tags: ["pull-path", "secret"],
};

export const rule: Rule = {
  meta,
  check(context) {
    // Each image was matched once, by kubelet's keyring over the Pod's secrets (pull-path.ts): a secret serves
    // an image when one of the keyring's matches is its entry. An invalid reference proves nothing either way.
    const users = new Map<string, { secret: GraphObject; images: Map<string, string>; servesAny: boolean }>();
    for (const resolved of context.images()) {
      for (const analysis of resolved.secrets.usable) {
        const key = nsKey(analysis.object.ref.namespace ?? "", analysis.object.ref.name);
        let entry = users.get(key);
        if (!entry) {
          entry = { secret: analysis.object, images: new Map(), servesAny: false };
          users.set(key, entry);
        }
        if (!entry.images.has(resolved.image))
          entry.images.set(resolved.image, describeRef(resolved.pod.owner.ref));
        if (resolved.invalid !== undefined || resolved.matches.some((match) => match.entry.secret === key))
          entry.servesAny = true;
      }
    }
    for (const [, { secret, images, servesAny }] of users) {
      if (servesAny) continue;
      const analysis = context.catalog.get(secret.ref.namespace ?? "", secret.ref.name);
      if (!analysis || analysis.entries.length === 0) continue;
      const keys = analysis.entries.map((entry) => JSON.stringify(redactKey(entry.key))).join(", ");
      const shown = [...images].slice(0, 3).map(([image, owner]) => `${image} (${owner})`);
      context.report(meta, {
        message: `none of its keys (${keys}) matches any image of the Pods that use it: ${shown.join(", ")}${images.size > 3 ? `, and ${images.size - 3} more` : ""}`,
        object: secret,
        field: analysis.valueField ?? ["data"],
        subject: "keys",
        properties: { keys: analysis.entries.map((entry) => redactKey(entry.key)) },
      });
    }
  },
};
