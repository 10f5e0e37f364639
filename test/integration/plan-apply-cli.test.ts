// `pullwarden apply -f LAYOUT` on the command line: the layout's Kubernetes part (`plan.spec`) applied through
// runApplySpec against a real control plane; flags that name a secret, namespaces or ServiceAccounts are refused
// with -f (usage, exit 2) before anything is read from the cluster; a bad or huge layout is reported as `plan`
// reports it (file:line:column: field, exit 3) and nothing is sent; dry runs, -o json, stdin, --prune.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { runPullwarden } from "../cli/run-cli.js";
import type { CliResult } from "../cli/run-cli.js";
import { imagePullSecretNames, startCluster, writes } from "../kube/harness.js";
import type { TestCluster } from "../kube/harness.js";

const GHCR_TOKEN = "ghp_EXAMPLE0example0EXAMPLE0example01234";
const HARBOR_PASSWORD = "harbor-r0bot-secret";

let api: TestCluster;
let dir: string;

const layout = (namespaces: string): string => `apiVersion: pullwarden.io/v1alpha1
kind: PullLayout
cluster: { provider: other, name: on-prem }
registries:
  - name: ghcr
    ghcr: acme
    credential: { type: classic-pat, username: acme-bot, passwordEnv: GHCR_TOKEN, expires: "2027-01-01" }
  - name: harbor
    host: harbor.example.com
    credential: { type: robot-account, username: "robot$ci", passwordEnv: HARBOR_PASSWORD, expires: "2027-01-01" }
namespaces:
${namespaces}`;

const BOTH = `  - name: team-a
    registries: [ghcr, harbor]
  - name: team-b
    registries: [harbor]
    serviceAccounts: [default, builder]
`;

function writeLayout(text: string, name = "layout.yaml"): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

async function applyLayout(
  args: readonly string[],
  options: { stdin?: string; env?: Record<string, string> } = {},
): Promise<CliResult> {
  return runPullwarden(["apply", ...args, "--kubeconfig", api.kubeconfigPath], {
    cwd: dir,
    env: { GHCR_TOKEN, HARBOR_PASSWORD, ...options.env },
    ...(options.stdin !== undefined ? { stdin: options.stdin } : {}),
  });
}

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), "pw-plan-apply-cli-"));
  api = await startCluster({
    namespaces: ["team-a", "team-b", "team-c"],
    objects: [
      { apiVersion: "v1", kind: "ServiceAccount", metadata: { name: "builder", namespace: "team-b" } },
    ],
  });
  api.clearRequestLog();
});

