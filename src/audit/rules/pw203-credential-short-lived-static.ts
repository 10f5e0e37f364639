// PW203: a short-lived cloud token (ECR 12 h, ACR refresh token ~3 h) stored in a static Secret.
import { redactKey } from "../../dockerconfig/index.js";
import type { Rule } from "../context.js";
import type { RuleMeta } from "../types.js";
import { isManagedByPullwarden, pullSecretEntries } from "./credential-problems.js";

export const meta: RuleMeta = {
  id: "PW203",
  name: "credential-short-lived-static",
  title: "Short-lived token stored in a static Secret",
  severity: "warning",
  explanation:
    "An ECR authorization token lives 12 hours and an ACR refresh token about 3 hours. Stored in a Secret that nothing rewrites, it works for a while and then every new pull fails with `denied: Your authorization token has expired`, typically at night or when a node is replaced.",
  fix: "Let the nodes authenticate (EKS node role or ecr-credential-provider; AKS kubelet identity or acr-credential-provider), or rewrite the Secret from a schedule well within the token's life (ECR every 6 hours, ACR hourly; cron or a CI job): pullwarden apply -f LAYOUT, or the rotation script that pullwarden plan -f LAYOUT -o DIR writes. Secrets pullwarden writes carry the label app.kubernetes.io/managed-by: pullwarden, which this rule takes for such a schedule.",
  tags: ["credential", "rotation", "ecr", "acr"],
};

export const rule: Rule = {
  meta,
  check(context) {
    for (const { secret, analysis, entry } of pullSecretEntries(context)) {
      if (isManagedByPullwarden(secret)) continue;
      for (const problem of entry.inspected?.problems ?? []) {
        if (problem.code !== "static-short-lived-token") continue;
        context.report(meta, {
          message: `entry ${JSON.stringify(redactKey(entry.key))}: ${problem.message}`,
          object: secret,
          field: analysis.valueField ?? ["data"],
          subject: `${problem.code}|${entry.key}`,
          properties: { key: redactKey(entry.key) },
        });
      }
    }
  },
};
