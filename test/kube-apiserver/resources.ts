// The resource registry: which group/version/resources the server serves, their kinds, scope, verbs, short
// names, subresources, field-selector labels, and the per-resource quirks the real registry stores have.
import type { GroupResource } from "./status.js";
import type { KubeObject } from "./types.js";
import { getPath } from "./types.js";

export type FieldLabelFn = (obj: KubeObject) => string | undefined;

export interface ResourceDef {
  group: string;
  version: string;
  kind: string;
  listKind: string;
  /** The resource name in URLs, e.g. `secrets`. */
  plural: string;
  singular: string;
  namespaced: boolean;
  shortNames: string[];
  categories: string[];
  verbs: string[];
  /** Served subresources (`status`). */
  subresources: string[];
  /** True where the real registry store sets ReturnDeletedObject (DELETE answers the object, not a Status). */
  returnDeletedObject: boolean;
  /** Built-in kinds accept strategic merge patch; custom resources answer 415. */
  strategicMerge: boolean;
  /** metadata.generation is set on create and bumped on spec changes. */
  tracksGeneration: boolean;
  /** Supported field selector labels beyond metadata.name / metadata.namespace. */
  fieldLabels: Record<string, FieldLabelFn>;
  /** Create-only virtual resources (access reviews): never stored. */
  virtual?: boolean;
  custom?: boolean;
}

export interface CustomResourceSpec {
  group: string;
  version: string;
  kind: string;
  /** Defaults to the lower-cased kind + "s". */
  plural?: string;
  singular?: string;
  /** Defaults to true. */
  namespaced?: boolean;
  shortNames?: string[];
  categories?: string[];
  /** Serve the `status` subresource (defaults to true). */
  statusSubresource?: boolean;
}

const CRUD = ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"];

const str =
  (...path: string[]): FieldLabelFn =>
  (obj) => {
    const v = getPath(obj, path);
    if (v === undefined || v === null) return "";
    return typeof v === "string" ? v : String(v);
  };

interface DefInput extends Partial<ResourceDef> {
  group: string;
  version: string;
  kind: string;
  plural: string;
}

function def(d: DefInput): ResourceDef {
  return {
    listKind: `${d.kind}List`,
    singular: d.kind.toLowerCase(),
    namespaced: true,
    shortNames: [],
    categories: [],
    verbs: CRUD,
    subresources: [],
    returnDeletedObject: false,
    strategicMerge: true,
    tracksGeneration: false,
    fieldLabels: {},
    ...d,
  };
}

/** The built-in resources, in discovery order. */
export function builtinResources(): ResourceDef[] {
  const core = { group: "", version: "v1" };
  const rbac = { group: "rbac.authorization.k8s.io", version: "v1" };
  const apps = { group: "apps", version: "v1" };
  const authz = { group: "authorization.k8s.io", version: "v1" };
  const review = { verbs: ["create"], virtual: true, namespaced: false };
  return [
    def({
      ...core,
      kind: "ConfigMap",
      plural: "configmaps",
      shortNames: ["cm"],
    }),
    def({
      ...core,
      kind: "Event",
      plural: "events",
      shortNames: ["ev"],
      fieldLabels: {
        "involvedObject.kind": str("involvedObject", "kind"),
        "involvedObject.namespace": str("involvedObject", "namespace"),
        "involvedObject.name": str("involvedObject", "name"),
        "involvedObject.uid": str("involvedObject", "uid"),
        "involvedObject.apiVersion": str("involvedObject", "apiVersion"),
        "involvedObject.resourceVersion": str("involvedObject", "resourceVersion"),
        "involvedObject.fieldPath": str("involvedObject", "fieldPath"),
        reason: str("reason"),
        reportingComponent: str("reportingComponent"),
        source: str("source", "component"),
        type: str("type"),
      },
    }),
    def({
      ...core,
      kind: "Namespace",
      plural: "namespaces",
      namespaced: false,
      shortNames: ["ns"],
      verbs: ["create", "delete", "get", "list", "patch", "update", "watch"],
      subresources: ["status"],
      returnDeletedObject: true,
      fieldLabels: { "status.phase": str("status", "phase") },
    }),
    def({
      ...core,
      kind: "Node",
      plural: "nodes",
      namespaced: false,
      shortNames: ["no"],
      subresources: ["status"],
      fieldLabels: { "spec.unschedulable": (o) => String(getPath(o, ["spec", "unschedulable"]) === true) },
    }),
    def({
      ...core,
      kind: "Pod",
      plural: "pods",
      shortNames: ["po"],
      categories: ["all"],
      subresources: ["status"],
      returnDeletedObject: true,
      fieldLabels: {
        "spec.nodeName": str("spec", "nodeName"),
        "spec.restartPolicy": str("spec", "restartPolicy"),
        "spec.schedulerName": str("spec", "schedulerName"),
        "spec.serviceAccountName": str("spec", "serviceAccountName"),
        "spec.hostNetwork": (o) => String(getPath(o, ["spec", "hostNetwork"]) === true),
        "status.phase": str("status", "phase"),
        "status.podIP": str("status", "podIP"),
        "status.nominatedNodeName": str("status", "nominatedNodeName"),
      },
    }),
    def({
      ...core,
      kind: "Secret",
      plural: "secrets",
      fieldLabels: { type: str("type") },
    }),
    def({
      ...core,
      kind: "ServiceAccount",
      plural: "serviceaccounts",
      shortNames: ["sa"],
      returnDeletedObject: true,
    }),
    def({
      ...apps,
      kind: "DaemonSet",
      plural: "daemonsets",
      shortNames: ["ds"],
      categories: ["all"],
      subresources: ["status"],
      tracksGeneration: true,
    }),
    def({
      ...apps,
      kind: "Deployment",
      plural: "deployments",
      shortNames: ["deploy"],
      categories: ["all"],
      subresources: ["status"],
      tracksGeneration: true,
    }),
    def({
      ...apps,
      kind: "ReplicaSet",
      plural: "replicasets",
      shortNames: ["rs"],
      categories: ["all"],
      subresources: ["status"],
      tracksGeneration: true,
      fieldLabels: { "status.replicas": (o) => String(getPath(o, ["status", "replicas"]) ?? 0) },
    }),
    def({
      ...apps,
      kind: "StatefulSet",
      plural: "statefulsets",
      shortNames: ["sts"],
      categories: ["all"],
      subresources: ["status"],
      tracksGeneration: true,
    }),
    def({
      ...authz,
      kind: "LocalSubjectAccessReview",
      plural: "localsubjectaccessreviews",
      ...review,
      namespaced: true,
    }),
    def({ ...authz, kind: "SelfSubjectAccessReview", plural: "selfsubjectaccessreviews", ...review }),
    def({ ...authz, kind: "SelfSubjectRulesReview", plural: "selfsubjectrulesreviews", ...review }),
    def({ ...authz, kind: "SubjectAccessReview", plural: "subjectaccessreviews", ...review }),
    def({
      group: "authentication.k8s.io",
      version: "v1",
      kind: "SelfSubjectReview",
      plural: "selfsubjectreviews",
      ...review,
    }),
    def({ group: "coordination.k8s.io", version: "v1", kind: "Lease", plural: "leases" }),
    def({ ...rbac, kind: "ClusterRoleBinding", plural: "clusterrolebindings", namespaced: false }),
    def({ ...rbac, kind: "ClusterRole", plural: "clusterroles", namespaced: false }),
    def({ ...rbac, kind: "RoleBinding", plural: "rolebindings" }),
    def({ ...rbac, kind: "Role", plural: "roles" }),
  ];
}

