// Guards DESIGN.md's fast-start rule: the CLI entry's *static* import graph reaches only commander and our own
// small modules; YAML, JWT, the Kubernetes client and cloud SDKs are loaded by the commands that need them.
import { readFileSync, readdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { makeScratchDir, removeScratchDir } from "../support/index.js";
import { spawnPullwarden } from "./run-cli.js";
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
        "src/cli/deferred-ca-env.ts",
        "src/cli/io.ts",
        "src/cli/main.ts",
        "src/cli/program.ts",
        "src/cli/report.ts",
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

// What the built CLI really loads, dynamic imports included: the cloud SDKs only for the commands that mint.
describe("modules the built CLI loads at run time", () => {
  const scratch = makeScratchDir("module-trace");
  afterAll(() => removeScratchDir(scratch));
  const hook = pathToFileURL(join(root, "test/cli/fixtures/module-trace/register.mjs")).href;
  let runs = 0;

  /** The modules a run of the built CLI resolved (ES and CommonJS, in every process it started). */
  async function modulesLoadedBy(args: string[], exitCode: number, stdin?: string): Promise<string[]> {
    const trace = join(scratch, `trace-${++runs}.txt`);
    const result = await spawnPullwarden(args, {
      env: { NODE_OPTIONS: `--import ${hook}`, PW_MODULE_TRACE: trace, AWS_EC2_METADATA_DISABLED: "true" },
      ...(stdin === undefined ? {} : { stdin }),
    });
    expect(result.code, result.stderr).toBe(exitCode);
    const lines = readFileSync(trace, "utf8").split("\n").filter(Boolean);
    expect(lines.length, "the trace hook ran").toBeGreaterThan(0);
    return lines;
  }
  const cloudSdks = (lines: string[]) => lines.filter((line) => /@aws-sdk|@azure|@smithy/.test(line));

  it("check on a non-cloud image loads no AWS or Azure SDK", async () => {
    // A closed port: the check fails fast, after everything it would load was loaded.
    const lines = await modulesLoadedBy(
      ["check", "127.0.0.1:9/team/app:1", "--plain-http", "--timeout", "2s"],
      1,
    );
    expect(cloudSdks(lines)).toEqual([]);
  });

  it("secret create loads no AWS or Azure SDK", async () => {
    const lines = await modulesLoadedBy(
      [
        "secret",
        "create",
        "pull",
        "--docker-server",
        "registry.example.com",
        "--docker-username",
        "bot",
        "--docker-password-stdin",
        "--dry-run=client",
        "-o",
        "yaml",
      ],
      0,
      "pw",
    );
    expect(cloudSdks(lines)).toEqual([]);
  });

  it("the trace sees them where they are used: check --from-cloud on an ECR image loads the AWS SDK", async () => {
    const lines = await modulesLoadedBy(
      ["check", "123456789012.dkr.ecr.eu-west-1.amazonaws.com/app:1", "--from-cloud"],
      4,
    );
    expect(cloudSdks(lines).some((line) => line.includes("@aws-sdk/client-ecr"))).toBe(true);
  });
});
