// Row 14 of issue 10: `audit -o sarif` places findings for code scanning whether the inputs were named with
// relative or absolute paths: files inside the working directory are relative to %SRCROOT% (declared in
// originalUriBaseIds), files outside it keep an absolute file:// URI, stdin has only a logical location.
import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { parseJsonOutput, runPullwarden } from "../cli/run-cli.js";

const scratch = realpathSync(mkdtempSync(join(tmpdir(), "pullwarden-sarif-")));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const repo = join(scratch, "repo");
const outside = join(scratch, "elsewhere");
mkdirSync(join(repo, "deploy", "apps"), { recursive: true });
mkdirSync(outside, { recursive: true });
const ACR = (name: string) =>
  `apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: ${name}, namespace: pay}\nspec:\n  template:\n    spec:\n      containers: [{name: c, image: contoso.azurecr.io/${name}:1}]\n`;
writeFileSync(join(repo, "deploy", "apps", "api web.yaml"), ACR("api"));
writeFileSync(join(outside, "worker.yaml"), ACR("worker"));

interface Sarif {
  runs: [
    {
      originalUriBaseIds?: Record<string, { uri: string }>;
      results: {
        locations: {
          physicalLocation?: {
            artifactLocation: { uri: string; uriBaseId?: string };
            region: { startLine: number };
          };
          logicalLocations: { fullyQualifiedName: string }[];
        }[];
      }[];
      invocations: [
        {
          toolExecutionNotifications: { locations?: { physicalLocation: { artifactLocation: unknown } }[] }[];
        },
      ];
    },
  ];
}

async function sarif(args: string[], stdin?: string): Promise<Sarif> {
  return parseJsonOutput<Sarif>(
    await runPullwarden(["audit", ...args, "-o", "sarif"], { cwd: repo, ...(stdin ? { stdin } : {}) }),
  );
}

function places(report: Sarif): Record<string, unknown> {
  return Object.fromEntries(
    report.runs[0].results.map((result) => [
      result.locations[0]?.logicalLocations[0]?.fullyQualifiedName,
      result.locations[0]?.physicalLocation?.artifactLocation,
    ]),
  );
}

describe("SARIF physical locations", () => {
  const inside = { uri: "deploy/apps/api%20web.yaml", uriBaseId: "%SRCROOT%" };

  it.each([
    ["a relative path", "deploy/apps/api web.yaml"],
    ["a ./ path", "./deploy/apps/../apps/api web.yaml"],
    ["an absolute path inside the working directory", join(repo, "deploy", "apps", "api web.yaml")],
    ["an absolute directory inside the working directory", join(repo, "deploy")],
    ["a relative directory", "deploy"],
  ])("%s: relative to the source root (the working directory)", async (_name, input) => {
    const report = await sarif([input]);
    expect(report.runs[0].originalUriBaseIds).toEqual({
      "%SRCROOT%": { uri: `${pathToFileURL(repo).href}/` },
    });
    expect(places(report)).toEqual({ "pay/Deployment/api": inside });
    expect(report.runs[0].results[0]?.locations[0]?.physicalLocation?.region.startLine).toBe(7);
  });

  it("keeps files outside the working directory absolute (file:// URI, no base id)", async () => {
    const expected = { uri: pathToFileURL(join(outside, "worker.yaml")).href };
    expect(places(await sarif([join(outside, "worker.yaml")]))).toEqual({
      "pay/Deployment/worker": expected,
    });
    expect(places(await sarif(["../elsewhere/worker.yaml"]))).toEqual({ "pay/Deployment/worker": expected });
  });

  it("gives stdin only a logical location", async () => {
    const report = await sarif(["-"], ACR("api"));
    expect(places(report)).toEqual({ "pay/Deployment/api": undefined });
  });

  it("places input problems the same way", async () => {
    const broken = join(repo, "deploy", "broken.yaml");
    writeFileSync(broken, "kind: [\n");
    const report = await sarif([broken]);
    const [notification] = report.runs[0].invocations[0].toolExecutionNotifications;
    expect(notification?.locations?.[0]?.physicalLocation.artifactLocation).toEqual({
      uri: "deploy/broken.yaml",
      uriBaseId: "%SRCROOT%",
    });
    rmSync(broken);
  });
});
