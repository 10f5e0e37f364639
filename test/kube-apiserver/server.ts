// The HTTP front end: reads the request, logs it, authenticates the bearer token, routes, runs test
// interceptors, authorizes, negotiates the response format, dispatches to discovery / OpenAPI / the REST verbs
// / watch, and writes JSON (or a Table, or YAML) with the real server's status codes and `Status` errors.
import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { stringify as toYaml } from "yaml";
import {
  aggregatedContentType,
  aggregatedDiscovery,
  aggregatedDiscoveryVersion,
  apiGroup,
  apiGroupList,
  apiResourceList,
  apiVersions,
  versionDocument,
} from "./discovery.js";
import type { VersionInfo } from "./discovery.js";
import type { ResponseFormat } from "./encoding.js";
import { decodeObjectBody, listObject, mediaType, negotiate, wireObject } from "./encoding.js";
import { openapiV3 } from "./openapi.js";
import type { Attributes } from "./rbac.js";
import { ANONYMOUS, forbiddenFor } from "./rbac.js";
import type { ResourceDef } from "./resources.js";
import { groupResourceOf } from "./resources.js";
import type { Result, RestContext } from "./rest.js";
import { parseFilter, Rest } from "./rest.js";
import type { RequestInfo } from "./routing.js";
import { parseBool, parseRequest } from "./routing.js";
import {
  ApiError,
  badRequest,
  internalError,
  methodNotSupported,
  pathNotFound,
  unauthorized,
} from "./status.js";
import type { IncludeObject } from "./table.js";
import { toTable, wantsTable } from "./table.js";
import type { Json, JsonObject, KubeObject, UserInfo } from "./types.js";
import { isObject } from "./types.js";
import type { ActiveWatch } from "./watch.js";
import { startWatch } from "./watch.js";

/** One request as the server saw it (for tests that count calls). */
export interface RequestRecord {
  method: string;
  path: string;
  query: Record<string, string>;
  /** get, list, watch, create, update, patch, delete, deletecollection; the lower-cased method otherwise. */
  verb: string;
  resource?: string;
  subresource?: string;
  namespace?: string;
  name?: string;
  user: string;
  contentType?: string;
  /** HTTP status of the response (set when it is sent). */
  status?: number;
}

/** What an interceptor may do with a request: answer with an error Status, or drop the connection. */
export type InterceptAction = ApiError | "close" | undefined;
export type Interceptor = (request: RequestRecord, body: Buffer) => InterceptAction;

const MAX_BODY = 3 * 1024 * 1024;
const TABLE_CONTENT_TYPE = "application/json;as=Table;v=v1;g=meta.k8s.io";

export interface FrontendContext extends RestContext {
  version: VersionInfo;
  bookmarkIntervalMs: number;
  serverAddress(): string;
}

export class Frontend {
  readonly rest: Rest;
  readonly log: RequestRecord[] = [];
  readonly interceptors = new Set<Interceptor>();
  readonly watches = new Set<ActiveWatch>();

  constructor(private readonly ctx: FrontendContext) {
    this.rest = new Rest(ctx);
  }