afterEach(async () => {
  await api?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe("apply -f LAYOUT", () => {
  it("applies every secret and binding of the layout, then finds nothing to change", async () => {
    writeLayout(layout(BOTH));
    const first = await applyLayout(["-f", "layout.yaml"]);
    expect(first.stderr).toBe("");
    expect(first.code).toBe(0);
    expect(first.stdout).toContain("team-a: secret/ghcr-pull created");
    expect(await imagePullSecretNames(api, "team-a")).toEqual(["ghcr-pull", "harbor-pull"]);
    expect(await imagePullSecretNames(api, "team-b")).toEqual(["harbor-pull"]);
    expect(await imagePullSecretNames(api, "team-b", "builder")).toEqual(["harbor-pull"]);
    expect(await api.objects.get("secrets", "team-b", "ghcr-pull")).toBeUndefined();
    expect(await api.objects.list("secrets", "team-c")).toEqual([]);
    api.clearRequestLog();
    const again = await applyLayout(["-f", "layout.yaml", "-o", "json"]);
    expect(again.code).toBe(0);
    expect(writes(api)).toEqual([]);
    const result = JSON.parse(again.stdout) as { summary: { changed: number; writes: number } };
    expect(result.summary).toMatchObject({ changed: 0, writes: 0 });
  });

  it("reads the layout from stdin with -f -; --dry-run=client --diff writes nothing", async () => {
    const dry = await applyLayout(["-f", "-", "--dry-run=client", "--diff"], { stdin: layout(BOTH) });
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout).toContain("secret/harbor-pull");
    expect(dry.stdout).not.toContain(HARBOR_PASSWORD);
    expect(writes(api)).toEqual([]);
    const real = await applyLayout(["-f", "-"], { stdin: layout(BOTH) });
    expect(real.code, real.stderr).toBe(0);
    expect(await imagePullSecretNames(api, "team-a")).toEqual(["ghcr-pull", "harbor-pull"]);
  });

  it("--prune removes what an earlier layout wanted and this one does not", async () => {
    writeLayout(layout(BOTH));
    expect((await applyLayout(["-f", "layout.yaml"])).code).toBe(0);
    writeLayout(layout("  - name: team-a\n    registries: [ghcr]\n"), "smaller.yaml");
    const pruned = await applyLayout(["-f", "smaller.yaml", "--prune"]);
    expect(pruned.code, pruned.stderr).toBe(0);
    expect(pruned.stdout).toContain("team-b: secret/harbor-pull deleted (pruned: no longer wanted)");
    expect(await imagePullSecretNames(api, "team-a")).toEqual(["ghcr-pull"]);
    expect(await imagePullSecretNames(api, "team-b", "builder")).toEqual([]);
    expect(await api.objects.get("secrets", "team-a", "harbor-pull")).toBeUndefined();
  });

  it("refuses to bind a ServiceAccount the cluster lacks (kubectl apply -k would create it)", async () => {
    writeLayout(
      layout("  - name: team-c\n    registries: [harbor]\n    serviceAccounts: [default, ghost]\n"),
    );
    const result = await applyLayout(["-f", "layout.yaml"]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/team-c: serviceaccount\/ghost .*not found/);
    expect(await imagePullSecretNames(api, "team-c")).toEqual(["harbor-pull"]);
  });

  it("a missing password variable stops it before any write", async () => {
    writeLayout(layout(BOTH));
    const result = await applyLayout(["-f", "layout.yaml"], { env: { HARBOR_PASSWORD: "" } });
    expect(result.code).toBe(3);
    expect(result.stderr).toContain("no password: environment variable HARBOR_PASSWORD is empty");
    expect(writes(api)).toEqual([]);
  });

  it("says which parts of the plan it leaves to plan's files, and when the layout needs no secret", async () => {
    writeLayout(`apiVersion: pullwarden.io/v1alpha1
kind: PullLayout
cluster:
  provider: aks
  name: prod
  aks: { resourceGroup: rg-prod }
registries:
  - name: acr
    acr: contosoprod
namespaces:
  - name: team-a
    registries: [acr]
`);
    const result = await applyLayout(["-f", "layout.yaml"]);
    expect(result.code).toBe(0);
    expect(result.stderr).toBe(
      "note: apply -f writes only the pull secrets and ServiceAccount bindings; not applied: the cloud identity grant for acr (pullwarden plan -f layout.yaml -o DIR writes the steps for them)\n" +
        "note: layout.yaml needs no pull secret in any namespace\n",
    );
    expect(writes(api)).toEqual([]);
  });

  it("leaves the controller's secrets to its resources and the plugin's registries to the nodes, and says how", async () => {
    writeLayout(`apiVersion: pullwarden.io/v1alpha1
kind: PullLayout
cluster:
  provider: other
  name: edge
  rotation: controller
registries:
  - name: ecr
    ecr: { accountId: "123456789012", region: eu-west-1 }
namespaces:
  - name: team-a
    registries: [ecr]
`);
    const controller = await applyLayout(["-f", "layout.yaml"]);
    expect(controller.code).toBe(0);
    expect(controller.stderr).toBe(
      "note: secret ecr-pull (ecr) is written by the pullwarden controller (cluster.rotation: controller), not by apply -f: apply its resources with pullwarden plan -f layout.yaml -o DIR, then kubectl apply -f DIR/*-controller-resources.yaml\n" +
        "note: layout.yaml needs no pull secret in any namespace\n",
    );
    // --prune leaves the controller's secret (its writer label) and the ServiceAccount entry naming it, and
    // prunes what apply itself wrote and the layout no longer wants.
    const labels = { "app.kubernetes.io/managed-by": "pullwarden" };
    const pullSecret = (namespace: string, name: string, extra: Record<string, string> = {}) => ({
      apiVersion: "v1",
      kind: "Secret",
      metadata: { name, namespace, labels: { ...labels, ...extra } },
      type: "kubernetes.io/dockerconfigjson",
      data: { ".dockerconfigjson": Buffer.from('{"auths":{}}').toString("base64") },
    });
    await api.objects.seed(pullSecret("team-a", "ecr-pull", { "pullwarden.io/writer": "controller" }));
    await api.objects.seed(pullSecret("team-b", "old-pull"));
    await api.objects.put({
      apiVersion: "v1",
      kind: "ServiceAccount",
      metadata: {
        name: "default",
        namespace: "team-a",
        annotations: { "pullwarden.io/image-pull-secrets": "ecr-pull" },
      },
      imagePullSecrets: [{ name: "ecr-pull" }],
    });
    const controllerSecret = await api.objects.get("secrets", "team-a", "ecr-pull");
    api.clearRequestLog();
    const prune = await applyLayout(["-f", "layout.yaml", "--prune"]);
    expect(prune.code, prune.stderr).toBe(0);
    expect(prune.stdout).toContain("team-b: secret/old-pull deleted (pruned: no longer wanted)");
    expect(writes(api).map((r) => `${r.verb} ${r.resource} ${r.namespace}/${r.name}`)).toEqual([
      "delete secrets team-b/old-pull",
    ]);
    expect((await api.objects.get("secrets", "team-a", "ecr-pull"))?.metadata.resourceVersion).toBe(
      controllerSecret?.metadata.resourceVersion,
    );
    expect(await imagePullSecretNames(api, "team-a")).toEqual(["ecr-pull"]);
    api.clearRequestLog();
    writeLayout(`apiVersion: pullwarden.io/v1alpha1
kind: PullLayout
cluster:
  provider: other
  name: edge
  nodesConfigurable: true
  credentialProvider: pullwarden
registries:
  - name: ghcr
    ghcr: acme
    credential: { type: classic-pat, username: acme-bot, passwordEnv: GHCR_TOKEN }
namespaces:
  - name: team-a
    registries: [ghcr]
`);
    const plugin = await applyLayout(["-f", "layout.yaml"]);
    expect(plugin.code).toBe(0);
    expect(plugin.stderr).toContain(
      "not applied: the kubelet credential provider for ghcr (pullwarden plan -f layout.yaml -o DIR writes the steps for them)",
    );
    expect(writes(api)).toEqual([]);
  });
});

describe("apply -f LAYOUT refuses", () => {
  it.each([
    [["--docker-server", "ghcr.io"], "--docker-server"],
    [
      ["--docker-username", "bot", "--docker-password-env", "GHCR_TOKEN"],
      "--docker-username, --docker-password-env",
    ],
    [["--from-docker-config"], "--from-docker-config"],
    [["--from-file", "x.json"], "--from-file"],
    [["--merge", "a.json"], "--merge"],
  ])("secret flags %j: usage error, nothing read", async (flags, named) => {
    writeLayout(layout(BOTH));
    const result = await applyLayout(["-f", "layout.yaml", ...flags]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      `error: -f LAYOUT takes the credentials from the layout: ${named} cannot be combined with it`,
    );
    expect(api.requestLog()).toEqual([]);
  });

  it("a secret NAME, -n, --namespace-selector or --service-account", async () => {
    writeLayout(layout(BOTH));
    const named = await applyLayout(["ghcr-pull", "-f", "layout.yaml"]);
    expect(named.code).toBe(2);
    expect(named.stderr).toContain(
      'error: -f LAYOUT takes the secrets\' names from the layout: drop "ghcr-pull"',
    );
    const selection = await applyLayout([
      "-f",
      "layout.yaml",
      "-n",
      "team-a",
      "--service-account",
      "default",
    ]);
    expect(selection.code).toBe(2);
    expect(selection.stderr).toContain(
      "error: -f LAYOUT takes the namespaces and ServiceAccounts from the layout: -n/--namespace, --service-account cannot be combined with it",
    );
    const selector = await applyLayout(["-f", "layout.yaml", "--namespace-selector", "team=web"]);
    expect(selector.code).toBe(2);
    expect(api.requestLog()).toEqual([]);
  });

  it("an invalid layout, naming file, line, column and field, as plan does (exit 3, nothing sent)", async () => {
    writeLayout(layout(BOTH).replace("provider: other", "provider: openshift"));
    const result = await applyLayout(["-f", "layout.yaml"]);
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(/^error: layout\.yaml:3:\d+: cluster\.provider: /);
    expect(api.requestLog()).toEqual([]);
  });

  it("a layout over 1 MiB, before parsing it", async () => {
    writeLayout(`${layout(BOTH)}#${"x".repeat(1024 * 1024)}\n`);
    const result = await applyLayout(["-f", "layout.yaml"]);
    expect(result.code).toBe(3);
    expect(result.stderr).toContain("error: layout.yaml: the layout is 1.0 MiB, over the 1.0 MiB limit");
    expect(api.requestLog()).toEqual([]);
  });

  it("a missing layout file, and an empty -f", async () => {
    const missing = await applyLayout(["-f", "nope.yaml"]);
    expect(missing.code).toBe(3);
    expect(missing.stderr).toContain("error: nope.yaml: no such file");
    const empty = await applyLayout(["-f", ""]);
    expect(empty.code).toBe(2);
    expect(empty.stderr).toContain("error: -f needs a layout file (- for stdin)");
  });
});
