// `pullwarden doctor` on a real kube-apiserver (test/kube/real-cluster.ts): each main cause seeded as a real
// cluster shows it (Pods with the container statuses kubelet writes through the status subresource and its
// events, in the runtime wordings of testdata/doctor/runtime-messages.json), run in-process through the CLI,
// checked in text and JSON, with the exit codes of docs/doctor.md. The server stamps creation times itself, so
// the fixture's times are relative to the real clock, and doctor runs two hours later (--now).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runPullwarden } from "../cli/run-cli.js";
import { startCluster } from "../kube/harness.js";
import type { TestCluster } from "../kube/harness.js";
import { CONTROLLERS } from "../support/index.js";

const rfc3339 = (ms: number): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");
const STARTED = Math.floor(Date.now() / 1000) * 1000;
/** When the fixture's objects are made (the server's creationTimestamp is the real time of the create). */
const EARLIER = rfc3339(STARTED);
/** doctor's clock: two hours after the objects were made. */
const NOW = rfc3339(STARTED + 2 * 3600_000);
let api: TestCluster;

const b64 = (s: string): string => Buffer.from(s).toString("base64");
/** Assembled at run time so no scanner takes the fixtures for leaked credentials. */
const token = (prefix: string, n: number): string => prefix + "A1b2C3d4E5".repeat(8).slice(0, n);

function dockerSecret(
  ns: string,
  name: string,
  auths: Record<string, { user: string; pass: string }>,
  type?: string,
) {
  const config = {
    auths: Object.fromEntries(
      Object.entries(auths).map(([host, c]) => [host, { auth: b64(`${c.user}:${c.pass}`) }]),
    ),
  };
  return {
    apiVersion: "v1",
    kind: "Secret",
    metadata: { name, namespace: ns, creationTimestamp: EARLIER },
    type: type ?? "kubernetes.io/dockerconfigjson",
    data: { ".dockerconfigjson": b64(JSON.stringify(config)) },
  };
}

interface PodSpecInput {
  image: string;
  secrets?: string[];
  sa?: string;
  reason?: string;
  message?: string;
  node?: string;
  policy?: string;
  events?: { reason: string; message: string; type?: string }[];
  owner?: string;
  noStatus?: boolean;
}

function pod(ns: string, name: string, p: PodSpecInput) {
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: {
      name,
      namespace: ns,
      uid: `uid-${ns}-${name}`,
      creationTimestamp: EARLIER,
      ...(p.owner
        ? {
            ownerReferences: [
              {
                apiVersion: "apps/v1",
                kind: "ReplicaSet",
                name: p.owner,
                uid: `rs-${p.owner}`,
                controller: true,
              },
            ],
          }
        : {}),
    },
    spec: {
      serviceAccountName: p.sa ?? "default",
      nodeName: p.node ?? "node-1",
      ...(p.secrets ? { imagePullSecrets: p.secrets.map((n) => ({ name: n })) } : {}),
      containers: [{ name: "app", image: p.image, imagePullPolicy: p.policy ?? "IfNotPresent" }],
    },
    ...(p.noStatus
      ? {}
      : {
          status: {
            phase: "Pending",
            containerStatuses: [
              {
                name: "app",
                image: p.image,
                imageID: "",
                ready: false,
                restartCount: 0,
                state: {
                  waiting: {
                    reason: p.reason ?? "ImagePullBackOff",
                    ...(p.message ? { message: p.message } : {}),
                  },
                },
              },
            ],
          },
        }),
  };
}

let eventSeq = 0;
function events(ns: string, name: string, list: PodSpecInput["events"]) {
  return (list ?? []).map((e) => ({
    apiVersion: "v1",
    kind: "Event",
    metadata: { name: `${name}.${(eventSeq++).toString(16)}`, namespace: ns },
    involvedObject: {
      kind: "Pod",
      namespace: ns,
      name,
      uid: `uid-${ns}-${name}`,
      apiVersion: "v1",
      fieldPath: "spec.containers{app}",
    },
    reason: e.reason,
    message: e.message,
    type: e.type ?? "Warning",
    count: 3,
    firstTimestamp: EARLIER,
    lastTimestamp: NOW,
    source: { component: "kubelet", host: "node-1" },
  }));
}

