// The sandbox newcomer's sequence on real components: a real control plane (test/kube/real-cluster.ts), the real
// TLS + htpasswd registry and containerd's CRI (test/support/world.ts). A pull secret holds a wrong password
// (shop/web), or names a Secret nobody created (payments/billing, through its ServiceAccount: the real
// admission plugin copies it into the Pod); containerd's real PullImage fails, and its error is written as kubelet
// writes it: the container's waiting state through the Pod's status subresource, and the Failed events. Then the
// Secret is fixed (a PUT) or created (`pullwarden apply`), and doctor must say that it works now and that kubelet
// pulls at its next retry, instead of telling to fix what is fixed; containerd then pulls with the Secret as it is
// now, as kubelet will at that retry. The sleeps order second-resolution timestamps (events, managedFields).
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runPullwarden } from "../cli/run-cli.js";
import { startCluster } from "../kube/harness.js";
import type { KubeObject, TestCluster } from "../kube/harness.js";
import { CONTROLLERS, imagePullBackOffStatus, pullImage, removeImage, startWorld } from "../support/index.js";
import type { World } from "../support/index.js";

let api: TestCluster;
let world: World;
let image: string;
/** A wrong password, planted so that tests can assert it never reaches doctor's output. */
const WRONG = "CANARY-wrong-Pa55-7f3c9e";
const b64 = (s: string): string => Buffer.from(s).toString("base64");
const rfc3339 = (d: Date): string => d.toISOString().replace(/\.\d{3}Z$/, "Z");

function pullSecret(namespace: string, name: string, password: string): KubeObject {
  const auth = { username: world.user.username, password, auth: b64(`${world.user.username}:${password}`) };
  return {
    apiVersion: "v1",
    kind: "Secret",
    metadata: { name, namespace },
    type: "kubernetes.io/dockerconfigjson",
    data: { ".dockerconfigjson": b64(JSON.stringify({ auths: { [world.basic.host]: auth } })) },
  } as KubeObject;
}

/** What containerd's CRI says to kubelet's PullImage with these credentials (kubelet's error text). */
async function runtimeError(auth?: { username: string; password: string }): Promise<string> {
  await removeImage(world.containerd?.socket as string, image).catch(() => undefined);
  const pulled = await pullImage(world.containerd?.socket as string, image, auth);
  if (pulled.ok) throw new Error(`containerd pulled ${image}, which this test expects to fail`);
  return `rpc error: code = ${pulled.codeName} desc = ${pulled.details}`;
}

/** Writes what kubelet writes after a failed pull: the waiting state (status subresource) and the events. */
async function recordFailure(
  namespace: string,
  podName: string,
  error: string,
  secretsKubeletCouldNotRead: string[] = [],
): Promise<void> {
  const pod = (await api.objects.get("pods", namespace, podName)) as KubeObject & { status?: unknown };
  const at = rfc3339(new Date());
  await api.objects.put({
    ...pod,
    status: imagePullBackOffStatus(image, `ErrImagePull: ${error}`),
  });
  const involved = (fieldPath?: string) => ({
    kind: "Pod",
    namespace,
    name: podName,
    uid: pod.metadata.uid,
    apiVersion: "v1",
    ...(fieldPath ? { fieldPath } : {}),
  });
  const events = [
    ...(secretsKubeletCouldNotRead.length > 0
      ? [
          {
            reason: "FailedToRetrieveImagePullSecret",
            message: `Unable to retrieve some image pull secrets (${secretsKubeletCouldNotRead.join(", ")}); attempting to pull the image may not succeed.`,
          },
        ]
      : []),
    {
      reason: "Failed",
      message: `Failed to pull image "${image}": ${error}`,
      fieldPath: "spec.containers{app}",
    },
    { reason: "Failed", message: "Error: ErrImagePull", fieldPath: "spec.containers{app}" },
    { reason: "BackOff", message: `Back-off pulling image "${image}"`, fieldPath: "spec.containers{app}" },
  ];
  await api.objects.seed(
    ...events.map(
      (e, i) =>
        ({
          apiVersion: "v1",
          kind: "Event",
          metadata: { name: `${podName}.${Date.now().toString(16)}${i}`, namespace },
          involvedObject: involved(e.fieldPath),
          reason: e.reason,
          message: e.message,
          type: e.reason === "BackOff" ? "Normal" : "Warning",
          count: 3,
          firstTimestamp: at,
          lastTimestamp: at,
          source: { component: "kubelet", host: "node-1" },
        }) as unknown as KubeObject,
    ),
  );
}

