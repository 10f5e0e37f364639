// Every file a plan generates is checked by an independent consumer: Kubernetes manifests by kubernetes-models
// (validators generated from the Kubernetes OpenAPI schemas), workload patches by merging them into valid
// workloads and validating those, shell scripts by `bash -n` and the real `shellcheck` (a missing tool FAILS
// the test), and kubelet's CredentialProviderConfig by its documented field rules plus kubelet's own image
// matching (dockerconfig's port of URLsMatchStr).
import { describe, expect, it } from "vitest";
import { urlsMatch } from "../../src/dockerconfig/index.js";
import {
  planFromLayoutText,
  renderPlanFiles,
  workloadPatch,
  type Plan,
  type PlanFile,
} from "../../src/plan/index.js";
import {
  baseWorkload,
  checkShell,
  goldenCases,
  mergePatch,
  NOW,
  readCase,
  requireBinary,
  validateKubernetesObject,
  validateWorkload,
  yamlDocuments,
} from "./helpers.js";

const cases = goldenCases();

interface Rendered {
  plan: Plan;
  files: PlanFile[];
}

function render(
  name: string,
  secretValues?: Map<string, { server: string; username: string; password: string }>,
): Rendered {
  const plan = planFromLayoutText(readCase(name), { source: "layout.yaml", now: NOW });
  return {
    plan,
    files: renderPlanFiles(plan, { layoutSource: "layout.yaml", ...(secretValues ? { secretValues } : {}) }),
  };
}

function manifests(files: PlanFile[]): PlanFile[] {
  return files.filter(
    (f) =>
      f.path.endsWith(".yaml") &&
      f.path !== "kustomization.yaml" &&
      !f.path.includes("credential-providers") &&
      // The controller's custom resources: checked against its CRDs by the real API server (controller-resources.test.ts).
      !f.path.endsWith("-controller-resources.yaml"),
  );
}

describe("the real tools are installed", () => {
  it("bash and shellcheck are on PATH (scripts/install-test-deps.sh installs shellcheck)", () => {
    expect(requireBinary("bash")).toMatch(/bash$/);
    expect(requireBinary("shellcheck")).toMatch(/shellcheck$/);
  });
});

