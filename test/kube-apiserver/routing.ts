// Request routing: turns a URL and method into request info the way the real RequestInfoFactory does
// (/api/v1/..., /apis/<group>/<version>/..., namespaces/<ns>/<resource>/<name>/<subresource>, the legacy
// /watch/ prefix, and a fieldSelector on metadata.name naming the object for authorization).
import { parseFieldSelector } from "./selectors.js";

export interface RequestInfo {
  path: string;
  query: URLSearchParams;
  resourceRequest: boolean;
  /** get, list, watch, create, update, patch, delete, deletecollection (resource requests) or the lower-cased method. */
  verb: string;
  apiPrefix?: "api" | "apis";
  group: string;
  version: string;
  namespace?: string;
  resource?: string;
  subresource?: string;
  name?: string;
  /** The legacy /watch/ path prefix was used. */
  legacyWatch: boolean;
  /** `name` came from a `metadata.name=` field selector of a list/watch (for authorization only). */
  nameFromSelector: boolean;
}

const NAMESPACE_SUBRESOURCES = new Set(["status", "finalize"]);

/** strconv.ParseBool as the parameter codec uses it. */
export function parseBool(v: string | null): boolean {
  return v !== null && ["1", "t", "T", "true", "TRUE", "True"].includes(v);
}

export function parseRequest(method: string, url: URL): RequestInfo {
  const path = url.pathname;
  const query = url.searchParams;
  const info: RequestInfo = {
    path,
    query,
    resourceRequest: false,
    verb: method.toLowerCase(),
    group: "",
    version: "",
    legacyWatch: false,
    nameFromSelector: false,
  };
  const parts = path
    .split("/")
    .filter((p) => p !== "")
    .map((p) => decodeURIComponent(p));
  let rest: string[];
  if (parts[0] === "api" && parts.length >= 2) {
    info.apiPrefix = "api";
    info.version = parts[1] as string;
    rest = parts.slice(2);
  } else if (parts[0] === "apis" && parts.length >= 3) {
    info.apiPrefix = "apis";
    info.group = parts[1] as string;
    info.version = parts[2] as string;
    rest = parts.slice(3);
  } else {
    return info;
  }
  if (rest.length === 0) return info;
  info.resourceRequest = true;

  switch (method) {
    case "POST":
      info.verb = "create";
      break;
    case "GET":
    case "HEAD":
      info.verb = "get";
      break;
    case "PUT":
      info.verb = "update";
      break;
    case "PATCH":
      info.verb = "patch";
      break;
    case "DELETE":
      info.verb = "delete";
      break;
    default:
      info.verb = "";
  }
  if (rest[0] === "watch") {
    rest = rest.slice(1);
    info.verb = "watch";
    info.legacyWatch = true;
  }
  if (rest[0] === "namespaces") {
    if (rest.length > 1) {
      info.namespace = rest[1];
      if (rest.length > 2 && !NAMESPACE_SUBRESOURCES.has(rest[2] as string)) rest = rest.slice(2);
    }
  }
  info.resource = rest[0];
  if (rest.length >= 2) info.name = rest[1];
  if (rest.length >= 3) info.subresource = rest[2];

  if (!info.name && info.verb === "get") {
    info.verb = parseBool(query.get("watch")) ? "watch" : "list";
  }
  if (!info.name && info.verb === "delete") info.verb = "deletecollection";
  if (!info.name && (info.verb === "list" || info.verb === "watch")) {
    try {
      const byName = parseFieldSelector(query.get("fieldSelector") ?? "").find(
        (r) => r.field === "metadata.name" && r.op === "=",
      );
      if (byName && !/[/%]/.test(byName.value) && byName.value !== "." && byName.value !== "..") {
        info.name = byName.value;
        info.nameFromSelector = true;
      }
    } catch {
      // a bad selector is reported by the list handler
    }
  }
  return info;
}
