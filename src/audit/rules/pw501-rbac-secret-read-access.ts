// PW501: Roles and ClusterRoles that let non-system subjects get, list or watch Secrets.
import type { Rule, RuleContext } from "../context.js";
import type { GraphObject } from "../graph.js";
import { nsKey } from "../graph.js";
import { arr, describeRef, isRecord, record, str } from "../objects.js";
import type { RuleMeta, Severity } from "../types.js";

export const meta: RuleMeta = {
  id: "PW501",
  name: "rbac-secret-read-access",
  title: "RBAC lets a non-system subject read Secrets",
  severity: "warning",
  explanation:
    "Whoever can get a pull secret can pull (and with many registry credentials push) every image it covers. list and watch are worse than get: they return the data of every Secret in scope, not one named Secret, and a wildcard (`*` verbs, `*` resources, `*` API groups) includes them. Granting this to broad groups (system:authenticated, all ServiceAccounts) or to a namespace's default ServiceAccount hands it to every Pod or user.",
  fix: "Grant Secret access only to the controllers that need it: drop list and watch, scope get to resourceNames, bind with a RoleBinding in one namespace rather than a ClusterRoleBinding, and never bind it to system:authenticated, system:serviceaccounts or a default ServiceAccount.",
  tags: ["rbac", "secret"],
};

const READ_VERBS = ["get", "list", "watch"];
const BROAD_GROUPS = new Set(["system:authenticated", "system:unauthenticated", "system:serviceaccounts"]);

/** Built-in ClusterRoles that read Secrets (kubernetes bootstrap policy): cluster-admin, admin, edit. */
const BUILTIN_SECRET_READERS: Readonly<Record<string, readonly string[]>> = {
  "cluster-admin": ["*"],
  admin: ["get", "list", "watch"],
  edit: ["get", "list", "watch"],
};

interface Grant {
  readonly verbs: readonly string[];
  readonly wildcard: boolean;
}

function includes(list: readonly unknown[], ...values: string[]): boolean {
  return list.some((item) => typeof item === "string" && values.includes(item));
}

/** The Secret-reading verbs a list of PolicyRules grants (resourceNames-scoped rules excluded). */
export function secretReadGrant(rules: readonly unknown[]): Grant | undefined {
  const verbs = new Set<string>();
  let wildcard = false;
  for (const rule of rules) {
    if (!isRecord(rule)) continue;
    if (arr(rule["resourceNames"]).length > 0) continue;
    const groups = arr(rule["apiGroups"]);
    const resources = arr(rule["resources"]);
    const ruleVerbs = arr(rule["verbs"]);
    if (!includes(groups, "", "*") || !includes(resources, "secrets", "*")) continue;
    const granted = includes(ruleVerbs, "*")
      ? READ_VERBS
      : READ_VERBS.filter((verb) => includes(ruleVerbs, verb));
    if (granted.length === 0) continue;
    granted.forEach((verb) => verbs.add(verb));
    if (includes(ruleVerbs, "*") || includes(resources, "*") || includes(groups, "*")) wildcard = true;
  }
  if (verbs.size === 0) return undefined;
  return { verbs: READ_VERBS.filter((verb) => verbs.has(verb)), wildcard };
}

function labelsMatch(labels: Readonly<Record<string, string>>, selector: unknown): boolean {
  const sel = record(selector);
  if (!sel) return false;
  const matchLabels = record(sel["matchLabels"]) ?? {};
  for (const [key, value] of Object.entries(matchLabels)) if (labels[key] !== value) return false;
  for (const expression of arr(sel["matchExpressions"])) {
    if (!isRecord(expression)) return false;
    const key = str(expression["key"]) ?? "";
    const values = arr(expression["values"]).filter((v): v is string => typeof v === "string");
    const has = Object.hasOwn(labels, key);
    switch (expression["operator"]) {
      case "In":
        if (!has || !values.includes(labels[key] ?? "")) return false;
        break;
      case "NotIn":
        if (has && values.includes(labels[key] ?? "")) return false;
        break;
      case "Exists":
        if (!has) return false;
        break;
      case "DoesNotExist":
        if (has) return false;
        break;
      default:
        return false;
    }
  }
  return Object.keys(matchLabels).length > 0 || arr(sel["matchExpressions"]).length > 0;
}

/**
 * A role's rules, with ClusterRole aggregation resolved (one level, as the aggregation controller does). The
 * ClusterRoles aggregated into it are added to `sources`.
 */
function roleRules(context: RuleContext, role: GraphObject, sources?: Set<GraphObject>): unknown[] {
  const rules = [...arr(role.raw["rules"])];
  const aggregation = record(role.raw["aggregationRule"]);
  if (role.ref.kind === "ClusterRole" && aggregation) {
    const selectors = arr(aggregation["clusterRoleSelectors"]);
    for (const other of context.graph.clusterRoles.values()) {
      if (other === role) continue;
      if (selectors.some((selector) => labelsMatch(other.labels, selector))) {
        rules.push(...arr(other.raw["rules"]));
        sources?.add(other);
      }
    }
  }
  return rules;
}