interface DoctorJson {
  pods: {
    name: string;
    diagnoses: {
      id: string;
      title: string;
      confidence: string;
      evidence: string[];
      fix: { explanation: string; commands: string[] };
    }[];
  }[];
  groups: { cause: string; pods: string[] }[];
  findings: number;
}

async function doctor(args: string[]) {
  const r = await runPullwarden(
    [
      "doctor",
      ...args,
      "--kubeconfig",
      api.kubeconfigPath,
      ...(args.includes("--probe") ? ["--ca-file", world.pki.caFile] : []),
    ],
    { now: () => new Date() },
  );
  for (const secret of [WRONG, world.user.password, b64(`${world.user.username}:${WRONG}`)]) {
    expect(r.stdout).not.toContain(secret);
    expect(r.stderr).not.toContain(secret);
  }
  return r;
}

async function doctorJson(args: string[]) {
  const r = await doctor([...args, "-o", "json"]);
  return { ...r, json: JSON.parse(r.stdout) as DoctorJson };
}

const fixText = (d: { fix: { explanation: string; commands: string[] } }) =>
  `${d.fix.explanation}\n${d.fix.commands.join("\n")}`;

beforeAll(async () => {
  world = await startWorld();
  image = world.ref(world.basic);
  // The Deployment and ReplicaSet are what their controllers left; those controllers do not run (no kubelet here).
  api = await startCluster({
    namespaces: ["shop", "payments"],
    controllers: CONTROLLERS.filter((c) => c !== "deployment-controller" && c !== "replicaset-controller"),
  });
  const template = { metadata: { labels: { app: "web" } }, spec: { containers: [{ name: "app", image }] } };
  await api.objects.seed(
    {
      apiVersion: "v1",
      kind: "Node",
      metadata: { name: "node-1", labels: { "kubernetes.io/arch": "amd64", "kubernetes.io/os": "linux" } },
      status: {
        nodeInfo: {
          kubeletVersion: "v1.32.4",
          containerRuntimeVersion: "containerd://1.6.20",
          architecture: "amd64",
          operatingSystem: "linux",
        },
        conditions: [{ type: "Ready", status: "True", lastHeartbeatTime: rfc3339(new Date()) }],
      },
    } as KubeObject,
    pullSecret("shop", "registry-pull", WRONG),
    {
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: { name: "web", namespace: "shop", uid: "d-web" },
      spec: { selector: { matchLabels: { app: "web" } }, template },
    } as KubeObject,
    {
      apiVersion: "apps/v1",
      kind: "ReplicaSet",
      metadata: {
        name: "web-7d9c8b6f5",
        namespace: "shop",
        uid: "rs-web",
        ownerReferences: [
          { apiVersion: "apps/v1", kind: "Deployment", name: "web", uid: "d-web", controller: true },
        ],
      },
      spec: { selector: { matchLabels: { app: "web" } }, template },
    } as KubeObject,
    {
      apiVersion: "v1",
      kind: "Pod",
      metadata: {
        name: "web-7d9c8b6f5-6hjsp",
        namespace: "shop",
        labels: { app: "web" },
        ownerReferences: [
          {
            apiVersion: "apps/v1",
            kind: "ReplicaSet",
            name: "web-7d9c8b6f5",
            uid: "rs-web",
            controller: true,
          },
        ],
      },
      spec: {
        nodeName: "node-1",
        imagePullSecrets: [{ name: "registry-pull" }],
        containers: [{ name: "app", image }],
      },
    } as KubeObject,
    {
      apiVersion: "v1",
      kind: "ServiceAccount",
      metadata: { name: "billing", namespace: "payments" },
      imagePullSecrets: [{ name: "payments-registry" }],
    } as KubeObject,
    {
      apiVersion: "v1",
      kind: "Pod",
      metadata: { name: "billing", namespace: "payments" },
      spec: { nodeName: "node-1", serviceAccountName: "billing", containers: [{ name: "app", image }] },
    } as KubeObject,
  );
  // The broken Secret was there before kubelet's pull failed.
  await sleep(1100);
  await recordFailure(
    "shop",
    "web-7d9c8b6f5-6hjsp",
    await runtimeError({ username: world.user.username, password: WRONG }),
  );
  // kubelet could not read payments-registry and pulled anonymously.
  await recordFailure("payments", "billing", await runtimeError(), ["payments-registry"]);
  await sleep(1100);
}, 180_000);

