// The two ways `plan` offers to put a layout's Kubernetes part into a cluster must leave the same objects:
// (a) the files `pullwarden plan -o DIR` writes, run as a user runs them (the secret and rotation scripts, then
//     `kubectl apply -k .`, with the real kubectl; the rotation script runs the `aws` CLI, here a fake that
//     prints the token moto mints), and
// (b) `pullwarden apply -f LAYOUT`, with the same credentials in the environment (it mints the ECR token through
//     the AWS SDK, here against moto, and never spawns `aws`).
// Each runs against its own fresh real control plane (kube-apiserver v1.37.2, test/kube/real-cluster.ts), seeded
// alike; then every Secret and ServiceAccount of both clusters (outside the system namespaces) is compared whole, after removing what the API server sets (uid, resourceVersion, creationTimestamp)
// and the two tools' own bookkeeping annotations, which are asserted separately:
// - kubectl's `kubectl.kubernetes.io/last-applied-configuration` (client-side apply records every object it
//   applies there, and for a Secret that is the whole Secret, data included);
// - pullwarden's `pullwarden.io/image-pull-secrets` on a ServiceAccount (the entries it appended, so that
//   `--prune` removes only those).
// The ORDER of a ServiceAccount's imagePullSecrets is compared too (its own test pins that no list differs):
// plan orders a namespace's secrets by the layout's `registries`, the order apply appends them in.
// Both servers start with the ServiceAccounts the layout's workloads run as: `kubectl apply -k` would create a
// missing one, `pullwarden apply` refuses to (it binds, it does not create ServiceAccounts), and a cluster that
// runs those workloads has them. The last test pulls a real image through containerd's CRI with a secret that
// `pullwarden apply -f` wrote, read back from the API server, using the credential kubelet would select.
import { chmodSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { OWNED_ENTRIES_ANNOTATION } from "../../src/apply/index.js";
import { buildDockerConfigJson } from "../../src/dockerconfig/index.js";
import { expandSpec } from "../../src/desired/index.js";
import { planFromLayoutText } from "../../src/plan/index.js";
import { startCluster } from "../kube/harness.js";
import type { KubeObject, TestCluster } from "../kube/harness.js";
import {
  makeScratchDir,
  pullImage,
  removeImage,
  removeScratchDir,
  requireTool,
  runCommand,
  startWorld,
} from "../support/index.js";
import type { CommandResult, World } from "../support/index.js";
import { startMoto } from "../support/moto.js";
import type { Moto } from "../support/moto.js";
import { NOW, ROOT } from "../plan/helpers.js";

const KUBECTL_LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration";
const MANAGED_BY = { "app.kubernetes.io/managed-by": "pullwarden" };
const WRITE_VERBS = new Set(["create", "update", "patch", "delete", "deletecollection"]);

const GHCR_TOKEN = "ghp_EXAMPLE0example0EXAMPLE0example01234";
const HARBOR_PASSWORD = "harbor-r0bot-secret";
const QUAY_PASSWORD = "quay-r0bot-secret";
/** What moto's GetAuthorizationToken answers for the layout's ECR account (`<account>-auth-token`, user AWS). */
const ECR_TOKEN = "123456789012-auth-token";

let world: World;
let moto: Moto;
const cleanups: (() => Promise<void> | void)[] = [];

beforeAll(async () => {
  requireTool("kubectl");
  [world, moto] = await Promise.all([startWorld(), startMoto()]);
}, 120_000);

afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
  await Promise.all([world?.stop(), moto?.stop()]);
});

interface Case {
  /** The layout file as the user passes it to `plan -f` and `apply -f`. */
  readonly layoutPath: string;
  readonly layoutText: string;
  readonly namespaces: readonly string[];
  /** ServiceAccounts the cluster has besides each namespace's `default`: `namespace/name`. */
  readonly serviceAccounts: readonly string[];
  /** ServiceAccounts whose imagePullSecrets the two ways list in another order (see the header). */
  readonly orderDiffers: readonly string[];
}

