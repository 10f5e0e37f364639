// Reporters: golden outputs of every format for the bundled example (examples/manifests), the SARIF output
// validated against the SARIF 2.1.0 schema (testdata/audit/sarif-schema-2.1.0-subset.json), stable fingerprints,
// colour rules. Set UPDATE_GOLDEN=1 to rewrite the goldens after an intended change.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { Ajv } from "ajv";
import { describe, expect, it } from "vitest";
import { VERSION } from "../../src/version.js";
import { parseJsonOutput, runPullwarden } from "../cli/run-cli.js";
import { REPO_ROOT } from "../support/index.js";

const GOLDEN = join(REPO_ROOT, "testdata/audit/golden");
const FORMATS = [
  ["text", "example.txt"],
  ["json", "example.json"],
  ["sarif", "example.sarif.json"],
  ["junit", "example.junit.xml"],
  ["html", "example.html"],
] as const;

/** The version changes between releases, and SARIF's %SRCROOT% names the checkout the test runs in. */
function normalize(text: string): string {
  return text
    .split(VERSION)
    .join("0.0.0-test")
    .split(pathToFileURL(REPO_ROOT).href.replace(/\/?$/, "/"))
    .join("file:///work/pullwarden/");
}

async function auditExample(format: string, extra: string[] = []) {
  return runPullwarden(["audit", "examples/manifests/", "-o", format, ...extra]);
}

describe("golden outputs of the bundled example", () => {
  it.each(FORMATS)("-o %s", async (format, file) => {
    const result = await auditExample(format);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(1);
    const actual = normalize(result.stdout);
    if (process.env["UPDATE_GOLDEN"] === "1") writeFileSync(join(GOLDEN, file), actual);
    expect(actual).toBe(readFileSync(join(GOLDEN, file), "utf8"));
  });
});

describe("SARIF", () => {
  const schema = JSON.parse(
    readFileSync(join(REPO_ROOT, "testdata/audit/sarif-schema-2.1.0-subset.json"), "utf8"),
  ) as object;
  const validate = new Ajv({ strict: false, allErrors: true }).compile(schema);

  it.each([
    ["files", ["examples/manifests/"]],
    ["stdin", ["-"]],
    ["input problems", ["examples/manifests/", "testdata/audit/hostile/"]],
  ])("validates against the SARIF 2.1.0 schema (%s)", async (_name, args) => {
    const stdin = args.includes("-")
      ? readFileSync(join(REPO_ROOT, "examples/manifests/shop.yaml"), "utf8")
      : undefined;
    const result = await runPullwarden(
      ["audit", ...args, "-o", "sarif"],
      stdin === undefined ? {} : { stdin },
    );
    const sarif = parseJsonOutput<Record<string, unknown>>(result);
    const valid = validate(sarif);
    expect(validate.errors ?? [], JSON.stringify(validate.errors?.slice(0, 3))).toEqual([]);
    expect(valid).toBe(true);
  });

  it("points file findings at the line of the field and keeps fingerprints stable when lines move", async () => {
    const first = parseJsonOutput<{ runs: [{ results: Array<Record<string, never>> }] }>(
      await auditExample("sarif"),
    );
    const search = first.runs[0].results.find(
      (result: { ruleId?: string; properties?: { object?: string } }) =>
        result.ruleId === "PW105" && result.properties?.object === "Deployment shop/search",
    ) as unknown as {
      locations: [
        {
          physicalLocation: {
            artifactLocation: { uri: string };
            region: { startLine: number; startColumn: number };
          };
        },
      ];
      partialFingerprints: Record<string, string>;
    };
    const where = search.locations[0].physicalLocation;
    expect(where.artifactLocation.uri).toBe("examples/manifests/shop.yaml");
    const line = readFileSync(join(REPO_ROOT, "examples/manifests/shop.yaml"), "utf8").split("\n")[
      where.region.startLine - 1
    ];
    expect(line?.slice(where.region.startColumn - 1)).toBe("image: ghcr.io/acme/search:1.0");

    // The same objects, shifted down by ten lines, from stdin: same fingerprints.
    const shifted = "#\n".repeat(10) + readFileSync(join(REPO_ROOT, "examples/manifests/shop.yaml"), "utf8");
    const moved = parseJsonOutput<{
      runs: [{ results: Array<{ partialFingerprints: Record<string, string> }> }];
    }>(await runPullwarden(["audit", "-", "-o", "sarif"], { stdin: shifted }));
    const fingerprints = new Set(
      moved.runs[0].results.map((result) => result.partialFingerprints["pullwarden/v1"]),
    );
    expect(fingerprints.has(search.partialFingerprints["pullwarden/v1"])).toBe(true);
  });
});

