// The REST verbs over the store, following the generic registry's order of work: decode → namespace checks →
// name generation → system fields → strategy (defaults, stringData, status reset) → admission → validation →
// storage (AlreadyExists / optimistic concurrency) → dry run or write. Also DELETE (finalizers, namespace
// termination, dependents' garbage collection), deletecollection and the access-review virtual resources.
import { randomUUID } from "node:crypto";
import {
  addDefaultTolerations,
  admitPodPriority,
  admitPodServiceAccount,
  applyDefaults,
  checkNamespaceLifecycle,
  foldStringData,
  IMMORTAL_NAMESPACES,
  namespaceBootstrapObjects,
  randomSuffix,
} from "./admission.js";
import type { AdmissionContext } from "./admission.js";
import type { ListMeta } from "./encoding.js";
import { decodePatchBody, mediaType, wireObject } from "./encoding.js";
import { applyConfiguration, jsonPatch, mergePatch, PatchError, strategicMergePatch } from "./patch.js";
import { schemaFor } from "./patch-meta.js";
import type { Attributes, Authorizer } from "./rbac.js";
import type { ResourceDef, ResourceRegistry } from "./resources.js";
import { apiVersionOf, groupResourceOf, storeKey } from "./resources.js";
import type { ObjectFilter } from "./selectors.js";
import {
  checkFieldLabels,
  matchesFilter,
  parseFieldSelector,
  parseLabelSelector,
  SelectorParseError,
} from "./selectors.js";
import {
  alreadyExists,
  ApiError,
  badRequest,
  conflict,
  forbidden,
  invalidObject,
  notFound,
  pathNotFound,
  required,
  successStatus,
  unprocessable,
  unsupportedMediaType,
} from "./status.js";
import type { ObjectStore } from "./store.js";
import type { Json, JsonObject, KubeObject, UserInfo } from "./types.js";
import { deepCopy, isObject, jsonEqual, nowTimestamp } from "./types.js";
import { validateCreate, validateUpdate } from "./validation.js";

export type Result =
  | { type: "object"; code: number; def: ResourceDef; object: KubeObject }
  | { type: "list"; def: ResourceDef; items: KubeObject[]; meta: ListMeta }
  | { type: "raw"; code: number; body: JsonObject };

export interface RestContext {
  registry: ResourceRegistry;
  store: ObjectStore;
  authorizer: Authorizer;
  caPem: string;
  /** Delay before a terminating namespace's contents and the namespace itself are removed. */
  namespaceDeletionDelayMs: number;
  mountServiceAccountToken: boolean;
  /** Pending timers (namespace finalization), cleared by stop(). */
  timers: Set<NodeJS.Timeout>;
}

const PATCH_JSON = "application/json-patch+json";
const PATCH_MERGE = "application/merge-patch+json";
const PATCH_STRATEGIC = "application/strategic-merge-patch+json";
const PATCH_APPLY = "application/apply-patch+yaml";

export function isDryRun(query: URLSearchParams, body?: JsonObject): boolean {
  const values = query.getAll("dryRun");
  for (const v of values) {
    if (v !== "All") throw badRequest(`Invalid dry run value: ${v}`);
  }
  if (values.length > 0) return true;
  const fromBody = body?.dryRun;
  return Array.isArray(fromBody) && fromBody.includes("All");
}

export function parseFilter(def: ResourceDef, query: URLSearchParams): ObjectFilter {
  try {
    const fields = parseFieldSelector(query.get("fieldSelector") ?? "");
    checkFieldLabels(def, fields);
    return { labels: parseLabelSelector(query.get("labelSelector") ?? ""), fields };
  } catch (e) {
    if (e instanceof SelectorParseError) throw badRequest(e.message);
    throw e;
  }
}

function podQosClass(spec: JsonObject): string {
  const containers = [spec.containers, spec.initContainers].filter(Array.isArray).flat();
  let any = false;
  let guaranteed = containers.length > 0;
  for (const c of containers) {
    const res = isObject(c) && isObject(c.resources) ? c.resources : {};
    const limits = isObject(res.limits) ? res.limits : {};
    const requests = isObject(res.requests) ? res.requests : {};
    if (Object.keys(limits).length || Object.keys(requests).length) any = true;
    for (const r of ["cpu", "memory"]) {
      if (limits[r] === undefined) guaranteed = false;
      else if (requests[r] !== undefined && requests[r] !== limits[r]) guaranteed = false;
    }
  }
  if (!any) return "BestEffort";
  return guaranteed ? "Guaranteed" : "Burstable";
}

