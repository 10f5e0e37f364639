// Pods admitted before the binding, and `--restart-stuck`: only Pods stuck in ErrImagePull/ImagePullBackOff, whose
// controller recreates them with the secret (its template lists no imagePullSecrets of its own), pulling an
// image the secret has a credential for, are deleted; every other stuck Pod is reported with the reason.
//
// On a real control plane (test/kube/real-cluster.ts) with the ReplicaSet controller running: the Pods are
// created first with their ReplicaSet's labels and the ReplicaSet adopts them (it sets itself as their controller),
// so it keeps exactly these Pods; a Pod apply deletes is recreated by it for real. Pod statuses (stuck in
// ErrImagePull/ImagePullBackOff) are written through the status subresource, as kubelet does.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { apply, startCluster, writes } from "../kube/harness.js";
import type { TestCluster } from "../kube/harness.js";
import { waitUntil } from "../support/index.js";

let api: TestCluster;

function replicaSet(name: string, image: string, imagePullSecrets?: string[], replicas = 1) {
  return {
    apiVersion: "apps/v1",
    kind: "ReplicaSet",
    metadata: { name, namespace: "shop" },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: {
          containers: [{ name: "app", image }],
          ...(imagePullSecrets ? { imagePullSecrets: imagePullSecrets.map((n) => ({ name: n })) } : {}),
        },
      },
    },
  };
}

function pod(
  name: string,
  image: string,
  options: { owner?: string; stuck?: string; imagePullSecrets?: string[] } = {},
) {
  return {
    apiVersion: "v1",
    kind: "Pod",
    // A ReplicaSet's Pod carries its template's labels; the ReplicaSet adopts it (ownerReferences are its own).
    metadata: { name, namespace: "shop", ...(options.owner ? { labels: { app: options.owner } } : {}) },
    spec: {
      serviceAccountName: "default",
      containers: [{ name: "app", image }],
      ...(options.imagePullSecrets
        ? { imagePullSecrets: options.imagePullSecrets.map((n) => ({ name: n })) }
        : {}),
    },
    status: options.stuck
      ? {
          phase: "Pending",
          containerStatuses: [
            {
              name: "app",
              image,
              ready: false,
              restartCount: 0,
              state: { waiting: { reason: options.stuck, message: "pull failed" } },
            },
          ],
        }
      : {
          phase: "Running",
          containerStatuses: [{ name: "app", image, ready: true, restartCount: 0, state: { running: {} } }],
        },
  };
}

/** Waits until the ReplicaSet controls exactly `pods` (adopted, nothing created or deleted besides). */
async function settled(owner: string, pods: string[]): Promise<void> {
  let seen = "";
  await waitUntil(
    `ReplicaSet ${owner} to control ${pods.join(", ")}`,
    async () => {
      const owned = (await api.objects.list("pods", "shop"))
        .filter((p) => (p.metadata.labels as Record<string, string> | undefined)?.app === owner)
        .map((p) => {
          const refs = (p.metadata.ownerReferences ?? []) as { name: string; controller?: boolean }[];
          return `${p.metadata.name}${refs.some((r) => r.name === owner && r.controller) ? "" : " (orphan)"}`;
        })
        .sort();
      seen = owned.join(", ");
      return seen === [...pods].sort().join(", ");
    },
    { timeoutMs: 20_000, describe: () => `pods: ${seen}` },
  );
}

beforeEach(async () => {
  api = await startCluster({
    namespaces: ["shop"],
    objects: [
      pod("web-7x2kq", "ghcr.io/acme/web:1.4", { owner: "web", stuck: "ImagePullBackOff" }),
      pod("web-9fj3d", "ghcr.io/acme/web:1.4", { owner: "web" }),
      pod("own-4kd8s", "ghcr.io/acme/own:1", {
        owner: "own",
        stuck: "ErrImagePull",
        imagePullSecrets: ["vendor-pull"],
      }),
      pod("hub-x1", "nginx:does-not-exist", { owner: "hub", stuck: "ImagePullBackOff" }),
      pod("debug", "ghcr.io/acme/web:1.4", { stuck: "ImagePullBackOff" }),
      replicaSet("web", "ghcr.io/acme/web:1.4", undefined, 2),
      replicaSet("own", "ghcr.io/acme/own:1", ["vendor-pull"]),
      replicaSet("hub", "nginx:does-not-exist"),
    ],
  });
  await settled("web", ["web-7x2kq", "web-9fj3d"]);
  await settled("own", ["own-4kd8s"]);
  await settled("hub", ["hub-x1"]);
});
afterEach(async () => {
  await api?.stop();
});

const ARGS = ["ghcr-pull", "-n", "shop", "--service-account", "default"];

