// Authentication (bearer token → user) and authorization: per-user allow rules given to the server, plus the
// RBAC objects in the store (Role/ClusterRole bound by RoleBinding/ClusterRoleBinding to a User, Group or
// ServiceAccount), evaluated like the RBAC authorizer. Denials use the real Forbidden wording.
import type { ApiError } from "./status.js";
import { forbidden } from "./status.js";
import type { KubeObject, UserInfo } from "./types.js";
import { isObject } from "./types.js";

/** One allow rule. Omitted apiGroups/resources mean "*"; omitted namespaces means every namespace. */
export interface RbacRule {
  verbs: string[];
  apiGroups?: string[];
  resources?: string[];
  resourceNames?: string[];
  /** Restricts the rule to these namespaces (cluster-scoped requests never match a namespaced rule). */
  namespaces?: string[];
  nonResourceURLs?: string[];
}

/** A user's rules: a list of allow rules, or full access. */
export type UserRules = RbacRule[] | "cluster-admin";

export interface UserSpec {
  /** Bearer token (defaults to a random one). */
  token?: string;
  groups?: string[];
  /** Defaults to no rules (everything but discovery and self reviews is denied). */
  rules?: UserRules;
}

export interface Attributes {
  user: UserInfo;
  verb: string;
  resourceRequest: boolean;
  group?: string;
  resource?: string;
  subresource?: string;
  namespace?: string;
  name?: string;
  path?: string;
}

export interface Decision {
  allowed: boolean;
  reason: string;
  /** Errors from bindings to missing roles (appended to the Forbidden message like the RBAC authorizer). */
  evaluationErrors: string[];
}

export const ANONYMOUS: UserInfo = { name: "system:anonymous", groups: ["system:unauthenticated"] };

/** Paths any authenticated user may GET (system:discovery, system:public-info-viewer). */
const DISCOVERY_PATHS = ["/api", "/apis", "/version", "/openapi", "/healthz", "/livez", "/readyz"];
const PUBLIC_PATHS = ["/version", "/healthz", "/livez", "/readyz"];
const SELF_REVIEWS = ["selfsubjectaccessreviews", "selfsubjectrulesreviews", "selfsubjectreviews"];

function pathAllowed(path: string, allowed: string[]): boolean {
  return allowed.some((p) => path === p || path.startsWith(`${p}/`) || path.startsWith(`${p}?`));
}

interface StoredRule {
  verbs: string[];
  apiGroups: string[];
  resources: string[];
  resourceNames: string[];
  nonResourceURLs: string[];
}

function storedRules(role: KubeObject | undefined): StoredRule[] {
  const rules = role && Array.isArray(role.rules) ? role.rules : [];
  const list = (v: unknown): string[] =>
    Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : [];
  return rules.filter(isObject).map((r) => ({
    verbs: list(r.verbs),
    apiGroups: list(r.apiGroups),
    resources: list(r.resources),
    resourceNames: list(r.resourceNames),
    nonResourceURLs: list(r.nonResourceURLs),
  }));
}

function ruleAllows(rule: StoredRule, a: Attributes): boolean {
  if (!rule.verbs.includes("*") && !rule.verbs.includes(a.verb)) return false;
  if (!a.resourceRequest) {
    return rule.nonResourceURLs.some(
      (u) => u === "*" || u === a.path || (u.endsWith("*") && (a.path ?? "").startsWith(u.slice(0, -1))),
    );
  }
  if (!rule.apiGroups.includes("*") && !rule.apiGroups.includes(a.group ?? "")) return false;
  const combined = a.subresource ? `${a.resource}/${a.subresource}` : (a.resource ?? "");
  const resourceOk = rule.resources.some(
    (r) =>
      r === "*" ||
      r === combined ||
      (a.subresource !== undefined && r === `*/${a.subresource}`) ||
      (a.subresource !== undefined && r === `${a.resource}/*`),
  );
  if (!resourceOk) return false;
  if (rule.resourceNames.length > 0 && !rule.resourceNames.includes(a.name ?? "")) return false;
  return true;
}

function fromUserRule(r: RbacRule): StoredRule {
  const resourceDefault = r.nonResourceURLs ? [] : ["*"];
  return {
    verbs: r.verbs,
    apiGroups: r.apiGroups ?? ["*"],
    resources: r.resources ?? resourceDefault,
    resourceNames: r.resourceNames ?? [],
    nonResourceURLs: r.nonResourceURLs ?? [],
  };
}

