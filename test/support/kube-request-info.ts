// What a Kubernetes API request is about, read from its method and URL the way kube-apiserver's
// RequestInfoFactory does (k8s.io/apiserver/pkg/endpoints/request/requestinfo.go): /api/v1/... and
// /apis/<group>/<version>/..., namespaces/<ns>/<resource>/<name>/<subresource>, the legacy /watch/ prefix, and a
// list or watch whose fieldSelector is `metadata.name=X` naming object X. The proxy's request log is made of it.

export interface RequestInfo {
  /** False for discovery, /version, /healthz and other non-resource paths. */
  resourceRequest: boolean;
  /** get, list, watch, create, update, patch, delete, deletecollection (resource requests) or the lower-cased method. */
  verb: string;
  namespace?: string;
  resource?: string;
  subresource?: string;
  name?: string;
}

const VERB_OF_METHOD: Record<string, string> = {
  POST: "create",
  GET: "get",
  HEAD: "get",
  PUT: "update",
  PATCH: "patch",
  DELETE: "delete",
};
/** Subresources of a namespace itself (`/namespaces/x/status`), not resources in it. */
const NAMESPACE_SUBRESOURCES = new Set(["status", "finalize"]);
/** strconv.ParseBool's true values, as the parameter codec reads `watch=`. */
const TRUE_VALUES = new Set(["1", "t", "T", "true", "TRUE", "True"]);

export function parseRequest(method: string, url: URL): RequestInfo {
  const info: RequestInfo = { resourceRequest: false, verb: method.toLowerCase() };
  const parts = url.pathname
    .split("/")
    .filter((p) => p !== "")
    .map((p) => decodeURIComponent(p));
  let rest: string[];
  if (parts[0] === "api" && parts.length >= 2) rest = parts.slice(2);
  else if (parts[0] === "apis" && parts.length >= 3) rest = parts.slice(3);
  else return info;
  if (rest.length === 0) return info;
  info.resourceRequest = true;
  info.verb = VERB_OF_METHOD[method] ?? "";
  if (rest[0] === "watch") {
    rest = rest.slice(1);
    info.verb = "watch";
  }
  if (rest[0] === "namespaces" && rest.length > 1) {
    info.namespace = rest[1];
    if (rest.length > 2 && !NAMESPACE_SUBRESOURCES.has(rest[2] as string)) rest = rest.slice(2);
  }
  info.resource = rest[0];
  if (rest.length >= 2) info.name = rest[1];
  if (rest.length >= 3) info.subresource = rest[2];

  if (!info.name && info.verb === "get") {
    info.verb = TRUE_VALUES.has(url.searchParams.get("watch") ?? "") ? "watch" : "list";
  }
  if (!info.name && info.verb === "delete") info.verb = "deletecollection";
  if (!info.name && (info.verb === "list" || info.verb === "watch")) {
    const byName = (url.searchParams.get("fieldSelector") ?? "")
      .split(",")
      .map((term) => /^\s*metadata\.name\s*==?\s*([^\s!=]*)\s*$/.exec(term)?.[1])
      .find((name) => name !== undefined && name !== "");
    if (byName !== undefined && !/[/%]/.test(byName) && byName !== "." && byName !== "..") info.name = byName;
  }
  return info;
}
