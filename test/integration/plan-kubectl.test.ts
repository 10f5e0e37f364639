// The files `pullwarden plan -o DIR` writes, run as a user runs them: the secret and rotation scripts, then
// `kubectl apply -k .`, the workload patches and the verify script, with the real kubectl against a real
// control plane (kube-apiserver v1.37.2, test/kube/real-cluster.ts; fake `aws` and `az` CLIs print the cloud
// tokens). What lands in the cluster must be exactly the plan's
// desired state (`plan.spec`, the model `apply` shares), and a secret the script created must pull a real image
// through containerd's CRI PullImage (the call kubelet makes), with the credential kubelet would pick.
import { chmodSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  lookupCredentials,
  parseDockerConfigText,
  buildDockerConfigJson,
} from "../../src/dockerconfig/index.js";
import { expandSpec } from "../../src/desired/index.js";
import { planFromLayoutText } from "../../src/plan/index.js";
import type { Plan } from "../../src/plan/index.js";
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
import { NOW, ROOT, runPullwarden } from "../plan/helpers.js";

const GHCR_TOKEN = "ghp_EXAMPLE0example0EXAMPLE0example01234";
const b64url = (value: object): string => Buffer.from(JSON.stringify(value)).toString("base64url");
const inHours = (hours: number): number => Math.floor(Date.now() / 1000) + hours * 3600;
/** Shaped like real ECR passwords (base64 JSON with an expiration) and ACR refresh tokens (JWTs), so the verify
 * step's `secret inspect` judges them as it would real ones. */
const ecrToken = (payload: string): string =>
  Buffer.from(
    JSON.stringify({ payload, datakey: "k", version: "2", type: "DATA_KEY", expiration: inHours(12) }),
  ).toString("base64");
const ECR_TOKEN_1 = ecrToken("one");
const ECR_TOKEN_2 = ecrToken("two");
const ACR_TOKEN = `${b64url({ alg: "RS256", typ: "JWT" })}.${b64url({ iss: "Azure Container Registry", aud: "contosoprod.azurecr.io", grant_type: "refresh_token", exp: inHours(3), iat: inHours(0) })}.c2ln`;

let world: World;
let api: TestCluster;
let dir: string;
let out: string;
let bin: string;
let plan: Plan;
let layoutText: string;

function deployment(
  kind: "Deployment" | "DaemonSet",
  name: string,
  namespace: string,
  serviceAccount: string,
): KubeObject {
  return {
    apiVersion: "apps/v1",
    kind,
    metadata: { name, namespace },
    spec: {
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: {
          serviceAccountName: serviceAccount,
          containers: [{ name: "app", image: "registry.example/app:1" }],
        },
      },
    },
  } as KubeObject;
}

beforeAll(async () => {
  [world, api] = await Promise.all([
    startWorld(),
    startCluster({
      namespaces: ["shop", "payments", "analytics"],
      objects: [
        deployment("Deployment", "payments-api", "payments", "payments"),
        deployment("Deployment", "payments-worker", "payments", "payments"),
        deployment("DaemonSet", "agent", "payments", "agent"),
      ],
    }),
  ]);
  dir = makeScratchDir("plan-kubectl");
  out = join(dir, "out");
  bin = join(dir, "bin");
  mkdirSync(bin);
  const fake = (name: string, body: string): void => {
    writeFileSync(join(bin, name), `#!/bin/sh\necho "$*" >>"${dir}/${name}.calls"\n${body}\n`);
    chmodSync(join(bin, name), 0o755);
  };
  writeFileSync(
    join(bin, "pullwarden"),
    `#!/bin/sh\nexec "${process.execPath}" "${join(ROOT, "dist/bin/main.js")}" "$@"\n`,
  );
  chmodSync(join(bin, "pullwarden"), 0o755);
  fake("aws", `printf '%s' "$FAKE_ECR_TOKEN"`);
  fake("az", `printf '%s\\n' "${ACR_TOKEN}"`);

  layoutText = `apiVersion: pullwarden.io/v1alpha1
kind: PullLayout
cluster: { provider: other, name: test-cluster }
registries:
  - name: local
    host: ${world.basic.host}
    credential: { type: robot-account, username: ${world.user.username}, passwordEnv: LOCAL_REGISTRY_PASSWORD, expires: "2027-01-01" }
  - name: ghcr
    ghcr: acme
    credential: { type: classic-pat, username: acme-bot, passwordEnv: GHCR_TOKEN, expires: "2027-01-01" }
  - name: ecr
    ecr: { accountId: "123456789012", region: eu-west-1 }
  - name: acr
    acr: contosoprod
namespaces:
  - name: shop
    registries: [local, ghcr]
  - name: payments
    registries: [local, ecr]
    workloads:
      - { kind: Deployment, name: payments-api, serviceAccount: payments }
      - { kind: Deployment, name: payments-worker, serviceAccount: payments }
      - { kind: DaemonSet, name: agent, serviceAccount: agent }
  - name: analytics
    registries: [ghcr, acr]
    serviceAccounts: [default, spark]
`;
  writeFileSync(join(dir, "layout.yaml"), layoutText);
  plan = planFromLayoutText(layoutText, { source: "layout.yaml", now: NOW });
  const result = await runPullwarden(["plan", "-f", "layout.yaml", "-o", "out"], { cwd: dir });
  if (result.code !== 0) throw new Error(result.stderr);
});