interface Subject {
  readonly kind: string;
  readonly name: string;
  readonly namespace?: string;
  readonly index: number;
}

function subjectsOf(binding: GraphObject): Subject[] {
  return arr(binding.raw["subjects"]).flatMap((subject, index) => {
    if (!isRecord(subject)) return [];
    const kind = str(subject["kind"]) ?? "";
    const name = str(subject["name"]) ?? "";
    const namespace = str(subject["namespace"]);
    return [{ kind, name, ...(namespace !== undefined ? { namespace } : {}), index }];
  });
}

function describeSubject(subject: Subject): string {
  if (subject.kind === "ServiceAccount") return `ServiceAccount ${subject.namespace ?? "?"}/${subject.name}`;
  return `${subject.kind} ${subject.name}`;
}

/** undefined: a system subject (not reported). Otherwise the severity. */
function subjectSeverity(subject: Subject): Severity | undefined {
  if (subject.kind === "Group") {
    if (BROAD_GROUPS.has(subject.name) || subject.name.startsWith("system:serviceaccounts:")) return "error";
    return subject.name.startsWith("system:") ? undefined : "warning";
  }
  if (subject.kind === "User") {
    if (subject.name === "system:anonymous") return "error";
    return subject.name.startsWith("system:") ? undefined : "warning";
  }
  if (subject.kind === "ServiceAccount") {
    if (subject.namespace === "kube-system") return undefined;
    return subject.name === "default" ? "error" : "warning";
  }
  return undefined;
}

export const rule: Rule = {
  meta,
  check(context) {
    const { graph } = context;
    const bound = new Set<GraphObject>();
    for (const binding of [...graph.clusterRoleBindings, ...graph.roleBindings]) {
      const roleRef = record(binding.raw["roleRef"]);
      const refKind = str(roleRef?.["kind"]);
      const refName = str(roleRef?.["name"]) ?? "";
      const clusterWide = binding.ref.kind === "ClusterRoleBinding";
      const scope = clusterWide ? "in every namespace" : `in namespace ${binding.ref.namespace ?? "?"}`;
      let grant: Grant | undefined;
      let roleLabel: string;
      let role: GraphObject | undefined;
      if (refKind === "ClusterRole") {
        role = graph.clusterRoles.get(refName);
        roleLabel = `ClusterRole ${refName}`;
        if (role) grant = secretReadGrant(roleRules(context, role, bound));
        else if (BUILTIN_SECRET_READERS[refName]) {
          const verbs = BUILTIN_SECRET_READERS[refName] ?? [];
          grant = verbs.includes("*") ? { verbs: READ_VERBS, wildcard: true } : { verbs, wildcard: false };
          roleLabel += " (built in)";
        }
      } else if (refKind === "Role" && !clusterWide) {
        role = graph.roles.get(nsKey(binding.ref.namespace ?? "", refName));
        roleLabel = `Role ${binding.ref.namespace ?? "?"}/${refName}`;
        if (role) grant = secretReadGrant(roleRules(context, role, bound));
      } else continue;
      if (role) bound.add(role);
      if (!grant) continue;
      for (const subject of subjectsOf(binding)) {
        const severity = subjectSeverity(subject);
        if (!severity) continue;
        const readAll = grant.verbs.includes("list") || grant.verbs.includes("watch");
        context.report(meta, {
          severity,
          message: `${describeRef(binding.ref)} lets ${describeSubject(subject)} ${grant.verbs.join(", ")} Secrets ${scope} through ${roleLabel}${grant.wildcard ? " (a wildcard rule)" : ""}${readAll ? "; list and watch return the data of every Secret, pull secrets included" : ""}`,
          object: binding,
          field: ["subjects", subject.index],
          subject: `${subject.kind}:${subject.namespace ?? ""}/${subject.name}|${refKind}/${refName}`,
          ...(role ? { related: [{ object: role, field: ["rules"] }] } : {}),
          properties: { verbs: grant.verbs, subject: describeSubject(subject), clusterWide },
        });
      }
    }
    // In files a Role may be bound elsewhere; in a live cluster an unbound Role grants nothing.
    if (context.options.mode !== "files") return;
    for (const role of [...graph.clusterRoles.values(), ...graph.roles.values()]) {
      if (bound.has(role)) continue;
      // Kubernetes' own default roles (admin, edit, cluster-admin...) exist in every cluster; only bindings matter.
      if (role.labels["kubernetes.io/bootstrapping"] === "rbac-defaults") continue;
      const grant = secretReadGrant(roleRules(context, role));
      if (!grant) continue;
      context.report(meta, {
        severity: "info",
        message: `${describeRef(role.ref)} allows ${grant.verbs.join(", ")} on Secrets${grant.wildcard ? " (a wildcard rule)" : ""}; it is not bound in the audited objects, so who gets it is unknown`,
        object: role,
        field: ["rules"],
        subject: "unbound",
        properties: { verbs: grant.verbs },
      });
    }
  },
};
