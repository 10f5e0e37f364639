// The layout's two opt-ins, decided without I/O: `cluster.credentialProvider: pullwarden` (which registries the
// plugin serves, which keep a secret, and the errors that point at the field and its line) and
// `cluster.rotation: controller` (only where a rotated secret would otherwise be needed).
import { stringify } from "yaml";
import { describe, expect, it } from "vitest";
import { planFromLayoutText } from "../../src/plan/index.js";
import type { Plan } from "../../src/plan/index.js";
import { NOW, problemsOf } from "./helpers.js";

const REGISTRIES = {
  ecr: { ecr: { accountId: "111122223333", region: "eu-west-1" } },
  acr: { acr: "contosoprod" },
  ghcr: { ghcr: "acme", credential: { type: "classic-pat", username: "bot", passwordEnv: "GHCR_TOKEN" } },
  harbor: {
    host: "harbor.example.com:5000",
    credential: { type: "robot-account", username: "robot", passwordFile: "~/harbor.txt" },
  },
  quay: { host: "quay.io", credential: { type: "robot-account", dockerConfig: true } },
  gar: {
    host: "europe-docker.pkg.dev",
    credential: { type: "password", username: "_json_key", passwordFile: "/k.json" },
  },
  public: { host: "public.ecr.aws" },
} as const;
type Name = keyof typeof REGISTRIES;

function layoutText(cluster: Record<string, unknown>, names: Name[]): string {
  return stringify({
    apiVersion: "pullwarden.io/v1alpha1",
    kind: "PullLayout",
    cluster: { name: "c1", ...cluster },
    registries: names.map((name) => ({ name, ...REGISTRIES[name] })),
    namespaces: [{ name: "apps", registries: names }],
  });
}

function plan(cluster: Record<string, unknown>, names: Name[]): Plan {
  return planFromLayoutText(layoutText(cluster, names), { source: "t", now: NOW });
}

function methods(p: Plan): Record<string, string> {
  return Object.fromEntries(p.decisions.map((d) => [d.registry, d.method]));
}

describe("cluster.credentialProvider: pullwarden", () => {
  const all: Name[] = ["ecr", "acr", "ghcr", "harbor", "quay", "gar", "public"];

  it("serves ECR, ACR and every registry whose credential comes from an env variable or a file", () => {
    const p = plan({ provider: "other", nodesConfigurable: true, credentialProvider: "pullwarden" }, all);
    expect(methods(p)).toEqual({
      ecr: "credential-provider",
      acr: "credential-provider",
      ghcr: "credential-provider",
      harbor: "credential-provider",
      quay: "secret",
      gar: "credential-provider",
      public: "anonymous",
    });
    expect(p.credentialProviderConfig?.providers.map((x) => x.name)).toEqual([
      "pullwarden-credential-provider",
    ]);
    const provider = p.credentialProviderConfig?.providers[0];
    expect(provider?.args).toEqual(["--static-config", "/etc/pullwarden/registries.json"]);
    expect(provider?.matchImages).toEqual(
      expect.arrayContaining(["*.dkr-ecr.*.on.aws", "*.azurecr.io", "ghcr.io", "harbor.example.com:5000"]),
    );
    // Nothing the plugin serves needs a secret, so apply -f writes only quay's.
    expect(p.spec.secrets.map((s) => s.name)).toEqual(["quay-pull"]);
    expect(p.decisions.find((d) => d.registry === "quay")?.notes.join(" ")).toMatch(
      /comes from a docker config, so quay\.io gets a pull secret/,
    );
  });

  it("keeps the cloud's identity where there is one (EKS pulls ECR with the node role)", () => {
    const p = plan(
      {
        provider: "eks",
        nodesConfigurable: true,
        credentialProvider: "pullwarden",
        eks: { region: "eu-west-1", accountId: "111122223333", nodeRole: "nodes" },
      },
      ["ecr", "ghcr"],
    );
    expect(methods(p)).toEqual({ ecr: "identity", ghcr: "credential-provider" });
    // Only GHCR in the plugin's config, and no ECR pattern for a registry the node role serves.
    expect(p.credentialProviderConfig?.providers[0]?.matchImages).toEqual(["ghcr.io"]);
  });

  it("without it, nothing changes: the clouds' plugins and secrets for the rest", () => {
    const p = plan({ provider: "other", nodesConfigurable: true }, ["ecr", "ghcr"]);
    expect(methods(p)).toEqual({ ecr: "credential-provider", ghcr: "secret" });
    expect(p.credentialProviderConfig?.providers.map((x) => x.name)).toEqual(["ecr-credential-provider"]);
  });

  it("needs configurable nodes: the error points at the field and its line", () => {
    const problems = problemsOf(
      layoutText({ provider: "other", credentialProvider: "pullwarden" }, ["ghcr"]),
    );
    expect(problems).toEqual([
      expect.objectContaining({
        field: "cluster.credentialProvider",
        line: 6,
        column: 23,
        message: expect.stringMatching(/cluster\.nodesConfigurable is not true/) as unknown,
        hint: expect.stringMatching(/set cluster\.nodesConfigurable: true/) as unknown,
      }),
    ]);
  });

  it("an unknown value is named, with the closest one", () => {
    const problems = problemsOf(
      layoutText({ provider: "other", nodesConfigurable: true, credentialProvider: "pullwardn" }, ["ghcr"]),
    );
    expect(problems[0]).toMatchObject({
      field: "cluster.credentialProvider",
      message: expect.stringMatching(
        /unknown value "pullwardn" \(did you mean "pullwarden"\?\); expected cloud or pullwarden/,
      ) as unknown,
    });
  });
});