interface Sides {
  readonly dir: string;
  readonly out: string;
  readonly viaKubectl: TestCluster;
  readonly viaApply: TestCluster;
  /** stdout and stderr of `pullwarden apply -f LAYOUT`. */
  readonly applied: CommandResult;
}

function serviceAccount(key: string): KubeObject {
  const [namespace, name] = key.split("/");
  return { apiVersion: "v1", kind: "ServiceAccount", metadata: { name, namespace } } as KubeObject;
}

/** A fresh real control plane of its own with the case's namespaces and ServiceAccounts. */
async function freshCluster(c: Case): Promise<TestCluster> {
  const api = await startCluster({
    namespaces: [...c.namespaces],
    objects: c.serviceAccounts.map(serviceAccount),
    dedicated: true,
  });
  cleanups.push(() => api.stop());
  return api;
}

/** `pullwarden` on PATH is the built CLI; `aws` is a fake that prints the token moto mints (for the script). */
function binDir(dir: string): string {
  const bin = join(dir, "bin");
  mkdirSync(bin);
  writeFileSync(
    join(bin, "pullwarden"),
    `#!/bin/sh\nexec "${process.execPath}" "${join(ROOT, "dist/bin/main.js")}" "$@"\n`,
  );
  writeFileSync(join(bin, "aws"), `#!/bin/sh\nprintf '%s' "$FAKE_ECR_TOKEN"\n`);
  chmodSync(join(bin, "pullwarden"), 0o755);
  chmodSync(join(bin, "aws"), 0o755);
  return bin;
}

/** The same credential environment for both ways; only the cluster differs. */
function env(dir: string, api: TestCluster): NodeJS.ProcessEnv {
  return {
    PATH: `${join(dir, "bin")}:${process.env["PATH"] ?? "/usr/bin:/bin"}`,
    HOME: dir,
    KUBECONFIG: api.kubeconfigPath,
    GHCR_TOKEN,
    HARBOR_PASSWORD,
    LOCAL_REGISTRY_PASSWORD: world.user.password,
    FAKE_ECR_TOKEN: ECR_TOKEN,
    // apply -f: the AWS SDK's default chain, keys for moto and its endpoint, no instance metadata.
    AWS_ACCESS_KEY_ID: "AKIAEQUIVALENCE00001",
    AWS_SECRET_ACCESS_KEY: "equivalence-secret-key",
    AWS_ENDPOINT_URL_ECR: moto.endpoint,
    AWS_EC2_METADATA_DISABLED: "true",
  };
}

async function bash(command: string, cwd: string, environment: NodeJS.ProcessEnv): Promise<CommandResult> {
  return runCommand("bash", ["-c", command], { cwd, env: environment, timeoutMs: 60_000 });
}

/** Runs both ways on two fresh clusters. */
async function runBothWays(name: string, c: Case): Promise<Sides> {
  const dir = makeScratchDir(`plan-apply-${name}`);
  cleanups.push(() => removeScratchDir(dir));
  binDir(dir);
  const out = join(dir, "out");
  const [viaKubectl, viaApply] = await Promise.all([freshCluster(c), freshCluster(c)]);

  const planned = await bash(`pullwarden plan -f '${c.layoutPath}' -o '${out}'`, dir, env(dir, viaKubectl));
  if (planned.exitCode !== 0) throw new Error(planned.stderr);
  // (a) The plan's Kubernetes steps in the README's order: secrets, short-lived secrets, ServiceAccounts.
  // (Cloud grants, workload patches and the verify step act on things apply -f does not write.)
  const scripts = readdirSync(out)
    .filter((f) => /^\d\d-(create|rotate)-secrets\.sh$/.test(f))
    .sort();
  const kubectlWay = await bash(
    [...scripts.map((s) => `./${s}`), "kubectl apply -k ."].join(" && "),
    out,
    env(dir, viaKubectl),
  );
  if (kubectlWay.exitCode !== 0) throw new Error(`${kubectlWay.stdout}${kubectlWay.stderr}`);
  // (b) pullwarden apply -f LAYOUT.
  const applied = await bash(`pullwarden apply -f '${c.layoutPath}'`, dir, env(dir, viaApply));
  return { dir, out, viaKubectl, viaApply, applied };
}

