// Guards DESIGN.md's fast-start rule: the CLI entry's *static* import graph reaches only commander and our own
// small modules; YAML, JWT, the Kubernetes client and cloud SDKs are loaded by the commands that need them.
import { readdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { staticGraph, staticImports } from "./static-imports.js";

const root = resolve(import.meta.dirname, "../..");

describe("CLI start-up import graph", () => {
  const graph = staticGraph(join(root, "src/cli/main.ts"));

  it("reaches only commander (and its typings' re-export of it) and Node built-ins among packages", () => {
    const external = [...graph.packages].filter((name) => !["path", "stream", "crypto"].includes(name));
    expect(external.sort()).toEqual(["@commander-js/extra-typings", "commander"]);
  });

  it("reaches the command tree and each command's definition, but no command's run nor any heavy layer", () => {
    const reached = [...graph.files].map((file) => file.slice(root.length + 1)).sort();
    const commands = readdirSync(join(root, "src/cli/commands")).map(
      (command) => `src/cli/commands/${command}/definition.ts`,
    );
    expect(commands.length).toBeGreaterThanOrEqual(10);
    expect(reached).toEqual(
      [
        ...commands,
        "src/cli/flags/cluster.ts",
        "src/cli/flags/github-probe.ts",
        "src/cli/flags/payload.ts",
        "src/cli/flags/registry.ts",
        "src/cli/flags/values.ts",
        "src/cli/io.ts",
        "src/cli/main.ts",
        "src/cli/program.ts",
        "src/cli/run.ts",
        "src/duration.ts",
        "src/errors.ts",
        "src/version.ts",
      ].sort(),
    );
  });

  it("the scanner sees static imports and ignores dynamic and type-only ones", () => {
    const probe = join(root, "test/cli/fixtures/import-probe.ts.txt");
    expect(staticImports(probe)).toEqual(["commander", "./a.js", "./b.js"]);
  });
});
