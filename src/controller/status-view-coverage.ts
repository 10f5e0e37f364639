/**
 * The namespace × registry coverage matrix (pure): for each pair, which method puts a credential for that
 * registry in that namespace — a ClusterPullSecretBinding's Secret (`controller`: labelled
 * `pullwarden.io/writer=controller`), a Secret `pullwarden apply` wrote (`apply`), a docker-config Secret someone
 * else wrote
 * (`foreign`), or nothing (`none`, with the reason when a binding meant to cover it). A Secret covers a registry
 * when one of its keys matches it as kubelet matches keys to images (glob labels, path prefix: urlsMatch).
 *
 * A Secret in the namespace is what a Pod can name; whether a Pod's ServiceAccount lists it is the binding's
 * `unbound` state (status-view.ts) and `pullwarden audit`'s business.
 */
import { urlsMatch } from "../dockerconfig/index.js";
import type { NamespaceView } from "./desired.js";

export type CoverageMethod = "controller" | "apply" | "foreign" | "none";

export interface CoverageCell {
  readonly method: CoverageMethod;
  /** The Secrets serving it (`binding apps: secret ghcr-pull`), or why nothing does. */
  readonly detail: string;
}

export interface CoverageMatrix {
  readonly registries: readonly string[];
  readonly rows: readonly { readonly namespace: string; readonly cells: readonly CoverageCell[] }[];
  /** How many cells each method serves. */
  readonly totals: Readonly<Record<CoverageMethod, number>>;
}

export interface CoverageInputs {
  readonly namespaces: readonly NamespaceView[];
  readonly secrets: readonly {
    readonly namespace: string;
    readonly name: string;
    readonly writer?: "controller" | "apply";
    readonly registries: readonly string[];
  }[];
  /** Registries the cluster's ClusterPullCredentials serve (normalised keys). */
  readonly credentialRegistries: readonly string[];
  /** The bindings and their namespaces' states; undefined when unknown (audit does not read them). */
  readonly bindings?: readonly {
    readonly name: string;
    readonly secretName: string;
    readonly namespaces: readonly {
      readonly namespace: string;
      readonly state: string;
      readonly reason: string;
    }[];
  }[];
}

/** Columns: every registry a credential serves or a Secret holds; wildcard keys (`*.azurecr.io`) included. */
function columns(inputs: CoverageInputs): string[] {
  return [
    ...new Set([...inputs.credentialRegistries, ...inputs.secrets.flatMap((s) => s.registries)]),
  ].sort();
}

export function coverageMatrix(inputs: CoverageInputs): CoverageMatrix {
  const registries = columns(inputs);
  const totals: Record<CoverageMethod, number> = { controller: 0, apply: 0, foreign: 0, none: 0 };
  // (namespace, secretName) → the binding that targets it.
  const targets = new Map<string, { binding: string; state: string; reason: string }>();
  for (const binding of inputs.bindings ?? [])
    for (const ns of binding.namespaces)
      targets.set(`${ns.namespace}/${binding.secretName}`, {
        binding: binding.name,
        state: ns.state,
        reason: ns.reason,
      });
  // Grouped once: a cluster has thousands of namespaces and Secrets.
  const secretsByNamespace = new Map<string, CoverageInputs["secrets"][number][]>();
  for (const secret of inputs.secrets) {
    const list = secretsByNamespace.get(secret.namespace);
    if (list) list.push(secret);
    else secretsByNamespace.set(secret.namespace, [secret]);
  }
  const rows = inputs.namespaces
    .map((ns) => ns.name)
    .sort()
    .map((namespace) => {
      const here = secretsByNamespace.get(namespace) ?? [];
      const aimedHere = (inputs.bindings ?? []).flatMap((b) =>
        b.namespaces.filter((n) => n.namespace === namespace && n.state !== "in-sync").map((n) => ({ b, n })),
      );
      const cells = registries.map((registry): CoverageCell => {
        const serving = here.filter((s) =>
          s.registries.some((key) => urlsMatch(key, registry) || key === registry),
        );
        const controller = serving.filter((s) => s.writer === "controller");
        const applied = serving.filter((s) => s.writer === "apply");
        const foreign = serving.filter((s) => s.writer === undefined);
        const cell: CoverageCell =
          controller.length > 0
            ? {
                method: "controller",
                detail: controller
                  .map((s) => {
                    const target = targets.get(`${namespace}/${s.name}`);
                    return target
                      ? `binding ${target.binding}: secret ${s.name}`
                      : inputs.bindings
                        ? `secret ${s.name} (no binding selects this namespace now)`
                        : `secret ${s.name} (written by the controller)`;
                  })
                  .join("; "),
              }
            : applied.length > 0
              ? {
                  method: "apply",
                  detail: `pullwarden apply: secret ${applied.map((s) => s.name).join(", ")}`,
                }
              : foreign.length > 0
                ? {
                    method: "foreign",
                    detail: `not pullwarden's: secret ${foreign.map((s) => s.name).join(", ")}`,
                  }
                : {
                    method: "none",
                    detail:
                      aimedHere.length > 0
                        ? aimedHere.map(({ b, n }) => `binding ${b.name}: ${n.reason}`).join("; ")
                        : "no Secret in this namespace holds it",
                  };
        totals[cell.method]++;
        return cell;
      });
      return { namespace, cells };
    });
  return { registries, rows, totals };
}
