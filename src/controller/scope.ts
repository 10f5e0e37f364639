/**
 * The scoped mode (docs/controller.md, "Scoped mode"): the controller watches a fixed list of namespaces
 * (`--watch-namespaces`) through per-namespace Roles and cannot read Namespace objects. Which namespaces it can
 * serve, and what it must say about the rest of a binding (pure).
 */
import type { ClusterPullSecretBinding } from "../desired/index.js";
import { isDns1123Label } from "../kube-model/index.js";
import type { NamespaceView } from "./desired.js";

const MAX_NAMED = 5;

/**
 * The namespaces a scoped controller can serve: the watched ones whose lists were not refused. Their labels are
 * unknown (reading them needs the Namespace, cluster-scoped), so a label selector matches none of them.
 */
export function scopedNamespaceViews(
  watched: readonly string[],
  refused: ReadonlySet<string>,
): NamespaceView[] {
  return [...new Set(watched)]
    .filter((name) => !refused.has(name))
    .map((name) => ({ name, labels: {}, terminating: false }));
}

/**
 * The binding as a scoped controller reads it: by name only. Its label selector is dropped, not evaluated
 * against unknown labels (an empty selector or a `NotIn` would otherwise select every watched namespace).
 */
export function byNameOnly(binding: ClusterPullSecretBinding): ClusterPullSecretBinding {
  const { selector: _dropped, ...byName } = binding.spec.namespaces;
  return { ...binding, spec: { ...binding.spec, namespaces: byName } };
}

/**
 * What of a binding a scoped controller cannot serve, in one line (undefined: nothing): names it does not watch
 * or whose Secrets it may not read, and a label selector (which matches nothing without Namespace access).
 */
export function outOfScope(
  binding: ClusterPullSecretBinding,
  watched: readonly string[],
  refused: ReadonlySet<string>,
): string | undefined {
  const watchedSet = new Set(watched);
  const names = binding.spec.namespaces.names ?? [];
  const unwatched = names.filter((n) => !watchedSet.has(n));
  const denied = names.filter((n) => watchedSet.has(n) && refused.has(n));
  // A name that is no namespace name (an object stored under an older schema) is quoted: the line stays one line.
  const shown = (name: string) => (isDns1123Label(name) ? name : JSON.stringify(name));
  const list = (items: readonly string[]) =>
    items.slice(0, MAX_NAMED).map(shown).join(", ") +
    (items.length > MAX_NAMED ? ` and ${items.length - MAX_NAMED} more` : "");
  const parts = [
    ...(unwatched.length > 0
      ? [`not watched (add to --watch-namespaces / scope.namespaces): ${list(unwatched)}`]
      : []),
    ...(denied.length > 0
      ? [`refused by the API server (no Role there, or no such namespace): ${list(denied)}`]
      : []),
    ...(binding.spec.namespaces.selector
      ? ["its label selector matches nothing in scoped mode (Namespaces cannot be read): list the names"]
      : []),
  ];
  return parts.length > 0 ? `scoped mode: ${parts.join("; ")}` : undefined;
}
