// `cluster.rotation: controller`: the custom resources plan writes are what the controller's CRDs accept. They
// are applied with the real kubectl to the real kube-apiserver with the chart's CRDs installed (strict field
// validation: an unknown or misplaced field fails), read back unchanged (nothing pruned, nothing defaulted
// away), and pass the controller's own checks of a resource it reads (resource-shape.ts).
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bindingProblems, credentialProblems } from "../../src/controller/resource-shape.js";
import type { ClusterPullCredential, ClusterPullSecretBinding } from "../../src/desired/index.js";
import { planFromLayoutText, renderPlanFiles } from "../../src/plan/index.js";
import { installCrds, removeCustomResources } from "../controller/harness.js";
import { startCluster } from "../kube/harness.js";
import type { TestCluster } from "../kube/harness.js";
import { runKubectl } from "../support/kubectl.js";
import { makeScratchDir, removeScratchDir } from "../support/index.js";
import { NOW, readCase, yamlDocuments } from "./helpers.js";

const plan = planFromLayoutText(readCase("controller-rotation"), { source: "layout.yaml", now: NOW });
const files = renderPlanFiles(plan, { layoutSource: "layout.yaml" });
const manifest = files.find((f) => f.path.endsWith("-controller-resources.yaml"));

describe("the controller's resources of a plan", () => {
  it("are written instead of the rotation script, one credential per registry", () => {
    expect(manifest).toBeDefined();
    expect(files.some((f) => f.path.includes("rotate-secrets"))).toBe(false);
    const kinds = yamlDocuments(manifest?.content ?? "").map((o) => (o as { kind: string }).kind);
    expect(kinds.filter((k) => k === "ClusterPullCredential")).toHaveLength(2);
    expect(plan.decisions.filter((d) => d.method === "controller-secret").map((d) => d.registry)).toEqual([
      "ecr",
      "acr",
    ]);
    // apply -f writes only the secrets whose value the operator holds; the controller writes the others.
    expect(plan.spec.secrets.map((s) => s.name)).toEqual(["ghcr-pull"]);
  });

  it("pass the controller's own checks of what it reads", () => {
    for (const credential of plan.controllerResources?.credentials ?? [])
      expect(credentialProblems(credential)).toEqual([]);
    for (const binding of plan.controllerResources?.bindings ?? [])
      expect(bindingProblems(binding)).toEqual([]);
  });
});

describe("on the real kube-apiserver with the chart's CRDs", () => {
  let api: TestCluster;
  let dir: string;
  beforeAll(async () => {
    dir = makeScratchDir("plan-controller-resources");
    api = await startCluster();
    await installCrds(api);
  });
  afterAll(async () => {
    if (api) {
      await removeCustomResources(api);
      await api.stop();
    }
    removeScratchDir(dir);
  });

  it("kubectl apply accepts them with strict field validation and reads them back unchanged", async () => {
    const path = join(dir, manifest?.path ?? "missing.yaml");
    writeFileSync(path, manifest?.content ?? "");
    const applied = await runKubectl([
      "--kubeconfig",
      api.kubeconfigPath,
      "apply",
      "--validate=strict",
      "-f",
      path,
    ]);
    expect(applied.exitCode, applied.stderr).toBe(0);
    expect(applied.stdout).toMatch(/clusterpullcredential\.pullwarden\.io\/ecr created/);
    expect(applied.stdout).toMatch(/clusterpullsecretbinding\.pullwarden\.io\/ecr-pull-2 created/);

    const expected = yamlDocuments(manifest?.content ?? "") as (
      ClusterPullCredential | ClusterPullSecretBinding
    )[];
    for (const object of expected) {
      const plural =
        object.kind === "ClusterPullCredential" ? "clusterpullcredentials" : "clusterpullsecretbindings";
      const got = await api.controlPlane.request(
        "GET",
        `/apis/pullwarden.io/v1alpha1/${plural}/${object.metadata.name ?? ""}`,
      );
      expect(got.status).toBe(200);
      const stored = JSON.parse(got.body) as { spec: Record<string, unknown> };
      // The CRD defaults only refresh's fields; everything plan wrote is kept as written.
      expect(stored.spec).toMatchObject(object.spec as unknown as Record<string, unknown>);
    }

    // Applied again: unchanged, as a plan re-applied after no change should be.
    const again = await runKubectl(["--kubeconfig", api.kubeconfigPath, "apply", "-f", path]);
    expect(again.exitCode, again.stderr).toBe(0);
    expect(again.stdout).not.toMatch(/created|configured/);
  });
});