/** Reads RBAC objects from the server's store. */
export interface RbacStore {
  list(
    plural: "roles" | "rolebindings" | "clusterroles" | "clusterrolebindings",
    namespace?: string,
  ): KubeObject[];
  get(plural: "roles" | "clusterroles", namespace: string | undefined, name: string): KubeObject | undefined;
}

export class Authorizer {
  private readonly tokens = new Map<string, string>();
  private readonly users = new Map<string, { groups: string[]; rules: UserRules }>();

  constructor(private readonly store: RbacStore) {}

  addUser(name: string, token: string, groups: string[], rules: UserRules): void {
    this.tokens.set(token, name);
    this.users.set(name, { groups, rules });
  }

  setRules(name: string, rules: UserRules): void {
    const u = this.users.get(name);
    if (!u) throw new Error(`unknown user ${name}`);
    u.rules = rules;
  }

  /** The user a bearer token belongs to; undefined for an unknown token. */
  authenticate(token: string): UserInfo | undefined {
    const name = this.tokens.get(token);
    if (name === undefined) return undefined;
    const u = this.users.get(name);
    return { name, groups: [...(u?.groups ?? []), "system:authenticated"] };
  }

  authorize(a: Attributes): Decision {
    const errors: string[] = [];
    const ok = (reason: string): Decision => ({ allowed: true, reason, evaluationErrors: [] });
    const authenticated = a.user.groups.includes("system:authenticated");
    if (a.user.groups.includes("system:masters")) return ok(`RBAC: allowed by group "system:masters"`);
    if (!a.resourceRequest && (a.verb === "get" || a.verb === "head")) {
      if (pathAllowed(a.path ?? "", authenticated ? DISCOVERY_PATHS : PUBLIC_PATHS)) {
        return ok(`RBAC: allowed by ClusterRoleBinding "system:discovery"`);
      }
    }
    if (
      authenticated &&
      a.resourceRequest &&
      a.verb === "create" &&
      SELF_REVIEWS.includes(a.resource ?? "")
    ) {
      return ok(`RBAC: allowed by ClusterRoleBinding "system:basic-user"`);
    }
    const user = this.users.get(a.user.name);
    if (user) {
      if (user.rules === "cluster-admin")
        return ok(`RBAC: allowed by ClusterRoleBinding "cluster-admin" of User "${a.user.name}"`);
      for (const r of user.rules) {
        if (r.namespaces && (!a.namespace || !r.namespaces.includes(a.namespace))) continue;
        if (ruleAllows(fromUserRule(r), a)) return ok(`RBAC: allowed by test rule of User "${a.user.name}"`);
      }
    }
    const subjectMatches = (binding: KubeObject): string | undefined => {
      const subjects = Array.isArray(binding.subjects) ? binding.subjects : [];
      for (const s of subjects) {
        if (!isObject(s)) continue;
        if (s.kind === "User" && s.name === a.user.name) return `User "${a.user.name}"`;
        if (s.kind === "Group" && typeof s.name === "string" && a.user.groups.includes(s.name))
          return `Group "${s.name}"`;
        if (
          s.kind === "ServiceAccount" &&
          `system:serviceaccount:${String(s.namespace)}:${String(s.name)}` === a.user.name
        ) {
          return `ServiceAccount "${String(s.name)}/${String(s.namespace)}"`;
        }
      }
      return undefined;
    };
    const roleRef = (b: KubeObject): { kind: string; name: string } => {
      const ref = isObject(b.roleRef) ? b.roleRef : {};
      return { kind: String(ref.kind ?? ""), name: String(ref.name ?? "") };
    };
    for (const crb of this.store.list("clusterrolebindings")) {
      const who = subjectMatches(crb);
      if (!who) continue;
      const ref = roleRef(crb);
      const role = this.store.get("clusterroles", undefined, ref.name);
      if (!role) {
        errors.push(`clusterrole.rbac.authorization.k8s.io "${ref.name}" not found`);
        continue;
      }
      if (storedRules(role).some((r) => ruleAllows(r, a))) {
        return ok(
          `RBAC: allowed by ClusterRoleBinding "${crb.metadata.name}" of ClusterRole "${ref.name}" to ${who}`,
        );
      }
    }
    if (a.namespace) {
      for (const rb of this.store.list("rolebindings", a.namespace)) {
        const who = subjectMatches(rb);
        if (!who) continue;
        const ref = roleRef(rb);
        const role =
          ref.kind === "ClusterRole"
            ? this.store.get("clusterroles", undefined, ref.name)
            : this.store.get("roles", a.namespace, ref.name);
        if (!role) {
          errors.push(
            ref.kind === "ClusterRole"
              ? `clusterrole.rbac.authorization.k8s.io "${ref.name}" not found`
              : `role.rbac.authorization.k8s.io "${ref.name}" not found`,
          );
          continue;
        }
        if (storedRules(role).some((r) => ruleAllows(r, a))) {
          return ok(
            `RBAC: allowed by RoleBinding "${rb.metadata.name}/${a.namespace}" of ${ref.kind} "${ref.name}" to ${who}`,
          );
        }
      }
    }
    return { allowed: false, reason: "", evaluationErrors: errors };
  }

