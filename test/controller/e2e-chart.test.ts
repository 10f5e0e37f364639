// End to end, as an operator runs it: the chart installed with the real helm v4 into the real kube-apiserver
// (CRDs, ServiceAccount, RBAC, admission policies, the Deployment); no kubelet runs the Deployment, so the test
// runs the built CLI (`node dist/bin/main.js` with the Deployment's own args) as that ServiceAccount (a
// TokenRequest). The controller mints ECR tokens through the AWS SDK from moto, behind the recording AWS proxy and
// a proxy that gives each token a lifetime of seconds (moto's expiresAt is fixed in 2015), verifies them against
// a real registry (Debian docker-registry; moto's password is its htpasswd user AWS), writes the Secret into the
// selected namespaces (and one created later) and binds their default ServiceAccounts; the Secret, as kubelet
// selects a credential from it, pulls a real image through containerd's CRI; after several lifetimes, exactly
// one GetAuthorizationToken per refresh. The same controller process mints ACR refresh tokens with its managed
// identity (the fake IMDS, the ACR's /oauth2/exchange in front of a real registry, refresh tokens of seconds),
// and the ACR Secret pulls through a containerd of its own; one exchange per refresh.
// Then ECR answers 503 for longer than a refresh period: the old token keeps serving until it expires
// (ExpiringSoon first), nothing is written, and it is served again once ECR answers.
import { spawn } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { createServer } from "node:http";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import {
  lookupCredentials,
  parseDockerConfigText,
  parseDockerConfigTextToView,
} from "../../src/dockerconfig/index.js";
import { startCluster } from "../kube/harness.js";
import { startAcrRegistry } from "../support/acr-registry.js";
import type { AcrRegistry } from "../support/acr-registry.js";
import { startFakeImds } from "../support/azure-imds.js";
import type { FakeImds } from "../support/azure-imds.js";
import { startContainerd } from "../support/containerd.js";
import type { Containerd } from "../support/containerd.js";
import { createEntraIssuer } from "../support/entra-tokens.js";
import { createPki, createSigningKey } from "../support/tls.js";
import type { KubeObject, TestCluster } from "../kube/harness.js";
import { startAwsProxy } from "../support/aws-proxy.js";
import type { AwsProxy } from "../support/aws-proxy.js";
import { pullImage, removeImage, startWorld, WORLD_USER } from "../support/index.js";
import type { World } from "../support/index.js";
import { startMoto } from "../support/moto.js";
import type { Moto } from "../support/moto.js";
import { LOOPBACK, waitUntil } from "../support/net.js";
import { makeScratchDir } from "../support/scratch.js";
import { REPO_ROOT } from "../support/tools.js";
import { CHART, helm, serviceAccountKubeconfig } from "./chart-render.js";
import {
  CONTROLLER_NAMESPACE,
  condition,
  createBinding,
  createCredential,
  getCustom,
  removeCustomResources,
} from "./harness.js";

/** The chart is installed where the controller runs. */
const RELEASE_NAMESPACE = CONTROLLER_NAMESPACE;
const CLI = join(REPO_ROOT, "dist/bin/main.js");
const ACCOUNT = "123456789012";
const MOTO_LOGIN = { username: "AWS", password: `${ACCOUNT}-auth-token` };
const SECRET_KEY = "CANARY-e2e-chart-secret-key-Qm4t";
const LIFETIME_S = 6;
const ACR_REFRESH_TOKEN_S = 8;
const MANAGED_IDENTITY = {
  clientId: "a1a1a1a1-0000-4000-8000-0000000000e2",
  objectId: "0b0b0b0b-0000-4000-8000-0000000000e2",
};

let moto: Moto;
let awsProxy: AwsProxy;
let shortener: Server;
let world: World;
let api: TestCluster;
let acr: AcrRegistry;
let imds: FakeImds;
let acrContainerd: Containerd;
let controller: ChildProcess | undefined;
let output = "";

/**
 * In front of the AWS proxy: ECR's GetAuthorizationToken answers with `expiresAt` (epoch seconds, reference §C.3)
 * moved to LIFETIME_S from now, so refreshes come every few seconds.
 */
