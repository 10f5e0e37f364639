// Guards DESIGN.md's fast-start rule: the CLI entry's *static* import graph reaches only commander and our own
// small modules; YAML, JWT, the Kubernetes client and cloud SDKs are loaded by the commands that need them.
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { staticGraph, staticImports } from "./static-imports.js";

const root = resolve(import.meta.dirname, "../..");

describe("CLI start-up import graph", () => {
  const graph = staticGraph(join(root, "src/cli/main.ts"));

  it("reaches only commander and Node built-ins among packages", () => {
    const external = [...graph.packages].filter((name) => !["path", "stream", "crypto"].includes(name));
    expect(external.sort()).toEqual(["commander"]);
  });

  it("does not statically reach any command module or heavy layer", () => {
    const reached = [...graph.files].map((file) => file.slice(root.length + 1)).sort();
    expect(reached).toEqual([
      "src/cli/io.ts",
      "src/cli/main.ts",
      "src/cli/program.ts",
      "src/cli/run.ts",
      "src/errors.ts",
      "src/version.ts",
    ]);
  });

  it("the scanner sees static imports and ignores dynamic and type-only ones", () => {
    const probe = join(root, "test/cli/fixtures/import-probe.ts.txt");
    expect(staticImports(probe)).toEqual(["commander", "./a.js", "./b.js"]);
  });
});