function specOf(o: KubeObject): JsonObject {
  const out: JsonObject = {};
  for (const [k, v] of Object.entries(o)) {
    if (k !== "metadata" && k !== "status" && k !== "kind" && k !== "apiVersion" && v !== undefined)
      out[k] = v as Json;
  }
  return out;
}

interface ContinueToken {
  v: string;
  rv: number;
  start: string;
}

function encodeContinue(rv: number, start: string): string {
  return Buffer.from(JSON.stringify({ v: "meta.k8s.io/v1", rv, start } satisfies ContinueToken)).toString(
    "base64url",
  );
}

function decodeContinue(token: string): ContinueToken {
  try {
    const t = JSON.parse(Buffer.from(token, "base64url").toString("utf8")) as ContinueToken;
    if (t.v !== "meta.k8s.io/v1" || typeof t.rv !== "number" || typeof t.start !== "string")
      throw new Error("bad token");
    return t;
  } catch {
    throw badRequest(
      "continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)",
    );
  }
}

const itemKey = (o: KubeObject): string => `${o.metadata.namespace ?? ""}/${o.metadata.name ?? ""}\u0000`;

export class Rest implements AdmissionContext {
  constructor(private readonly ctx: RestContext) {}

  // ---- AdmissionContext ----

  getNamespace(name: string): KubeObject | undefined {
    return this.ctx.store.get("/namespaces", undefined, name);
  }

  getServiceAccount(namespace: string, name: string): KubeObject | undefined {
    return this.ctx.store.get("/serviceaccounts", namespace, name);
  }

  // ---- read ----

  get(def: ResourceDef, namespace: string | undefined, name: string): Result {
    const obj = this.ctx.store.get(storeKey(def), def.namespaced ? namespace : undefined, name);
    if (!obj) throw notFound(groupResourceOf(def), name);
    return { type: "object", code: 200, def, object: obj };
  }

  list(def: ResourceDef, namespace: string | undefined, query: URLSearchParams): Result {
    const filter = parseFilter(def, query);
    let items = this.ctx.store
      .list(storeKey(def), def.namespaced ? namespace : undefined)
      .filter((o) => matchesFilter(def, filter, o));
    let rv = this.ctx.store.currentRv();
    const cont = query.get("continue");
    if (cont) {
      const token = decodeContinue(cont);
      rv = token.rv;
      items = items.filter((o) => itemKey(o) > token.start);
    }
    const limit = Number(query.get("limit") ?? "0");
    const meta: ListMeta = { resourceVersion: String(rv) };
    if (Number.isInteger(limit) && limit > 0 && items.length > limit) {
      const page = items.slice(0, limit);
      meta.continueToken = encodeContinue(rv, itemKey(page[page.length - 1] as KubeObject));
      if (filter.labels.length === 0 && filter.fields.length === 0)
        meta.remainingItemCount = items.length - limit;
      items = page;
    }
    return { type: "list", def, items, meta };
  }

  // ---- create ----

  create(
    def: ResourceDef,
    urlNamespace: string | undefined,
    raw: JsonObject,
    query: URLSearchParams,
  ): Result {
    const obj = this.toObject(def, raw);
    if (def.namespaced) {
      if (urlNamespace === undefined) throw pathNotFound();
      if (!obj.metadata.namespace) obj.metadata.namespace = urlNamespace;
      else if (obj.metadata.namespace !== urlNamespace) {
        throw badRequest(
          "the namespace of the provided object does not match the namespace sent on the request",
        );
      }
    } else {
      delete obj.metadata.namespace;
    }
    if (obj.metadata.resourceVersion) {
      throw new ApiError(500, "", "resourceVersion should not be set on objects to be created");
    }
    const generated = !obj.metadata.name && !!obj.metadata.generateName;
    if (generated) obj.metadata.name = `${obj.metadata.generateName}${randomSuffix()}`;

    obj.metadata.uid = randomUUID();
    obj.metadata.creationTimestamp = nowTimestamp();
    delete obj.metadata.deletionTimestamp;
    delete obj.metadata.deletionGracePeriodSeconds;
    if (def.tracksGeneration) obj.metadata.generation = 1;
    else delete obj.metadata.generation;
    this.prepareForCreate(def, obj);

    const name = obj.metadata.name ?? "";
    if (def.namespaced) {
      const lifecycle = checkNamespaceLifecycle(this, def, obj.metadata.namespace ?? "", name);
      if (lifecycle) throw lifecycle;
    }
    if (def.group === "" && def.kind === "Pod") {
      const denied = admitPodServiceAccount(this, obj, this.ctx.mountServiceAccountToken);
      if (denied) throw denied;
      addDefaultTolerations(obj);
      admitPodPriority(obj);
    }
    const errs = validateCreate(def, obj);
    if (errs.length) throw invalidObject(def.group, def.kind, name, errs);

    const key = storeKey(def);
    let attempts = 0;
    while (this.ctx.store.has(key, obj.metadata.namespace, obj.metadata.name ?? "")) {
      if (!generated || ++attempts > 7) throw alreadyExists(groupResourceOf(def), obj.metadata.name ?? "");
      obj.metadata.name = `${obj.metadata.generateName}${randomSuffix()}`;
    }
    if (isDryRun(query)) return { type: "object", code: 201, def, object: obj };
    const stored = this.ctx.store.create(key, obj);
    if (def.group === "" && def.kind === "Namespace") this.bootstrapNamespace(stored.metadata.name ?? "");
    return { type: "object", code: 201, def, object: stored };
  }

