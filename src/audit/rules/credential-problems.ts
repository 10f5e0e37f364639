// Shared by the credential rules: every pull secret's entries with the inspect analysis of their credential.
import type { RuleContext } from "../context.js";
import type { GraphObject } from "../graph.js";
import { looksLikePullSecret } from "../pull-secrets.js";
import type { PullSecretAnalysis, PullSecretEntry } from "../pull-secrets.js";

export interface SecretEntry {
  readonly secret: GraphObject;
  readonly analysis: PullSecretAnalysis;
  readonly entry: PullSecretEntry;
}

export function pullSecretEntries(context: RuleContext): SecretEntry[] {
  const out: SecretEntry[] = [];
  for (const secret of context.graph.secrets.values()) {
    if (!looksLikePullSecret(secret)) continue;
    const analysis = context.catalog.get(secret.ref.namespace ?? "", secret.ref.name);
    if (!analysis) continue;
    for (const entry of analysis.entries) out.push({ secret, analysis, entry });
  }
  return out;
}

/** Pull secrets pullwarden writes (apply, the plan's scripts) carry its managed-by label: rotation is its job. */
export function isManagedByPullwarden(secret: GraphObject): boolean {
  return secret.labels["app.kubernetes.io/managed-by"] === "pullwarden";
}