type Snapshot = Map<string, KubeObject>;

/** The cluster's own namespaces (its controllers' ServiceAccounts, its leases): neither way writes there. */
const SYSTEM_NAMESPACES = new Set(["kube-system", "kube-public", "kube-node-lease"]);

/** Every Secret and ServiceAccount of the cluster (outside its system namespaces), by `kind namespace/name`. */
async function snapshot(api: TestCluster): Promise<Snapshot> {
  const objects: Snapshot = new Map();
  for (const ns of await api.objects.list("namespaces")) {
    const namespace = ns.metadata?.name ?? "";
    if (SYSTEM_NAMESPACES.has(namespace)) continue;
    for (const resource of ["secrets", "serviceaccounts"]) {
      for (const object of await api.objects.list(resource, namespace)) {
        objects.set(`${object.kind} ${namespace}/${object.metadata?.name ?? ""}`, object);
      }
    }
  }
  return objects;
}

/**
 * The object without what the API server sets and without either tool's bookkeeping annotation; a
 * ServiceAccount's imagePullSecrets sorted by name (the order is compared on its own, see the header).
 */
function normalise(object: KubeObject): KubeObject {
  const metadata = { ...(object.metadata as Record<string, unknown>) };
  for (const field of ["uid", "resourceVersion", "creationTimestamp", "generation", "managedFields"]) {
    delete metadata[field];
  }
  const annotations = { ...(metadata["annotations"] as Record<string, string> | undefined) };
  delete annotations[KUBECTL_LAST_APPLIED];
  delete annotations[OWNED_ENTRIES_ANNOTATION];
  if (Object.keys(annotations).length > 0) metadata["annotations"] = annotations;
  else delete metadata["annotations"];
  const entries = (object as { imagePullSecrets?: { name: string }[] }).imagePullSecrets;
  return {
    ...object,
    metadata,
    ...(entries ? { imagePullSecrets: [...entries].sort((a, b) => a.name.localeCompare(b.name)) } : {}),
  } as KubeObject;
}

function normalised(snap: Snapshot): Record<string, KubeObject> {
  return Object.fromEntries([...snap].map(([key, object]) => [key, normalise(object)]));
}

function annotationsOf(object: KubeObject | undefined): Record<string, string> {
  return (object?.metadata as { annotations?: Record<string, string> } | undefined)?.annotations ?? {};
}

function dockerConfigOf(object: KubeObject | undefined): string {
  const data = (object as { data?: Record<string, string> } | undefined)?.data?.[".dockerconfigjson"];
  return Buffer.from(data ?? "", "base64").toString("utf8");
}

function imagePullSecretsOf(object: KubeObject | undefined): string[] {
  return ((object as { imagePullSecrets?: { name: string }[] } | undefined)?.imagePullSecrets ?? []).map(
    (e) => e.name,
  );
}

