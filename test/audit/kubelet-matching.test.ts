// Row 8 of issue 10: audit decides whether a secret serves an image with kubelet's keyring, the matcher
// `secret match` uses, so the two always agree; a key that names the image's registry but differs only in the
// :443 spelling (kubelet compares ports as written) is connected to the anonymous pull it causes (PW105).
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { RuleContext, resolveOptions } from "../../src/audit/context.js";
import { buildGraph } from "../../src/audit/graph.js";
import { loadManifestText } from "../../src/audit/index.js";
import { TEST_NOW, parseJsonOutput, runPullwarden } from "../cli/run-cli.js";

const scratch = mkdtempSync(join(tmpdir(), "pullwarden-audit-match-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function secret(key: string): string {
  const config = {
    auths: {
      [key]: { username: "robot", password: "s3cret-Passw0rd", auth: "cm9ib3Q6czNjcmV0LVBhc3N3MHJk" },
    },
  };
  return `apiVersion: v1\nkind: Secret\nmetadata: {name: pull, namespace: apps}\ntype: kubernetes.io/dockerconfigjson\nstringData:\n  .dockerconfigjson: '${JSON.stringify(config)}'\n`;
}

function daemonSet(image: string): string {
  return `apiVersion: apps/v1\nkind: DaemonSet\nmetadata: {name: agent, namespace: apps}\nspec:\n  template:\n    spec:\n      imagePullSecrets: [{name: pull}]\n      containers: [{name: agent, image: ${JSON.stringify(image)}}]\n`;
}

interface AuditReport {
  findings: {
    ruleId: string;
    severity: string;
    message: string;
    fix: string;
    location: { kind: string };
    pullPath?: { steps: { key?: string }[]; summary: string };
  }[];
}

// [registry key, image]: ports, wildcards, paths, Docker Hub's fallback, schemes and /v1/ suffixes.
const CASES: readonly (readonly [string, string])[] = [
  ["registry.example.com", "registry.example.com:443/team/agent:1"],
  ["registry.example.com:443", "registry.example.com/team/agent:1"],
  ["registry.example.com:443", "registry.example.com:443/team/agent:1"],
  ["https://registry.example.com:443/v1/", "registry.example.com:443/team/agent:1"],
  ["registry.example.com", "registry.example.com/team/agent:1"],
  ["registry.example.com:5000", "registry.example.com/team/agent:1"],
  ["*.example.com", "registry.example.com/team/agent:1"],
  ["*.example.com", "a.registry.example.com/team/agent:1"],
  ["registry.example.com/team", "registry.example.com/teamwork/agent:1"],
  ["registry.example.com/other", "registry.example.com/team/agent:1"],
  ["https://index.docker.io/v1/", "acme/agent:1"],
  ["registry-1.docker.io", "acme/agent:1"],
  ["http://registry.example.com", "registry.example.com/team/agent:1"],
];

describe("audit and secret match use the same kubelet matcher", () => {
  it.each(CASES)("key %s, image %s", async (key, image) => {
    const secretFile = join(scratch, "secret.yaml");
    writeFileSync(secretFile, secret(key));
    const match = parseJsonOutput<{ matches: unknown[] }>(
      await runPullwarden(["secret", "match", image, secretFile, "-o", "json"]),
    );
    const audit = parseJsonOutput<AuditReport>(
      await runPullwarden(["audit", "-", "-o", "json", "--fail-on", "never"], {
        stdin: `${secret(key)}---\n${daemonSet(image)}`,
      }),
    );
    // The pull path the audit resolved for the DaemonSet's image, whether or not a rule reported it.
    const options = resolveOptions({ mode: "files", now: TEST_NOW });
    const context = new RuleContext(
      buildGraph(loadManifestText(`${secret(key)}---\n${daemonSet(image)}`, "test.yaml").objects, {
        mode: "files",
        defaultNamespace: "default",
      }),
      options,
    );
    const [resolved] = context.images();
    expect(resolved?.path.steps.map((step) => step.key)).toEqual(
      match.matches.map((entry) => (entry as { entry: { key: string } }).entry.key),
    );
    // Every case either matches, or leaves the DaemonSet anonymous and says so.
    if (match.matches.length === 0) {
      expect(audit.findings.some((f) => f.ruleId === "PW104" || f.ruleId === "PW105")).toBe(true);
    }
  });

  it("connects host:443/... with a secret keyed host: the DaemonSet pulls anonymously (PW105, error)", async () => {
    const audit = parseJsonOutput<AuditReport>(
      await runPullwarden(["audit", "-", "-o", "json"], {
        stdin: `${secret("registry.example.com")}---\n${daemonSet("registry.example.com:443/team/agent:1")}`,
      }),
    );
    const found = audit.findings.filter((f) => f.ruleId === "PW105");
    expect(found).toHaveLength(1);
    expect(found[0]?.severity).toBe("error");
    expect(found[0]?.location.kind).toBe("DaemonSet");
    expect(found[0]?.message).toContain(
      'the Pod\'s pull secret pull holds credentials for this registry (key "registry.example.com") that kubelet does not use: it compares ports as written, and registry.example.com:443 is not registry.example.com',
    );
    expect(found[0]?.pullPath?.steps).toEqual([]);
    expect(found[0]?.fix).toContain("write the image as registry.example.com/team/agent:1");
    expect(found[0]?.fix).toContain('add a key "registry.example.com:443" to secret pull');
  });

  it("connects it also when the secret comes from the ServiceAccount and serves another workload", async () => {
    const sa =
      "apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: default, namespace: apps}\nimagePullSecrets: [{name: pull}]\n";
    const web =
      "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web, namespace: apps}\nspec:\n  template:\n    spec:\n      containers: [{name: web, image: registry.example.com/team/web:1}]\n";
    const agent = daemonSet("registry.example.com:443/team/agent:1").replace(
      "      imagePullSecrets: [{name: pull}]\n",
      "",
    );
    const audit = parseJsonOutput<AuditReport>(
      await runPullwarden(["audit", "-", "-o", "json"], {
        stdin: [secret("registry.example.com"), sa, web, agent].join("---\n"),
      }),
    );
    expect(audit.findings.map((f) => [f.ruleId, f.location.kind])).toEqual([["PW105", "DaemonSet"]]);
  });
});
