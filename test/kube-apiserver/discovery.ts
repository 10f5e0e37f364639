// Discovery documents: /version, the legacy forms (/api, /apis, /apis/<group>, /api/v1, /apis/<group>/<version>)
// and the aggregated form (apidiscovery.k8s.io/v2 and v2beta1 APIGroupDiscoveryList) that kubectl 1.32 asks for
// first through its Accept header.
import type { ResourceDef, ResourceRegistry } from "./resources.js";
import { apiVersionOf } from "./resources.js";
import type { Json, JsonObject } from "./types.js";

export interface VersionInfo {
  major: string;
  minor: string;
  gitVersion: string;
}

export function versionDocument(v: VersionInfo): JsonObject {
  return {
    major: v.major,
    minor: v.minor,
    gitVersion: v.gitVersion,
    gitCommit: "0000000000000000000000000000000000000000",
    gitTreeState: "clean",
    buildDate: "2025-01-01T00:00:00Z",
    goVersion: "go1.23.4",
    compiler: "gc",
    platform: "linux/amd64",
  };
}

function subresourceVerbs(_sub: string): string[] {
  return ["get", "patch", "update"];
}

/** A stable, fake storageVersionHash (base64 of 8 bytes), as clients only compare it. */
function storageVersionHash(d: ResourceDef): string {
  let h = 0n;
  for (const ch of `${d.group}/${d.version}/${d.kind}`)
    h = (h * 131n + BigInt(ch.charCodeAt(0))) & 0xffffffffffffffffn;
  return Buffer.from(h.toString(16).padStart(16, "0"), "hex").toString("base64");
}

export function apiVersions(serverAddress: string): JsonObject {
  return {
    kind: "APIVersions",
    versions: ["v1"],
    serverAddressByClientCIDRs: [{ clientCIDR: "0.0.0.0/0", serverAddress }],
  };
}

function groupEntry(name: string, versions: string[]): JsonObject {
  const list = versions.map((v) => ({ groupVersion: `${name}/${v}`, version: v }));
  return { name, versions: list, preferredVersion: list[0] ?? null };
}

export function apiGroupList(reg: ResourceRegistry): JsonObject {
  return {
    kind: "APIGroupList",
    apiVersion: "v1",
    groups: reg.groups().map((g) => groupEntry(g.name, g.versions)),
  };
}

export function apiGroup(reg: ResourceRegistry, group: string): JsonObject | undefined {
  const g = reg.groups().find((x) => x.name === group);
  if (!g) return undefined;
  return { kind: "APIGroup", apiVersion: "v1", ...groupEntry(g.name, g.versions) };
}

export function apiResourceList(
  reg: ResourceRegistry,
  group: string,
  version: string,
): JsonObject | undefined {
  const defs = reg.inGroupVersion(group, version);
  if (defs.length === 0) return undefined;
  const resources: Json[] = [];
  for (const d of [...defs].sort((a, b) => a.plural.localeCompare(b.plural))) {
    const r: JsonObject = {
      name: d.plural,
      singularName: d.singular,
      namespaced: d.namespaced,
      kind: d.kind,
      verbs: d.verbs,
    };
    if (d.shortNames.length) r.shortNames = d.shortNames;
    if (d.categories.length) r.categories = d.categories;
    if (!d.virtual) r.storageVersionHash = storageVersionHash(d);
    resources.push(r);
    for (const sub of d.subresources) {
      resources.push({
        name: `${d.plural}/${sub}`,
        singularName: "",
        namespaced: d.namespaced,
        kind: d.kind,
        verbs: subresourceVerbs(sub),
      });
    }
  }
  return {
    kind: "APIResourceList",
    apiVersion: "v1",
    groupVersion: apiVersionOf({ group, version }),
    resources,
  };
}

/** The discovery version a client asked for through Accept (`g=apidiscovery.k8s.io;v=v2;as=...`), if any. */
export function aggregatedDiscoveryVersion(accept: string): "v2" | "v2beta1" | undefined {
  for (const part of accept.split(",")) {
    const params = new Map(
      part
        .split(";")
        .slice(1)
        .map((p) => p.trim().split("=") as [string, string]),
    );
    if (params.get("g") === "apidiscovery.k8s.io" && params.get("as") === "APIGroupDiscoveryList") {
      const v = params.get("v");
      if (v === "v2" || v === "v2beta1") return v;
    }
  }
  return undefined;
}

function discoveryResource(d: ResourceDef): JsonObject {
  const r: JsonObject = {
    resource: d.plural,
    responseKind: { group: d.group, version: d.version, kind: d.kind },
    scope: d.namespaced ? "Namespaced" : "Cluster",
    singularResource: d.singular,
    verbs: d.verbs,
  };
  if (d.shortNames.length) r.shortNames = d.shortNames;
  if (d.categories.length) r.categories = d.categories;
  if (d.subresources.length) {
    r.subresources = d.subresources.map((sub) => ({
      subresource: sub,
      responseKind: { group: d.group, version: d.version, kind: d.kind },
      verbs: subresourceVerbs(sub),
    }));
  }
  return r;
}

/** APIGroupDiscoveryList for `/api` (core only) or `/apis` (every named group). */
export function aggregatedDiscovery(
  reg: ResourceRegistry,
  core: boolean,
  version: "v2" | "v2beta1",
): JsonObject {
  const groups = core ? [{ name: "", versions: ["v1"] }] : reg.groups();
  const items = groups.map((g) => {
    const metadata: JsonObject = { creationTimestamp: null };
    if (g.name) metadata.name = g.name;
    return {
      metadata,
      versions: g.versions.map((v) => ({
        version: v,
        resources: [...reg.inGroupVersion(g.name, v)]
          .sort((a, b) => a.plural.localeCompare(b.plural))
          .map(discoveryResource),
        freshness: "Current",
      })),
    };
  });
  return { kind: "APIGroupDiscoveryList", apiVersion: `apidiscovery.k8s.io/${version}`, metadata: {}, items };
}

export function aggregatedContentType(version: "v2" | "v2beta1"): string {
  return `application/json;g=apidiscovery.k8s.io;v=${version};as=APIGroupDiscoveryList`;
}