/** The assertions every layout gets: the same objects both ways, and each tool's bookkeeping as documented. */
function sameObjects(name: string, layoutOf: () => Case, sides: () => Sides): void {
  it("pullwarden apply -f succeeds and says which parts of the plan it does not apply", () => {
    const { applied } = sides();
    expect(applied.exitCode, `${applied.stdout}${applied.stderr}`).toBe(0);
    expect(applied.stderr).not.toMatch(/internal error|^error:/m);
  });

  it("leaves the same Secrets and ServiceAccounts as the plan's scripts and kubectl apply -k", async () => {
    const { viaKubectl, viaApply } = sides();
    const kubectlObjects = normalised(await snapshot(viaKubectl));
    const applyObjects = normalised(await snapshot(viaApply));
    expect(Object.keys(applyObjects).sort()).toEqual(Object.keys(kubectlObjects).sort());
    for (const key of Object.keys(kubectlObjects)) {
      expect(applyObjects[key], `${name}: ${key}`).toEqual(kubectlObjects[key]);
    }
  });

  it("holds exactly the plan's desired state: type, data and label of each secret, each binding", async () => {
    const c = layoutOf();
    const plan = planFromLayoutText(c.layoutText, { source: c.layoutPath, now: NOW });
    const desired = expandSpec(plan.spec, () => []);
    expect(desired.secrets.length).toBeGreaterThan(0);
    for (const api of [sides().viaKubectl, sides().viaApply]) {
      const snap = await snapshot(api);
      const secrets = [...snap.keys()].filter((k) => k.startsWith("Secret ")).sort();
      expect(secrets).toEqual(desired.secrets.map((s) => `Secret ${s.namespace}/${s.name}`).sort());
      for (const s of desired.secrets) {
        const object = snap.get(`Secret ${s.namespace}/${s.name}`) as KubeObject & { type?: string };
        expect(object.type).toBe("kubernetes.io/dockerconfigjson");
        expect(object.metadata?.labels).toEqual(MANAGED_BY);
        expect(Object.keys((object as { data?: object }).data ?? {})).toEqual([".dockerconfigjson"]);
      }
      for (const [key, object] of snap) {
        if (!key.startsWith("ServiceAccount ")) continue;
        const wanted = desired.bindings
          .filter((b) => key === `ServiceAccount ${b.namespace}/${b.serviceAccount}`)
          .map((b) => b.secretName);
        expect(imagePullSecretsOf(object).sort(), key).toEqual(wanted.sort());
      }
    }
  });

  it("orders imagePullSecrets alike, except where a namespace lists its registries in another order", async () => {
    const c = layoutOf();
    const plan = planFromLayoutText(c.layoutText, { source: c.layoutPath, now: NOW });
    const desired = expandSpec(plan.spec, () => []);
    const kubectlSnap = await snapshot(sides().viaKubectl);
    const applySnap = await snapshot(sides().viaApply);
    const differs: string[] = [];
    for (const [key, object] of applySnap) {
      if (!key.startsWith("ServiceAccount ")) continue;
      const [namespace, name] = key.slice("ServiceAccount ".length).split("/");
      // apply -f appends in plan.spec's order; the manifests list the namespace's order.
      expect(imagePullSecretsOf(object), key).toEqual(
        desired.bindings
          .filter((b) => b.namespace === namespace && b.serviceAccount === name)
          .map((b) => b.secretName),
      );
      const manifest = plan.namespaces
        .find((n) => n.name === namespace)
        ?.serviceAccounts.find((sa) => sa.name === name);
      expect(imagePullSecretsOf(kubectlSnap.get(key)), key).toEqual(manifest?.secrets ?? []);
      if (imagePullSecretsOf(object).join() !== imagePullSecretsOf(kubectlSnap.get(key)).join()) {
        differs.push(`${namespace}/${name}`);
      }
    }
    expect(differs.sort()).toEqual([...c.orderDiffers].sort());
  });

  it("differs only in each tool's bookkeeping annotations", async () => {
    const kubectlSnap = await snapshot(sides().viaKubectl);
    const applySnap = await snapshot(sides().viaApply);
    for (const [key, object] of kubectlSnap) {
      const fromApply = applySnap.get(key);
      if (key.startsWith("Secret ")) {
        // kubectl's client-side apply keeps the whole applied Secret, its data included, in an annotation.
        const lastApplied = JSON.parse(annotationsOf(object)[KUBECTL_LAST_APPLIED] ?? "{}") as {
          data?: Record<string, string>;
        };
        expect(lastApplied.data, key).toEqual((object as { data?: object }).data);
        expect(annotationsOf(fromApply), key).toEqual({});
      } else if (imagePullSecretsOf(object).length > 0) {
        expect(Object.keys(annotationsOf(object)), key).toEqual([KUBECTL_LAST_APPLIED]);
        expect(annotationsOf(fromApply), key).toEqual({
          [OWNED_ENTRIES_ANNOTATION]: imagePullSecretsOf(fromApply).join(","),
        });
      } else {
        expect(annotationsOf(object), key).toEqual({});
        expect(annotationsOf(fromApply), key).toEqual({});
      }
    }
  });

  it("apply -f finds nothing to write in the cluster the plan's files set up, nor in its own", async () => {
    const { dir, viaKubectl, viaApply } = sides();
    for (const api of [viaKubectl, viaApply]) {
      api.clearRequestLog();
      const again = await bash(`pullwarden apply -f '${layoutOf().layoutPath}'`, dir, env(dir, api));
      expect(again.exitCode, again.stderr).toBe(0);
      expect(api.requestLog().filter((r) => WRITE_VERBS.has(r.verb))).toEqual([]);
    }
  });
}