async function seedPod(ns: string, name: string, p: PodSpecInput): Promise<void> {
  await api.objects.seed(pod(ns, name, p) as never, ...(events(ns, name, p.events) as never[]));
}

const NO_BASIC = (image: string, host: string) =>
  `failed to pull and unpack image "${image}": failed to resolve reference "${image}": failed to authorize: failed to fetch anonymous token: unexpected status from GET request to https://${host}/token?scope=repository%3Aacme%2Fweb%3Apull&service=${host}: 401 Unauthorized`;

const node = {
  apiVersion: "v1",
  kind: "Node",
  metadata: { name: "node-1", labels: { "kubernetes.io/arch": "amd64", "kubernetes.io/os": "linux" } },
  spec: { providerID: "kind://docker/kind/node-1" },
  status: {
    nodeInfo: {
      kubeletVersion: "v1.32.0",
      containerRuntimeVersion: "containerd://1.7.13",
      architecture: "amd64",
      operatingSystem: "linux",
    },
    conditions: [{ type: "Ready", status: "True", lastHeartbeatTime: NOW }],
  },
};

async function doctor(args: string[], user = "admin") {
  return runPullwarden(["doctor", ...args, "--kubeconfig", api.kubeconfigFor(user)], { now: new Date(NOW) });
}

async function doctorJson(args: string[]) {
  const r = await doctor([...args, "-o", "json"]);
  return {
    ...r,
    json: JSON.parse(r.stdout) as {
      pods: {
        diagnoses: { id: string; fix: { commands: string[] }; evidence: string[] }[];
        gaps: string[];
        notes: string[];
        noStatus: boolean;
      }[];
      groups: { cause: string; pods: string[] }[];
      findings: number;
    },
  };
}

const ids = (r: Awaited<ReturnType<typeof doctorJson>>, i = 0) =>
  r.json.pods[i]?.diagnoses.map((d) => d.id) ?? [];

