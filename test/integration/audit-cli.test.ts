// `pullwarden audit` from the command line: inputs (files, directories, globs, stdin, Helm output), hostile input
// (one bad document among many, alias bombs, deep nesting, binary files, symlink loops, a 200 MB file, objects
// without metadata), exit codes, --fail-on, config files and node identities. In-process, with a fixed clock.
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, truncateSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { audit, loadManifestText } from "../../src/audit/index.js";
import { STACK_TRACE, parseJsonOutput, runPullwarden } from "../cli/run-cli.js";

const scratch = mkdtempSync(join(tmpdir(), "pullwarden-audit-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

interface Report {
  summary: { error: number; warning: number; info: number; suppressed: number; objects: number };
  inputProblems: { severity: string; message: string }[];
  findings: {
    ruleId: string;
    severity: string;
    message: string;
    location: { name: string; file?: string; line?: number; template?: string };
    pullPath?: { summary: string };
  }[];
}

const ACR_DEPLOYMENT = (name: string, namespace = "pay") =>
  `apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: ${name}, namespace: ${namespace}}\nspec:\n  template:\n    spec:\n      containers: [{name: c, image: contoso.azurecr.io/${name}:1}]\n`;

function oneLine(stderr: string): void {
  expect(stderr).not.toMatch(STACK_TRACE);
  for (const line of stderr.trim().split("\n")) expect(line).toMatch(/^(error|warning|hint): /);
}

describe("inputs", () => {
  it("reads directories, globs, files and stdin together, each object once", async () => {
    const dir = join(scratch, "inputs");
    mkdirSync(join(dir, "a/b"), { recursive: true });
    writeFileSync(join(dir, "a/one.yaml"), ACR_DEPLOYMENT("one"));
    writeFileSync(join(dir, "a/b/two.yml"), ACR_DEPLOYMENT("two"));
    writeFileSync(join(dir, "a/b/notes.txt"), "not a manifest");
    writeFileSync(
      join(dir, "three.json"),
      JSON.stringify({
        apiVersion: "v1",
        kind: "Pod",
        metadata: { name: "three", namespace: "pay" },
        spec: { containers: [{ name: "c", image: "contoso.azurecr.io/three:1" }] },
      }),
    );
    const result = await runPullwarden(
      ["audit", "a", "'**/*.json'".slice(1, -1), join(dir, "a/one.yaml"), "-", "-o", "json"],
      { cwd: dir, stdin: ACR_DEPLOYMENT("four") },
    );
    const report = parseJsonOutput<Report>(result);
    expect(
      report.findings.filter((f) => f.ruleId === "PW105").map((f) => [f.location.name, f.location.file]),
    ).toEqual([
      ["four", "stdin"],
      ["one", "a/one.yaml"],
      ["two", "a/b/two.yml"],
      ["three", "three.json"],
    ]);
    expect(result.code).toBe(1);
  });

  it("names the Helm template of each finding from rendered output on stdin", async () => {
    const rendered = `---\n# Source: shop/templates/api.yaml\n${ACR_DEPLOYMENT("api")}---\n# Source: shop/templates/worker.yaml\n${ACR_DEPLOYMENT("worker")}`;
    const report = parseJsonOutput<Report>(
      await runPullwarden(["audit", "-", "-o", "json"], { stdin: rendered }),
    );
    expect(report.findings.map((f) => [f.location.name, f.location.template, f.location.line])).toEqual([
      ["api", "shop/templates/api.yaml", 9],
      ["worker", "shop/templates/worker.yaml", 18],
    ]);
  });

  it("reads stdin when no path is given and stdin is not a terminal; refuses on a terminal", async () => {
    expect((await runPullwarden(["audit"], { stdin: ACR_DEPLOYMENT("x") })).code).toBe(1);
    const tty = await runPullwarden(["audit"], { tty: true });
    expect(tty.code).toBe(2);
    expect(tty.stderr).toMatch(/^error: nothing to audit\nhint: /);
  });

  it("an input without objects is an error (exit 3: nothing was audited) unless --allow-empty", async () => {
    const emptyDir = join(scratch, "empty-dir");
    mkdirSync(emptyDir);
    const commentOnly = join(scratch, "comment-only.yaml");
    writeFileSync(commentOnly, "---\n# rendered nothing\n");
    const cases: [string[], string, string][] = [
      [["audit", "-"], "", "error: no Kubernetes objects in stdin: nothing was audited"],
      [["audit", commentOnly], "", `error: no Kubernetes objects in ${commentOnly}: nothing was audited`],
      [
        ["audit", emptyDir],
        "",
        `error: no manifest files in ${emptyDir} (looked for *.yaml, *.yml and *.json)`,
      ],
    ];
    for (const [args, stdin, message] of cases) {
      const result = await runPullwarden(args, { stdin });
      expect(result.code, args.join(" ")).toBe(3);
      expect(result.stderr, args.join(" ")).toContain(message);
      expect(result.stderr).toContain("--allow-empty");
      oneLine(result.stderr);
      const allowed = await runPullwarden([...args, "--allow-empty"], { stdin });
      expect(allowed.code, `${args.join(" ")} --allow-empty`).toBe(0);
    }
  });

  it("refuses flags that need --cluster, and files together with --cluster", async () => {
    expect((await runPullwarden(["audit", "x.yaml", "--context", "prod"])).stderr).toBe(
      "error: --context needs --cluster\n",
    );
    expect((await runPullwarden(["audit", "x.yaml", "--cluster"])).code).toBe(2);
  });
});

describe("hostile input: one line each, the rest audited", () => {
  it("audits the other documents of a stream with one broken document", async () => {
    const result = await runPullwarden([
      "audit",
      "testdata/audit/hostile/one-bad-document.yaml",
      "-o",
      "json",
    ]);
    expect(result.code).toBe(3);
    expect(result.stderr).toBe(
      "error: testdata/audit/hostile/one-bad-document.yaml:8:18: Implicit keys need to be on a single line\n",
    );
    const report = parseJsonOutput<Report>(result);
    expect(report.findings.map((f) => f.location.name)).toEqual(["after-the-broken-one"]);
    expect(report.summary.objects).toBe(2);
  });

  it.each([
    ["alias-bomb.yaml", /alias-bomb.yaml:1: document 1: Excessive alias count/],
    ["deep.json", /deep.json:1:118: nesting deeper than 64 levels/],
  ])("refuses %s", async (file, message) => {
    const result = await runPullwarden(["audit", `testdata/audit/hostile/${file}`]);
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(message);
    oneLine(result.stderr);
  });

  it("skips binary files found in a directory, refuses one named explicitly", async () => {
    const walked = await runPullwarden(["audit", "testdata/audit/hostile/", "--disable", "PW101"]);
    expect(walked.stderr).toContain(
      "warning: testdata/audit/hostile/garbage.bin.yaml: binary data (a NUL byte at offset 0); skipped\n",
    );
    oneLine(walked.stderr);
    const named = await runPullwarden(["audit", "testdata/audit/hostile/garbage.bin.yaml"]);
    expect(named.code).toBe(3);
    expect(named.stderr).toBe(
      "error: testdata/audit/hostile/garbage.bin.yaml: binary data (a NUL byte at offset 0)\n",
    );
  });

  it("refuses a 200 MB file without reading it, and audits the rest", async () => {
    const big = join(scratch, "big.yaml");
    writeFileSync(big, "");
    truncateSync(big, 200 * 1024 * 1024);
    const good = join(scratch, "good.yaml");
    writeFileSync(good, ACR_DEPLOYMENT("good"));
    const before = process.memoryUsage().rss;
    const result = await runPullwarden(["audit", big, good, "-o", "json"]);
    expect(process.memoryUsage().rss - before).toBeLessThan(100 * 1024 * 1024);
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(/^error: .*big.yaml: input is 200.0 MiB, over the 16.0 MiB limit\n$/);
    expect(parseJsonOutput<Report>(result).findings.map((f) => f.location.name)).toEqual(["good"]);
  });

  it("survives a symlink loop", async () => {
    const dir = join(scratch, "loop");
    mkdirSync(join(dir, "sub"), { recursive: true });
    writeFileSync(join(dir, "sub/app.yaml"), ACR_DEPLOYMENT("looped"));
    symlinkSync("..", join(dir, "sub/up"));
    const result = await runPullwarden(["audit", dir, "-o", "json"]);
    const report = parseJsonOutput<Report>(result);
    expect(report.findings.map((f) => f.location.name)).toEqual(["looped"]);
    expect(result.stderr).toMatch(/already visited \(a symlink loop\?\); skipped/);
    oneLine(result.stderr);
  });

  it("warns about objects without metadata and documents that are not objects", async () => {
    const result = await runPullwarden(["audit", "testdata/audit/hostile/no-metadata.yaml"]);
    expect(result.stderr).toBe(
      [
        'warning: testdata/audit/hostile/no-metadata.yaml:1: Secret has no metadata.name; audited as "(unnamed)"',
        "warning: testdata/audit/hostile/no-metadata.yaml:6: document is not an object (a list); skipped",
        "warning: testdata/audit/hostile/no-metadata.yaml:9: document is not an object (number); skipped",
        "",
      ].join("\n"),
    );
    expect(result.code).toBe(0);
  });

  it("reports a missing file and a glob that matches nothing", async () => {
    const result = await runPullwarden(["audit", "no/such/file.yaml", "no/such/*.yaml"]);
    expect(result.code).toBe(3);
    expect(result.stderr).toContain("error: no/such/file.yaml: no such file or directory\n");
    expect(result.stderr).toContain("warning: no/such/*.yaml: the pattern matches no file\n");
  });

  it("never throws on arbitrary objects, and never prints a credential it was given", () => {
    // Placeholders (fewer than six distinct characters) are not credentials, so the body always has variety.
    const token = fc.stringMatching(/^[A-Za-z0-9]{30}$/).map((body) => `ghp_Ab1Cd2${body}`);
    const value = fc.oneof(
      fc.string(),
      fc.integer(),
      fc.constant(null),
      fc.array(fc.string(), { maxLength: 3 }),
      fc.dictionary(fc.string(), fc.string(), { maxKeys: 3 }),
    );
    const objectArb = fc.record(
      {
        kind: fc.constantFrom(
          "Pod",
          "Deployment",
          "Secret",
          "ServiceAccount",
          "ConfigMap",
          "Role",
          "RoleBinding",
          "ClusterRoleBinding",
          "CronJob",
          "EncryptionConfiguration",
        ),
        metadata: fc.oneof(
          value,
          fc.record({ name: fc.string(), namespace: fc.constantFrom("a", "default"), annotations: value }),
        ),
        spec: fc.oneof(
          value,
          fc.record({
            containers: fc.oneof(
              value,
              fc.array(
                fc.record({
                  name: fc.string(),
                  image: fc.oneof(fc.string(), fc.constantFrom("nginx", "contoso.azurecr.io/x:1")),
                  env: value,
                }),
                { maxLength: 2 },
              ),
            ),
            imagePullSecrets: value,
          }),
        ),
        type: fc.oneof(value, fc.constant("kubernetes.io/dockerconfigjson")),
        data: value,
        stringData: value,
        rules: value,
        subjects: value,
        imagePullSecrets: value,
        resources: value,
      },
      { requiredKeys: ["kind"] },
    );
    fc.assert(
      fc.property(fc.array(objectArb, { maxLength: 6 }), token, (objects, secret) => {
        const withSecret = [
          ...objects,
          { kind: "ConfigMap", metadata: { name: "leak", namespace: "a" }, data: { token: secret } },
          {
            kind: "Secret",
            metadata: { name: "s", namespace: "a" },
            type: "kubernetes.io/dockerconfigjson",
            stringData: {
              ".dockerconfigjson": JSON.stringify({
                auths: { "ghcr.io": { username: "u", password: secret } },
              }),
            },
          },
        ];
        const result = audit(
          withSecret.map((object) => ({ object })),
          { mode: "files", now: new Date("2026-06-01T00:00:00Z") },
        );
        expect(JSON.stringify(result)).not.toContain(secret.slice(4));
        expect(result.findings.some((finding) => finding.ruleId === "PW401")).toBe(true);
      }),
      { numRuns: 150 },
    );
  });

  it("never throws on arbitrary text", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 400 }), (text) => {
        const loaded = loadManifestText(text, "fuzz.yaml");
        audit(loaded.objects, { mode: "files", now: new Date() });
      }),
      { numRuns: 300 },
    );
  });
});

