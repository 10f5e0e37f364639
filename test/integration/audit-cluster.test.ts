// `pullwarden audit --cluster` against a real kube-apiserver (test/kube/real-cluster.ts; through
// @kubernetes/client-node, as for any cluster): objects created over HTTP (so ServiceAccount admission copies pull secrets), the live audit,
// then the same objects read back and audited as files: the findings must be the same, apart from the live-only
// rules and PW101's certainty. Plus the progress bar, a user who may not list Secrets, an unreachable server.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadClusterObjects } from "../../src/kube/index.js";
import { parseJsonOutput, runPullwarden } from "../cli/run-cli.js";
import { rawRequest } from "../support/kube-wire-client.js";
import type { RawTarget } from "../support/kube-wire-client.js";
import { startCluster } from "../kube/harness.js";
import type { TestCluster } from "../kube/harness.js";

interface Report {
  mode: string;
  summary: { error: number; warning: number; info: number; objects: number };
  inputProblems: { severity: string; message: string }[];
  findings: {
    ruleId: string;
    severity: string;
    message: string;
    fingerprint: string;
    location: { kind: string; namespace?: string; name: string; file?: string };
  }[];
}

const b64 = (text: string) => Buffer.from(text).toString("base64");
const GHP = "ghp_Ab1Cd2Ef3Gh4Ij5Kl6Mn7Op8Qr9St0Uv1Wx2";
const ECR = "123456789012.dkr.ecr.eu-west-1.amazonaws.com";
const ECR_EXPIRED = b64(
  JSON.stringify({ payload: "x", datakey: "y", version: "2", type: "DATA_KEY", expiration: 1767225600 }),
);

function pullSecret(name: string, namespace: string, key: string, username: string, password: string) {
  const config = JSON.stringify({
    auths: { [key]: { username, password, auth: b64(`${username}:${password}`) } },
  });
  return {
    apiVersion: "v1",
    kind: "Secret",
    metadata: { name, namespace },
    type: "kubernetes.io/dockerconfigjson",
    data: { ".dockerconfigjson": b64(config) },
  };
}

function pod(name: string, namespace: string, image: string, extra: Record<string, unknown> = {}) {
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name, namespace },
    spec: { containers: [{ name: "main", image }], ...extra },
  };
}

const PLURALS: Record<string, string> = {
  Secret: "secrets",
  ServiceAccount: "serviceaccounts",
  Pod: "pods",
  ConfigMap: "configmaps",
};

async function create(
  api: RawTarget,
  object: { kind: string; metadata: { namespace?: string } },
): Promise<void> {
  const path = PLURALS[object.kind]
    ? `/api/v1/namespaces/${object.metadata.namespace}/${PLURALS[object.kind]}`
    : `/apis/rbac.authorization.k8s.io/v1/${object.kind === "ClusterRole" ? "clusterroles" : "clusterrolebindings"}`;
  const response = await rawRequest(api, "POST", path, { body: object });
  if (response.status !== 201) throw new Error(`create ${object.kind}: ${response.status} ${response.text}`);
}

let api: TestCluster;
const scratch = mkdtempSync(join(tmpdir(), "pullwarden-audit-cluster-"));

