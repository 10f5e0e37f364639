// Guards DESIGN.md's fast-start rule: the CLI entry's *static* import graph reaches only commander and our own
// small modules; YAML, JWT, the Kubernetes client and cloud SDKs are loaded by the commands that need them.
import { readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { describe, expect, it } from "vitest";

const root = resolve(import.meta.dirname, "../..");
const STATIC_IMPORT = /^\s*(?:import|export)\s+(?!type\b)(?:[^;]*?\sfrom\s+)?["']([^"']+)["']/gm;

function staticImports(file: string): string[] {
  const source = readFileSync(file, "utf8");
  return [...source.matchAll(STATIC_IMPORT)].map((match) => match[1] as string);
}

function staticGraph(entry: string): { files: Set<string>; packages: Set<string> } {
  const files = new Set<string>();
  const packages = new Set<string>();
  const queue = [entry];
  while (queue.length > 0) {
    const file = queue.pop() as string;
    if (files.has(file)) continue;
    files.add(file);
    for (const specifier of staticImports(file)) {
      if (specifier.startsWith(".")) queue.push(join(dirname(file), specifier.replace(/\.js$/, ".ts")));
      else packages.add(specifier.replace(/^node:/, ""));
    }
  }
  return { files, packages };
}

describe("CLI start-up import graph", () => {
  const graph = staticGraph(join(root, "src/cli/main.ts"));

  it("reaches only commander and Node built-ins among packages", () => {
    const external = [...graph.packages].filter((name) => !["path", "stream", "crypto"].includes(name));
    expect(external.sort()).toEqual(["commander"]);
  });

  it("does not statically reach any command module or heavy layer", () => {
    const reached = [...graph.files].map((file) => file.slice(root.length + 1)).sort();
    expect(reached).toEqual(["src/cli/io.ts", "src/cli/main.ts", "src/cli/program.ts", "src/cli/run.ts", "src/errors.ts", "src/version.ts"]);
  });

  it("the scanner sees static imports and ignores dynamic and type-only ones", () => {
    const probe = join(root, "test/cli/fixtures/import-probe.ts.txt");
    expect(staticImports(probe)).toEqual(["commander", "./a.js", "./b.js"]);
  });
});