describe("text", () => {
  it("is coloured on a terminal and plain with NO_COLOR or when piped", async () => {
    const tty = await runPullwarden(["audit", "examples/manifests/"], { tty: true });
    expect(tty.stdout).toContain("\u001b[31m");
    const noColor = await runPullwarden(["audit", "examples/manifests/"], {
      tty: true,
      env: { NO_COLOR: "1" },
    });
    expect(noColor.stdout).not.toContain("\u001b[");
    expect((await auditExample("text")).stdout).not.toContain("\u001b[");
  });

  it("lists suppressed findings only when asked", async () => {
    const hidden = await auditExample("text");
    expect(hidden.stdout).not.toContain("Deployment shop/docs");
    expect(hidden.stdout).toContain("1 suppressed");
    const shown = await auditExample("text", ["--show-suppressed"]);
    expect(shown.stdout).toContain("suppressed (annotation): public docs image, mirrored in ghcr.io/acme");
  });
});

describe("machine formats", () => {
  it("never contain a credential from the example", async () => {
    const secrets = [
      "ghp_EXAMPLE0example0EXAMPLE0example01234",
      "dckr_pat_EXAMPLEexampleEXAMPLEexample",
      "EXAMPLEexample11",
      "github_pat_11EXAMPLE",
    ];
    for (const [format] of FORMATS) {
      const { stdout } = await auditExample(format);
      for (const secret of secrets) expect(stdout, `${format} leaks ${secret}`).not.toContain(secret);
    }
  });

  it("JUnit has one suite per rule and counts failures", async () => {
    const { stdout } = await auditExample("junit");
    expect(stdout).toMatch(
      /^<\?xml version="1.0" encoding="UTF-8"\?>\n<testsuites name="pullwarden audit" tests="\d+" failures="\d+" errors="0" skipped="1">/,
    );
    expect(stdout.match(/<testsuite /g)?.length).toBe(19);
    expect(stdout).toContain('<testsuite name="PW105 image-without-pull-path"');
    expect(stdout).toContain('<skipped message="suppressed: public docs image, mirrored in ghcr.io/acme"/>');
  });

  it("HTML's rule table shows the severities findings were reported with, and the default where it differs", async () => {
    const { stdout } = await auditExample("html");
    const severityOf = (id: string) =>
      new RegExp(`>${id}</a></td><td>[^<]*</td><td>(.*?)</td>`).exec(stdout)?.[1];
    expect(stdout).toContain("<th>severity reported</th>");
    // PW105 reports warnings on weaker evidence, PW204 info for a classic PAT: not their default.
    expect(severityOf("PW105")).toBe('1 error, 2 warning <span class="muted">(default error)</span>');
    expect(severityOf("PW204")).toBe('1 warning, 1 info <span class="muted">(default warning)</span>');
    expect(severityOf("PW501")).toBe('error <span class="muted">(default warning)</span>');
    expect(severityOf("PW102")).toBe("error");
  });

  it("HTML is self-contained and escaped", async () => {
    const { stdout } = await auditExample("html");
    expect(stdout).not.toMatch(/<script|src=|<link/);
    expect(stdout).toContain("&quot;ghcr-pul&quot;");
  });
});
