// A minimal OpenAPI v3 (/openapi/v3 and one document per group/version) — just enough for kubectl:
// each resource's PATCH operation carries `x-kubernetes-group-version-kind` and the `fieldValidation` query
// parameter, so kubectl's validation (default --validate=strict) uses server-side field validation instead of
// downloading schemas. No component schemas are served, and the PATCH request bodies list JSON patch, merge
// patch and apply patch but not strategic merge: `kubectl apply` then computes its strategic merge patch from
// its built-in types (as it does when OpenAPI lacks a kind), and merge patch for custom resources.
// /openapi/v2 is not served (404), which kubectl tolerates once v3 answers.
import { createHash } from "node:crypto";
import type { ResourceRegistry } from "./resources.js";
import type { JsonObject } from "./types.js";

function gvPath(group: string, version: string): string {
  return group ? `apis/${group}/${version}` : `api/${version}`;
}

function document(reg: ResourceRegistry, group: string, version: string, serverVersion: string): JsonObject {
  const paths: JsonObject = {};
  const prefix = `/${gvPath(group, version)}`;
  const defs = reg.inGroupVersion(group, version);
  for (const d of defs) {
    const gvk = { group: d.group, version: d.version, kind: d.kind };
    const base = d.namespaced ? `${prefix}/namespaces/{namespace}/${d.plural}` : `${prefix}/${d.plural}`;
    const params = [
      { name: "dryRun", in: "query", schema: { type: "string", uniqueItems: true } },
      { name: "fieldManager", in: "query", schema: { type: "string", uniqueItems: true } },
      { name: "fieldValidation", in: "query", schema: { type: "string", uniqueItems: true } },
    ];
    if (d.virtual) {
      paths[base] = {
        post: { "x-kubernetes-action": "post", "x-kubernetes-group-version-kind": gvk, parameters: params },
      };
      continue;
    }
    paths[base] = {
      get: { "x-kubernetes-action": "list", "x-kubernetes-group-version-kind": gvk },
      post: { "x-kubernetes-action": "post", "x-kubernetes-group-version-kind": gvk, parameters: params },
    };
    paths[`${base}/{name}`] = {
      get: { "x-kubernetes-action": "get", "x-kubernetes-group-version-kind": gvk },
      put: { "x-kubernetes-action": "put", "x-kubernetes-group-version-kind": gvk, parameters: params },
      patch: {
        "x-kubernetes-action": "patch",
        "x-kubernetes-group-version-kind": gvk,
        parameters: [
          ...params,
          { name: "force", in: "query", schema: { type: "boolean", uniqueItems: true } },
        ],
        requestBody: {
          content: {
            "application/json-patch+json": { schema: {} },
            "application/merge-patch+json": { schema: {} },
            "application/apply-patch+yaml": { schema: {} },
          },
          required: true,
        },
      },
      delete: { "x-kubernetes-action": "delete", "x-kubernetes-group-version-kind": gvk },
    };
  }
  return {
    openapi: "3.0.0",
    info: { title: "Kubernetes", version: serverVersion },
    paths,
    components: { schemas: {} },
  };
}

function groupVersions(reg: ResourceRegistry): { group: string; version: string }[] {
  const out: { group: string; version: string }[] = [];
  for (const d of reg.all()) {
    if (!out.some((x) => x.group === d.group && x.version === d.version))
      out.push({ group: d.group, version: d.version });
  }
  return out;
}

/** Answers `/openapi/v3` and `/openapi/v3/<gv path>`; undefined for anything else. */
export function openapiV3(
  reg: ResourceRegistry,
  path: string,
  serverVersion: string,
): JsonObject | undefined {
  if (path === "/openapi/v3") {
    const paths: JsonObject = {};
    for (const gv of groupVersions(reg)) {
      const doc = JSON.stringify(document(reg, gv.group, gv.version, serverVersion));
      const hash = createHash("sha512").update(doc).digest("hex").slice(0, 128).toUpperCase();
      paths[gvPath(gv.group, gv.version)] = {
        serverRelativeURL: `/openapi/v3/${gvPath(gv.group, gv.version)}?hash=${hash}`,
      };
    }
    return { paths };
  }
  const m = /^\/openapi\/v3\/(api\/([^/]+)|apis\/([^/]+)\/([^/]+))$/.exec(path);
  if (!m) return undefined;
  const group = m[2] ? "" : (m[3] ?? "");
  const version = m[2] ?? m[4] ?? "";
  if (!groupVersions(reg).some((gv) => gv.group === group && gv.version === version)) return undefined;
  return document(reg, group, version, serverVersion);
}