afterAll(async () => {
  await Promise.allSettled([world?.stop(), api?.stop()]);
  if (dir) removeScratchDir(dir);
});

function env(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    PATH: `${bin}:${process.env["PATH"] ?? "/usr/bin:/bin"}`,
    HOME: dir,
    KUBECONFIG: api.kubeconfigPath,
    GHCR_TOKEN,
    LOCAL_REGISTRY_PASSWORD: world.user.password,
    FAKE_ECR_TOKEN: ECR_TOKEN_1,
    ...extra,
  };
}

async function run(command: string, extra: Record<string, string> = {}): Promise<CommandResult> {
  requireTool("kubectl");
  return runCommand("bash", ["-c", command], { cwd: out, env: env(extra), timeoutMs: 60_000 });
}

/** `./NN-<suffix>`: the numbered script of a step. */
function step(suffix: string): string {
  const file = readdirSync(out).find((f) => /^\d\d-/.test(f) && f.endsWith(suffix));
  if (!file) throw new Error(`no *${suffix} in the plan`);
  return `./${file}`;
}

function secret(namespace: string, name: string): Promise<KubeObject | undefined> {
  return api.objects.get("secrets", namespace, name);
}

function dockerConfigOf(object: KubeObject | undefined): string {
  const data = (object as { data?: Record<string, string> } | undefined)?.data?.[".dockerconfigjson"];
  return Buffer.from(data ?? "", "base64").toString("utf8");
}

