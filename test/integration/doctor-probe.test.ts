// `doctor --probe` against the REAL registries of test/support (distribution behind TLS, htpasswd and token
// auth): the Pod's secret is tried as kubelet would, and anonymously; the answers feed the diagnosis. The Pods live
// in a real kube-apiserver (test/kube/real-cluster.ts), their status written as kubelet does.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runPullwarden } from "../cli/run-cli.js";
import { startCluster } from "../kube/harness.js";
import type { TestCluster } from "../kube/harness.js";
import { startWorld } from "../support/index.js";
import type { World } from "../support/index.js";

const NOW = new Date("2026-06-01T00:00:00Z");
let api: TestCluster;
let world: World;
const b64 = (s: string): string => Buffer.from(s).toString("base64");

async function seed(
  name: string,
  image: string,
  auth?: { host: string; user: string; pass: string },
): Promise<void> {
  const objects: unknown[] = [
    {
      apiVersion: "v1",
      kind: "Pod",
      metadata: { name, namespace: "shop" },
      spec: {
        ...(auth ? { imagePullSecrets: [{ name: `${name}-cred` }] } : {}),
        containers: [{ name: "app", image }],
      },
      status: {
        phase: "Pending",
        containerStatuses: [{ name: "app", image, state: { waiting: { reason: "ImagePullBackOff" } } }],
      },
    },
  ];
  if (auth) {
    objects.push({
      apiVersion: "v1",
      kind: "Secret",
      metadata: { name: `${name}-cred`, namespace: "shop" },
      type: "kubernetes.io/dockerconfigjson",
      data: {
        ".dockerconfigjson": b64(
          JSON.stringify({ auths: { [auth.host]: { auth: b64(`${auth.user}:${auth.pass}`) } } }),
        ),
      },
    });
  }
  await api.objects.seed(...(objects as never[]));
}

async function doctorProbe(name: string, extra: string[] = []) {
  const r = await runPullwarden(
    ["doctor", name, "-n", "shop", "--probe", "-o", "json", "--kubeconfig", api.kubeconfigPath, ...extra],
    { now: NOW },
  );
  const json = JSON.parse(r.stdout || "{}") as {
    pods?: { diagnoses: { id: string; evidence: string[] }[] }[];
  };
  return { ...r, ids: json.pods?.[0]?.diagnoses.map((d) => d.id) ?? [], text: r.stdout };
}

beforeAll(async () => {
  world = await startWorld({ containerd: false });
  api = await startCluster({ namespaces: ["shop"] });
  const host = world.basic.host;
  await seed("tls", world.ref(world.basic), {
    host,
    ...{ user: world.user.username, pass: world.user.password },
  });
  await seed("notfound", world.ref(world.basic, "org/nope", "1.0"), {
    host,
    user: world.user.username,
    pass: world.user.password,
  });
  await seed("denied", world.ref(world.basic), { host, user: world.user.username, pass: "wrong-password" });
  await seed("good", world.ref(world.basic), { host, user: world.user.username, pass: world.user.password });
}, 120_000);
afterAll(async () => {
  await api?.stop();
  await world?.stop();
});

describe("doctor --probe on a real registry", () => {
  it("TLS unknown authority without --ca-file", async () => {
    const r = await doctorProbe("tls");
    expect(r.code).toBe(1);
    expect(r.ids[0]).toBe("tls-unknown-authority");
    expect(r.text).toContain("probe");
  });

  it("repository not found", async () => {
    const r = await doctorProbe("notfound", ["--ca-file", world.pki.caFile]);
    expect(r.code).toBe(1);
    expect(r.ids).toContain("image-not-found");
  });

  it("credentials rejected", async () => {
    const r = await doctorProbe("denied", ["--ca-file", world.pki.caFile]);
    expect(r.code).toBe(1);
    expect(r.ids[0]).toMatch(/credential-rejected|registry-access-denied|registry-unauthorized/);
    expect(r.text).not.toContain("wrong-password");
  });

  it("a credential that works is shown as such by the probe", async () => {
    const r = await doctorProbe("good", ["--ca-file", world.pki.caFile]);
    expect(r.text).toContain("probe with Secret good-cred");
    expect(r.text).not.toContain(world.user.password);
  });
});
