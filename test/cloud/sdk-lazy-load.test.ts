// The AWS SDK is heavy: no command that does not mint an ECR token may load it (DESIGN.md's fast start). So:
// nothing reaches @aws-sdk by a static import from the CLI entry or from the credential sources every command
// reads (cloud/resolve.ts), and the one place that names it imports it dynamically, inside the mint
// (src/cloud/ecr/mint.ts), which cloud-token.ts in turn imports dynamically.
import { readdirSync, readFileSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { staticGraph } from "../cli/static-imports.js";

const root = resolve(import.meta.dirname, "../..");

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith(".ts") && !entry.name.endsWith(".test.ts") ? [path] : [];
  });
}

describe("the AWS SDK loads only when an ECR token is minted", () => {
  it.each([
    "src/cli/main.ts",
    "src/cloud/resolve.ts",
    "src/cloud/cloud-token.ts",
    "src/cloud/ecr/index.ts",
    "src/index.ts",
  ])("%s reaches no @aws-sdk package by static imports", (entry) => {
    const { packages } = staticGraph(join(root, entry));
    expect(
      [...packages].filter((name) => name.startsWith("@aws-sdk/") || name.startsWith("@smithy/")),
    ).toEqual([]);
  });

  it("the only source naming @aws-sdk is the mint, and it imports the SDK with import()", () => {
    const naming = sourceFiles(join(root, "src")).filter((file) =>
      readFileSync(file, "utf8").includes('"@aws-sdk/'),
    );
    expect(naming.map((file) => relative(root, file))).toEqual(["src/cloud/ecr/mint.ts"]);
    const text = readFileSync(join(root, "src/cloud/ecr/mint.ts"), "utf8");
    const mentions = [...text.matchAll(/(import\(|from )"@aws-sdk\/[^"]+"/g)].map((match) => match[1]);
    expect(mentions.length).toBeGreaterThan(0);
    expect(mentions.every((how) => how === "import(")).toBe(true);
  });

  it("cloud-token.ts reaches the ECR mint only through import()", () => {
    const { files } = staticGraph(join(root, "src/cloud/resolve.ts"));
    expect(
      [...files].map((file) => relative(root, file)).filter((file) => file.startsWith("src/cloud/ecr/")),
    ).toEqual([]);
  });
});
