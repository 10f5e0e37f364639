// The layer rules of .dependency-cruiser.cjs bite: the repository's own config, run over a small fixture tree
// with the shape of src/, fails a module that reaches @kubernetes/client-node through an edge it may import
// (the way reconcile.ts once loaded the whole client for one constant), and one that imports kube/ directly;
// the same tree without them passes.
import { spawnSync } from "node:child_process";
import { mkdirSync, symlinkSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeScratchDir, removeScratchDir } from "./support/scratch.js";
import { REPO_ROOT } from "./support/tools.js";

const DEPCRUISE = join(REPO_ROOT, "node_modules/dependency-cruiser/bin/dependency-cruise.mjs");
const CONFIG = join(REPO_ROOT, ".dependency-cruiser.cjs");

const FILES: Record<string, string> = {
  // The client edge, and an I/O edge that may use it.
  "src/kube/index.ts": 'export { KubeConfig } from "@kubernetes/client-node";\n',
  "src/apply/observe.ts":
    'import { KubeConfig } from "../kube/index.js";\nexport const observer = KubeConfig;\n',
  // Pure modules.
  "src/kube-model/index.ts": 'export const WORKLOAD_KINDS = ["ReplicaSet"];\n',
  "src/plan/pure.ts":
    'import { WORKLOAD_KINDS } from "../kube-model/index.js";\nexport const kinds = WORKLOAD_KINDS;\n',
  // Violations: no import of the client or of kube/ in sight, but the client is loaded all the same.
  "src/plan/reaches-client.ts":
    'import { observer } from "../apply/observe.js";\nexport const planner = () => observer;\n',
  // A pure module importing kube/ for a constant.
  "src/apply/reconcile.ts":
    'import { KubeConfig } from "../kube/index.js";\nexport const reconcile = KubeConfig;\n',
};

let root: string;

beforeAll(() => {
  root = makeScratchDir("depcruise");
  for (const [path, text] of Object.entries(FILES)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  writeFileSync(
    join(root, "tsconfig.json"),
    JSON.stringify({ extends: join(REPO_ROOT, "tsconfig.json"), include: ["src"] }),
  );
  symlinkSync(join(REPO_ROOT, "node_modules"), join(root, "node_modules"), "dir");
});

afterAll(() => removeScratchDir(root));

function depcruise(...targets: string[]): { status: number | null; output: string } {
  const run = spawnSync(process.execPath, [DEPCRUISE, "--config", CONFIG, ...targets], {
    cwd: root,
    encoding: "utf8",
    timeout: 60_000,
  });
  return { status: run.status, output: `${run.stdout}${run.stderr}` };
}

describe("dependency-cruiser's Kubernetes client rules", () => {
  it("fail a module that reaches the client through an edge, and one that imports kube/", () => {
    const { status, output } = depcruise("src");
    expect(status, output).not.toBe(0);
    expect(output).toMatch(
      /error kube-client-only-reached-from-io-edges: src\/plan\/reaches-client\.ts → \S*@kubernetes\/client-node\S*\n\s+src\/apply\/observe\.ts →\n\s+src\/kube\/index\.ts →/,
    );
    expect(output).toContain("error kube-only-from-io-edges: src/apply/reconcile.ts → src/kube/index.ts");
    expect(output).toMatch(/error kube-client-only-reached-from-io-edges: src\/apply\/reconcile\.ts → /);
    // The edges themselves and the pure module that uses kube-model are not named.
    expect(output).not.toMatch(/error [\w-]+: src\/(apply\/observe|kube\/index|plan\/pure)\.ts/);
  });

  it("pass the same tree without the violations", () => {
    const { status, output } = depcruise("src/plan/pure.ts", "src/apply/observe.ts");
    expect(output).toContain("no dependency violations found");
    expect(status, output).toBe(0);
  });
});