  handle(req: IncomingMessage, res: ServerResponse): void {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on("data", (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) tooLarge = true;
      else chunks.push(c);
    });
    req.on("end", () => {
      if (tooLarge) {
        this.writeError(
          res,
          new ApiError(413, "RequestEntityTooLarge", `Request entity too large: limit is ${MAX_BODY}`),
        );
        return;
      }
      try {
        this.dispatch(req, res, Buffer.concat(chunks));
      } catch (e) {
        this.writeError(res, e);
      }
    });
  }

  private dispatch(req: IncomingMessage, res: ServerResponse, body: Buffer): void {
    const method = req.method ?? "GET";
    const url = new URL(req.url ?? "/", "http://apiserver.invalid");
    const record: RequestRecord = {
      method,
      path: url.pathname,
      query: Object.fromEntries(url.searchParams.entries()),
      verb: method.toLowerCase(),
      user: "",
      contentType: req.headers["content-type"],
    };
    this.log.push(record);
    res.on("finish", () => {
      record.status = res.statusCode;
    });

    const user = this.impersonate(this.authenticate(req.headers.authorization), req);
    record.user = user.name;
    const info = parseRequest(method, url);
    record.verb = info.verb;
    if (info.resourceRequest) {
      record.resource = info.resource;
      record.subresource = info.subresource;
      record.namespace = info.namespace;
      record.name = info.name;
    }
    for (const fn of this.interceptors) {
      const action = fn(record, body);
      if (action === "close") {
        req.socket.destroy();
        return;
      }
      if (action) throw action;
    }
    const attrs: Attributes = info.resourceRequest
      ? {
          user,
          verb: info.verb,
          resourceRequest: true,
          group: info.group,
          resource: info.resource,
          subresource: info.subresource,
          namespace: info.namespace,
          name: info.name,
        }
      : { user, verb: info.verb, resourceRequest: false, path: info.path };
    const decision = this.ctx.authorizer.authorize(attrs);
    if (!decision.allowed) throw forbiddenFor(attrs, decision);

    const accept = req.headers.accept ?? "";
    if (!info.resourceRequest) {
      this.nonResource(info, accept, res);
      return;
    }
    this.resource(info, user, req, res, body, accept);
  }

  private authenticate(header: string | undefined): UserInfo {
    if (!header) return ANONYMOUS;
    const m = /^Bearer\s+(.+)$/i.exec(header.trim());
    if (!m) throw unauthorized();
    const user = this.ctx.authorizer.authenticate((m[1] as string).trim());
    if (!user) throw unauthorized();
    return user;
  }

  /** Impersonate-User / Impersonate-Group (kubectl --as / --as-group), authorized as the real filter does. */
  private impersonate(user: UserInfo, req: IncomingMessage): UserInfo {
    const asUser = req.headersDistinct["impersonate-user"]?.[0];
    const asGroups = req.headersDistinct["impersonate-group"] ?? [];
    if (asUser === undefined && asGroups.length === 0) return user;
    if (asUser === undefined) throw badRequest("requested Impersonate-Group without Impersonate-User");
    const check = (attrs: Attributes): void => {
      const decision = this.ctx.authorizer.authorize(attrs);
      if (!decision.allowed) throw forbiddenFor(attrs, decision);
    };
    const sa = /^system:serviceaccount:([^:]+):([^:]+)$/.exec(asUser);
    check(
      sa
        ? {
            user,
            verb: "impersonate",
            resourceRequest: true,
            group: "",
            resource: "serviceaccounts",
            namespace: sa[1],
            name: sa[2],
          }
        : { user, verb: "impersonate", resourceRequest: true, group: "", resource: "users", name: asUser },
    );
    for (const g of asGroups)
      check({ user, verb: "impersonate", resourceRequest: true, group: "", resource: "groups", name: g });
    const groups = [...asGroups];
    if (sa) groups.push("system:serviceaccounts", `system:serviceaccounts:${sa[1] as string}`);
    if (asUser !== "system:anonymous") groups.push("system:authenticated");
    return { name: asUser, groups };
  }

  // ---- discovery, version, OpenAPI, health ----

  private nonResource(info: RequestInfo, accept: string, res: ServerResponse): void {
    const reg = this.ctx.registry;
    const path = info.path.replace(/\/+$/, "") || "/";
    if (info.verb !== "get" && info.verb !== "head") throw pathNotFound();
    if (path === "/healthz" || path === "/livez" || path === "/readyz") {
      res.writeHead(200, {
        "Content-Type": "text/plain; charset=utf-8",
        "X-Content-Type-Options": "nosniff",
      });
      res.end("ok");
      return;
    }
    if (path === "/version") return this.writeJson(res, 200, versionDocument(this.ctx.version));
    if (path === "/api" || path === "/apis") {
      const aggregated = aggregatedDiscoveryVersion(accept);
      if (aggregated) {
        const doc = aggregatedDiscovery(reg, path === "/api", aggregated);
        return this.writeJson(res, 200, doc, aggregatedContentType(aggregated));
      }
      negotiate(accept);
      return this.writeJson(
        res,
        200,
        path === "/api" ? apiVersions(this.ctx.serverAddress()) : apiGroupList(reg),
      );
    }
    if (path.startsWith("/openapi/v3")) {
      const doc = openapiV3(reg, path, this.ctx.version.gitVersion);
      if (!doc) throw pathNotFound();
      return this.writeJson(res, 200, doc);
    }
    if (info.apiPrefix === "api" && path === `/api/${info.version}`) {
      const doc = apiResourceList(reg, "", info.version);
      if (doc) return this.writeJson(res, 200, doc);
    }
    const group = /^\/apis\/([^/]+)$/.exec(path);
    if (group) {
      const doc = apiGroup(reg, group[1] as string);
      if (doc) return this.writeJson(res, 200, doc);
    }
    if (info.apiPrefix === "apis" && path === `/apis/${info.group}/${info.version}`) {
      const doc = apiResourceList(reg, info.group, info.version);
      if (doc) return this.writeJson(res, 200, doc);
    }
    throw pathNotFound();
  }

  // ---- resources ----

  private resource(
    info: RequestInfo,
    user: UserInfo,
    req: IncomingMessage,
    res: ServerResponse,
    body: Buffer,
    accept: string,
  ): void {
    const def = this.ctx.registry.find(info.group, info.version, info.resource ?? "");
    if (!def) throw pathNotFound();
    if (info.subresource && !def.subresources.includes(info.subresource)) throw pathNotFound();
    const isNamespaceResource = def.group === "" && def.plural === "namespaces";
    if (!def.namespaced && info.namespace !== undefined && !isNamespaceResource) throw pathNotFound();
    const namespace = def.namespaced ? info.namespace : undefined;
    const name = info.nameFromSelector ? undefined : info.name;
    if (def.namespaced && name !== undefined && namespace === undefined) throw pathNotFound();
    const gr = groupResourceOf(def);
    const verbAllowed =
      def.verbs.includes(info.verb) ||
      (info.subresource !== undefined && ["get", "update", "patch"].includes(info.verb));
    if (!verbAllowed) throw methodNotSupported(gr, info.verb);
    const format: ResponseFormat = negotiate(accept);
    const query = info.query;
    const contentType = req.headers["content-type"];

    let result: Result;
    switch (info.verb) {
      case "get":
        if (name === undefined) throw pathNotFound();
        result = this.rest.get(def, namespace, name);
        break;
      case "list":
        result = this.rest.list(def, namespace, query);
        break;
      case "watch":
        this.watch(def, namespace, info, accept, res);
        return;
      case "create": {
        if (name !== undefined && !info.subresource) throw methodNotSupported(gr, "create");
        const raw = decodeObjectBody(def, contentType, body);
        result = def.virtual
          ? this.rest.review(def, namespace, raw, user)
          : this.rest.create(def, namespace, raw, query);
        break;
      }
      case "update":
        if (name === undefined) throw methodNotSupported(gr, "update");
        result = this.rest.update(
          def,
          namespace,
          name,
          info.subresource,
          decodeObjectBody(def, contentType, body),
          query,
        );
        break;
      case "patch":
        if (name === undefined) throw methodNotSupported(gr, "patch");
        result = this.rest.patch(def, namespace, name, info.subresource, contentType, body, query);
        break;
      case "delete":
        if (name === undefined) throw methodNotSupported(gr, "delete");
        result = this.rest.delete(def, namespace, name, this.deleteOptions(contentType, body), query);
        break;
      case "deletecollection":
        result = this.rest.deleteCollection(def, namespace, this.deleteOptions(contentType, body), query);
        break;
      default:
        throw methodNotSupported(gr, info.verb);
    }
    this.writeResult(res, result, info, accept, format);
  }

  private deleteOptions(contentType: string | undefined, body: Buffer): JsonObject {
    if (body.length === 0) return {};
    const type = mediaType(contentType);
    if (type !== "" && type !== "application/json" && type !== "application/yaml") return {};
    let value: unknown;
    try {
      value = JSON.parse(body.toString("utf8"));
    } catch {
      throw badRequest("the body of the request could not be decoded as DeleteOptions");
    }
    return isObject(value) ? value : {};
  }

  private includeObject(query: URLSearchParams): IncludeObject {
    const v = query.get("includeObject");
    return v === "Object" || v === "None" ? v : "Metadata";
  }

  private writeResult(
    res: ServerResponse,
    result: Result,
    info: RequestInfo,
    accept: string,
    format: ResponseFormat,
  ): void {
    const readVerb = info.verb === "get" || info.verb === "list";
    if (result.type === "raw") return this.writeBody(res, result.code, result.body, format);
    if (readVerb && wantsTable(accept)) {
      const items = result.type === "object" ? [result.object] : result.items;
      const table = toTable(result.def, items, {
        includeObject: this.includeObject(info.query),
        resourceVersion: result.type === "list" ? result.meta.resourceVersion : undefined,
        continueToken: result.type === "list" ? result.meta.continueToken : undefined,
        remainingItemCount: result.type === "list" ? result.meta.remainingItemCount : undefined,
      });
      return this.writeJson(res, 200, table, TABLE_CONTENT_TYPE);
    }
    if (result.type === "object") return this.writeBody(res, result.code, wireObject(result.object), format);
    return this.writeBody(res, 200, listObject(result.def, result.items, result.meta), format);
  }

  private watch(
    def: ResourceDef,
    namespace: string | undefined,
    info: RequestInfo,
    accept: string,
    res: ServerResponse,
  ): void {
    const query = info.query;
    const filter = parseFilter(def, query);
    if (info.legacyWatch && info.name !== undefined && !info.nameFromSelector) {
      filter.fields.push({ field: "metadata.name", op: "=", value: info.name });
    }
    negotiate(accept);
    const table = wantsTable(accept) !== undefined;
    const includeObject = this.includeObject(query);
    const timeout = Number(query.get("timeoutSeconds") ?? "");
    const sendInitial = query.get("sendInitialEvents");
    const w = startWatch(
      this.ctx.store,
      {
        def,
        namespace,
        filter,
        resourceVersion: query.get("resourceVersion") ?? undefined,
        sendInitialEvents: sendInitial === null ? undefined : parseBool(sendInitial),
        allowBookmarks: parseBool(query.get("allowWatchBookmarks")),
        timeoutSeconds: Number.isFinite(timeout) && timeout > 0 ? timeout : undefined,
        encode: (obj: KubeObject): Json => (table ? toTable(def, [obj], { includeObject }) : wireObject(obj)),
        contentType: "application/json",
      },
      res,
      { bookmarkIntervalMs: this.ctx.bookmarkIntervalMs },
    );
    this.watches.add(w);
    res.on("close", () => this.watches.delete(w));
  }

  // ---- writing ----

  private headers(contentType: string): Record<string, string> {
    return {
      "Content-Type": contentType,
      "Cache-Control": "no-cache, private",
      "Audit-Id": randomUUID(),
      "X-Kubernetes-Pf-Flowschema-Uid": "00000000-0000-0000-0000-000000000000",
      "X-Kubernetes-Pf-Prioritylevel-Uid": "00000000-0000-0000-0000-000000000000",
    };
  }

  private writeJson(
    res: ServerResponse,
    code: number,
    body: JsonObject,
    contentType = "application/json",
  ): void {
    res.writeHead(code, this.headers(contentType));
    res.end(`${JSON.stringify(body)}\n`);
  }

  private writeBody(res: ServerResponse, code: number, body: JsonObject, format: ResponseFormat): void {
    if (format === "yaml") {
      res.writeHead(code, this.headers("application/yaml"));
      res.end(toYaml(body));
      return;
    }
    this.writeJson(res, code, body);
  }

  writeError(res: ServerResponse, e: unknown): void {
    if (res.headersSent) {
      res.destroy();
      return;
    }
    const err = e instanceof ApiError ? e : internalError(e instanceof Error ? e.message : String(e));
    res.writeHead(err.code, this.headers("application/json"));
    res.end(`${JSON.stringify(err.status())}\n`);
  }
}
