/**
 * Bindings + served credentials + namespaces → what `apply`'s reconcile should make true (pure): one Secret per
 * (namespace, secretName), its `.dockerconfigjson` merged from every credential the bindings targeting it name
 * (bindings in name order, credentials in spec order; the first credential for a registry wins), and the
 * ServiceAccount bindings. A target is **held** (nothing written, what is there keeps serving) while one of its
 * credentials does not exist or has not produced a credential yet in this process, so a restart never drops a
 * still-valid entry; an expired credential is left out of the merge (never served), and a target whose every
 * credential expired is held too.
 */
import type { DesiredBinding } from "../desired/index.js";
import type { ClusterPullSecretBinding } from "../desired/index.js";
import { buildDockerConfigFromAuths } from "../dockerconfig/index.js";
import type { DockerAuthInput } from "../dockerconfig/index.js";
import { labelSelectorMatches } from "../kube-model/index.js";
import type { ApplyDesired, WantedSecret } from "../apply/model.js";
import type { Candidate } from "./credential-state.js";
import { isServable } from "./credential-state.js";

export interface NamespaceView {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly terminating: boolean;
}

export interface CredentialView {
  /** The served credential, if one was obtained in this process. */
  readonly served: Candidate | undefined;
}

export interface TargetPlan {
  readonly namespace: string;
  readonly secretName: string;
  /** Bindings that target it (names). */
  readonly bindings: readonly string[];
  readonly held?: string;
}

export interface DesiredPlan {
  readonly desired: ApplyDesired;
  /** Per binding: the namespaces it selects now. */
  readonly namespacesByBinding: ReadonlyMap<string, readonly string[]>;
  /** Per binding: why it is held, if it is. */
  readonly heldBindings: ReadonlyMap<string, string>;
  readonly targets: readonly TargetPlan[];
}

/** The namespaces a binding selects: by name (if it exists) or by label selector; never a terminating one. */
export function selectedNamespaces(
  binding: ClusterPullSecretBinding,
  namespaces: readonly NamespaceView[],
): string[] {
  const names = new Set(binding.spec.namespaces.names ?? []);
  const selector = binding.spec.namespaces.selector;
  return namespaces
    .filter(
      (ns) =>
        !ns.terminating &&
        (names.has(ns.name) || (selector !== undefined && labelSelectorMatches(selector, ns.labels))),
    )
    .map((ns) => ns.name)
    .sort();
}

function byName<T extends { metadata: { name?: string } }>(a: T, b: T): number {
  const x = a.metadata.name ?? "";
  const y = b.metadata.name ?? "";
  return x < y ? -1 : x > y ? 1 : 0;
}

export function desiredFromBindings(
  bindings: readonly ClusterPullSecretBinding[],
  credentials: ReadonlyMap<string, CredentialView>,
  namespaces: readonly NamespaceView[],
  now: Date,
): DesiredPlan {
  const namespacesByBinding = new Map<string, string[]>();
  const heldBindings = new Map<string, string>();
  // (namespace, secretName) → the bindings and credentials that target it, in order.
  const targets = new Map<
    string,
    {
      namespace: string;
      secretName: string;
      bindings: string[];
      credentials: string[];
      accounts: Set<string>;
    }
  >();
  for (const binding of [...bindings].sort(byName)) {
    const name = binding.metadata.name ?? "";
    const selected = selectedNamespaces(binding, namespaces);
    namespacesByBinding.set(name, selected);
    const missing = binding.spec.credentials.filter((c) => !credentials.has(c));
    const pending = binding.spec.credentials.filter(
      (c) => credentials.has(c) && credentials.get(c)?.served === undefined,
    );
    if (missing.length > 0) heldBindings.set(name, `ClusterPullCredential ${missing.join(", ")} not found`);
    else if (pending.length > 0)
      heldBindings.set(
        name,
        `waiting for ClusterPullCredential ${pending.join(", ")} to obtain a credential`,
      );
    for (const namespace of selected) {
      const key = `${namespace}\u0000${binding.spec.secretName}`;
      let target = targets.get(key);
      if (!target) {
        target = {
          namespace,
          secretName: binding.spec.secretName,
          bindings: [],
          credentials: [],
          accounts: new Set(),
        };
        targets.set(key, target);
      }
      target.bindings.push(name);
      for (const credential of binding.spec.credentials)
        if (!target.credentials.includes(credential)) target.credentials.push(credential);
      for (const account of binding.spec.serviceAccounts ?? []) target.accounts.add(account);
    }
  }

  const secrets: WantedSecret[] = [];
  const accountBindings: DesiredBinding[] = [];
  const plans: TargetPlan[] = [];
  const wantedNamespaces = new Set<string>();
  for (const target of targets.values()) {
    const heldBy = target.bindings.find((b) => heldBindings.has(b));
    let held = heldBy ? heldBindings.get(heldBy) : undefined;
    const entries: DockerAuthInput[] = [];
    if (!held) {
      const seen = new Set<string>();
      for (const name of target.credentials) {
        const served = credentials.get(name)?.served;
        if (!isServable(served, now)) continue;
        for (const entry of served.entries) {
          if (seen.has(entry.key)) continue;
          seen.add(entry.key);
          entries.push(entry);
        }
      }
      if (entries.length === 0) held = `every credential of ${target.secretName} has expired`;
    }
    plans.push({
      namespace: target.namespace,
      secretName: target.secretName,
      bindings: target.bindings,
      ...(held ? { held } : {}),
    });
    if (held) continue;
    wantedNamespaces.add(target.namespace);
    secrets.push({
      namespace: target.namespace,
      name: target.secretName,
      payload: buildDockerConfigFromAuths(entries, { source: `secret ${target.secretName}` }),
    });
    for (const serviceAccount of [...target.accounts].sort())
      accountBindings.push({ namespace: target.namespace, serviceAccount, secretName: target.secretName });
  }
  return {
    desired: { secrets, bindings: accountBindings, namespaces: [...wantedNamespaces].sort() },
    namespacesByBinding,
    heldBindings,
    targets: plans,
  };
}
