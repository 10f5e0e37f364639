// doctor --probe over an in-memory registry (no sockets): which images are probed (waiting reasons of a pull the
// registry answered), anonymously and with what kubelet's keychain gives from the Pod's own secrets, every
// attempt made, and identical probes across Pods made once.
import { describe, expect, it } from "vitest";
import { memoryRegistry } from "../../test/support/memory-registry.js";
import { failingImages, probePods } from "./probe.js";
import type { PodToProbe, ProbeSecret } from "./probe.js";

const b64 = (s: string): string => Buffer.from(s).toString("base64");

function pod(
  name: string,
  containers: Record<string, [image: string, reason: string]>,
  secrets: string[] = [],
) {
  return {
    metadata: { name, namespace: "shop" },
    spec: {
      imagePullSecrets: secrets.map((s) => ({ name: s })),
      containers: Object.entries(containers).map(([c, [image]]) => ({ name: c, image })),
    },
    status: {
      containerStatuses: Object.entries(containers).map(([c, [image, reason]]) => ({
        name: c,
        image,
        state: reason === "Running" ? { running: {} } : { waiting: { reason } },
      })),
    },
  };
}

function secret(name: string, auths: Record<string, string | null>): ProbeSecret {
  const config = {
    auths: Object.fromEntries(
      Object.entries(auths).map(([key, userPass]) => [key, userPass === null ? {} : { auth: b64(userPass) }]),
    ),
  };
  return {
    metadata: { name },
    type: "kubernetes.io/dockerconfigjson",
    data: { ".dockerconfigjson": b64(JSON.stringify(config)) },
  };
}

describe("failingImages", () => {
  it("the images of containers whose pull the registry answered or failed to answer, once each", () => {
    const p = pod("web", {
      a: ["r.example/org/app:1", "ImagePullBackOff"],
      b: ["r.example/org/app:1", "ErrImagePull"],
      c: ["r.example/org/other:1", "RegistryUnavailable"],
      d: ["r.example/org/never:1", "ErrImageNeverPull"],
      e: ["Bad:Image", "InvalidImageName"],
      f: ["r.example/org/up:1", "Running"],
      g: ["r.example/org/starting:1", "ContainerCreating"],
    });
    expect(failingImages(p)).toEqual(["r.example/org/app:1", "r.example/org/other:1"]);
  });
});

describe("probePods", () => {
  const settings = { transport: {}, plainHttp: false, concurrency: 4, now: () => new Date() };

  it("probes anonymously and with each credential kubelet would send; the same probe across Pods runs once", async () => {
    const client = memoryRegistry({ ci: "right" }, { "org/app": ["1"] });
    const pull = secret("pull", { "r.example": "ci:right", "r.example/org": "ci:wrong", "ghcr.io": "x:y" });
    const empty = secret("empty", { "r.example/org/app": null });
    const pods: PodToProbe[] = [
      {
        pod: pod("a", { app: ["r.example/org/app:1", "ImagePullBackOff"] }, ["pull", "empty"]),
        secrets: [pull, empty],
      },
      { pod: pod("b", { app: ["r.example/org/app:1", "ErrImagePull"] }, ["pull"]), secrets: [pull] },
      { pod: pod("c", { app: ["r.example/org/app:1", "Running"] }, ["pull"]), secrets: [pull] },
      { pod: pod("d", { app: ["Bad:Image", "InvalidImageName"] }), secrets: [] },
    ];
    const probes = await probePods(pods, { ...settings, client });
    const lines = probes.map((list) =>
      list.map((p) => {
        const who =
          p.credential.kind === "secret" ? `${p.credential.secret} ${p.credential.key}` : p.credential.kind;
        return `${p.image} ${who}: ${p.result.outcome}`;
      }),
    );
    // kubelet's order: the more specific key first; the entry without credentials is the anonymous probe again.
    expect(lines).toEqual([
      [
        "r.example/org/app:1 anonymous: unauthorized",
        "r.example/org/app:1 pull r.example/org: unauthorized",
        "r.example/org/app:1 pull r.example: ok",
      ],
      [
        "r.example/org/app:1 anonymous: unauthorized",
        "r.example/org/app:1 pull r.example/org: unauthorized",
        "r.example/org/app:1 pull r.example: ok",
      ],
      [],
      [],
    ]);
    expect(client.calls).toEqual([
      "GET r.example/v2/ -",
      "HEAD r.example/v2/org/app/manifests/1 -",
      "HEAD r.example/v2/org/app/manifests/1 ci",
      "HEAD r.example/v2/org/app/manifests/1 ci",
    ]);
    expect(client.closed).toBe(false);
  });

  it("an unreadable Secret gives no credential to probe with (kubelet fails the pull; the Evidence says so)", async () => {
    const client = memoryRegistry({}, {});
    const broken: ProbeSecret = {
      metadata: { name: "broken" },
      type: "kubernetes.io/dockerconfigjson",
      data: {},
    };
    const probes = await probePods(
      [{ pod: pod("a", { app: ["r.example/org/app:1", "ErrImagePull"] }, ["broken"]), secrets: [broken] }],
      { ...settings, client },
    );
    expect(probes[0]?.map((p) => p.credential.kind)).toEqual(["anonymous"]);
  });
});