beforeAll(async () => {
  // Seeded Deployments, ReplicaSets and Pods are what their controllers left: those controllers do not run here
  // (they would make Pods no kubelet runs, and scale what the fixture sets).
  api = await startCluster({
    namespaces: ["shop", "other", "ok"],
    controllers: CONTROLLERS.filter((c) => c !== "deployment-controller" && c !== "replicaset-controller"),
  });
  await api.objects.seed(node as never);
  const ghcrPull = { user: "pullbot", pass: token("ghp_", 40) };
  // secret missing here, but exists in "other"
  await api.objects.seed(dockerSecret("other", "regcred", { "ghcr.io": ghcrPull }) as never);
  await seedPod("shop", "missing", {
    image: "ghcr.io/acme/web:1.4.2",
    secrets: ["regcred"],
    message: `Back-off pulling image "ghcr.io/acme/web:1.4.2": ErrImagePull: ${NO_BASIC("ghcr.io/acme/web:1.4.2", "ghcr.io")}`,
    events: [
      {
        reason: "FailedToRetrieveImagePullSecret",
        message: `Unable to retrieve some image pull secrets (regcred); attempting to pull the image may not succeed.`,
      },
      {
        reason: "Failed",
        message: `Failed to pull image "ghcr.io/acme/web:1.4.2": ${NO_BASIC("ghcr.io/acme/web:1.4.2", "ghcr.io")}`,
      },
    ],
  });
  // typo: the namespace has "ghcr-pull", the Pod names "ghcr-pul"
  await api.objects.seed(dockerSecret("shop", "ghcr-pull", { "ghcr.io": ghcrPull }) as never);
  await seedPod("shop", "typo", {
    image: "ghcr.io/acme/web:1.4.2",
    secrets: ["ghcr-pul"],
    events: [
      {
        reason: "FailedToRetrieveImagePullSecret",
        message:
          "Unable to retrieve some image pull secrets (ghcr-pul); attempting to pull the image may not succeed.",
      },
    ],
  });
  // wrong type: Opaque holding .dockerconfigjson (kubelet ignores it)
  await api.objects.seed(dockerSecret("shop", "opaque-cred", { "ghcr.io": ghcrPull }, "Opaque") as never);
  await seedPod("shop", "wrongtype", {
    image: "ghcr.io/acme/web:1.4.2",
    secrets: ["opaque-cred"],
    message: `Back-off pulling image "ghcr.io/acme/web:1.4.2": ErrImagePull: ${NO_BASIC("ghcr.io/acme/web:1.4.2", "ghcr.io")}`,
  });
  // keyed for ghcr.io, image on docker.io
  await seedPod("shop", "otherhost", {
    image: "docker.io/acme/private:1.0",
    secrets: ["ghcr-pull"],
    message:
      'Back-off pulling image "docker.io/acme/private:1.0": ErrImagePull: failed to pull and unpack image "docker.io/acme/private:1.0": failed to resolve reference "docker.io/acme/private:1.0": pull access denied, repository does not exist or may require authorization: server message: insufficient_scope: authorization failed',
  });
  // SA patched after the Pod was admitted: the Pod is made first, then (a second later, the managedFields
  // timestamps' precision) the ServiceAccount gets its imagePullSecrets, as `kubectl patch` would.
  await api.objects.seed({
    apiVersion: "v1",
    kind: "ServiceAccount",
    metadata: { name: "web", namespace: "shop" },
  });
  await seedPod("shop", "sa-late", {
    image: "ghcr.io/acme/web:1.4.2",
    sa: "web",
    message: `Back-off pulling image "ghcr.io/acme/web:1.4.2": ErrImagePull: ${NO_BASIC("ghcr.io/acme/web:1.4.2", "ghcr.io")}`,
  });
  await new Promise((resolve) => setTimeout(resolve, 1_100));
  const webSa = (await api.objects.get("serviceaccounts", "shop", "web")) as unknown as Record<
    string,
    unknown
  >;
  await api.objects.put({ ...webSa, imagePullSecrets: [{ name: "ghcr-pull" }] } as never);
  // expired ECR token in a static secret
  const ecrHost = "123456789012.dkr.ecr.eu-west-1.amazonaws.com";
  const ecrPass = b64(
    JSON.stringify({
      payload: token("p", 40),
      datakey: token("d", 40),
      version: "2",
      type: "DATA_KEY",
      expiration: Date.parse("2026-05-30T00:00:00Z") / 1000,
    }),
  );
  await api.objects.seed(
    dockerSecret("shop", "ecr-cred", { [ecrHost]: { user: "AWS", pass: ecrPass } }) as never,
  );
  await seedPod("shop", "ecr", {
    image: `${ecrHost}/shop/api:2.3.1`,
    secrets: ["ecr-cred"],
    message: `Back-off pulling image "${ecrHost}/shop/api:2.3.1": ErrImagePull: rpc error: code = Unknown desc = failed to pull and unpack image "${ecrHost}/shop/api:2.3.1": failed to resolve reference "${ecrHost}/shop/api:2.3.1": pulling from host ${ecrHost} failed with status code [manifests 2.3.1]: 403 Forbidden`,
  });
  // fine-grained PAT on GHCR
  await api.objects.seed(
    dockerSecret("shop", "ghcr-fg", {
      "ghcr.io": { user: "dev", pass: `github${"_pat_"}${token("X", 22)}_${token("Y", 59)}` },
    }) as never,
  );
  await seedPod("shop", "finegrained", {
    image: "ghcr.io/acme/web:1.4.2",
    secrets: ["ghcr-fg"],
    message: `Back-off pulling image "ghcr.io/acme/web:1.4.2": ErrImagePull: rpc error: code = Unknown desc = failed to pull and unpack image "ghcr.io/acme/web:1.4.2": failed to resolve reference "ghcr.io/acme/web:1.4.2": failed to authorize: failed to fetch oauth token: unexpected status from GET request to https://ghcr.io/token?scope=repository%3Aacme%2Fweb%3Apull&service=ghcr.io: 403 Forbidden`,
  });
  await seedPod("shop", "badname", {
    image: "ghcr.io/Acme/web:1.0",
    reason: "InvalidImageName",
    message:
      'Failed to apply default image tag "ghcr.io/Acme/web:1.0": couldn\'t parse image name "ghcr.io/Acme/web:1.0": invalid reference format: repository name (Acme/web) must be lowercase',
  });
  await seedPod("shop", "never", {
    image: "registry.local/app:dev",
    policy: "Never",
    reason: "ErrImageNeverPull",
    message: 'Container image "registry.local/app:dev" is not present with pull policy of Never',
  });
  // garbage secret data
  await api.objects.seed({
    apiVersion: "v1",
    kind: "Secret",
    metadata: { name: "garbage", namespace: "shop" },
    type: "kubernetes.io/dockerconfigjson",
    // The API server refuses a kubernetes.io/dockerconfigjson Secret that is not a JSON object; one whose
    // `auths` is no map passes it, and kubelet cannot read it.
    data: { ".dockerconfigjson": b64('{"auths":"not json"}') },
  } as never);
  await seedPod("shop", "garbage", {
    image: "ghcr.io/acme/web:1.4.2",
    secrets: ["garbage"],
    message: `Back-off pulling image "ghcr.io/acme/web:1.4.2": ErrImagePull: ${NO_BASIC("ghcr.io/acme/web:1.4.2", "ghcr.io")}`,
  });
  await seedPod("shop", "nostatus", { image: "nginx:1.27", noStatus: true });
  // a healthy namespace
  await api.objects.seed({
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name: "fine", namespace: "ok", creationTimestamp: EARLIER },
    spec: { nodeName: "node-1", containers: [{ name: "app", image: "nginx:1.27" }] },
    status: {
      phase: "Running",
      containerStatuses: [
        { name: "app", image: "nginx:1.27", ready: true, state: { running: { startedAt: EARLIER } } },
      ],
    },
  } as never);
});
afterAll(async () => {
  await api?.stop();
});