export function customResource(spec: CustomResourceSpec): ResourceDef {
  return def({
    group: spec.group,
    version: spec.version,
    kind: spec.kind,
    plural: spec.plural ?? `${spec.kind.toLowerCase()}s`,
    singular: spec.singular ?? spec.kind.toLowerCase(),
    namespaced: spec.namespaced ?? true,
    shortNames: spec.shortNames ?? [],
    categories: spec.categories ?? [],
    subresources: spec.statusSubresource === false ? [] : ["status"],
    returnDeletedObject: true,
    strategicMerge: false,
    tracksGeneration: true,
    custom: true,
  });
}

/** The custom resource served when the options name none. */
export const DEFAULT_CUSTOM_RESOURCES: CustomResourceSpec[] = [
  {
    group: "pullwarden.io",
    version: "v1alpha1",
    kind: "PullSecretBinding",
    plural: "pullsecretbindings",
    shortNames: ["psb"],
  },
];

export function apiVersionOf(d: { group: string; version: string }): string {
  return d.group ? `${d.group}/${d.version}` : d.version;
}

export function groupResourceOf(d: ResourceDef, subresource?: string): GroupResource {
  return { group: d.group, resource: subresource ? `${d.plural}/${subresource}` : d.plural };
}

/** Lookup of resources by group/version/plural and by group/kind. */
export class ResourceRegistry {
  private readonly defs: ResourceDef[] = [];

  constructor(defs: ResourceDef[]) {
    for (const d of defs) this.add(d);
  }

  add(d: ResourceDef): void {
    const i = this.defs.findIndex(
      (x) => x.group === d.group && x.version === d.version && x.plural === d.plural,
    );
    if (i >= 0) this.defs[i] = d;
    else this.defs.push(d);
  }

  remove(group: string, plural: string): void {
    for (let i = this.defs.length - 1; i >= 0; i--) {
      const d = this.defs[i];
      if (d && d.group === group && d.plural === plural) this.defs.splice(i, 1);
    }
  }

  all(): readonly ResourceDef[] {
    return this.defs;
  }

  find(group: string, version: string, plural: string): ResourceDef | undefined {
    return this.defs.find((d) => d.group === group && d.version === version && d.plural === plural);
  }

  /** By group and plural, any version (the store is keyed by group/plural). */
  byResource(group: string, plural: string): ResourceDef | undefined {
    return this.defs.find((d) => d.group === group && d.plural === plural);
  }

  byKind(apiVersion: string, kind: string): ResourceDef | undefined {
    return this.defs.find((d) => apiVersionOf(d) === apiVersion && d.kind === kind);
  }

  /** Groups in discovery order, each with its versions. */
  groups(): { name: string; versions: string[] }[] {
    const out: { name: string; versions: string[] }[] = [];
    for (const d of this.defs) {
      if (d.group === "") continue;
      let g = out.find((x) => x.name === d.group);
      if (!g) {
        g = { name: d.group, versions: [] };
        out.push(g);
      }
      if (!g.versions.includes(d.version)) g.versions.push(d.version);
    }
    return out;
  }

  inGroupVersion(group: string, version: string): ResourceDef[] {
    return this.defs.filter((d) => d.group === group && d.version === version);
  }
}

/** The key the store files a resource's objects under. */
export function storeKey(d: { group: string; plural: string }): string {
  return `${d.group}/${d.plural}`;
}