describe("examples/layout.yaml (AKS: ACR by identity, ECR rotated, GHCR and Harbor secrets)", () => {
  const layoutPath = join(ROOT, "examples/layout.yaml");
  const layout: Case = {
    layoutPath,
    layoutText: readFileSync(layoutPath, "utf8"),
    namespaces: ["shop", "payments", "analytics"],
    serviceAccounts: ["payments/payments", "payments/settlement", "analytics/spark"],
    orderDiffers: [],
  };
  let sides: Sides;

  beforeAll(async () => {
    sides = await runBothWays("example", layout);
  });

  sameObjects(
    "examples/layout.yaml",
    () => layout,
    () => sides,
  );

  it("writes the ECR token moto minted (the script's aws and apply's SDK alike) and the Harbor robot's password, as kubectl's secrets do", async () => {
    const ecr = await sides.viaApply.objects.get("secrets", "payments", "ecr-pull");
    expect(dockerConfigOf(ecr)).toBe(
      buildDockerConfigJson([
        { server: "123456789012.dkr.ecr.eu-west-1.amazonaws.com", username: "AWS", password: ECR_TOKEN },
      ]),
    );
    const harbor = await sides.viaApply.objects.get("secrets", "analytics", "harbor-pull");
    expect(dockerConfigOf(harbor)).toBe(
      buildDockerConfigJson([
        { server: "harbor.example.com", username: "robot$shop+puller", password: HARBOR_PASSWORD },
      ]),
    );
  });

  it("names what it leaves to the plan's other steps: the ACR identity grant and the CronJob's Pod spec", () => {
    expect(sides.applied.stderr).toContain(
      "note: apply -f writes only the pull secrets and ServiceAccount bindings; not applied: the cloud identity grant for acr; the Pod spec references of CronJob/settlement in payments",
    );
    expect(sides.applied.stderr).toContain("warning: Rotated secrets need the rotation script on a schedule");
    expect(sides.applied.stderr).toContain(
      `note: secret ecr-pull holds a token that lives 12 hours: run pullwarden apply -f ${layout.layoutPath} (or plan's rotation script) again every 6 hours`,
    );
  });
});