afterAll(async () => {
  await api?.stop();
  await world?.stop();
});

describe("doctor after the broken pull secret is fixed (the sandbox newcomer's sequence)", () => {
  it("before the fix: the credential is rejected, now as in the Pod's status", async () => {
    // The ServiceAccount admission plugin copied the ServiceAccount's pull secret into the Pod.
    const billing = (await api.objects.get("pods", "payments", "billing")) as unknown as {
      spec: { imagePullSecrets?: { name: string }[] };
    };
    expect(billing.spec.imagePullSecrets).toEqual([{ name: "payments-registry" }]);

    const r = await doctorJson(["web-7d9c8b6f5-6hjsp", "-n", "shop", "--probe"]);
    expect(r.code).toBe(1);
    const top = r.json.pods[0]?.diagnoses[0];
    expect(top?.id).toBe("credential-rejected");
    expect(fixText(top as never)).toMatch(/pullwarden secret create registry-pull/);
    expect(r.json.pods[0]?.diagnoses.map((d) => d.id)).not.toContain("fixed-awaiting-retry");

    const missing = await doctorJson(["billing", "-n", "payments"]);
    expect(missing.json.pods[0]?.diagnoses[0]?.id).toBe("pull-secret-missing");
  });

  it("the wrong password replaced: --probe pulls with it, doctor says kubelet pulls at its next retry", async () => {
    const stored = (await api.objects.get("secrets", "shop", "registry-pull")) as KubeObject;
    await api.objects.put({
      ...pullSecret("shop", "registry-pull", world.user.password),
      metadata: stored.metadata,
    });

    const r = await doctorJson(["web-7d9c8b6f5-6hjsp", "-n", "shop", "--probe"]);
    expect(r.code).toBe(1); // the Pod still does not run
    const diagnoses = r.json.pods[0]?.diagnoses ?? [];
    const top = diagnoses[0];
    expect(top?.id, JSON.stringify(diagnoses.map((d) => d.id))).toBe("fixed-awaiting-retry");
    expect(top?.confidence).toBe("high");
    expect(top?.title).toMatch(
      /the credential in registry-pull can pull the image now, and kubelet pulls it at its next retry/,
    );
    const evidence = top?.evidence.join("\n") ?? "";
    expect(evidence).toMatch(/^probe with Secret registry-pull key .*: ok: .* can be pulled/m);
    expect(evidence).toMatch(
      /^Secret shop\/registry-pull was last written .*, after kubelet's last failed pull/m,
    );
    expect(evidence).toMatch(/^before the fix: The registry rejected the credential in registry-pull/m);
    expect(evidence).toMatch(/^event Failed .*401 Unauthorized/m);
    expect(top?.fix.commands).toEqual(["kubectl -n shop rollout restart deployment/web"]);
    expect(diagnoses.map((d) => d.id)).not.toContain("credential-rejected");
    for (const d of diagnoses) expect(fixText(d)).not.toMatch(/renew|secret create/);

    const text = await doctor(["web-7d9c8b6f5-6hjsp", "-n", "shop", "--probe"]);
    expect(text.stdout).toContain(
      "Nothing left to fix: kubelet pulls at its next retry, at most 5 minutes away",
    );

    // kubelet's next retry: containerd pulls with the Secret as it is now.
    const now = (await api.objects.get("secrets", "shop", "registry-pull")) as unknown as {
      data: Record<string, string>;
    };
    const config = JSON.parse(Buffer.from(now.data[".dockerconfigjson"] ?? "", "base64").toString()) as {
      auths: Record<string, { username: string; password: string }>;
    };
    const credential = config.auths[world.basic.host];
    const pulled = await pullImage(world.containerd?.socket as string, image, credential);
    expect(pulled.ok, JSON.stringify(pulled)).toBe(true);
  });

  it("the same without --probe: the refusal stays, ranked lower, saying a fix may have landed and how to check", async () => {
    const r = await doctorJson(["web-7d9c8b6f5-6hjsp", "-n", "shop"]);
    const top = r.json.pods[0]?.diagnoses[0];
    expect(top?.id).toBe("credential-rejected");
    expect(top?.confidence).toBe("low");
    expect(top?.evidence.join("\n")).toMatch(
      /^Secret shop\/registry-pull was last written .*, after kubelet's last failed pull .*: a fix may have landed since/m,
    );
    expect(top?.fix.commands[0]).toBe("pullwarden doctor web-7d9c8b6f5-6hjsp -n shop --probe");
  });

  it("the missing Secret created with pullwarden apply: it exists now, --probe confirms it pulls", async () => {
    const applied = await runPullwarden(
      [
        "apply",
        "payments-registry",
        "-n",
        "payments",
        "--docker-server",
        world.basic.host,
        "--docker-username",
        world.user.username,
        "--docker-password-env",
        "REGISTRY_PASSWORD",
        "--kubeconfig",
        api.kubeconfigPath,
      ],
      { env: { REGISTRY_PASSWORD: world.user.password } },
    );
    expect(applied.code, applied.stderr).toBe(0);

    const unconfirmed = await doctorJson(["billing", "-n", "payments"]);
    const first = unconfirmed.json.pods[0]?.diagnoses[0];
    expect(first?.id).toBe("fixed-awaiting-retry");
    expect(first?.confidence).toBe("medium");
    expect(first?.title).toMatch(/^The pull secret payments-registry exists now/);
    expect(first?.evidence.join("\n")).toMatch(
      /^Secret payments\/payments-registry was created .*, after kubelet's last failed pull/m,
    );
    expect(first?.fix.commands).toEqual([
      "pullwarden doctor billing -n payments --probe",
      "kubectl -n payments get pod billing -o yaml > pod.yaml",
      "kubectl -n payments replace --force -f pod.yaml",
    ]);
    expect(unconfirmed.json.pods[0]?.diagnoses.map((d) => d.id)).not.toContain("pull-secret-missing");

    const confirmed = await doctorJson(["billing", "-n", "payments", "--probe"]);
    const top = confirmed.json.pods[0]?.diagnoses[0];
    expect(top?.id).toBe("fixed-awaiting-retry");
    expect(top?.confidence).toBe("high");
    expect(top?.title).toMatch(/the credential in payments-registry can pull the image now/);
    for (const d of confirmed.json.pods[0]?.diagnoses ?? []) expect(fixText(d)).not.toMatch(/secret create/);
  });

  it("doctor --all groups both Pods under fixed-awaiting-retry", async () => {
    const r = await doctor(["--all", "-n", "shop,payments", "--probe"]);
    expect(r.code).toBe(1);
    // The group's title is the cause's own: each Pod's names another Secret.
    expect(r.stdout).toContain(
      "Fixed since kubelet's last failed pull: kubelet pulls at its next retry [fixed-awaiting-retry]: 2 Pods",
    );
    expect(r.stdout).not.toContain("not read");
    expect(r.stdout).not.toMatch(/renew|secret create/);
  });
});