  private prepareForCreate(def: ResourceDef, obj: KubeObject): void {
    if (def.group === "" && def.kind === "Secret") foldStringData(obj);
    applyDefaults(def, obj);
    if (def.group === "" && def.kind === "Pod") {
      obj.status = { phase: "Pending", qosClass: podQosClass(isObject(obj.spec) ? obj.spec : {}) };
    } else if (def.subresources.includes("status") && def.kind !== "Namespace" && def.kind !== "Node") {
      delete obj.status;
    }
  }

  private bootstrapNamespace(namespace: string): void {
    for (const obj of namespaceBootstrapObjects(namespace, this.ctx.caPem)) {
      const def = this.ctx.registry.byKind(obj.apiVersion, obj.kind);
      if (!def || this.ctx.store.has(storeKey(def), namespace, obj.metadata.name ?? "")) continue;
      this.create(def, namespace, obj as unknown as JsonObject, new URLSearchParams());
    }
  }

  private toObject(def: ResourceDef, raw: JsonObject): KubeObject {
    const obj = deepCopy(raw) as unknown as KubeObject;
    obj.kind = def.kind;
    obj.apiVersion = apiVersionOf(def);
    if (!isObject(obj.metadata)) obj.metadata = {};
    return obj;
  }

  // ---- update / patch ----

  update(
    def: ResourceDef,
    namespace: string | undefined,
    name: string,
    subresource: string | undefined,
    raw: JsonObject,
    query: URLSearchParams,
  ): Result {
    const existing = this.mustGet(def, namespace, name);
    const obj = this.toObject(def, raw);
    this.checkNameAndNamespace(def, obj, namespace, name);
    return this.applyUpdate(def, existing, obj, subresource, query, false);
  }

  patch(
    def: ResourceDef,
    namespace: string | undefined,
    name: string,
    subresource: string | undefined,
    contentType: string | undefined,
    body: Buffer,
    query: URLSearchParams,
  ): Result {
    const type = mediaType(contentType);
    const supported = def.strategicMerge
      ? [PATCH_JSON, PATCH_MERGE, PATCH_APPLY, PATCH_STRATEGIC]
      : [PATCH_JSON, PATCH_MERGE, PATCH_APPLY];
    if (!supported.includes(type)) throw unsupportedMediaType(supported);
    const doc = decodePatchBody(type, body);
    if (type === PATCH_APPLY && !query.get("fieldManager")) {
      throw invalidObject("meta.k8s.io", "PatchOptions", "", [
        required("fieldManager", "is required for apply patch"),
      ]);
    }
    const existing = this.ctx.store.get(storeKey(def), def.namespaced ? namespace : undefined, name);
    if (!existing) {
      if (type !== PATCH_APPLY || subresource) throw notFound(groupResourceOf(def), name);
      if (!isObject(doc)) throw badRequest("invalid object type: expected an object for an apply patch");
      const obj = this.toObject(def, doc);
      this.checkNameAndNamespace(def, obj, namespace, name);
      return this.create(def, namespace, obj as unknown as JsonObject, query);
    }
    const current = wireObject(existing);
    let patched: Json;
    try {
      switch (type) {
        case PATCH_JSON:
          patched = jsonPatch(current, doc);
          break;
        case PATCH_MERGE:
          patched = mergePatch(current, doc as Json);
          break;
        case PATCH_STRATEGIC:
          patched = strategicMergePatch(current, doc, schemaFor(existing.apiVersion, existing.kind));
          break;
        default:
          if (!isObject(doc))
            throw new PatchError("invalid object type: expected an object for an apply patch", 400);
          patched = applyConfiguration(current, doc, schemaFor(existing.apiVersion, existing.kind));
      }
    } catch (e) {
      if (e instanceof PatchError) throw e.code === 400 ? badRequest(e.message) : unprocessable();
      throw e;
    }
    if (!isObject(patched)) throw unprocessable();
    const obj = this.toObject(def, patched);
    this.checkNameAndNamespace(def, obj, namespace, name);
    return this.applyUpdate(def, existing, obj, subresource, query, true);
  }