beforeAll(async () => {
  api = await startCluster({
    namespaces: ["shop", "pay"],
  });
  const objects = [
    pullSecret("ghcr-pull", "shop", "ghcr.io", "acme-bot", GHP),
    {
      apiVersion: "v1",
      kind: "ServiceAccount",
      metadata: { name: "storefront", namespace: "shop" },
      imagePullSecrets: [{ name: "ghcr-pull" }],
    },
    // Admission copies the ServiceAccount's ghcr-pull into this Pod.
    pod("storefront", "shop", "ghcr.io/acme/storefront:2.3", { serviceAccountName: "storefront" }),
    pod("search", "shop", "ghcr.io/acme/search:1.0", { imagePullSecrets: [{ name: "ghcr-pul" }] }),
    pullSecret("ecr-pull", "pay", ECR, "AWS", ECR_EXPIRED),
    pod("settle", "pay", `${ECR}/settle:1`, { imagePullSecrets: [{ name: "ecr-pull" }] }),
    pod("api", "pay", "contoso.azurecr.io/api:3"),
    ...["default", "shop", "pay"].map((ns) =>
      pullSecret("regcred", ns, "https://index.docker.io/v1/", "acme", "dckr_pat_Ab1Cd2Ef3Gh4Ij5Kl6Mn7Op8"),
    ),
    { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "ci", namespace: "pay" }, data: { token: GHP } },
    { apiVersion: "v1", kind: "ServiceAccount", metadata: { name: "batch", namespace: "pay" } },
    pod("batch", "pay", "nginx:1.27", { serviceAccountName: "batch" }),
    {
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "ClusterRole",
      metadata: { name: "secret-reader" },
      rules: [{ apiGroups: [""], resources: ["secrets"], verbs: ["list"] }],
    },
    {
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "ClusterRoleBinding",
      metadata: { name: "everyone" },
      roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "secret-reader" },
      subjects: [{ apiGroup: "rbac.authorization.k8s.io", kind: "Group", name: "system:authenticated" }],
    },
  ];
  for (const object of objects)
    await create(api, object as { kind: string; metadata: { namespace?: string } });
  // The ServiceAccount gets a pull secret after its Pod was admitted: the Pod keeps its empty list.
  const patched = await rawRequest(api, "PATCH", "/api/v1/namespaces/pay/serviceaccounts/batch", {
    body: { imagePullSecrets: [{ name: "regcred" }] },
    contentType: "application/merge-patch+json",
  });
  expect(patched.status).toBe(200);
}, 60_000);

afterAll(async () => {
  await api?.stop();
  rmSync(scratch, { recursive: true, force: true });
});

const key = (finding: Report["findings"][number]) =>
  `${finding.ruleId} ${finding.location.kind} ${finding.location.namespace ?? ""}/${finding.location.name} ${finding.fingerprint}`;

const VIEWER = {
  rules: [
    {
      verbs: ["list"],
      resources: ["pods", "serviceaccounts", "configmaps", "namespaces", "nodes", "events"],
    },
    { verbs: ["list"], apiGroups: ["rbac.authorization.k8s.io"], resources: ["*"] },
  ],
};