describe("the plan's files, run with kubectl against a real control plane", () => {
  it("run in the README's order, each succeeding", async () => {
    const create = await run(step("-create-secrets.sh"));
    expect(create.exitCode, create.stderr).toBe(0);
    expect(create.stdout).toMatch(/secret\/local-pull created/);
    const rotate = await run(step("-rotate-secrets.sh"));
    expect(rotate.exitCode, rotate.stderr).toBe(0);
    expect(readFileSync(join(dir, "aws.calls"), "utf8")).toBe("ecr get-login-password --region eu-west-1\n");
    expect(readFileSync(join(dir, "az.calls"), "utf8")).toBe(
      "acr login --name contosoprod --expose-token --output tsv --query accessToken\n",
    );
    const kustomize = await run("kubectl apply -k .");
    expect(kustomize.exitCode, kustomize.stderr).toBe(0);
    const patch = await run(step("-patch-workloads.sh"));
    expect(patch.exitCode, patch.stderr).toBe(0);
    const verify = await run(step("-verify.sh"));
    expect(verify.exitCode, `${verify.stdout}${verify.stderr}`).toBe(0);
    expect(verify.stdout).toContain("ok: serviceaccount spark in analytics lists acr-pull");
  });

  it("leaves exactly the plan's desired state: its secrets, in its namespaces only, and its ServiceAccount bindings", async () => {
    const desired = expandSpec(plan.spec, () => []);
    const secrets: string[] = [];
    for (const ns of ["default", "shop", "payments", "analytics"])
      for (const s of await api.objects.list("secrets", ns)) secrets.push(`${ns}/${s.metadata.name ?? ""}`);
    expect(secrets.sort()).toEqual(desired.secrets.map((s) => `${s.namespace}/${s.name}`).sort());
    for (const s of desired.secrets) {
      const object = (await secret(s.namespace, s.name)) as KubeObject & { type?: string };
      expect(object.type).toBe("kubernetes.io/dockerconfigjson");
      expect(object.metadata?.labels).toEqual({ "app.kubernetes.io/managed-by": "pullwarden" });
    }
    for (const ns of ["shop", "payments", "analytics"]) {
      for (const sa of await api.objects.list("serviceaccounts", ns)) {
        const wanted = desired.bindings
          .filter((b) => b.namespace === ns && b.serviceAccount === sa.metadata?.name)
          .map((b) => ({ name: b.secretName }));
        expect(
          (sa as { imagePullSecrets?: unknown[] }).imagePullSecrets ?? [],
          `${ns}/${sa.metadata?.name}`,
        ).toEqual(wanted);
      }
    }
    const agent = (await api.objects.get("daemonsets.apps", "payments", "agent")) as unknown as {
      spec: { template: { spec: { imagePullSecrets?: unknown } } };
    };
    expect(agent.spec.template.spec.imagePullSecrets).toEqual([{ name: "local-pull" }, { name: "ecr-pull" }]);
  });

  it("each secret holds kubectl's exact .dockerconfigjson for the credential the layout names", async () => {
    const expected = (server: string, username: string, password: string): string =>
      buildDockerConfigJson([{ server, username, password }]);
    expect(dockerConfigOf(await secret("shop", "local-pull"))).toBe(
      expected(world.basic.host, world.user.username, world.user.password),
    );
    expect(dockerConfigOf(await secret("analytics", "ghcr-pull"))).toBe(
      expected("ghcr.io", "acme-bot", GHCR_TOKEN),
    );
    expect(dockerConfigOf(await secret("payments", "ecr-pull"))).toBe(
      expected("123456789012.dkr.ecr.eu-west-1.amazonaws.com", "AWS", ECR_TOKEN_1),
    );
    expect(dockerConfigOf(await secret("analytics", "acr-pull"))).toBe(
      expected("contosoprod.azurecr.io", "00000000-0000-0000-0000-000000000000", ACR_TOKEN),
    );
  });

  it("a Pod admitted after the binding gets the ServiceAccount's secrets", async () => {
    const pod = join(dir, "pod.yaml");
    writeFileSync(
      pod,
      "apiVersion: v1\nkind: Pod\nmetadata: {name: web, namespace: shop}\nspec:\n  containers: [{name: web, image: x/y:1}]\n",
    );
    const created = await run(`kubectl apply -f ${pod}`);
    expect(created.exitCode, created.stderr).toBe(0);
    const stored = (await api.objects.get("pods", "shop", "web")) as unknown as {
      spec: { imagePullSecrets?: unknown };
    };
    expect(stored.spec.imagePullSecrets).toEqual([{ name: "local-pull" }, { name: "ghcr-pull" }]);
  });

  it("the secret the script created pulls a real image through containerd's CRI, as kubelet would", async () => {
    const image = world.ref(world.basic);
    const socket = world.containerd?.socket ?? "";
    await removeImage(socket, image).catch(() => undefined);
    const anonymous = await pullImage(socket, image);
    expect(anonymous.ok).toBe(false);
    const parsed = parseDockerConfigText(dockerConfigOf(await secret("shop", "local-pull")), {
      source: "shop/local-pull",
      format: "dockerconfigjson",
    });
    const lookup = lookupCredentials(parsed.entries, image);
    if (!lookup.ok) throw new Error(lookup.reason);
    const first = lookup.matches[0]?.entry.decoded;
    expect(first?.username).toBe(world.user.username);
    const pulled = await pullImage(socket, image, {
      username: first?.username ?? "",
      password: first?.password ?? "",
    });
    expect(pulled.ok, JSON.stringify(pulled)).toBe(true);
  });

  it("is idempotent, and rotation rewrites the short-lived token", async () => {
    const again = await run(`${step("-create-secrets.sh")} && kubectl apply -k .`);
    expect(again.exitCode, again.stderr).toBe(0);
    expect(again.stdout).not.toMatch(/created|configured/);
    expect(again.stdout).toMatch(/secret\/local-pull unchanged/);
    const rotated = await run(step("-rotate-secrets.sh"), { FAKE_ECR_TOKEN: ECR_TOKEN_2 });
    expect(rotated.exitCode, rotated.stderr).toBe(0);
    expect(rotated.stdout).toMatch(/secret\/ecr-pull configured/);
    expect(dockerConfigOf(await secret("payments", "ecr-pull"))).toContain(`"password":"${ECR_TOKEN_2}"`);
  });

  it("verify fails, naming the gap, when a binding is missing", async () => {
    const removed = await run(
      `kubectl patch serviceaccount spark -n analytics --type=json -p '[{"op":"remove","path":"/imagePullSecrets"}]'`,
    );
    expect(removed.exitCode, removed.stderr).toBe(0);
    const verify = await run(step("-verify.sh"));
    expect(verify.exitCode).toBe(1);
    expect(verify.stderr).toContain(
      "FAILED: serviceaccount spark in analytics does not list ghcr-pull in imagePullSecrets",
    );
    const fixed = await run("kubectl apply -k .");
    expect(fixed.exitCode, fixed.stderr).toBe(0);
    expect((await run(step("-verify.sh"))).exitCode).toBe(0);
  });
});