  private checkNameAndNamespace(
    def: ResourceDef,
    obj: KubeObject,
    namespace: string | undefined,
    name: string,
  ): void {
    if (obj.metadata.name !== name) {
      throw badRequest(
        `the name of the object (${obj.metadata.name ?? ""}) does not match the name on the URL (${name})`,
      );
    }
    if (def.namespaced) {
      if (!obj.metadata.namespace) obj.metadata.namespace = namespace;
      else if (obj.metadata.namespace !== namespace) {
        throw badRequest(
          "the namespace of the provided object does not match the namespace sent on the request",
        );
      }
    } else delete obj.metadata.namespace;
  }

  private applyUpdate(
    def: ResourceDef,
    existing: KubeObject,
    obj: KubeObject,
    subresource: string | undefined,
    query: URLSearchParams,
    fromPatch: boolean,
  ): Result {
    const name = existing.metadata.name ?? "";
    const gr = groupResourceOf(def);
    const rv = obj.metadata.resourceVersion;
    if (rv) {
      if (rv !== existing.metadata.resourceVersion) throw conflict(gr, name);
    } else if (def.custom && !fromPatch) {
      throw invalidObject(def.group, def.kind, name, [
        {
          type: "FieldValueInvalid",
          field: "metadata.resourceVersion",
          rawValue: "0x0",
          detail: "must be specified for an update",
        },
      ]);
    }
    let next: KubeObject;
    if (subresource === "status") {
      next = deepCopy(existing);
      if (obj.status === undefined) delete next.status;
      else next.status = obj.status;
    } else {
      next = obj;
      if (def.subresources.includes("status")) {
        if (existing.status === undefined) delete next.status;
        else next.status = deepCopy(existing.status);
      }
      if (def.group === "" && def.kind === "Namespace") {
        const spec: JsonObject = isObject(next.spec) ? next.spec : {};
        spec.finalizers =
          isObject(existing.spec) && existing.spec.finalizers !== undefined
            ? existing.spec.finalizers
            : ["kubernetes"];
        next.spec = spec;
      }
    }
    const meta = next.metadata;
    if (!meta.uid) meta.uid = existing.metadata.uid;
    meta.creationTimestamp = existing.metadata.creationTimestamp;
    if (existing.metadata.deletionTimestamp) meta.deletionTimestamp = existing.metadata.deletionTimestamp;
    else delete meta.deletionTimestamp;
    if (existing.metadata.deletionGracePeriodSeconds !== undefined) {
      meta.deletionGracePeriodSeconds = existing.metadata.deletionGracePeriodSeconds;
    } else delete meta.deletionGracePeriodSeconds;
    meta.resourceVersion = existing.metadata.resourceVersion;
    if (def.group === "" && def.kind === "Secret") foldStringData(next);
    applyDefaults(def, next);
    if (def.tracksGeneration) {
      const prevGen = existing.metadata.generation ?? 1;
      meta.generation = jsonEqual(specOf(next), specOf(existing)) ? prevGen : prevGen + 1;
    } else delete meta.generation;

    const errs = validateUpdate(def, next, existing, subresource);
    if (errs.length) throw invalidObject(def.group, def.kind, name, errs);

    if (jsonEqual(next, existing)) return { type: "object", code: 200, def, object: existing };
    if (isDryRun(query)) return { type: "object", code: 200, def, object: next };
    const key = storeKey(def);
    const stored = this.ctx.store.update(key, next);
    if (
      stored.metadata.deletionTimestamp &&
      !(stored.metadata.finalizers ?? []).length &&
      def.kind !== "Namespace"
    ) {
      this.ctx.store.delete(key, stored.metadata.namespace, name);
      this.collectDependents(stored);
    }
    return { type: "object", code: 200, def, object: stored };
  }

