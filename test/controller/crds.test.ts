// The CRDs cannot drift: the chart's crds/ files are src/controller/crds.ts rendered (UPDATE_CRDS=1 rewrites
// them), every schema field exists in the TypeScript types and every type field in the schema (a fully
// populated object of each type validates against the schema made strict, and covers every schema path), and
// the real kube-apiserver accepts them as structural schemas, serves the printer columns and refuses what the
// schema forbids (hostile specs).
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { Ajv } from "ajv";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BINDING_SCHEMA, CREDENTIAL_SCHEMA, controllerCrdFiles } from "../../src/controller/crds.js";
import type { SchemaNode } from "../../src/controller/crds.js";
import type { ClusterPullCredential, ClusterPullSecretBinding } from "../../src/desired/index.js";
import { REPO_ROOT } from "../support/tools.js";
import { runKubectl } from "../support/kubectl.js";
import { startCluster } from "../kube/harness.js";
import type { TestCluster } from "../kube/harness.js";
import { GROUP_PATH, binding, credential, installCrds, removeCustomResources } from "./harness.js";

const CRD_DIR = join(REPO_ROOT, "charts/pullwarden/crds");

const FULL_CREDENTIAL: Required<
  Pick<ClusterPullCredential, "apiVersion" | "kind" | "metadata" | "spec" | "status">
> = {
  apiVersion: "pullwarden.io/v1alpha1",
  kind: "ClusterPullCredential",
  metadata: { name: "full" },
  spec: {
    // exactly one source in the cluster; here every field of the type appears once (see below)
    source: {
      static: { secretRef: { name: "s" } },
      ecr: { registry: "1.dkr.ecr.eu-west-1.amazonaws.com", region: "eu-west-1" },
      acr: { registry: "x.azurecr.io" },
    },
    refresh: { rotationFraction: 0.5, jitterFraction: 0.1, minRemaining: "30m", recheckInterval: "1h" },
    verify: { image: "registry.example/app:1" },
  },
  status: {
    observedGeneration: 1,
    conditions: [
      {
        type: "Ready",
        status: "True",
        observedGeneration: 1,
        lastTransitionTime: "2026-06-01T00:00:00Z",
        reason: "Serving",
        message: "",
      },
    ],
    registries: ["registry.example"],
    expiresAt: "2026-06-01T00:00:00Z",
    lastRefreshTime: "2026-06-01T00:00:00Z",
    nextRefreshTime: "2026-06-01T00:00:00Z",
    fingerprint: "sha256:0000",
  },
};

const FULL_BINDING: Required<
  Pick<ClusterPullSecretBinding, "apiVersion" | "kind" | "metadata" | "spec" | "status">
> = {
  apiVersion: "pullwarden.io/v1alpha1",
  kind: "ClusterPullSecretBinding",
  metadata: { name: "full" },
  spec: {
    credentials: ["full"],
    secretName: "pull",
    namespaces: {
      names: ["a"],
      selector: { matchLabels: { a: "b" }, matchExpressions: [{ key: "k", operator: "In", values: ["v"] }] },
    },
    serviceAccounts: ["default"],
    restartStuckPods: true,
  },
  status: {
    observedGeneration: 1,
    conditions: [
      {
        type: "Ready",
        status: "True",
        observedGeneration: 1,
        lastTransitionTime: "2026-06-01T00:00:00Z",
        reason: "InSync",
        message: "",
      },
    ],
    namespaces: 1,
    secretsInSync: 1,
    conflicts: ["a"],
  },
};

/**
 * The schema with additionalProperties: false on every object that lists properties (metadata stays open);
 * min/maxProperties go (the fully populated source has all three kinds, which the API server refuses).
 */
function strict(node: SchemaNode): Record<string, unknown> {
  const { properties, items, additionalProperties, ...rest } = node;
  const dropped = new Set(["format", "minProperties", "maxProperties"]);
  const out: Record<string, unknown> = Object.fromEntries(
    Object.entries(rest).filter(([k]) => !k.startsWith("x-kubernetes") && !dropped.has(k)),
  );
  if (properties) {
    out["properties"] = Object.fromEntries(Object.entries(properties).map(([k, v]) => [k, strict(v)]));
    out["additionalProperties"] = false;
  }
  if (additionalProperties) out["additionalProperties"] = strict(additionalProperties);
  if (items) out["items"] = strict(items);
  return out;
}

/** Every property path of a schema (`spec.source.static.secretRef.name`, `status.conditions[].type`). */
function schemaPaths(node: SchemaNode, prefix = ""): string[] {
  const out: string[] = [];
  for (const [key, child] of Object.entries(node.properties ?? {})) {
    const path = prefix ? `${prefix}.${key}` : key;
    out.push(path);
    if (key === "metadata") continue;
    out.push(...schemaPaths(child, path));
    if (child.items) out.push(...schemaPaths(child.items, `${path}[]`));
  }
  return out;
}

