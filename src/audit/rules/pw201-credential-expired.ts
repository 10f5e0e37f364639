// PW201: a pull credential that has expired, is not valid yet, or expires within a week.
import { redactKey } from "../../dockerconfig/index.js";
import type { Rule } from "../context.js";
import type { RuleMeta, Severity } from "../types.js";
import { pullSecretEntries } from "./credential-problems.js";

export const meta: RuleMeta = {
  id: "PW201",
  name: "credential-expired",
  title: "Pull credential is expired or about to expire",
  severity: "error",
  explanation:
    "Registry tokens that carry an expiry (JWTs such as ACR refresh tokens, ECR authorization tokens) are refused once it passes, and kubelet does not fall back to an anonymous pull when the credentials it tried were refused. The expiry is read offline from the token itself; the value is never printed.",
  fix: "Rotate the credential now, and automate the rotation: run pullwarden apply -f LAYOUT from a schedule (cron, a CI job), or the rotation script that pullwarden plan -f LAYOUT -o DIR writes; or remove the need for it with a node identity or a kubelet credential provider.",
  tags: ["credential", "rotation"],
};

const CODES: Readonly<Record<string, Severity>> = {
  "credential-expired": "error",
  "credential-not-yet-valid": "warning",
  "credential-expires-soon": "warning",
};

export const rule: Rule = {
  meta,
  check(context) {
    for (const { secret, analysis, entry } of pullSecretEntries(context)) {
      for (const problem of entry.inspected?.problems ?? []) {
        const severity = CODES[problem.code];
        if (!severity) continue;
        context.report(meta, {
          severity,
          message: `entry ${JSON.stringify(redactKey(entry.key))}: ${problem.message}`,
          ...("fix" in problem && problem.fix ? { fix: problem.fix } : {}),
          object: secret,
          field: analysis.valueField ?? ["data"],
          subject: `${problem.code}|${entry.key}`,
          properties: { problem: problem.code, key: redactKey(entry.key) },
        });
      }
    }
  },
};
