// `pullwarden install` prints what the chart renders with its default values: the manifest is generated from
// `helm template --include-crds` of charts/pullwarden (real helm v4) after a Namespace, committed as
// src/install/manifest.generated.ts (UPDATE_INSTALL_MANIFEST=1 rewrites it), so it cannot drift from the chart.
// The printed manifest applies to the real control plane with kubectl, every object created.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { INSTALL_MANIFEST } from "../../src/install/manifest.generated.js";
import { runPullwarden } from "../cli/run-cli.js";
import { startCluster } from "../kube/harness.js";
import type { TestCluster } from "../kube/harness.js";
import { runKubectl } from "../support/kubectl.js";
import { REPO_ROOT } from "../support/tools.js";
import { CHART, helm, parseObjects } from "./chart-render.js";

const GENERATED = join(REPO_ROOT, "src/install/manifest.generated.ts");
const NAMESPACE = "pullwarden-system";

async function helmTemplate(): Promise<string> {
  const out = await helm(["template", "pullwarden", CHART, "--namespace", NAMESPACE, "--include-crds"]);
  expect(out.stderr).toBe("");
  expect(out.exitCode).toBe(0);
  return out.stdout;
}

function expectedManifest(rendered: string): string {
  const namespace = `---\n# what pullwarden's install command prints: the chart rendered by helm template (release pullwarden, namespace ${NAMESPACE}, CRDs included), after its Namespace\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: ${NAMESPACE}\n`;
  return `${namespace}${rendered.startsWith("---") ? "" : "---\n"}${rendered}`;
}

describe("pullwarden install", () => {
  it("is the chart rendered with its default values (UPDATE_INSTALL_MANIFEST=1 regenerates it)", async () => {
    const expected = expectedManifest(await helmTemplate());
    if (process.env["UPDATE_INSTALL_MANIFEST"] === "1") {
      writeFileSync(
        GENERATED,
        `// Generated: test/controller/install.test.ts (UPDATE_INSTALL_MANIFEST=1) rewrites it. Do not edit.\n// The Helm chart charts/pullwarden rendered with its default values, for \`pullwarden install\`.\nexport const INSTALL_MANIFEST = ${JSON.stringify(expected)};\n`,
      );
    }
    expect(INSTALL_MANIFEST, "run with UPDATE_INSTALL_MANIFEST=1 after changing the chart").toBe(expected);
    expect(readFileSync(GENERATED, "utf8")).toContain(JSON.stringify(expected));
  });

  it("prints it, contacting nothing", async () => {
    const result = await runPullwarden(["install"], { env: { KUBECONFIG: "/nonexistent" } });
    expect(result.code).toBe(0);
    expect(result.stderr).toBe("");
    expect(result.stdout).toBe(INSTALL_MANIFEST);
    expect(parseObjects(result.stdout).map((o) => o.kind)).toEqual(
      expect.arrayContaining(["Namespace", "CustomResourceDefinition", "ClusterRole", "Deployment"]),
    );
  });

  describe("on the real control plane", () => {
    let api: TestCluster;
    beforeAll(async () => {
      api = await startCluster({ namespaces: [] });
    });
    afterAll(async () => {
      await api?.stop();
    });

    it("applies with kubectl: every object is created", async () => {
      const applied = await runKubectl(
        ["--kubeconfig", api.kubeconfigPath, "apply", "--server-side", "-f", "-"],
        {
          input: INSTALL_MANIFEST,
        },
      );
      expect(applied.stderr).toBe("");
      expect(applied.exitCode).toBe(0);
      const wanted = parseObjects(INSTALL_MANIFEST);
      expect(applied.stdout.trim().split("\n")).toHaveLength(wanted.length);
      for (const line of applied.stdout.trim().split("\n")) expect(line).toMatch(/ serverside-applied$/);
    }, 120_000);
  });
});
