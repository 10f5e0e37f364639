import fc from "fast-check";
import { stringify } from "yaml";
import { describe, expect, it } from "vitest";
import { expandSpec } from "../desired/index.js";
import { planLayout } from "./decide.js";
import { parseLayout } from "./layout-parse.js";
import type { Plan } from "./plan-types.js";

const NOW = new Date("2026-06-01T00:00:00Z");
const CLUSTERS = {
  aks: { provider: "aks", name: "c", aks: { resourceGroup: "rg" } },
  eks: {
    provider: "eks",
    name: "c",
    eks: { region: "eu-west-1", accountId: "111122223333", nodeRole: "nodes" },
  },
  gke: { provider: "gke", name: "c", gke: { project: "acme-prod" } },
  other: { provider: "other", name: "c" },
} as const;
type Provider = keyof typeof CLUSTERS;

const REGISTRIES = {
  acr: { acr: "contosoprod" },
  ecr: { ecr: { accountId: "111122223333", region: "eu-west-1" } },
  ghcr: { ghcr: "acme", credential: { type: "classic-pat", username: "bot", passwordEnv: "GHCR_TOKEN" } },
  generic: {
    host: "harbor.example.com",
    credential: { type: "robot-account", username: "robot", passwordEnv: "H" },
  },
  gar: {
    host: "europe-docker.pkg.dev",
    credential: { type: "password", username: "_json_key", passwordFile: "/k.json" },
  },
  public: { host: "public.ecr.aws" },
} as const;
type RegistryKey = keyof typeof REGISTRIES;

interface NamespaceInput {
  name: string;
  registries: RegistryKey[];
  serviceAccounts?: string[];
  workloads?: Array<{ kind: string; name: string; serviceAccount?: string }>;
}

function plan(
  provider: Provider,
  nodesConfigurable: boolean,
  registries: RegistryKey[],
  namespaces: NamespaceInput[],
): Plan {
  const text = stringify({
    apiVersion: "pullwarden.io/v1alpha1",
    kind: "PullLayout",
    cluster: { ...CLUSTERS[provider], nodesConfigurable },
    registries: registries.map((name) => ({ name, ...REGISTRIES[name] })),
    namespaces,
  });
  return planLayout(parseLayout(text, { source: "t", now: NOW }), { now: NOW });
}

describe("the decision table", () => {
  const table: Array<[Provider, boolean, RegistryKey, string]> = [
    ["aks", false, "acr", "identity"],
    ["aks", true, "acr", "identity"],
    ["eks", false, "ecr", "identity"],
    ["other", true, "ecr", "credential-provider"],
    ["aks", true, "ecr", "credential-provider"],
    ["gke", false, "ecr", "rotated-secret"],
    ["other", false, "ecr", "rotated-secret"],
    ["other", true, "acr", "credential-provider"],
    ["eks", false, "acr", "rotated-secret"],
    ["gke", false, "acr", "rotated-secret"],
    ["aks", false, "ghcr", "secret"],
    ["eks", true, "ghcr", "secret"],
    ["other", false, "generic", "secret"],
    ["gke", false, "gar", "identity"],
    ["other", false, "gar", "secret"],
    ["other", false, "public", "anonymous"],
  ];
  it.each(table)("%s (nodes configurable: %s) + %s → %s", (provider, configurable, registry, method) => {
    const result = plan(provider, configurable, [registry], [{ name: "apps", registries: [registry] }]);
    expect(result.decisions[0]?.method).toBe(method);
    expect(result.decisions[0]?.reason.length).toBeGreaterThan(40);
    const needsSecret = method === "secret" || method === "rotated-secret";
    expect(result.decisions[0]?.secretName !== undefined).toBe(needsSecret);
    expect(result.spec.secrets.length).toBe(needsSecret ? 1 : 0);
  });

  it("rotated secrets carry a cloud-token source for apply, with the rotation period", () => {
    const result = plan("other", false, ["ecr", "acr"], [{ name: "apps", registries: ["ecr", "acr"] }]);
    expect(result.spec.secrets.map((s) => s.source)).toEqual([
      {
        kind: "cloud-token",
        provider: "ecr",
        server: "111122223333.dkr.ecr.eu-west-1.amazonaws.com",
        region: "eu-west-1",
        rotateEverySeconds: 21600,
      },
      {
        kind: "cloud-token",
        provider: "acr",
        server: "contosoprod.azurecr.io",
        registryName: "contosoprod",
        rotateEverySeconds: 3600,
      },
    ]);
  });
});