describe("generic registries and GHCR in four namespaces, ServiceAccounts shared by workloads", () => {
  let sides: Sides;
  let layout: Case;

  beforeAll(async () => {
    const dir = makeScratchDir("plan-apply-layout");
    cleanups.push(() => removeScratchDir(dir));
    // A password file ending in a newline: both ways drop exactly one, as docker login --password-stdin does.
    const passwordFile = join(dir, "quay-password");
    writeFileSync(passwordFile, `${QUAY_PASSWORD}\n`, { mode: 0o600 });
    const layoutText = `apiVersion: pullwarden.io/v1alpha1
kind: PullLayout
cluster: { provider: other, name: on-prem }
registries:
  - name: local
    host: ${world.basic.host}
    credential: { type: robot-account, username: ${world.user.username}, passwordEnv: LOCAL_REGISTRY_PASSWORD, expires: "2027-01-01" }
  - name: ghcr
    ghcr: acme
    credential: { type: classic-pat, username: acme-bot, passwordEnv: GHCR_TOKEN, expires: "2027-01-01" }
  - name: quay
    host: quay.internal.example:8443
    credential: { type: robot-account, username: "acme+puller", passwordFile: ${passwordFile}, expires: "2027-01-01" }
namespaces:
  - name: web
    registries: [local, ghcr]
    workloads:
      - { kind: Deployment, name: frontend, serviceAccount: web }
      - { kind: Deployment, name: backend, serviceAccount: web }
      - { kind: StatefulSet, name: cache, serviceAccount: cache }
  - name: api
    registries: [local, quay, ghcr]
    serviceAccounts: [default, api]
  - name: jobs
    registries: [ghcr]
  - name: tools
    registries: [quay, local]
    workloads:
      - { kind: Deployment, name: linter, serviceAccount: default }
      - { kind: Deployment, name: formatter, serviceAccount: default }
`;
    const layoutPath = join(dir, "layout.yaml");
    writeFileSync(layoutPath, layoutText);
    layout = {
      layoutPath,
      layoutText,
      namespaces: ["web", "api", "jobs", "tools"],
      serviceAccounts: ["web/web", "web/cache", "api/api"],
      // api lists [local, quay, ghcr] and tools [quay, local]; the layout's registries are local, ghcr, quay.
      orderDiffers: [],
    };
    sides = await runBothWays("layout", layout);
  });

  sameObjects(
    "generic + GHCR layout",
    () => layout,
    () => sides,
  );

  it("binds shared ServiceAccounts only, and the password file's value without its newline", async () => {
    const sa = async (ns: string, name: string): Promise<string[]> =>
      imagePullSecretsOf(await sides.viaApply.objects.get("serviceaccounts", ns, name));
    expect(await sa("web", "web")).toEqual(["local-pull", "ghcr-pull"]);
    expect(await sa("web", "cache")).toEqual([]);
    expect(await sa("web", "default")).toEqual([]);
    expect(await sa("api", "default")).toEqual(["local-pull", "ghcr-pull", "quay-pull"]);
    expect(await sa("api", "api")).toEqual(["local-pull", "ghcr-pull", "quay-pull"]);
    expect(await sa("jobs", "default")).toEqual(["ghcr-pull"]);
    expect(await sa("tools", "default")).toEqual(["local-pull", "quay-pull"]);
    // The namespace lists quay before local; both paths follow the layout's registry order.
    expect(
      imagePullSecretsOf(await sides.viaKubectl.objects.get("serviceaccounts", "tools", "default")),
    ).toEqual(["local-pull", "quay-pull"]);
    expect(dockerConfigOf(await sides.viaApply.objects.get("secrets", "tools", "quay-pull"))).toBe(
      buildDockerConfigJson([
        { server: "quay.internal.example:8443", username: "acme+puller", password: QUAY_PASSWORD },
      ]),
    );
    expect(sides.applied.stderr).toContain(
      "not applied: the Pod spec references of StatefulSet/cache in web",
    );
  });

  it("a secret apply -f wrote pulls the real image through containerd's CRI, with the credential kubelet selects", async () => {
    const image = world.ref(world.basic);
    const socket = world.containerd?.socket ?? "";
    await removeImage(socket, image).catch(() => undefined);
    const anonymous = await pullImage(socket, image);
    expect(anonymous.ok).toBe(false);
    // Read back from the API server with kubectl; kubelet's matching rules pick the credential (secret match).
    const matched = await bash(
      `kubectl get secret local-pull -n web -o yaml | pullwarden secret match '${image}' - --show-secrets -o json`,
      sides.dir,
      env(sides.dir, sides.viaApply),
    );
    expect(matched.exitCode, matched.stderr).toBe(0);
    const match = JSON.parse(matched.stdout) as {
      matches: { entry: { key: string; credential: { username: string; password: string } } }[];
    };
    const first = match.matches[0];
    expect(first?.entry.key).toBe(world.basic.host);
    expect(first?.entry.credential.username).toBe(world.user.username);
    const pulled = await pullImage(socket, image, {
      username: first?.entry.credential.username ?? "",
      password: first?.entry.credential.password ?? "",
    });
    expect(pulled.ok, JSON.stringify(pulled)).toBe(true);
  });
});