describe.each(cases)("%s", (name) => {
  const { plan, files } = render(name);

  it("every manifest validates against the Kubernetes schemas", () => {
    let count = 0;
    for (const file of manifests(files)) {
      for (const object of yamlDocuments(file.content)) {
        expect(() => validateKubernetesObject(object), `${file.path}`).not.toThrow();
        const metadata = (object as { metadata: { namespace: string } }).metadata;
        expect(file.path, "one file per namespace").toContain(`-${metadata.namespace}.yaml`);
        count++;
      }
    }
    const bindings = plan.namespaces.reduce((n, ns) => n + ns.serviceAccounts.length, 0);
    expect(count).toBe(bindings);
  });

  it("the kustomization lists exactly the per-namespace manifests", () => {
    const kustomization = files.find((f) => f.path === "kustomization.yaml");
    const expected = manifests(files).map((f) => f.path);
    if (expected.length === 0) {
      expect(kustomization).toBeUndefined();
      return;
    }
    const [object] = yamlDocuments(kustomization?.content ?? "") as [
      { apiVersion: string; kind: string; resources: string[] },
    ];
    expect(object).toEqual({
      apiVersion: "kustomize.config.k8s.io/v1beta1",
      kind: "Kustomization",
      resources: expected,
    });
  });

  it("every shell script passes bash -n and shellcheck", () => {
    const scripts = files.filter((f) => f.path.endsWith(".sh"));
    expect(scripts.length).toBeGreaterThan(0);
    for (const script of scripts) {
      expect(script.mode).toBe(0o755);
      expect(script.content.startsWith("#!/usr/bin/env bash\n")).toBe(true);
      const { syntax, lint } = checkShell(script.path, script.content);
      expect(syntax.ok, syntax.output).toBe(true);
      expect(lint.ok, lint.output).toBe(true);
    }
  });

  it("workload patches merge into valid workloads and add only the secrets", () => {
    for (const namespace of plan.namespaces) {
      for (const ref of namespace.podReferences) {
        const patch = workloadPatch(ref);
        if (ref.kind === "Job" || ref.kind === "Pod") {
          expect(patch).toBeUndefined();
          continue;
        }
        const merged = mergePatch(baseWorkload(ref.kind, ref.name, namespace.name), patch) as Record<
          string,
          unknown
        >;
        expect(() => validateWorkload(merged)).not.toThrow();
        const podSpec =
          ref.kind === "CronJob"
            ? (merged as { spec: { jobTemplate: { spec: { template: { spec: Record<string, unknown> } } } } })
                .spec.jobTemplate.spec.template.spec
            : (merged as { spec: { template: { spec: Record<string, unknown> } } }).spec.template.spec;
        expect(podSpec["imagePullSecrets"]).toEqual(ref.secrets.map((s) => ({ name: s })));
        const script = files.find((f) => f.path.endsWith("-patch-workloads.sh"))?.content ?? "";
        expect(script).toContain(`kubectl patch ${ref.kind.toLowerCase()} ${ref.name} -n ${namespace.name}`);
      }
    }
  });

  it("the CredentialProviderConfig follows kubelet's rules and matches every registry it serves", () => {
    const file = files.find((f) => f.path.includes("credential-providers"));
    const served = plan.decisions.filter((d) => d.method === "credential-provider");
    if (served.length === 0) {
      expect(file).toBeUndefined();
      return;
    }
    const [config] = yamlDocuments(file?.content ?? "") as [
      { apiVersion: string; kind: string; providers: Array<Record<string, unknown>> },
    ];
    expect(config.apiVersion).toBe("kubelet.config.k8s.io/v1");
    expect(config.kind).toBe("CredentialProviderConfig");
    const names = new Set<string>();
    for (const provider of config.providers) {
      // KLT config/v1 types + validation: name is an executable name, unique; matchImages non-empty;
      // defaultCacheDuration a Go duration; apiVersion a known credential provider API.
      expect(
        Object.keys(provider).every((k) =>
          ["name", "matchImages", "defaultCacheDuration", "apiVersion", "args", "env"].includes(k),
        ),
      ).toBe(true);
      const providerName = provider["name"] as string;
      expect(providerName).toMatch(/^[A-Za-z0-9_-][A-Za-z0-9._-]*$/);
      expect(providerName).not.toMatch(/^\.\.?$/);
      expect(names.has(providerName)).toBe(false);
      names.add(providerName);
      expect(provider["apiVersion"]).toBe("credentialprovider.kubelet.k8s.io/v1");
      expect(provider["defaultCacheDuration"]).toMatch(/^(0|(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+)$/);
      const patterns = provider["matchImages"] as string[];
      expect(patterns.length).toBeGreaterThan(0);
      for (const pattern of patterns) {
        // Globs only in host labels, and `*` never mixed into a DNS suffix wrongly: every label is * or literal;
        // a port only after a literal host (pullwarden's static registries: kubelet compares ports).
        expect(pattern).not.toMatch(/\//);
        const [host = "", port] = pattern.split(":");
        if (port !== undefined) expect(port).toMatch(/^\d+$/);
        for (const label of host.split(".")) expect(label === "*" || /^[a-z0-9-]+$/.test(label)).toBe(true);
      }
    }
    for (const decision of served) {
      const image = `${decision.host}/team/app:1.0`;
      const matching = config.providers.filter((p) =>
        (p["matchImages"] as string[]).some((g) => urlsMatch(g, image)),
      );
      expect(
        matching.map((p) => p["name"]),
        decision.host,
      ).toEqual([
        plan.layout.cluster.credentialProvider === "pullwarden"
          ? "pullwarden-credential-provider"
          : decision.kind === "ecr"
            ? "ecr-credential-provider"
            : "acr-credential-provider",
      ]);
    }
  });

  it("no secret value and no file outside the directory", () => {
    for (const file of files) {
      expect(file.path).toMatch(/^[A-Za-z0-9][A-Za-z0-9._-]*$/);
      expect(file.mode).not.toBe(0o600);
      expect(file.content).not.toMatch(/"\.dockerconfigjson"|\.dockerconfigjson: /);
    }
  });
});

describe("--include-secrets manifests", () => {
  it("hold kubectl-identical dockerconfigjson Secrets that validate, with mode 0600, and the script skips them", () => {
    const values = new Map([
      [
        "ghcr",
        { server: "ghcr.io", username: "acme-bot", password: "ghp_EXAMPLE0example0EXAMPLE0example01234" },
      ],
      ["harbor", { server: "harbor.example.com", username: "robot$shop+puller", password: "s3cret" }],
    ]);
    const { files } = render("mixed-all", values);
    const secretFiles = manifests(files).filter((f) => f.content.includes("kind: Secret"));
    expect(secretFiles.map((f) => f.path.replace(/^\d+-/, "")).sort()).toEqual([
      "analytics.yaml",
      "payments.yaml",
      "shop.yaml",
    ]);
    for (const file of secretFiles) {
      expect(file.mode).toBe(0o600);
      for (const object of yamlDocuments(file.content)) {
        expect(() => validateKubernetesObject(object)).not.toThrow();
        const o = object as {
          kind: string;
          metadata: { labels?: Record<string, string> };
          data?: Record<string, string>;
        };
        if (o.kind !== "Secret") continue;
        expect(o.metadata.labels).toEqual({ "app.kubernetes.io/managed-by": "pullwarden" });
        const json = JSON.parse(
          Buffer.from(o.data?.[".dockerconfigjson"] ?? "", "base64").toString("utf8"),
        ) as {
          auths: Record<string, { username: string; password: string; auth: string }>;
        };
        const [server, entry] = Object.entries(json.auths)[0] ?? [];
        const value = [...values.values()].find((v) => v.server === server);
        expect(entry).toEqual({
          username: value?.username,
          password: value?.password,
          auth: Buffer.from(`${value?.username}:${value?.password}`).toString("base64"),
        });
      }
    }
    const script = files.find((f) => f.path.endsWith("-create-secrets.sh"));
    expect(script).toBeUndefined();
    expect(files.find((f) => f.path === "README.md")?.content).toContain("holds secret values");
  });
});