async function startLifetimeShortener(upstream: string): Promise<Server> {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const headers = Object.fromEntries(
        Object.entries(req.headers).filter(([n]) => !["host", "connection", "content-length"].includes(n)),
      ) as Record<string, string>;
      void fetch(`${upstream}${req.url ?? "/"}`, {
        method: req.method ?? "POST",
        headers,
        body: Buffer.concat(chunks),
      }).then(async (answer) => {
        let text = await answer.text();
        if (answer.ok && String(req.headers["x-amz-target"]).endsWith("GetAuthorizationToken")) {
          const body = JSON.parse(text) as { authorizationData: { expiresAt: number }[] };
          for (const data of body.authorizationData) data.expiresAt = Date.now() / 1000 + LIFETIME_S;
          text = JSON.stringify(body);
        }
        res.writeHead(answer.status, { "content-type": answer.headers.get("content-type") ?? "text/plain" });
        res.end(text);
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, LOOPBACK, resolve));
  return server;
}

beforeAll(async () => {
  [moto, world] = await Promise.all([startMoto(), startWorld({ users: [WORLD_USER, MOTO_LOGIN] })]);
  awsProxy = await startAwsProxy(moto.endpoint);
  shortener = await startLifetimeShortener(awsProxy.endpoint);
  const dir = makeScratchDir("e2e-acr");
  const [pki, signing] = await Promise.all([createPki(dir), createSigningKey(dir)]);
  const issuer = createEntraIssuer();
  acr = await startAcrRegistry({
    dir,
    pki,
    signing,
    acr: {
      verifyEntraToken: (token) => issuer.verify(token),
      roles: { [MANAGED_IDENTITY.objectId]: "AcrPull" },
      refreshTokenTtlSeconds: ACR_REFRESH_TOKEN_S,
    },
  });
  imds = await startFakeImds(issuer, {
    tenantId: "3f2c7a10-6b1e-4c55-9d2a-0e4f5a6b7c8d",
    systemAssigned: MANAGED_IDENTITY,
    userAssigned: [],
  });
  acrContainerd = await startContainerd({
    registries: [{ host: acr.host, url: acr.url, caFile: pki.caFile }],
  });
  api = await startCluster({ namespaces: ["team-a", "team-b"] });
}, 240_000);

afterAll(async () => {
  if (controller && controller.exitCode === null) {
    const exited = new Promise((r) => controller?.once("exit", r));
    controller.kill("SIGTERM");
    await exited;
  }
  if (api) await removeCustomResources(api);
  await api?.stop();
  await new Promise((r) => shortener?.close(r));
  await Promise.all([awsProxy?.stop(), moto?.stop(), world?.stop(), acrContainerd?.stop()]);
  await Promise.all([acr?.stop(), imds?.stop()]);
});

const ecrCalls = () => awsProxy.requests.filter((r) => r.target?.endsWith("GetAuthorizationToken"));
const outputTail = () => output.split("\n").slice(-15).join("\n");

/** The `.dockerconfigjson` text of a Secret; undefined while there is none. */
async function secretText(namespace: string, name: string): Promise<string | undefined> {
  const secret = (await api.objects.get("secrets", namespace, name)) as
    (KubeObject & { data?: Record<string, string> }) | undefined;
  const data = secret?.data?.[".dockerconfigjson"];
  return data ? Buffer.from(data, "base64").toString("utf8") : undefined;
}

/** The controller process's /metrics (its port is in its "controller starting" log line). */
async function controllerMetrics(): Promise<string> {
  const port = Number(/"httpPort":(\d+)/.exec(output)?.[1]);
  return (await fetch(`http://${LOOPBACK}:${port}/metrics`)).text();
}

/**
 * The controller's /metrics at a moment when its request counter for `source` and its refresh count for
 * `credential` agree with what the recording proxy saw (`recorded`): a refresh can be in flight, counted by one
 * side and not yet by the other, at any single reading.
 */
async function settledMetrics(source: string, credential: string, recorded: () => number): Promise<void> {
  let metrics = "";
  await waitUntil(
    `the controller's ${source} request and refresh counts to match the proxy's record`,
    async () => {
      metrics = await controllerMetrics();
      const calls = recorded();
      return (
        metrics.includes(`pullwarden_source_requests_total{source="${source}"} ${calls}\n`) &&
        refreshesOf(metrics, credential) === calls
      );
    },
    { timeoutMs: 10_000, intervalMs: 50, describe: () => metrics },
  );
}

