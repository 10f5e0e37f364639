// PW204: a long-lived credential where a narrower or shorter-lived one exists (ACR admin user, a Docker Hub
// account password, a Google service-account key, a classic PAT).
import { shQuote } from "../../text/index.js";
import { redactKey } from "../../dockerconfig/index.js";
import type { Rule } from "../context.js";
import type { RuleMeta, Severity } from "../types.js";
import { pullSecretEntries } from "./credential-problems.js";

export const meta: RuleMeta = {
  id: "PW204",
  name: "credential-long-lived",
  title: "Long-lived, broad credential used for pulls",
  severity: "warning",
  explanation:
    "A credential that never expires and can do more than pull is valid for an attacker until someone notices: the ACR admin user can push and delete and has no expiry, a Docker Hub account password opens the whole account, a Google service-account key is valid until deleted. ghcr.io leaves no choice but a classic PAT, which should still be scoped to read:packages, belong to a machine user and carry an expiry.",
  fix: "Prefer identity over secrets (AKS --attach-acr, EKS node role, GKE Workload Identity). Otherwise use the narrowest credential the registry offers, with an expiry: ACR repository-scoped tokens, a Docker Hub read-only access token, a classic PAT with only read:packages.",
  tags: ["credential", "rotation"],
};

interface Verdict {
  readonly severity: Severity;
  readonly what: string;
  readonly fix: string;
}

function judge(
  registryKind: string,
  username: string,
  registryName: string | undefined,
  tokenKind: string,
): Verdict | undefined {
  if (
    registryKind === "acr" &&
    registryName !== undefined &&
    username.toLowerCase() === registryName &&
    tokenKind === "password"
  ) {
    return {
      severity: "warning",
      what: "the ACR admin user (username = registry name): it never expires and can push and delete",
      fix: `Disable the admin user (az acr update --name ${shQuote(registryName)} --admin-enabled false); use the kubelet identity (az aks update --attach-acr ${shQuote(registryName)}) or a repository-scoped token with content/read and an expiry.`,
    };
  }
  if (registryKind === "dockerhub" && tokenKind === "password") {
    return {
      severity: "warning",
      what: "a Docker Hub account password rather than an access token",
      fix: "Create a Docker Hub personal access token with the read-only scope and use it as the password.",
    };
  }
  if (registryKind === "gcr" && (username === "_json_key" || username === "_json_key_base64")) {
    return {
      severity: "warning",
      what: "a Google service-account key, valid until the key is deleted",
      fix: "Use GKE Workload Identity or the node service account through a kubelet credential provider; if a key must stay, give its account only Artifact Registry Reader and rotate it.",
    };
  }
  if (tokenKind === "github-classic-pat") {
    return {
      severity: "info",
      what: "a GitHub classic personal access token (the only kind ghcr.io accepts); its scopes and expiry cannot be read offline",
      fix: "Make sure it belongs to a machine user, has only read:packages and an expiry date, and is rotated before it expires.",
    };
  }
  return undefined;
}

export const rule: Rule = {
  meta,
  check(context) {
    for (const { secret, analysis, entry } of pullSecretEntries(context)) {
      const inspected = entry.inspected;
      const credential = inspected?.credential;
      if (!inspected || !credential) continue;
      const registry = inspected.registry;
      const verdict = judge(
        registry.kind,
        credential.username,
        registry.kind === "acr" ? registry.registryName : undefined,
        credential.token.kind,
      );
      if (!verdict) continue;
      context.report(meta, {
        severity: verdict.severity,
        message: `entry ${JSON.stringify(redactKey(entry.key))} holds ${verdict.what}`,
        fix: verdict.fix,
        object: secret,
        field: analysis.valueField ?? ["data"],
        subject: `long-lived|${entry.key}`,
        properties: { key: redactKey(entry.key), credential: credential.token.label },
      });
    }
  },
};