describe("cluster.rotation: controller", () => {
  it("replaces the rotation script for ECR and ACR tokens in secrets, and only there", () => {
    const p = plan({ provider: "other", rotation: "controller" }, ["ecr", "acr", "ghcr"]);
    expect(methods(p)).toEqual({ ecr: "controller-secret", acr: "controller-secret", ghcr: "secret" });
    expect(p.decisions.some((d) => d.rotation !== undefined)).toBe(false);
    expect(p.warnings.join(" ")).not.toMatch(/rotation script on a schedule/);
    expect(p.controllerResources?.credentials.map((c) => [c.metadata.name, c.spec.source])).toEqual([
      ["ecr", { ecr: { registry: "111122223333.dkr.ecr.eu-west-1.amazonaws.com" } }],
      ["acr", { acr: { registry: "contosoprod.azurecr.io" } }],
    ]);
    expect(p.controllerResources?.bindings.map((b) => b.spec)).toEqual([
      {
        credentials: ["ecr"],
        secretName: "ecr-pull",
        namespaces: { names: ["apps"] },
        serviceAccounts: ["default"],
      },
      {
        credentials: ["acr"],
        secretName: "acr-pull",
        namespaces: { names: ["apps"] },
        serviceAccounts: ["default"],
      },
    ]);
  });

  it("a credential provider on configurable nodes stays better: no secret at all", () => {
    const p = plan({ provider: "other", nodesConfigurable: true, rotation: "controller" }, ["ecr"]);
    expect(methods(p)).toEqual({ ecr: "credential-provider" });
    expect(p.controllerResources).toBeUndefined();
    expect(p.warnings).toContain(
      "cluster.rotation: controller has nothing to do here: no registry needs a short-lived token in a pull secret.",
    );
  });

  it("an ACR with a declared long-lived token keeps its secret", () => {
    const text = layoutText({ provider: "other", rotation: "controller" }, ["acr"]).replace(
      "acr: contosoprod\n",
      "acr: contosoprod\n    credential: { type: acr-scoped-token, username: puller, passwordEnv: ACR_TOKEN }\n",
    );
    const p = planFromLayoutText(text, { source: "t", now: NOW });
    expect(methods(p)).toEqual({ acr: "secret" });
  });
});