/** pullwarden_credential_refresh_total of one credential, summed over its results. */
function refreshesOf(metrics: string, credential: string): number {
  const line = new RegExp(
    `^pullwarden_credential_refresh_total\\{credential="${credential}",result="\\w+"\\} (\\d+)$`,
    "gm",
  );
  return [...metrics.matchAll(line)].map((m) => Number(m[1])).reduce((a, n) => a + n, 0);
}

it("helm install, the controller as the chart's ServiceAccount: minted from moto, verified, written, bound, pulled through CRI; one ECR call per refresh", async () => {
  const install = await helm([
    "install",
    "pw",
    CHART,
    "--namespace",
    RELEASE_NAMESPACE,
    "--create-namespace",
    "--kubeconfig",
    api.kubeconfigPath,
  ]);
  expect(install.exitCode, install.stderr).toBe(0);
  expect(install.stdout).toContain("STATUS: deployed");

  // The Deployment the chart created: its args, as the container would run them.
  const deployment = (await api.objects.get(
    "deployments",
    RELEASE_NAMESPACE,
    "pw-pullwarden-controller",
  )) as KubeObject & {
    spec: { template: { spec: { serviceAccountName: string; containers: { args: string[] }[] } } };
  };
  const pod = deployment.spec.template.spec;
  const args = (pod.containers[0]?.args ?? []).filter((a) => !a.startsWith("--http-address"));
  const kubeconfig = await serviceAccountKubeconfig(api, pod.serviceAccountName);

  await createCredential(api, "ecr", {
    source: { ecr: { registry: world.basic.host, region: "us-east-1" } },
    refresh: { rotationFraction: 0.5, jitterFraction: 0 },
  });
  await createBinding(api, "apps", {
    credentials: ["ecr"],
    secretName: "ecr-pull",
    namespaces: { names: ["team-a"], selector: { matchLabels: { pulls: "ecr" } } },
    serviceAccounts: ["default"],
  });

  const home = makeScratchDir("e2e-controller-home");
  // One CA bundle for both registries (the chart's registryCA ConfigMap would mount it).
  const caBundle = join(home, "registry-ca.pem");
  writeFileSync(caBundle, [world.pki.caFile, acr.caFile].map((f) => readFileSync(f, "utf8")).join("\n"));
  controller = spawn(
    process.execPath,
    [CLI, ...args, "--http-address", `${LOOPBACK}:0`, "--ca-file", caBundle, "--kubeconfig", kubeconfig],
    {
      env: {
        PATH: process.env.PATH ?? "/usr/bin:/bin",
        HOME: home,
        POD_NAMESPACE: RELEASE_NAMESPACE,
        POD_NAME: "pw-pullwarden-controller-0",
        AWS_ACCESS_KEY_ID: "AKIAE2ECHARTEXAMPLE1",
        AWS_SECRET_ACCESS_KEY: SECRET_KEY,
        AWS_ENDPOINT_URL_ECR: `http://${LOOPBACK}:${(shortener.address() as AddressInfo).port}`,
        AWS_EC2_METADATA_DISABLED: "true",
        // Managed identity through IMDS (the SDK reads its address from here), and the ACR's CA for the exchange.
        AZURE_POD_IDENTITY_AUTHORITY_HOST: imds.url,
        PULLWARDEN_EXTRA_CA_CERTS: caBundle,
      },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  controller.stdout?.on("data", (c: Buffer) => (output += c.toString()));
  controller.stderr?.on("data", (c: Buffer) => (output += c.toString()));
  const describe = outputTail;

  await waitUntil("team-a's Secret", async () => (await secretText("team-a", "ecr-pull")) !== undefined, {
    timeoutMs: 60_000,
    describe,
  });
  // A namespace labelled later, and one created later.
  const b = (await api.objects.get("namespaces", undefined, "team-b")) as KubeObject;
  await api.objects.put({ ...b, metadata: { ...b.metadata, labels: { pulls: "ecr" } } });
  await api.objects.seed({
    apiVersion: "v1",
    kind: "Namespace",
    metadata: { name: "team-late", labels: { pulls: "ecr" } },
  });
  for (const ns of ["team-b", "team-late"])
    await waitUntil(`${ns}'s Secret`, async () => (await secretText(ns, "ecr-pull")) !== undefined, {
      timeoutMs: 60_000,
      describe,
    });
  for (const ns of ["team-a", "team-b", "team-late"])
    await waitUntil(
      `${ns}'s default ServiceAccount bound`,
      async () => {
        const sa = (await api.objects.get("serviceaccounts", ns, "default")) as KubeObject | undefined;
        return JSON.stringify(sa?.["imagePullSecrets"]) === JSON.stringify([{ name: "ecr-pull" }]);
      },
      { timeoutMs: 60_000, describe },
    );

  // As kubelet: the credential selected for the image from the Secret pulls it through containerd's CRI.
  const image = world.ref(world.basic);
  const socket = world.containerd?.socket ?? "";
  await removeImage(socket, image).catch(() => undefined);
  expect((await pullImage(socket, image)).ok).toBe(false);
  const view = parseDockerConfigTextToView(
    parseDockerConfigText((await secretText("team-late", "ecr-pull")) ?? "", {
      source: "secret team-late/ecr-pull",
    }),
  );
  const selected = lookupCredentials(view.entries, image).matches[0];
  expect(selected?.key).toBe(world.basic.host);
  expect(selected?.entry).toMatchObject(MOTO_LOGIN);
  const pulled = await pullImage(socket, image, {
    username: selected?.entry.username ?? "",
    password: selected?.entry.password ?? "",
    server_address: world.basic.url,
  });
  expect(pulled.ok, JSON.stringify(pulled)).toBe(true);

  // Several lifetimes: a refresh at half of each (3 s), one GetAuthorizationToken each, however many namespaces.
  const first = ecrCalls().length;
  await new Promise((r) => setTimeout(r, 4 * LIFETIME_S * 1000));
  const calls = ecrCalls().length - first;
  // The controller's own counts are the proxy's (settledMetrics waits out a refresh in flight).
  await settledMetrics("ecr", "ecr", () => ecrCalls().length);
  // 24 s at one refresh per 3 s (plus the time each pass takes): 6 to 8, never one per namespace (3 here).
  expect(calls).toBeGreaterThanOrEqual(5);
  expect(calls).toBeLessThanOrEqual(9);
  const times = ecrCalls().map((r) =>
    Date.parse(`${r.amzDate?.replace(/(\d{4})(\d\d)(\d\d)T(\d\d)(\d\d)(\d\d)Z/, "$1-$2-$3T$4:$5:$6Z")}`),
  );
  for (let i = 1; i < times.length; i++)
    expect((times[i] ?? 0) - (times[i - 1] ?? 0)).toBeGreaterThanOrEqual(2_000);

  const c = await getCustom(api, "clusterpullcredentials", "ecr");
  expect(condition(c, "Ready")?.status).toBe("True");
  expect(condition(c, "Verified")?.status).toBe("True");
  expect(Date.parse(String(c.status?.["expiresAt"]))).toBeGreaterThan(Date.now() - 1_000);
  const cpsb = await getCustom(api, "clusterpullsecretbindings", "apps");
  expect(cpsb.status?.["secretsInSync"]).toBe(3);
  // Nothing the controller's identity sent was refused (RBAC and the admission policies of the chart).
  const refused = api
    .requestLog()
    .filter((r) => r.user !== "admin" && (r.status ?? 0) >= 400 && r.status !== 404);
  expect(refused.map((r) => `${r.verb} ${r.resource} ${r.status}`)).toEqual([]);
  for (const canary of [MOTO_LOGIN.password, SECRET_KEY]) expect(output).not.toContain(canary);
}, 240_000);

const exchanges = () => acr.tokenServer.requests().filter((r) => r.path === "/oauth2/exchange");

it("the same controller: an ACR refresh token minted with its managed identity, verified, written, pulled through CRI; one exchange per refresh (runs after the helm install above)", async () => {
  expect(controller?.exitCode).toBeNull();
  const describe = outputTail;
  await createCredential(api, "acr", {
    source: { acr: { registry: acr.host } },
    refresh: { rotationFraction: 0.5, jitterFraction: 0 },
  });
  await createBinding(api, "acr-apps", {
    credentials: ["acr"],
    secretName: "acr-pull",
    namespaces: { selector: { matchLabels: { pulls: "ecr" } } },
    serviceAccounts: ["default"],
  });
  for (const ns of ["team-b", "team-late"])
    await waitUntil(`${ns}'s ACR Secret`, async () => (await secretText(ns, "acr-pull")) !== undefined, {
      timeoutMs: 60_000,
      describe,
    });
  await waitUntil(
    "team-b's default ServiceAccount has both Secrets",
    async () => {
      const sa = (await api.objects.get("serviceaccounts", "team-b", "default")) as KubeObject | undefined;
      return (
        JSON.stringify(sa?.["imagePullSecrets"]) ===
        JSON.stringify([{ name: "ecr-pull" }, { name: "acr-pull" }])
      );
    },
    { timeoutMs: 60_000, describe },
  );

  const socket = acrContainerd.socket;
  await removeImage(socket, acr.image).catch(() => undefined);
  expect((await pullImage(socket, acr.image)).ok).toBe(false);
  const view = parseDockerConfigTextToView(
    parseDockerConfigText((await secretText("team-b", "acr-pull")) ?? "", {
      source: "secret team-b/acr-pull",
    }),
  );
  const selected = lookupCredentials(view.entries, acr.image).matches[0];
  expect(selected?.key).toBe(acr.host);
  // ACR's refresh token goes as the password of the null-GUID user.
  expect(selected?.entry.username).toBe("00000000-0000-0000-0000-000000000000");
  const pulled = await pullImage(socket, acr.image, {
    username: selected?.entry.username ?? "",
    password: selected?.entry.password ?? "",
    server_address: acr.url,
  });
  expect(pulled.ok, JSON.stringify(pulled)).toBe(true);

  // Several refresh-token lifetimes: a refresh at half of each (4 s), one exchange each.
  const first = exchanges().length;
  await new Promise((r) => setTimeout(r, 3 * ACR_REFRESH_TOKEN_S * 1000));
  const calls = exchanges().length - first;
  await settledMetrics("acr", "acr", () => exchanges().length);
  expect(calls).toBeGreaterThanOrEqual(4);
  expect(calls).toBeLessThanOrEqual(7);
  const c = await getCustom(api, "clusterpullcredentials", "acr");
  expect(condition(c, "Ready")?.status).toBe("True");
  expect(condition(c, "Verified")?.status).toBe("True");
  expect((await getCustom(api, "clusterpullsecretbindings", "acr-apps")).status?.["secretsInSync"]).toBe(2);
  expect(output).not.toContain(selected?.entry.password ?? "no password");
}, 240_000);

it("ECR down for longer than a refresh period (the same controller): the old token keeps serving, ExpiringSoon, then Expired and never written; served again once ECR answers", async () => {
  expect(controller?.exitCode).toBeNull();
  const describe = outputTail;
  awsProxy.intercept(() => ({
    kind: "json",
    status: 503,
    type: "ServiceUnavailableException",
    message: "ECR is down (test)",
  }));
  const downSince = ecrCalls().length;
  api.clearRequestLog();
  try {
    await waitUntil(
      "ExpiringSoon while still Ready",
      async () => {
        const c = await getCustom(api, "clusterpullcredentials", "ecr");
        return condition(c, "ExpiringSoon")?.status === "True" && condition(c, "Ready")?.status === "True";
      },
      { timeoutMs: 30_000, describe },
    );
    await waitUntil(
      "Expired",
      async () =>
        condition(await getCustom(api, "clusterpullcredentials", "ecr"), "Ready")?.reason === "Expired",
      { timeoutMs: 30_000, describe },
    );
    // Retried while down (more than one refresh period passed), and not one ECR Secret written meanwhile.
    expect(ecrCalls().length - downSince).toBeGreaterThanOrEqual(2);
    const ecrWrites = api
      .requestLog()
      .filter(
        (r) =>
          r.resource === "secrets" &&
          r.name === "ecr-pull" &&
          r.verb !== "get" &&
          r.verb !== "list" &&
          r.verb !== "watch",
      );
    expect(ecrWrites).toEqual([]);
    const stored = (await api.objects.get("secrets", "team-a", "ecr-pull")) as KubeObject | undefined;
    expect(stored).toBeDefined();
  } finally {
    awsProxy.intercept(undefined);
  }
  await waitUntil(
    "Ready again",
    async () => condition(await getCustom(api, "clusterpullcredentials", "ecr"), "Ready")?.status === "True",
    { timeoutMs: 60_000, describe },
  );
  expect(output).not.toContain(MOTO_LOGIN.password);
}, 120_000);