describe("audit --cluster", () => {
  it("finds what the files of the same objects show, plus the live-only findings", async () => {
    const live = await runPullwarden([
      "audit",
      "--cluster",
      "--kubeconfig",
      api.kubeconfigPath,
      "-o",
      "json",
    ]);
    expect(live.stderr).toBe("");
    const liveReport = parseJsonOutput<Report>(live);
    expect(liveReport.mode).toBe("cluster");
    expect(live.code).toBe(1);

    // The same objects, read back and audited as a file.
    const loaded = await loadClusterObjects({ kubeconfig: api.kubeconfigPath, env: {} });
    const file = join(scratch, "cluster-dump.yaml");
    writeFileSync(file, loaded.objects.map((object) => JSON.stringify(object)).join("\n---\n"));
    const fromFile = parseJsonOutput<Report>(await runPullwarden(["audit", file, "-o", "json"]));

    const liveOnly = new Set(["PW601", "PW602"]);
    expect(
      liveReport.findings
        .filter((f) => !liveOnly.has(f.ruleId))
        .map(key)
        .sort(),
    ).toEqual(fromFile.findings.map(key).sort());
    for (const finding of liveReport.findings) {
      const twin = fromFile.findings.find((other) => other.fingerprint === finding.fingerprint);
      // A missing Secret is certain in the cluster, only likely in files.
      if (twin) expect(finding.severity).toBe(finding.ruleId === "PW101" ? "error" : twin.severity);
    }

    const summary = liveReport.findings
      .map(
        (f) =>
          `${f.ruleId} ${f.severity} ${f.location.kind} ${f.location.namespace ?? ""}/${f.location.name}`,
      )
      .sort();
    expect(summary).toEqual([
      "PW101 error Pod shop/search",
      "PW105 error Pod pay/api",
      "PW105 warning Pod shop/search",
      "PW106 error Pod pay/settle",
      "PW201 error Secret pay/ecr-pull",
      "PW204 info Secret shop/ghcr-pull",
      "PW301 warning Secret default/regcred",
      "PW302 warning Secret default/regcred",
      "PW302 warning Secret pay/regcred",
      "PW302 warning Secret shop/regcred",
      "PW401 error ConfigMap pay/ci",
      "PW501 error ClusterRoleBinding /everyone",
      "PW601 warning Pod pay/batch",
      "PW602 info Secret default/regcred",
      "PW602 info Secret shop/regcred",
    ]);
  }, 60_000);

  it("audits one namespace with -n", async () => {
    const report = parseJsonOutput<Report>(
      await runPullwarden([
        "audit",
        "--cluster",
        "--kubeconfig",
        api.kubeconfigPath,
        "-n",
        "shop",
        "-o",
        "json",
      ]),
    );
    const namespaces = new Set(report.findings.map((f) => f.location.namespace ?? "(cluster)"));
    expect([...namespaces].sort()).toEqual(["(cluster)", "shop"]);
  }, 30_000);

  it("draws a progress bar on a terminal's stderr and clears it", async () => {
    const result = await runPullwarden(["audit", "--cluster", "--kubeconfig", api.kubeconfigPath], {
      tty: true,
      env: { NO_COLOR: "1" },
    });
    // eslint-disable-next-line no-control-regex -- the terminal escape is what is tested
    expect(result.stderr).toMatch(/\r\x1b\[Kreading the cluster \[#*-*\] \d+\/\d+ lists, \d+ objects/);
    expect(result.stderr.endsWith("\r\x1b[K")).toBe(true);
    expect(result.stdout).toContain("PW105 image-without-pull-path");
  }, 30_000);

  it("fails with one line when the API server cannot be reached", async () => {
    const kubeconfig = join(scratch, "dead.kubeconfig");
    writeFileSync(
      kubeconfig,
      `apiVersion: v1\nkind: Config\nclusters:\n- name: dead\n  cluster: {server: "https://127.0.0.1:9", insecure-skip-tls-verify: true}\nusers:\n- name: u\n  user: {token: x}\ncontexts:\n- name: dead\n  context: {cluster: dead, user: u}\ncurrent-context: dead\n`,
    );
    const result = await runPullwarden(["audit", "--cluster", "--kubeconfig", kubeconfig]);
    expect(result.code).toBe(4);
    expect(result.stderr).toMatch(/^error: .*127\.0\.0\.1:9.*\n(hint: .*\n)?$/);
  }, 30_000);
  it("says what it could not list, and stops claiming missing Secrets are missing", async () => {
    // Its own server: the shared one binds Secret reading to every authenticated user on purpose.
    const own = await startCluster({ namespaces: ["shop"], users: { viewer: VIEWER }, dedicated: true });
    await create(
      own,
      pod("search", "shop", "ghcr.io/acme/search:1.0", { imagePullSecrets: [{ name: "ghcr-pul" }] }),
    );
    await create(own, pullSecret("regcred", "shop", "ghcr.io", "bot", GHP));
    try {
      const result = await runPullwarden([
        "audit",
        "--cluster",
        "--kubeconfig",
        own.kubeconfigFor("viewer"),
        "-o",
        "json",
      ]);
      const report = parseJsonOutput<Report>(result);
      expect(report.inputProblems.map((p) => p.message)).toEqual([
        expect.stringMatching(
          /^cluster: cannot list secrets at cluster scope as viewer; check with: kubectl auth can-i list secrets; findings that depend on Secret objects may be missing$/,
        ),
      ]);
      const pw101 = report.findings.filter((f) => f.ruleId === "PW101");
      expect(pw101.length).toBeGreaterThan(0);
      for (const finding of pw101) {
        expect(finding.severity).toBe("warning");
        expect(finding.message).toContain("Secrets could not be listed");
      }
      expect(report.findings.some((f) => f.ruleId === "PW602")).toBe(false);
    } finally {
      await own.stop();
    }
  }, 30_000);
});