describe("ServiceAccounts or Pods", () => {
  it("a ServiceAccount shared by several workloads carries the secret; a workload alone gets a Pod reference", () => {
    const result = plan(
      "other",
      false,
      ["ghcr"],
      [
        {
          name: "apps",
          registries: ["ghcr"],
          workloads: [
            { kind: "Deployment", name: "a", serviceAccount: "shared" },
            { kind: "Deployment", name: "b", serviceAccount: "shared" },
            { kind: "StatefulSet", name: "c" },
          ],
        },
      ],
    );
    const ns = result.namespaces[0];
    expect(ns?.serviceAccounts).toEqual([{ name: "shared", secrets: ["ghcr-pull"] }]);
    expect(ns?.podReferences).toEqual([
      { kind: "StatefulSet", name: "c", serviceAccount: "default", secrets: ["ghcr-pull"] },
    ]);
  });

  it("identity-only namespaces get no secret and no binding", () => {
    const result = plan(
      "aks",
      false,
      ["acr"],
      [{ name: "apps", registries: ["acr"], serviceAccounts: ["x"] }],
    );
    expect(result.namespaces[0]?.serviceAccounts).toEqual([]);
    expect(result.namespaces[0]?.pattern).toBe("");
  });
});

const registryKeys = fc.uniqueArray(
  fc.constantFrom<RegistryKey>("acr", "ecr", "ghcr", "generic", "gar", "public"),
  { minLength: 1, maxLength: 6 },
);
const saName = fc.constantFrom("default", "web", "jobs", "api");

describe("invariants over random layouts (property)", () => {
  it("every workload that pulls a secret gets it, only listed namespaces get secrets, and the spec expands to exactly that", () => {
    fc.assert(
      fc.property(
        fc.constantFrom<Provider>("aks", "eks", "gke", "other"),
        fc.boolean(),
        registryKeys,
        fc.uniqueArray(fc.constantFrom("apps", "web", "batch", "tools", "default"), {
          minLength: 1,
          maxLength: 4,
        }),
        fc.infiniteStream(
          fc.tuple(
            fc.boolean(),
            fc.array(
              fc.tuple(fc.constantFrom("Deployment", "StatefulSet", "DaemonSet", "CronJob", "Job"), saName),
              { maxLength: 4 },
            ),
            fc.array(saName, { maxLength: 2 }),
          ),
        ),
        (provider, configurable, registries, names, shapes) => {
          const iterator = shapes[Symbol.iterator]();
          const namespaces: NamespaceInput[] = names.map((name, i) => {
            const [listSas, workloads, sas] = iterator.next().value as [
              boolean,
              Array<[string, string]>,
              string[],
            ];
            return {
              name,
              registries: registries.filter((_, j) => (i + j) % 2 === 0 || j === 0),
              ...(listSas && sas.length > 0 ? { serviceAccounts: [...new Set(sas)] } : {}),
              ...(workloads.length > 0
                ? {
                    workloads: workloads.map(([kind, sa], k) => ({
                      kind,
                      name: `w${k}`,
                      serviceAccount: sa,
                    })),
                  }
                : {}),
            };
          });
          const result = plan(provider, configurable, registries, namespaces);
          const decisions = new Map(result.decisions.map((d) => [d.registry, d]));
          for (const ns of result.namespaces) {
            const input = namespaces.find((n) => n.name === ns.name);
            const wanted = (input?.registries ?? []).filter(
              (r) => decisions.get(r)?.secretName !== undefined,
            );
            expect(ns.secrets.map((s) => s.registry)).toEqual(wanted);
            if (wanted.length === 0) continue;
            const bound = new Set(ns.serviceAccounts.map((sa) => sa.name));
            for (const w of input?.workloads ?? []) {
              const covered =
                bound.has(w.serviceAccount ?? "default") || ns.podReferences.some((p) => p.name === w.name);
              expect(covered, `${ns.name}/${w.name}`).toBe(true);
            }
            if (!input?.serviceAccounts && !input?.workloads) expect([...bound]).toEqual(["default"]);
          }
          const state = expandSpec(result.spec, () => []);
          const expectedSecrets = result.namespaces
            .flatMap((ns) => ns.secrets.map((s) => `${ns.name}/${s.secretName}`))
            .sort();
          expect(state.secrets.map((s) => `${s.namespace}/${s.name}`).sort()).toEqual(expectedSecrets);
          const expectedBindings = result.namespaces
            .flatMap((ns) =>
              ns.serviceAccounts.flatMap((sa) => sa.secrets.map((s) => `${ns.name}/${sa.name}/${s}`)),
            )
            .sort();
          expect(
            state.bindings.map((b) => `${b.namespace}/${b.serviceAccount}/${b.secretName}`).sort(),
          ).toEqual(expectedBindings);
          for (const s of state.secrets) expect(names).toContain(s.namespace);
          // Deterministic.
          expect(plan(provider, configurable, registries, namespaces)).toEqual(result);
        },
      ),
      { numRuns: 150 },
    );
  });
});
