// PW202: a credential of a kind the registry does not accept (a fine-grained PAT or GitHub App token on ghcr.io).
import { redactKey } from "../../dockerconfig/index.js";
import type { Rule } from "../context.js";
import type { RuleMeta } from "../types.js";
import { pullSecretEntries } from "./credential-problems.js";

export const meta: RuleMeta = {
  id: "PW202",
  name: "credential-rejected-by-registry",
  title: "Registry does not accept this kind of credential",
  severity: "error",
  explanation:
    "Some credentials are refused by a registry whatever their permissions. ghcr.io accepts only classic personal access tokens (and the Actions GITHUB_TOKEN inside its own job): fine-grained PATs and GitHub App installation tokens fail, even though docker login may succeed with an App token. Tokens issued by one service (a GitHub token on an ECR host, an Entra ID token on ACR) are refused by another.",
  fix: "Use a credential the registry accepts. For ghcr.io: a classic PAT of a dedicated machine user with only read:packages and an expiry date (a GitHub App does not help). For ACR/ECR: the nodes' identity, or the registry's own short-lived token refreshed automatically.",
  tags: ["credential", "ghcr"],
};

export const rule: Rule = {
  meta,
  check(context) {
    for (const { secret, analysis, entry } of pullSecretEntries(context)) {
      for (const problem of entry.inspected?.problems ?? []) {
        if (problem.code !== "credential-rejected-by-registry") continue;
        context.report(meta, {
          message: `entry ${JSON.stringify(redactKey(entry.key))}: ${problem.message}`,
          ...("fix" in problem && problem.fix ? { fix: problem.fix } : {}),
          object: secret,
          field: analysis.valueField ?? ["data"],
          subject: `${problem.code}|${entry.key}`,
          properties: {
            key: redactKey(entry.key),
            credential: entry.inspected?.credential?.token.label ?? "",
          },
        });
      }
    }
  },
};
