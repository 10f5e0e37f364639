// PW502: an EncryptionConfiguration that leaves Secrets in plaintext in etcd, or protects them weakly.
import type { Rule } from "../context.js";
import { arr, isRecord, str } from "../objects.js";
import type { RuleMeta, Severity } from "../types.js";

export const meta: RuleMeta = {
  id: "PW502",
  name: "encryption-secrets-plaintext",
  title: "EncryptionConfiguration leaves Secrets in plaintext",
  severity: "error",
  explanation:
    "The API server encrypts a resource at rest with the first provider of the first `resources` entry that covers it; `identity` means no encryption, and it is what applies when no entry covers secrets. Anyone with a copy of etcd or its backups then reads every pull secret. Of the local providers, aescbc is no longer recommended (padding-oracle weakness) and aesgcm needs a key rotation every 200,000 writes; KMS v1 is deprecated in favour of KMS v2.",
  fix: "List secrets in an entry whose first provider is kms (apiVersion: v2) or secretbox, keep identity only as the last provider while migrating, then rewrite every Secret so it is stored encrypted: kubectl get secrets -A -o json | kubectl replace -f -",
  tags: ["encryption", "control-plane"],
};

const PROVIDERS = ["identity", "aescbc", "aesgcm", "secretbox", "kms"];

function covers(resources: readonly unknown[]): boolean {
  return resources.some((resource) => resource === "secrets" || resource === "*.*" || resource === "*.");
}

function providerName(provider: unknown): string | undefined {
  if (!isRecord(provider)) return undefined;
  return Object.keys(provider).find((key) => PROVIDERS.includes(key));
}

export const rule: Rule = {
  meta,
  check(context) {
    for (const config of context.graph.encryptionConfigs) {
      const entries = arr(config.raw["resources"]);
      const index = entries.findIndex((entry) => isRecord(entry) && covers(arr(entry["resources"])));
      if (index < 0) {
        context.report(meta, {
          message:
            "no resources entry covers secrets, so the API server stores Secrets (pull secrets included) unencrypted in etcd",
          object: config,
          field: ["resources"],
          subject: "not-covered",
        });
        continue;
      }
      const providers = arr((entries[index] as Record<string, unknown>)["providers"]);
      const first = providerName(providers[0]);
      const field = ["resources", index, "providers", 0];
      const report = (severity: Severity, subject: string, message: string, fix?: string) =>
        context.report(meta, { severity, message, object: config, field, subject, ...(fix ? { fix } : {}) });
      switch (first) {
        case undefined:
          report(
            "error",
            "no-provider",
            "the entry covering secrets has no known provider; the API server refuses such a configuration or stores Secrets in plaintext",
          );
          break;
        case "identity":
          report(
            "error",
            "identity-first",
            "identity is the first provider for secrets: new and updated Secrets are written unencrypted",
          );
          break;
        case "aescbc":
          report(
            "warning",
            "aescbc",
            "secrets are encrypted with aescbc, which Kubernetes no longer recommends (CBC is open to padding-oracle attacks) and whose key sits on the control plane's disk",
          );
          break;
        case "aesgcm":
          report(
            "warning",
            "aesgcm",
            "secrets are encrypted with aesgcm, which is safe only with a key rotation at least every 200,000 writes; without automated rotation it is not recommended",
          );
          break;
        case "kms": {
          const kms = (providers[0] as Record<string, unknown>)["kms"];
          const apiVersion = isRecord(kms) ? str(kms["apiVersion"]) : undefined;
          if (apiVersion !== "v2")
            report(
              "warning",
              "kms-v1",
              "secrets use KMS v1, deprecated since Kubernetes 1.28 and disabled by default from 1.29; use KMS v2 (apiVersion: v2)",
            );
          break;
        }
        default:
          break;
      }
      if (
        first !== undefined &&
        first !== "identity" &&
        providers.slice(1).some((provider) => providerName(provider) === "identity")
      ) {
        context.report(meta, {
          severity: "info",
          message:
            "identity follows the encrypting provider: Secrets written before encryption was enabled stay readable in plaintext until they are rewritten",
          fix: "Rewrite every Secret once (kubectl get secrets -A -o json | kubectl replace -f -), then drop identity from the list.",
          object: config,
          field: ["resources", index, "providers"],
          subject: "identity-fallback",
        });
      }
    }
  },
};