  /** The rules a user has in a namespace (SelfSubjectRulesReview). */
  rulesFor(
    user: UserInfo,
    namespace: string,
  ): { resourceRules: StoredRule[]; nonResourceRules: StoredRule[] } {
    const out: StoredRule[] = [];
    if (user.groups.includes("system:masters")) out.push(fromUserRule({ verbs: ["*"] }));
    const spec = this.users.get(user.name);
    if (spec?.rules === "cluster-admin") out.push(fromUserRule({ verbs: ["*"] }));
    else if (spec) {
      for (const r of spec.rules)
        if (!r.namespaces || r.namespaces.includes(namespace)) out.push(fromUserRule(r));
    }
    out.push(
      fromUserRule({
        verbs: ["create"],
        apiGroups: ["authorization.k8s.io"],
        resources: ["selfsubjectaccessreviews", "selfsubjectrulesreviews"],
      }),
      fromUserRule({
        verbs: ["create"],
        apiGroups: ["authentication.k8s.io"],
        resources: ["selfsubjectreviews"],
      }),
    );
    const bound = (b: KubeObject): boolean =>
      (Array.isArray(b.subjects) ? b.subjects : []).some(
        (s) =>
          isObject(s) &&
          ((s.kind === "User" && s.name === user.name) ||
            (s.kind === "Group" && typeof s.name === "string" && user.groups.includes(s.name))),
      );
    for (const crb of this.store.list("clusterrolebindings").filter(bound)) {
      const ref = isObject(crb.roleRef) ? String(crb.roleRef.name) : "";
      out.push(...storedRules(this.store.get("clusterroles", undefined, ref)));
    }
    for (const rb of this.store.list("rolebindings", namespace).filter(bound)) {
      const ref = isObject(rb.roleRef) ? rb.roleRef : {};
      const role =
        ref.kind === "ClusterRole"
          ? this.store.get("clusterroles", undefined, String(ref.name))
          : this.store.get("roles", namespace, String(ref.name));
      out.push(...storedRules(role));
    }
    const nonResourceRules = [
      fromUserRule({ verbs: ["get"], nonResourceURLs: DISCOVERY_PATHS.flatMap((p) => [p, `${p}/*`]) }),
    ];
    return {
      resourceRules: out.filter((r) => r.nonResourceURLs.length === 0),
      nonResourceRules: [...nonResourceRules, ...out.filter((r) => r.nonResourceURLs.length > 0)],
    };
  }
}

/** The Forbidden Status for a denied request, worded as the real authorization filter words it. */
export function forbiddenFor(a: Attributes, decision: Decision): ApiError {
  let msg: string;
  if (!a.resourceRequest) {
    msg = `User "${a.user.name}" cannot ${a.verb} path "${a.path ?? ""}"`;
  } else {
    const resource = a.subresource ? `${a.resource}/${a.subresource}` : (a.resource ?? "");
    msg = a.namespace
      ? `User "${a.user.name}" cannot ${a.verb} resource "${resource}" in API group "${a.group ?? ""}" in the namespace "${a.namespace}"`
      : `User "${a.user.name}" cannot ${a.verb} resource "${resource}" in API group "${a.group ?? ""}" at the cluster scope`;
  }
  if (decision.evaluationErrors.length === 1) msg += `: RBAC: ${decision.evaluationErrors[0]}`;
  else if (decision.evaluationErrors.length > 1) msg += `: RBAC: [${decision.evaluationErrors.join(", ")}]`;
  if (!a.resourceRequest) return forbidden(undefined, "", msg);
  return forbidden({ group: a.group ?? "", resource: a.resource ?? "" }, a.name ?? "", msg);
}
