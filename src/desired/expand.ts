import type { DesiredBinding, DesiredSecret, DesiredState, PullSetupSpec } from "./model.js";

/**
 * Expands a spec against the namespaces that exist: names are kept as given (a missing namespace is the
 * caller's to report), selectors resolve through `selectNamespaces`. Duplicates collapse; order is stable
 * (spec order, then namespace order) so plans and diffs are deterministic.
 */
export function expandSpec(
  spec: PullSetupSpec,
  selectNamespaces: (labelSelector: string) => readonly string[],
): DesiredState {
  const secrets = new Map<string, DesiredSecret>();
  const bindings = new Map<string, DesiredBinding>();
  for (const secret of spec.secrets) {
    const namespaces =
      secret.namespaces.kind === "names"
        ? secret.namespaces.names
        : selectNamespaces(secret.namespaces.labelSelector);
    for (const namespace of namespaces) {
      secrets.set(`${namespace}/${secret.name}`, { namespace, name: secret.name, source: secret.source });
      for (const serviceAccount of secret.serviceAccounts) {
        bindings.set(`${namespace}/${serviceAccount}/${secret.name}`, {
          namespace,
          serviceAccount,
          secretName: secret.name,
        });
      }
    }
  }
  return { secrets: [...secrets.values()], bindings: [...bindings.values()] };
}
