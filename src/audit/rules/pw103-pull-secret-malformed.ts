// PW103: a pull secret whose docker config is malformed: bad JSON, bad base64 in `auth`, `auth` disagreeing with
// username/password, or anything else a real consumer (kubelet first) rejects or misreads.
import type { Rule } from "../context.js";
import { KUBELET_FATAL_PROBLEMS, looksLikePullSecret } from "../pull-secrets.js";
import type { RuleMeta, Severity } from "../types.js";

export const meta: RuleMeta = {
  id: "PW103",
  name: "pull-secret-malformed",
  title: "Pull secret's .dockerconfigjson is malformed",
  severity: "error",
  explanation:
    "kubelet decodes every pull secret of a Pod into one keyring. If any of them is not valid JSON, or an `auth` field is not base64 of user:password, the decode fails and every pull of the Pod fails, public images included. Other defects do not stop kubelet but break other consumers: skopeo and containerd reject unpadded or URL-safe base64 and ignore username/password without `auth`, and an `auth` that disagrees with username/password means the credentials you see are not the ones sent.",
  fix: "Regenerate the Secret with pullwarden secret create (or kubectl create secret docker-registry), which writes padded base64 `auth` next to username and password; run pullwarden secret inspect on it to see every problem.",
  tags: ["secret", "dockerconfigjson"],
};

/** The rule's fix is about the encoding; a problem with a registry key is fixed by rekeying the entry. */
const KEY_FIX =
  "Key the entry by the registry host exactly as the images spell it (ghcr.io, registry.example.com:5000, docker.io or https://index.docker.io/v1/ for Docker Hub), with no scheme other than https://, user info, query or trailing dot: recreate the Secret with pullwarden secret create --docker-server=HOST. pullwarden secret match IMAGE FILE shows which key kubelet would use for an image.";

/** Codes reported by other rules. */
const ELSEWHERE = new Set([
  "secret-type-mismatch",
  "secret-key-type-mismatch",
  "credential-expired",
  "credential-not-yet-valid",
  "credential-rejected-by-registry",
  "credential-expires-soon",
  "static-short-lived-token",
]);

export const rule: Rule = {
  meta,
  check(context) {
    for (const secret of context.graph.secrets.values()) {
      if (!looksLikePullSecret(secret)) continue;
      const analysis = context.catalog.get(secret.ref.namespace ?? "", secret.ref.name);
      if (!analysis) continue;
      const field = analysis.valueField ?? ["data"];
      if (analysis.decodeError !== undefined && analysis.state === "fatal") {
        context.report(meta, {
          message: `kubelet cannot decode this pull secret, so every pull of a Pod that uses it fails: ${analysis.decodeError}`,
          object: secret,
          field,
          subject: "decode",
          properties: { problem: "undecodable" },
        });
        continue;
      }
      for (const problem of analysis.problems) {
        if (ELSEWHERE.has(problem.code) || problem.severity === "info") continue;
        const fatal = problem.severity === "error" && KUBELET_FATAL_PROBLEMS.has(problem.code);
        const where = problem.key !== undefined ? ` (entry ${JSON.stringify(problem.key)})` : "";
        context.report(meta, {
          severity: problem.severity as Severity,
          message: `${problem.code}: ${problem.message}${where}${fatal ? "; kubelet fails every pull of Pods that use this secret" : ""}`,
          ...(problem.code.startsWith("key-") ? { fix: KEY_FIX } : {}),
          object: secret,
          field,
          subject: `${problem.code}|${problem.key ?? ""}`,
          properties: { problem: problem.code },
        });
      }
    }
  },
};