describe("Pods admitted before the binding", () => {
  it("are reported, and nothing is deleted without --restart-stuck", async () => {
    const result = await apply(api, ARGS);
    expect(result.code).toBe(0);
    expect(result.stderr).toContain(
      "warning: shop: serviceaccount/default 4 Pods were admitted before it had ghcr-pull and lack it: pod/debug, pod/hub-x1, pod/web-7x2kq, pod/web-9fj3d (3 stuck in ErrImagePull/ImagePullBackOff)\n  hint: a Pod gets its ServiceAccount's imagePullSecrets only when it is created (admission reads a cached ServiceAccount, so one created a moment after a change may miss them too); re-run with --restart-stuck to delete the stuck ones a controller recreates, or restart the workloads (kubectl rollout restart)",
    );
    expect(result.stderr).toContain(
      "warning: shop: serviceaccount/default 1 Pod lists imagePullSecrets of its own, so it never gets the ServiceAccount's ghcr-pull: pod/own-4kd8s\n  hint: add ghcr-pull to the imagePullSecrets of their Pod templates",
    );
    expect(writes(api).filter((r) => r.resource === "pods")).toEqual([]);
  });

  it("--restart-stuck deletes only the stuck Pods a controller recreates with the secret, and says why not for the others", async () => {
    await apply(api, ARGS);
    api.clearRequestLog();
    const result = await apply(api, [...ARGS, "--restart-stuck"]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(
      "shop: pod/web-7x2kq deleted: stuck in ImagePullBackOff; ReplicaSet/web recreates it with ghcr-pull",
    );
    expect(result.stderr).toContain(
      "warning: shop: pod/debug stuck in ImagePullBackOff (ghcr.io/acme/web:1.4), not restarted: no controller would recreate it\n  hint: delete it and create it again yourself",
    );
    expect(result.stderr).toContain(
      "warning: shop: pod/hub-x1 stuck in ImagePullBackOff (nginx:does-not-exist), not restarted: ghcr-pull holds no credential kubelet would use for nginx:does-not-exist",
    );
    expect(writes(api).map((r) => `${r.verb} ${r.resource} ${r.name}`)).toEqual(["delete pods web-7x2kq"]);
    const deleted = writes(api)[0];
    expect(deleted?.status).toBe(200);
    expect(await api.objects.get("pods", "shop", "web-7x2kq")).toBeUndefined();
    for (const kept of ["web-9fj3d", "own-4kd8s", "hub-x1", "debug"])
      expect(await api.objects.get("pods", "shop", kept), kept).toBeDefined();
    // The ReplicaSet recreates it, and the new Pod gets ghcr-pull from the ServiceAccount at admission.
    let replacement: { metadata: { name?: string }; spec: { imagePullSecrets?: unknown } } | undefined;
    await waitUntil("ReplicaSet web to recreate its Pod", async () => {
      replacement = (await api.objects.list("pods", "shop")).find(
        (p) =>
          (p.metadata.labels as Record<string, string> | undefined)?.app === "web" &&
          p.metadata.name !== "web-9fj3d",
      ) as typeof replacement;
      return replacement !== undefined;
    });
    expect(replacement?.spec.imagePullSecrets).toEqual([{ name: "ghcr-pull" }]);

    api.clearRequestLog();
    const again = await apply(api, [...ARGS, "--restart-stuck"]);
    expect(again.code).toBe(0);
    expect(writes(api)).toEqual([]);
  });

  it("a template that lists its own imagePullSecrets is named, and its Pod left alone", async () => {
    // A Pod of ReplicaSet/own made before its template listed imagePullSecrets (a ReplicaSet does not replace its
    // Pods when the template changes): drop them from the template, let the ReplicaSet recreate its Pod, which
    // gets stuck, then put them back.
    type Rs = { spec: { template: { spec: Record<string, unknown> } } };
    const rs = (await api.objects.get("replicasets.apps", "shop", "own")) as unknown as Rs;
    const { imagePullSecrets, ...withoutSecrets } = rs.spec.template.spec;
    await api.objects.put({
      ...rs,
      spec: { ...rs.spec, template: { ...rs.spec.template, spec: withoutSecrets } },
    } as never);
    await api.objects.delete("pods", "shop", "own-4kd8s");
    let name = "";
    await waitUntil("ReplicaSet own to recreate its Pod", async () => {
      const pods = await api.objects.list("pods", "shop");
      name =
        (pods.find((p) => (p.metadata.labels as Record<string, string> | undefined)?.app === "own")?.metadata
          .name as string | undefined) ?? "";
      return name !== "";
    });
    const created = (await api.objects.get("pods", "shop", name)) as unknown as Record<string, unknown>;
    await api.objects.put({
      ...created,
      status: {
        phase: "Pending",
        containerStatuses: [
          {
            name: "app",
            image: "ghcr.io/acme/own:1",
            imageID: "",
            ready: false,
            restartCount: 0,
            state: { waiting: { reason: "ErrImagePull", message: "pull failed" } },
          },
        ],
      },
    } as never);
    const current = (await api.objects.get("replicasets.apps", "shop", "own")) as unknown as Rs;
    await api.objects.put({
      ...current,
      spec: {
        ...current.spec,
        template: { ...current.spec.template, spec: { ...current.spec.template.spec, imagePullSecrets } },
      },
    } as never);
    const result = await apply(api, [...ARGS, "--restart-stuck"]);
    expect(result.stderr).toContain(
      `warning: shop: pod/${name} stuck in ErrImagePull (ghcr.io/acme/own:1), not restarted: the Pod template of ReplicaSet/own lists imagePullSecrets (vendor-pull), so a new Pod would not get ghcr-pull either\n  hint: add ghcr-pull to that template's imagePullSecrets`,
    );
    expect(await api.objects.get("pods", "shop", name)).toBeDefined();
  });

  it("--restart-stuck --dry-run=server deletes nothing", async () => {
    const result = await apply(api, [...ARGS, "--restart-stuck", "--dry-run=server"]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(
      "shop: pod/web-7x2kq deleted: stuck in ImagePullBackOff; ReplicaSet/web recreates it with ghcr-pull (server dry run)",
    );
    expect(await api.objects.get("pods", "shop", "web-7x2kq")).toBeDefined();
  });
});
