// Golden tests: for every (cluster, registry) pattern in testdata/plan/<case>/layout.yaml, the summary, the
// desired-state spec shared with `apply`, and every generated file (content and mode) are compared with
// testdata/plan/<case>/expected/. Regenerate after an intended change with:
//   UPDATE_GOLDEN=1 npx vitest run test/plan/golden.test.ts   (then review the diff)
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync, existsSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { planFromLayoutText, renderPlanFiles, renderPlanSummary } from "../../src/plan/index.js";
import { goldenCases, NOW, readCase, TESTDATA } from "./helpers.js";

const UPDATE = process.env["UPDATE_GOLDEN"] === "1";
const cases = goldenCases();

function render(name: string) {
  const plan = planFromLayoutText(readCase(name), { source: "layout.yaml", now: NOW });
  const options = { layoutSource: "layout.yaml" };
  const files = renderPlanFiles(plan, options);
  return {
    plan,
    summary: renderPlanSummary(plan, options),
    spec: `${JSON.stringify(plan.spec, null, 2)}\n`,
    files,
    listing: files.map((f) => `${f.mode.toString(8).padStart(4, "0")} ${f.path}`).join("\n") + "\n",
  };
}

describe("plan goldens", () => {
  it("covers every pattern and provider pair, and a layout mixing them", () => {
    expect(cases).toEqual(
      expect.arrayContaining([
        "aks-acr",
        "aks-acr-role-assignment",
        "eks-ecr",
        "eks-ecr-cross-account",
        "ecr-outside-eks-provider",
        "ecr-outside-eks-rotated",
        "acr-outside-aks-provider",
        "acr-outside-aks-rotated",
        "acr-outside-aks-scoped-token",
        "ghcr",
        "generic",
        "gke-artifact-registry",
        "ecr-public",
        "mixed-all",
        "mixed-all-configurable",
      ]),
    );
  });

  it("mixed-all is the bundled example", () => {
    expect(readCase("mixed-all")).toBe(readFileSync(join(TESTDATA, "../../examples/layout.yaml"), "utf8"));
  });

  it.each(cases)("%s", (name) => {
    const out = render(name);
    const dir = join(TESTDATA, name, "expected");
    if (UPDATE) {
      rmSync(dir, { recursive: true, force: true });
      mkdirSync(join(dir, "files"), { recursive: true });
      writeFileSync(join(dir, "summary.txt"), out.summary);
      writeFileSync(join(dir, "spec.json"), out.spec);
      writeFileSync(join(dir, "files.txt"), out.listing);
      for (const file of out.files) writeFileSync(join(dir, "files", file.path), file.content);
      return;
    }
    expect(existsSync(dir), `${dir} missing: run with UPDATE_GOLDEN=1`).toBe(true);
    expect(out.summary).toBe(readFileSync(join(dir, "summary.txt"), "utf8"));
    expect(out.spec).toBe(readFileSync(join(dir, "spec.json"), "utf8"));
    expect(out.listing).toBe(readFileSync(join(dir, "files.txt"), "utf8"));
    expect(readdirSync(join(dir, "files")).sort()).toEqual(out.files.map((f) => f.path).sort());
    for (const file of out.files) {
      expect(file.content, file.path).toBe(readFileSync(join(dir, "files", file.path), "utf8"));
    }
  });
});