  private mustGet(def: ResourceDef, namespace: string | undefined, name: string): KubeObject {
    const obj = this.ctx.store.get(storeKey(def), def.namespaced ? namespace : undefined, name);
    if (!obj) throw notFound(groupResourceOf(def), name);
    return obj;
  }

  // ---- delete ----

  delete(
    def: ResourceDef,
    namespace: string | undefined,
    name: string,
    body: JsonObject,
    query: URLSearchParams,
  ): Result {
    const existing = this.mustGet(def, namespace, name);
    const gr = groupResourceOf(def);
    const pre = isObject(body.preconditions) ? body.preconditions : {};
    if (typeof pre.uid === "string" && pre.uid !== existing.metadata.uid) {
      throw conflict(
        gr,
        name,
        `Precondition failed: UID in precondition: ${pre.uid}, UID in object meta: ${existing.metadata.uid ?? ""}`,
      );
    }
    if (
      typeof pre.resourceVersion === "string" &&
      pre.resourceVersion !== existing.metadata.resourceVersion
    ) {
      throw conflict(
        gr,
        name,
        `Precondition failed: ResourceVersion in precondition: ${pre.resourceVersion}, ResourceVersion in meta: ${existing.metadata.resourceVersion ?? ""}`,
      );
    }
    const dryRun = isDryRun(query, body);
    const key = storeKey(def);

    if (def.group === "" && def.kind === "Namespace") {
      if (IMMORTAL_NAMESPACES.includes(name)) throw forbidden(gr, name, "this namespace may not be deleted");
      if (existing.metadata.deletionTimestamp) {
        throw conflict(
          gr,
          name,
          "The system is ensuring all content is removed from this namespace.  Upon completion, this namespace will automatically be purged by the system.",
        );
      }
      const next = deepCopy(existing);
      next.metadata.deletionTimestamp = nowTimestamp();
      next.metadata.deletionGracePeriodSeconds = 0;
      next.status = { ...(isObject(next.status) ? next.status : {}), phase: "Terminating" };
      if (dryRun) return { type: "object", code: 200, def, object: next };
      const stored = this.ctx.store.update(key, next);
      this.scheduleNamespaceFinalization(name);
      return { type: "object", code: 200, def, object: stored };
    }

    if ((existing.metadata.finalizers ?? []).length > 0) {
      if (existing.metadata.deletionTimestamp) return { type: "object", code: 200, def, object: existing };
      const next = deepCopy(existing);
      next.metadata.deletionTimestamp = nowTimestamp();
      next.metadata.deletionGracePeriodSeconds = 0;
      if (dryRun) return { type: "object", code: 200, def, object: next };
      return { type: "object", code: 200, def, object: this.ctx.store.update(key, next) };
    }

    if (!dryRun) {
      this.ctx.store.delete(key, existing.metadata.namespace, name);
      if (body.propagationPolicy !== "Orphan" && body.orphanDependents !== true)
        this.collectDependents(existing);
    }
    if (def.returnDeletedObject) return { type: "object", code: 200, def, object: existing };
    return {
      type: "raw",
      code: 200,
      body: successStatus({ name, group: def.group, kind: def.plural, uid: existing.metadata.uid }),
    };
  }

  deleteCollection(
    def: ResourceDef,
    namespace: string | undefined,
    body: JsonObject,
    query: URLSearchParams,
  ): Result {
    const listed = this.list(def, namespace, query);
    if (listed.type !== "list") throw new Error("unreachable");
    const deleted: KubeObject[] = [];
    for (const obj of listed.items) {
      const r = this.delete(
        def,
        obj.metadata.namespace,
        obj.metadata.name ?? "",
        { ...body, preconditions: {} },
        query,
      );
      deleted.push(r.type === "object" ? r.object : obj);
    }
    return {
      type: "list",
      def,
      items: deleted,
      meta: { resourceVersion: String(this.ctx.store.currentRv()) },
    };
  }

  /** Background cascading deletion: objects whose ownerReferences name the deleted object's uid. */
  private collectDependents(owner: KubeObject): void {
    const uid = owner.metadata.uid;
    if (!uid) return;
    for (const def of this.ctx.registry.all()) {
      if (def.virtual) continue;
      const key = storeKey(def);
      for (const obj of this.ctx.store.list(key)) {
        const refs = obj.metadata.ownerReferences ?? [];
        if (!refs.some((r) => isObject(r) && r.uid === uid)) continue;
        if (def.namespaced && owner.metadata.namespace && obj.metadata.namespace !== owner.metadata.namespace)
          continue;
        this.ctx.store.delete(key, obj.metadata.namespace, obj.metadata.name ?? "");
        this.collectDependents(obj);
      }
    }
  }

