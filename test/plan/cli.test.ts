// `pullwarden plan` end to end in-process: the summary, the output directory (atomic, never partial), and bad
// input refused with the field and line and nothing written.
import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
  existsSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import type { CliIo } from "../../src/cli/io.js";
import { PLAN_MARKER, writePlanDirectory } from "../../src/cli/commands/plan/write-directory.js";
import { outputTarget } from "../../src/cli/write-output.js";
import { EnvironmentError } from "../../src/errors.js";
import { runPullwarden, TESTDATA } from "./helpers.js";

const scratch = mkdtempSync(join(tmpdir(), "pullwarden-plan-cli-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

let work: string;
let counter = 0;
beforeEach(() => {
  work = join(scratch, `t${++counter}`);
  mkdirSync(work);
  writeFileSync(join(work, "layout.yaml"), readFileSync(join(TESTDATA, "mixed-all/layout.yaml")));
});

function listing(dir: string): string[] {
  return readdirSync(dir).sort();
}

const expectedDir = join(TESTDATA, "mixed-all/expected");

describe("plan", () => {
  it("prints the golden summary without -o and writes nothing", async () => {
    const result = await runPullwarden(["plan", "-f", "layout.yaml"], { cwd: work });
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(readFileSync(join(expectedDir, "summary.txt"), "utf8"));
    expect(listing(work)).toEqual(["layout.yaml"]);
  });

  it("reads the layout from stdin with -f -", async () => {
    const result = await runPullwarden(["plan", "-f", "-"], {
      cwd: work,
      stdin: readFileSync(join(work, "layout.yaml"), "utf8"),
    });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("from stdin");
  });

  it("-o DIR writes the golden files with their modes, and nothing else", async () => {
    const result = await runPullwarden(["plan", "-f", "layout.yaml", "-o", "out"], { cwd: work });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toBe("");
    expect(result.stderr).toMatch(/^wrote 10 files to out; next: read out\/README.md/);
    const out = join(work, "out");
    const expectedFiles = readFileSync(join(expectedDir, "files.txt"), "utf8").trim().split("\n");
    expect(listing(out)).toEqual([PLAN_MARKER, ...expectedFiles.map((l) => l.split(" ")[1])].sort());
    for (const line of expectedFiles) {
      const [mode = "", path = ""] = line.split(" ");
      expect(readFileSync(join(out, path), "utf8"), path).toBe(
        readFileSync(join(expectedDir, "files", path), "utf8"),
      );
      expect((statSync(join(out, path)).mode & 0o777).toString(8).padStart(4, "0"), path).toBe(mode);
    }
    expect(listing(work)).toEqual(["layout.yaml", "out"]);
  });

  it("refuses an existing directory; --force replaces only an earlier plan output (the rest: output-directory.test.ts)", async () => {
    expect((await runPullwarden(["plan", "-f", "layout.yaml", "-o", "out"], { cwd: work })).code).toBe(0);
    const refused = await runPullwarden(["plan", "-f", "layout.yaml", "-o", "out"], { cwd: work });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toBe(
      "error: out already exists\nhint: choose a new directory, or add --force to replace this earlier plan output\n",
    );
    writeFileSync(join(work, "out", "README.md"), "stale");
    const forced = await runPullwarden(["plan", "-f", "layout.yaml", "-o", "out", "--force"], { cwd: work });
    expect(forced.code, forced.stderr).toBe(2);
    expect(forced.stderr).toMatch(
      /^error: refusing to replace out: out\/README.md was changed after pullwarden plan wrote it\n/,
    );
    expect(readFileSync(join(work, "out", "README.md"), "utf8")).toBe("stale");
    expect(listing(work)).toEqual(["layout.yaml", "out"]);
  });

  it("needs -f, and --include-secrets needs -o", async () => {
    const noFile = await runPullwarden(["plan"], { cwd: work });
    expect(noFile.code).toBe(2);
    expect(noFile.stderr).toMatch(/plan needs a layout: -f LAYOUT/);
    const noDir = await runPullwarden(["plan", "-f", "layout.yaml", "--include-secrets"], { cwd: work });
    expect(noDir.code).toBe(2);
    expect(noDir.stderr).toMatch(/--include-secrets needs -o DIR: secret values are never printed/);
  });

  it("--include-secrets reads the named sources, writes 0600 files in a 0700 directory; a missing value writes nothing", async () => {
    const missing = await runPullwarden(["plan", "-f", "layout.yaml", "-o", "out", "--include-secrets"], {
      cwd: work,
      env: { GHCR_TOKEN: "ghp_EXAMPLE0example0EXAMPLE0example01234" },
    });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/HARBOR_PASSWORD is not set \(registry harbor, harbor.example.com\)/);
    expect(listing(work)).toEqual(["layout.yaml"]);

    const result = await runPullwarden(["plan", "-f", "layout.yaml", "-o", "out", "--include-secrets"], {
      cwd: work,
      env: {
        GHCR_TOKEN: "ghp_EXAMPLE0example0EXAMPLE0example01234",
        HARBOR_PASSWORD: "harbor-example-password",
      },
    });
    expect(result.code, result.stderr).toBe(0);
    const out = join(work, "out");
    expect(statSync(out).mode & 0o777).toBe(0o700);
    const shop = listing(out).find((f) => f.endsWith("-shop.yaml")) ?? "";
    expect(statSync(join(out, shop)).mode & 0o777).toBe(0o600);
    expect(readFileSync(join(out, shop), "utf8")).toContain("kind: Secret");
    expect(listing(out).some((f) => f.endsWith("-create-secrets.sh"))).toBe(false);
    expect(result.stdout + result.stderr).not.toContain("harbor-example-password");
  });
});

describe("bad input: the field and line are named, exit 3, and no directory (not even a temporary one) is left", () => {
  const bad: Array<{ name: string; text: string; expected: RegExp }> = [
    {
      name: "unknown provider",
      text: "apiVersion: pullwarden.io/v1alpha1\nkind: PullLayout\ncluster:\n  provider: openshift\n  name: c\nregistries: [{name: r, host: r.example, credential: {type: password, username: u, passwordEnv: P}}]\nnamespaces: [{name: a, registries: [r]}]\n",
      expected:
        /^error: bad.yaml:4:13: cluster.provider: unknown provider "openshift"; expected aks, eks, gke or other$/m,
    },
    {
      name: "GitHub App token declared for GHCR",
      text: "apiVersion: pullwarden.io/v1alpha1\nkind: PullLayout\ncluster: {provider: other, name: c}\nregistries:\n  - name: ghcr\n    ghcr: acme\n    credential: {type: github-app, username: x-access-token, passwordEnv: T}\nnamespaces: [{name: a, registries: [ghcr]}]\n",
      expected:
        /^error: bad.yaml:7:24: registries\[0\]\.credential\.type: github-app cannot pull from ghcr.io: .*\n {2}hint: Use a classic personal access token of a dedicated machine user/m,
    },
    {
      name: "duplicate namespaces",
      text: "apiVersion: pullwarden.io/v1alpha1\nkind: PullLayout\ncluster: {provider: other, name: c}\nregistries: [{name: r, host: r.example, credential: {type: password, username: u, passwordEnv: P}}]\nnamespaces:\n  - {name: a, registries: [r]}\n  - {name: a, registries: [r]}\n",
      expected:
        /^error: bad.yaml:7:12: namespaces\[1\]\.name: namespace "a" is declared twice \(first at namespaces\[0\], line 6\)$/m,
    },
    {
      name: "missing provider fields",
      text: "apiVersion: pullwarden.io/v1alpha1\nkind: PullLayout\ncluster:\n  provider: eks\n  name: c\n  eks: {region: eu-west-1}\nregistries: [{name: e, ecr: {accountId: '123456789012', region: eu-west-1}}]\nnamespaces: [{name: a, registries: [e]}]\n",
      expected:
        /^error: bad.yaml:6:8: cluster.eks.accountId: required field is missing \(the 12-digit AWS account id of the cluster, quoted \("123456789012"\)\)\nerror: bad.yaml:6:8: cluster.eks.nodeRole: required field is missing \(the node group's IAM role: its name or its ARN\)$/m,
    },
    {
      name: "a namespace name that is not a DNS-1123 label: the rule broken and the fixed name",
      text: "apiVersion: pullwarden.io/v1alpha1\nkind: PullLayout\ncluster: {provider: other, name: c}\nregistries: [{name: r, host: r.example, credential: {type: password, username: u, passwordEnv: P}}]\nnamespaces: [{name: Tools_NS, registries: [r]}]\n",
      expected:
        /^error: bad.yaml:5:21: namespaces\[0\]\.name: "Tools_NS" is not a DNS-1123 label \(it has uppercase letters and '_'\): expected lowercase letters, digits and '-', starting and ending with a letter or digit, at most 63 characters\n {2}hint: use "tools-ns"\n$/,
    },
    {
      name: "a YAML syntax error: file:line:column and what, no pseudo-field, a hint that fits",
      text: "apiVersion: pullwarden.io/v1alpha1\nkind: PullLayout\ncluster: [\n",
      expected:
        /^error: bad.yaml:4:1: Flow sequence in block collection must be sufficiently indented and end with a \]\nhint: fix the YAML at that line; `pullwarden init` writes a commented layout\n$/,
    },
    {
      name: "YAML anchor bomb",
      text: [
        "apiVersion: pullwarden.io/v1alpha1",
        "kind: PullLayout",
        'cluster: &a ["x","x","x","x","x","x","x","x","x"]',
        ...Array.from({ length: 9 }, (_, i) => {
          const name = String.fromCharCode(98 + i);
          const prev = String.fromCharCode(97 + i);
          return `${name}: &${name} [${Array(9).fill(`*${prev}`).join(",")}]`;
        }),
        "",
      ].join("\n"),
      expected:
        /^error: bad.yaml:\d+:\d+: [a-j]\[\d\]: alias \*[a-j] expands the document past the allowed size \(a YAML "anchor bomb"\); refused$/m,
    },
  ];

  it.each(bad)("$name", async ({ text, expected }) => {
    writeFileSync(join(work, "bad.yaml"), text);
    const result = await runPullwarden(["plan", "-f", "bad.yaml", "-o", "out"], { cwd: work });
    expect(result.stderr).toMatch(expected);
    expect(result.stderr).not.toMatch(/internal error|\n\s+at /);
    expect(result.code).toBe(3);
    expect(listing(work)).toEqual(["bad.yaml", "layout.yaml"]);
  });

  it("a 10 MB layout is refused by size, before it is read whole", async () => {
    writeFileSync(join(work, "big.yaml"), Buffer.alloc(10 * 1024 * 1024, "#"));
    const result = await runPullwarden(["plan", "-f", "big.yaml", "-o", "out"], { cwd: work });
    expect(result.code).toBe(3);
    expect(result.stderr).toBe(
      "error: big.yaml: the layout is 10.0 MiB, over the 1.0 MiB limit\nhint: a layout lists a cluster, its registries and namespaces: a few kilobytes\n",
    );
    expect(listing(work)).toEqual(["big.yaml", "layout.yaml"]);
  });

  it("a write that fails half-way leaves neither the directory nor the temporary one", async () => {
    const io = { cwd: work, env: {} } as unknown as CliIo;
    const target = outputTarget("out", io);
    let written = 0;
    const files = [
      { path: "README.md", content: "a", mode: 0o644 },
      { path: "01-a.sh", content: "b", mode: 0o755 },
      { path: "02-b.sh", content: "c", mode: 0o755 },
    ];
    const failing = async (path: string, content: string, mode: number): Promise<void> => {
      if (++written === 3) throw Object.assign(new Error("disk full"), { code: "ENOSPC" });
      writeFileSync(path, content, { mode });
    };
    await expect(writePlanDirectory(target, files, { force: false, writeFile: failing }, io)).rejects.toThrow(
      EnvironmentError,
    );
    expect(listing(work)).toEqual(["layout.yaml"]);

    // With --force, a failure keeps the earlier plan output as it was.
    await writePlanDirectory(target, files, { force: false }, io);
    written = 0;
    await expect(writePlanDirectory(target, files, { force: true, writeFile: failing }, io)).rejects.toThrow(
      "cannot write out: no space left on the device; nothing was written",
    );
    expect(listing(work)).toEqual(["layout.yaml", "out"]);
    expect(listing(target.absolute)).toEqual([PLAN_MARKER, "01-a.sh", "02-b.sh", "README.md"].sort());
  });

  it("refuses file names that would escape the directory", async () => {
    const io = { cwd: work, env: {} } as unknown as CliIo;
    for (const path of ["../evil.sh", "sub/evil.sh", PLAN_MARKER]) {
      await expect(
        writePlanDirectory(
          outputTarget("out", io),
          [{ path, content: "x", mode: 0o755 }],
          { force: false },
          io,
        ),
      ).rejects.toThrow(/refusing to write/);
    }
    expect(existsSync(join(work, "evil.sh"))).toBe(false);
    expect(listing(work)).toEqual(["layout.yaml"]);
  });
});