function valuePaths(value: unknown, prefix = ""): string[] {
  if (Array.isArray(value)) return value.flatMap((v) => valuePaths(v, `${prefix}[]`));
  if (value === null || typeof value !== "object") return [];
  const out: string[] = [];
  for (const [key, child] of Object.entries(value)) {
    const path = prefix ? `${prefix}.${key}` : key;
    out.push(path);
    if (key !== "metadata" && !(prefix.endsWith("matchLabels") || key === "matchLabels"))
      out.push(...valuePaths(child, path));
  }
  return out;
}

describe("CRD schemas and the TypeScript types", () => {
  it.each([
    ["ClusterPullCredential", CREDENTIAL_SCHEMA, FULL_CREDENTIAL],
    ["ClusterPullSecretBinding", BINDING_SCHEMA, FULL_BINDING],
  ] as const)(
    "%s: the fully populated type validates against the strict schema and covers every schema field",
    (_kind, schema, full) => {
      const ajv = new Ajv({ strict: false, allErrors: true });
      const validate = ajv.compile(strict(schema));
      expect(validate(full) ? [] : validate.errors).toEqual([]);
      const paths = new Set(valuePaths(full));
      expect(schemaPaths(schema).filter((p) => !paths.has(p))).toEqual([]);
    },
  );

  it("the chart's crds/ files are src/controller/crds.ts rendered (UPDATE_CRDS=1 rewrites them)", async () => {
    for (const [file, text] of await controllerCrdFiles()) {
      const path = join(CRD_DIR, file);
      if (process.env["UPDATE_CRDS"] === "1") writeFileSync(path, text);
      expect(
        readFileSync(path, "utf8"),
        `${file} differs from src/controller/crds.ts: UPDATE_CRDS=1 npx vitest run test/controller/crds.test.ts`,
      ).toBe(text);
    }
  });
});

describe("on the real kube-apiserver", () => {
  let api: TestCluster;
  beforeAll(async () => {
    api = await startCluster();
    await installCrds(api);
  });
  afterAll(async () => {
    await removeCustomResources(api);
    await api?.stop();
  });

  it("accepts a valid credential and binding, with defaults filled in, and kubectl get shows the printer columns", async () => {
    const created = await api.controlPlane.request(
      "POST",
      `${GROUP_PATH}/clusterpullcredentials`,
      credential("ok", { source: { static: { secretRef: { name: "ghcr" } } }, refresh: {} }),
    );
    expect(created.status).toBe(201);
    expect(JSON.parse(created.body).spec.refresh).toEqual({
      rotationFraction: 0.5,
      jitterFraction: 0.1,
      minRemaining: "30m",
      recheckInterval: "1h",
    });
    const bound = await api.controlPlane.request(
      "POST",
      `${GROUP_PATH}/clusterpullsecretbindings`,
      binding("ok", {
        credentials: ["ok"],
        secretName: "pull",
        namespaces: { selector: { matchLabels: { pulls: "yes" } } },
      }),
    );
    expect(bound.status).toBe(201);
    const table = await runKubectl(["--kubeconfig", api.kubeconfigPath, "get", "cpc,cpsb", "-o", "wide"]);
    expect(table.stdout).toMatch(
      /NAME\s+READY\s+VERIFIED\s+EXPIRES\s+LAST REFRESH\s+EXPIRING SOON\s+NEXT REFRESH\s+AGE/,
    );
    expect(table.stdout).toMatch(/NAME\s+SECRET\s+READY\s+NAMESPACES\s+IN SYNC\s+AGE/);
    expect(table.stdout).toMatch(/clusterpullsecretbinding\.pullwarden\.io\/ok\s+pull\s/);
  });

  it.each([
    [
      "two sources",
      { source: { static: { secretRef: { name: "a" } }, acr: { registry: "x.azurecr.io" } } },
      "source",
    ],
    ["no source", { source: {} }, "source"],
    [
      "a fraction out of range",
      { source: { acr: { registry: "x.azurecr.io" } }, refresh: { rotationFraction: 1.5 } },
      "rotationFraction",
    ],
    [
      "not a duration",
      { source: { acr: { registry: "x.azurecr.io" } }, refresh: { minRemaining: "soon" } },
      "minRemaining",
    ],
    [
      "a registry with a scheme",
      { source: { ecr: { registry: "https://1.dkr.ecr.eu-west-1.amazonaws.com" } } },
      "registry",
    ],
    [
      "a Secret name that is no DNS subdomain",
      { source: { static: { secretRef: { name: "../etc" } } } },
      "name",
    ],
  ])("refuses a credential with %s", async (_title, spec, field) => {
    const res = await api.controlPlane.request(
      "POST",
      `${GROUP_PATH}/clusterpullcredentials`,
      credential("bad", spec),
    );
    expect(res.status).toBe(422);
    expect(res.body).toContain(field);
  });
});