describe("doctor POD: causes", () => {
  it("secret missing here, same-named secret in another namespace", async () => {
    const r = await doctorJson(["missing", "-n", "shop"]);
    expect(r.code).toBe(1);
    expect(ids(r)[0]).toBe("pull-secret-in-other-namespace");
    const text = JSON.stringify(r.json.pods[0]?.diagnoses[0]);
    expect(text).toContain("other");
    const t = await doctor(["missing", "-n", "shop"]);
    expect(t.code).toBe(1);
    expect(t.stdout).toContain("Pod shop/missing");
    expect(t.stdout).toContain("pull-secret-in-other-namespace");
  });

  it("typo in the secret name", async () => {
    const r = await doctorJson(["typo", "-n", "shop"]);
    expect(r.code).toBe(1);
    expect(ids(r)).toContain("pull-secret-name-typo");
    expect(JSON.stringify(r.json.pods[0]?.diagnoses)).toContain("ghcr-pull");
  });

  it("wrong type", async () => {
    const r = await doctorJson(["wrongtype", "-n", "shop"]);
    expect(r.code).toBe(1);
    expect(ids(r)[0]).toMatch(/pull-secret-(wrong-type|type-key-mismatch|wrong-key)/);
  });

  it("secret keyed for another host", async () => {
    const r = await doctorJson(["otherhost", "-n", "shop"]);
    expect(ids(r)[0]).toBe("pull-secret-host-mismatch");
  });

  it("ServiceAccount patched after the Pod was admitted", async () => {
    const r = await doctorJson(["sa-late", "-n", "shop"]);
    expect(ids(r)[0]).toBe("serviceaccount-patched-after-pod");
  });

  it("expired ECR token in a static secret", async () => {
    const r = await doctorJson(["ecr", "-n", "shop"]);
    expect(ids(r)[0]).toBe("ecr-token-expired");
  });

  it("fine-grained PAT on ghcr.io", async () => {
    const r = await doctorJson(["finegrained", "-n", "shop"]);
    expect(ids(r)[0]).toBe("credential-kind-rejected");
  });

  it("InvalidImageName and ErrImageNeverPull", async () => {
    expect(ids(await doctorJson(["badname", "-n", "shop"]))[0]).toBe("invalid-image-name");
    expect(ids(await doctorJson(["pod/never", "-n", "shop"]))[0]).toBe("image-never-pull");
  });

  it("garbage secret data is reported, no secret value printed", async () => {
    const r = await doctorJson(["garbage", "-n", "shop"]);
    expect(r.code).toBe(1);
    expect(ids(r)[0]).toBe("pull-secret-malformed");
    expect(r.stdout).not.toContain("not json");
  });

  // A real API server gives every new Pod `status: {phase: Pending, qosClass}`: "no status yet" means kubelet
  // has written nothing (test/kube/DIVERGENCES.md, "no status yet").
  it("a Pod without status: no pull trouble, said so", async () => {
    const r = await doctor(["nostatus", "-n", "shop"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("no status yet");
  });

  it("no secret value ever reaches the output", async () => {
    const r = await doctor(["--all", "-n", "shop", "-o", "json"]);
    expect(r.stdout).not.toMatch(/ghp_A1b2|github_pat_X|A1b2C3d4E5A1b2/);
  });
});

describe("doctor: targets, grouping, exit codes", () => {
  it("--all groups Pods by cause; healthy namespace exits 0", async () => {
    const r = await doctorJson(["--all", "-n", "shop"]);
    expect(r.code).toBe(1);
    expect(r.json.findings).toBeGreaterThanOrEqual(10);
    expect(r.json.groups.map((g) => g.cause)).toContain("pull-secret-in-other-namespace");
    expect(r.json.pods.some((p) => JSON.stringify(p).includes("nostatus"))).toBe(false);
    const t = await doctor(["--all", "-n", "shop"]);
    expect(t.stdout).toMatch(/Pods with image-pull trouble/);
    const ok = await doctor(["--all", "-n", "ok"]);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toBe("No Pod with image-pull trouble (doctor --all -n ok).\n");
    expect((await doctor(["fine", "-n", "ok"])).code).toBe(0);
  });

  it("deploy/NAME diagnoses the Deployment's Pods through its ReplicaSets", async () => {
    // The Deployment the ReplicaSet belongs to (the garbage collector deletes a ReplicaSet whose owner is absent).
    await api.objects.seed({
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: { name: "web", namespace: "other", uid: "d-web" },
      spec: {
        selector: { matchLabels: { app: "web" } },
        template: {
          metadata: { labels: { app: "web" } },
          spec: { containers: [{ name: "app", image: "ghcr.io/Acme/web:1.0" }] },
        },
      },
    } as never);
    await api.objects.seed({
      apiVersion: "apps/v1",
      kind: "ReplicaSet",
      metadata: {
        name: "web-7d9c8b6f5",
        namespace: "other",
        uid: "rs-web-7d9c8b6f5",
        ownerReferences: [
          { apiVersion: "apps/v1", kind: "Deployment", name: "web", uid: "d-web", controller: true },
        ],
      },
      spec: {
        selector: { matchLabels: { app: "web" } },
        template: {
          metadata: { labels: { app: "web" } },
          spec: { containers: [{ name: "app", image: "ghcr.io/Acme/web:1.0" }] },
        },
      },
    } as never);
    await seedPod("other", "web-7d9c8b6f5-abcde", {
      image: "ghcr.io/Acme/web:1.0",
      reason: "InvalidImageName",
      owner: "web-7d9c8b6f5",
    });
    const r = await doctor(["deploy/web", "-n", "other"]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain("deployment/web");
    expect(r.stdout).toContain("invalid-image-name");
    const missing = await doctor(["deploy/nope", "-n", "other"]);
    expect(missing.code).toBe(3);
  });

  it("usage and input errors", async () => {
    expect((await doctor([])).code).toBe(2);
    expect((await doctor(["x", "--all"])).code).toBe(2);
    expect((await doctor(["x", "-A"])).code).toBe(2);
    expect((await doctor(["x", "--plain-http"])).code).toBe(2);
    expect((await doctor(["svc/x"])).code).toBe(2);
    const gone = await doctor(["ghost", "-n", "shop"]);
    expect(gone.code).toBe(3);
    expect(gone.stderr).toContain('pods "ghost" not found');
  });

  it("an unreachable API server is exit 4", async () => {
    const r = await runPullwarden(["doctor", "x", "--kubeconfig", "/nonexistent/kubeconfig"], {
      now: new Date(NOW),
    });
    expect(r.code).toBe(4);
  });
});