  private scheduleNamespaceFinalization(namespace: string): void {
    const timer = setTimeout(() => {
      this.ctx.timers.delete(timer);
      this.finalizeNamespace(namespace);
    }, this.ctx.namespaceDeletionDelayMs);
    this.ctx.timers.add(timer);
  }

  /** The namespace controller's work: delete everything in the namespace, then the namespace. */
  finalizeNamespace(namespace: string): void {
    for (const def of this.ctx.registry.all()) {
      if (!def.namespaced || def.virtual) continue;
      const key = storeKey(def);
      for (const obj of this.ctx.store.list(key, namespace))
        this.ctx.store.delete(key, namespace, obj.metadata.name ?? "");
    }
    this.ctx.store.delete("/namespaces", undefined, namespace);
  }

  // ---- access reviews ----

  review(def: ResourceDef, namespace: string | undefined, raw: JsonObject, user: UserInfo): Result {
    const spec = isObject(raw.spec) ? raw.spec : {};
    const out: JsonObject = {
      kind: def.kind,
      apiVersion: apiVersionOf(def),
      metadata: { creationTimestamp: null },
    };
    if (def.kind === "SelfSubjectReview") {
      out.status = { userInfo: { username: user.name, groups: user.groups } };
      return { type: "raw", code: 201, body: out };
    }
    if (def.kind === "SelfSubjectRulesReview") {
      const ns = typeof spec.namespace === "string" ? spec.namespace : "";
      const rules = this.ctx.authorizer.rulesFor(user, ns);
      const strip = (r: {
        verbs: string[];
        apiGroups: string[];
        resources: string[];
        resourceNames: string[];
      }): JsonObject => {
        const o: JsonObject = { verbs: r.verbs, apiGroups: r.apiGroups, resources: r.resources };
        if (r.resourceNames.length) o.resourceNames = r.resourceNames;
        return o;
      };
      out.spec = spec;
      out.status = {
        resourceRules: rules.resourceRules.map(strip),
        nonResourceRules: rules.nonResourceRules.map((r) => ({
          verbs: r.verbs,
          nonResourceURLs: r.nonResourceURLs,
        })),
        incomplete: false,
      };
      return { type: "raw", code: 201, body: out };
    }
    let subject = user;
    if (def.kind === "SubjectAccessReview" || def.kind === "LocalSubjectAccessReview") {
      const groups = Array.isArray(spec.groups)
        ? spec.groups.filter((g): g is string => typeof g === "string")
        : [];
      if (typeof spec.user !== "string" || spec.user === "") {
        if (groups.length === 0) {
          throw invalidObject(def.group, def.kind, "", [
            required("spec.user", "at least one of user or group must be specified"),
          ]);
        }
      }
      subject = { name: typeof spec.user === "string" ? spec.user : "", groups };
    }
    const ra = isObject(spec.resourceAttributes) ? spec.resourceAttributes : undefined;
    const nra = isObject(spec.nonResourceAttributes) ? spec.nonResourceAttributes : undefined;
    const str = (v: Json | undefined): string | undefined =>
      typeof v === "string" && v !== "" ? v : undefined;
    let attrs: Attributes;
    if (ra) {
      const ns = def.kind === "LocalSubjectAccessReview" ? namespace : str(ra.namespace);
      attrs = {
        user: subject,
        verb: str(ra.verb) ?? "",
        resourceRequest: true,
        group: str(ra.group) ?? "",
        resource: str(ra.resource),
        subresource: str(ra.subresource),
        namespace: ns,
        name: str(ra.name),
      };
    } else if (nra) {
      attrs = { user: subject, verb: str(nra.verb) ?? "", resourceRequest: false, path: str(nra.path) };
    } else {
      throw invalidObject(def.group, def.kind, "", [
        required(
          "spec.resourceAttributes",
          "exactly one of nonResourceAttributes or resourceAttributes must be specified",
        ),
      ]);
    }
    const decision = this.ctx.authorizer.authorize(attrs);
    out.spec = spec;
    const status: JsonObject = { allowed: decision.allowed };
    if (decision.allowed && decision.reason) status.reason = decision.reason;
    out.status = status;
    if (def.kind === "LocalSubjectAccessReview" && isObject(out.metadata))
      out.metadata.namespace = namespace ?? "";
    return { type: "raw", code: 201, body: out };
  }
}
