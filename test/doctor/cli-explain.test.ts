// `pullwarden explain` end to end, in-process: files and stdin, text and JSON, exit codes, bad input, colour.
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { ExplainReport } from "../../src/doctor/index.js";
import { parseJsonOutput, runPullwarden, STACK_TRACE } from "../cli/run-cli.js";
import { REPO_ROOT } from "../support/index.js";

const NOW = new Date("2026-06-01T10:00:00Z");
const DESCRIBE = "testdata/doctor/describe";

/** Compares with a stored expected output; PULLWARDEN_UPDATE_GOLDEN=1 rewrites it. */
function golden(name: string, actual: string): void {
  const path = join(REPO_ROOT, "testdata/doctor/expected", name);
  if (process.env["PULLWARDEN_UPDATE_GOLDEN"] === "1" || !existsSync(path)) writeFileSync(path, actual);
  expect(actual).toBe(readFileSync(path, "utf8"));
}

describe("pullwarden explain", () => {
  it("explains a describe file, exit 1 (findings), same text as the stored expected output", async () => {
    const result = await runPullwarden(["explain", `${DESCRIBE}/containerd-1.7-ghcr-anonymous-401.txt`], {
      now: NOW,
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toBe("");
    golden("containerd-1.7-ghcr-anonymous-401.txt", result.stdout);
  });

  it("reads stdin, and -o json prints the report", async () => {
    const text = readFileSync(join(REPO_ROOT, DESCRIBE, "containerd-1.6-eks-ecr-no-basic-auth.txt"), "utf8");
    const result = await runPullwarden(["explain", "-o", "json"], { stdin: text, now: NOW });
    expect(result.code).toBe(1);
    const report = parseJsonOutput<ExplainReport>(result);
    expect(report.format).toBe("describe");
    expect(report.pods[0]?.diagnoses[0]).toMatchObject({
      id: "eks-node-role-missing-ecr-pull",
      rank: 1,
      category: "node-identity",
      images: ["123456789012.dkr.ecr.eu-west-1.amazonaws.com/shop/api:2.3.1"],
      containers: ["api"],
    });
    expect(Object.keys(report.pods[0]?.diagnoses[0] ?? {}).sort()).toEqual(
      [
        "category",
        "confidence",
        "containers",
        "evidence",
        "fix",
        "id",
        "images",
        "informational",
        "rank",
        "score",
        "secrets",
        "title",
      ].sort(),
    );
    golden(
      "containerd-1.7-missing-pull-secret.json",
      (
        await runPullwarden(["explain", `${DESCRIBE}/containerd-1.7-missing-pull-secret.txt`, "-o", "json"], {
          now: NOW,
        })
      ).stdout,
    );
  });

  it("exit 0 when the text shows no pull failure", async () => {
    const result = await runPullwarden(["explain", "-"], {
      stdin:
        'Normal  Pulled  kubelet  Successfully pulled image "nginx:1.27" in 2.1s (2.1s including waiting)\n',
      now: NOW,
    });
    expect(result.code).toBe(0);
    expect(result.stdout).toBe("Messages\n  No image-pull failure in this text.\n");
    const empty = await runPullwarden(["explain", "-"], { stdin: "", now: NOW });
    expect(empty.code).toBe(0);
    expect(empty.stdout).toContain("No image-pull failure in this text.");
  });

  it("unrecognised wording: exit 1 and the raw message", async () => {
    const result = await runPullwarden(["explain", `${DESCRIBE}/unknown-wording.txt`], { now: NOW });
    expect(result.code).toBe(1);
    expect(result.stdout).toContain("unrecognised wording, shown as written (secrets redacted):\n");
    expect(result.stdout).toContain("the image store is haunted, please consult your local exorcist");
    expect(result.stdout).toContain("$ pullwarden doctor edge-5b6c7d8e9f-abcde -n edge");
  });

  it("never prints a token found in the input", async () => {
    const token = `ghp${"_"}${"aB3".repeat(12)}`;
    const text = `Failed to pull image "ghcr.io/acme/web:1": failed to authorize: failed to fetch oauth token: unexpected status from GET request to https://ghcr.io/token?scope=repository%3Aacme%2Fweb%3Apull&service=ghcr.io&password=${token}: 401 Unauthorized (${token})\n`;
    for (const output of ["text", "json"]) {
      const result = await runPullwarden(["explain", "-o", output], { stdin: text, now: NOW });
      expect(result.code).toBe(1);
      expect(result.stdout + result.stderr).not.toContain(token);
      expect(result.stdout).toContain("credential-rejected");
    }
  });

  it("bad input: missing file (3), binary (3), a terminal on stdin (2), unknown output (2)", async () => {
    const missing = await runPullwarden(["explain", "nope.txt"]);
    expect(missing.code).toBe(3);
    expect(missing.stderr).toBe("error: nope.txt: no such file\n");
    const binary = await runPullwarden(["explain"], { stdin: Buffer.from([0x66, 0xff, 0xfe, 0x00]) });
    expect(binary.code).toBe(3);
    expect(binary.stderr).toMatch(/not UTF-8 text/);
    const tty = await runPullwarden(["explain"], { tty: true });
    expect(tty.code).toBe(2);
    expect(tty.stderr).toContain("hint: kubectl describe pod NAME -n NAMESPACE | pullwarden explain");
    const output = await runPullwarden(["explain", "-o", "yaml"], { stdin: "" });
    expect(output.code).toBe(2);
    for (const r of [missing, binary, tty, output]) expect(r.stderr).not.toMatch(STACK_TRACE);
  });

  it("colour only on a terminal without NO_COLOR", async () => {
    const file = `${DESCRIBE}/crio-short-name.txt`;
    const coloured = await runPullwarden(["explain", file], { tty: true, now: NOW });
    expect(coloured.stdout).toContain("\u001b[");
    const plain = await runPullwarden(["explain", file], { tty: true, env: { NO_COLOR: "1" }, now: NOW });
    expect(plain.stdout).not.toContain("\u001b[");
  });

  it("is listed in the help", async () => {
    const help = await runPullwarden(["--help"]);
    expect(help.stdout).toMatch(/explain \[options\] \[file\]/);
    const own = await runPullwarden(["explain", "--help"]);
    expect(own.code).toBe(0);
    expect(own.stdout).toContain("-o, --output <format>");
  });
});

describe("docs/doctor.md", () => {
  it("documents every cause id and the exit codes", async () => {
    const { CAUSE_IDS } = await import("../../src/doctor/index.js");
    const doc = readFileSync(join(REPO_ROOT, "docs/doctor.md"), "utf8");
    for (const id of CAUSE_IDS) expect(doc, id).toContain(`\`${id}\``);
    expect(doc).toMatch(/\|\s+1 \| findings/);
  });

  it("has one row per cause of the catalogue in its Causes table, and no other", async () => {
    const { CAUSE_IDS } = await import("../../src/doctor/index.js");
    const doc = readFileSync(join(REPO_ROOT, "docs/doctor.md"), "utf8");
    const section = doc.slice(
      doc.indexOf("\n## Causes\n"),
      doc.indexOf("\n## ", doc.indexOf("\n## Causes\n") + 1),
    );
    const rows = [...section.matchAll(/^\| `([^`]+)` +\|/gm)].map((m) => m[1]);
    expect(rows.length).toBeGreaterThan(0);
    expect(new Set(rows).size).toBe(rows.length);
    expect([...rows].sort()).toEqual([...CAUSE_IDS].sort());
  });
});