describe("exit codes, --fail-on and configuration", () => {
  const warnOnly =
    'apiVersion: v1\nkind: Secret\nmetadata: {name: regcred, namespace: default}\ntype: kubernetes.io/dockerconfigjson\nstringData:\n  .dockerconfigjson: \'{"auths":{"ghcr.io":{"auth":"Ym90OmdocF9BYjFDZDJFZjNHaDRJajVLbDZNbjdPcDhRcjlTdDBVdjFXeDI="}}}\'\n';
  it.each([
    [[], 0],
    [["--fail-on", "warning"], 1],
    [["--fail-on", "info"], 1],
    [["--fail-on", "never"], 0],
  ])("warnings only, %j → exit %i", async (flags, code) => {
    expect((await runPullwarden(["audit", "-", ...flags], { stdin: warnOnly })).code).toBe(code);
  });

  it("rejects an unknown --fail-on value as a usage error", async () => {
    expect((await runPullwarden(["audit", "-", "--fail-on", "sometimes"], { stdin: warnOnly })).code).toBe(2);
  });

  it("reads .pullwarden-audit.yaml from the working directory, and --config", async () => {
    const dir = join(scratch, "config");
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, "app.yaml"), ACR_DEPLOYMENT("api"));
    writeFileSync(
      join(dir, ".pullwarden-audit.yaml"),
      "kind: AuditConfig\nignore:\n  - rule: PW105\n    reason: anonymous pull on contoso\n",
    );
    const found = await runPullwarden(["audit", "app.yaml"], { cwd: dir });
    expect(found.code).toBe(0);
    expect(found.stdout).toContain("1 suppressed");
    writeFileSync(join(dir, "other.yaml"), "kind: AuditConfig\nfailOn: never\nignore:\n  - rule: PW105\n");
    const bad = await runPullwarden(["audit", "app.yaml", "--config", "other.yaml"], { cwd: dir });
    expect(bad.code).toBe(3);
    expect(bad.stderr).toBe("error: other.yaml:4: ignore[0]: reason is required\n");
  });

  it("counts node identities from --provider, --node-credentials and a layout file as pull paths", async () => {
    const acr = ACR_DEPLOYMENT("api");
    expect((await runPullwarden(["audit", "-"], { stdin: acr })).code).toBe(1);
    expect((await runPullwarden(["audit", "-", "--provider", "aks"], { stdin: acr })).code).toBe(0);
    expect(
      (await runPullwarden(["audit", "-", "--node-credentials", "*.azurecr.io"], { stdin: acr })).code,
    ).toBe(0);
    // examples/layout.yaml: an AKS cluster pulling from its own ACR, shopprod, with the kubelet identity.
    const shopprod = acr.replace("contoso.azurecr.io", "shopprod.azurecr.io");
    expect((await runPullwarden(["audit", "-"], { stdin: shopprod })).code).toBe(1);
    const withLayout = await runPullwarden(["audit", "-", "--layout", "examples/layout.yaml"], {
      stdin: shopprod,
    });
    expect(withLayout.stdout).toBe(
      "No findings.\n0 errors, 0 warnings, 0 info (1 object, 1 container audited)\n",
    );
    expect(withLayout.code).toBe(0);
  });

  it("audits an EncryptionConfiguration given with --encryption-config", async () => {
    const result = await runPullwarden(
      ["audit", "-", "--encryption-config", "examples/manifests/encryption-config.yaml", "-o", "json"],
      { stdin: ACR_DEPLOYMENT("api") },
    );
    const report = parseJsonOutput<Report>(result);
    expect(report.findings.map((f) => f.ruleId).sort()).toEqual(["PW105", "PW502"]);
  });
});
