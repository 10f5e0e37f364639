// Pods admitted before the binding, and `--restart-stuck`: only Pods stuck in ErrImagePull/ImagePullBackOff, whose
// controller recreates them with the secret (its template lists no imagePullSecrets of its own), pulling an
// image the secret has a credential for, are deleted; every other stuck Pod is reported with the reason.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { apply, startServer, writes } from "../kube/harness.js";
import type { ApiServer } from "../kube/harness.js";

let api: ApiServer;

function replicaSet(name: string, image: string, imagePullSecrets?: string[]) {
  return {
    apiVersion: "apps/v1",
    kind: "ReplicaSet",
    metadata: { name, namespace: "shop", uid: `uid-${name}` },
    spec: {
      replicas: 1,
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
    metadata: {
      name,
      namespace: "shop",
      ...(options.owner
        ? {
            ownerReferences: [
              {
                apiVersion: "apps/v1",
                kind: "ReplicaSet",
                name: options.owner,
                uid: `uid-${options.owner}`,
                controller: true,
              },
            ],
          }
        : {}),
    },
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

beforeEach(async () => {
  api = await startServer({
    namespaces: ["shop"],
    objects: [
      replicaSet("web", "ghcr.io/acme/web:1.4"),
      replicaSet("own", "ghcr.io/acme/own:1", ["vendor-pull"]),
      replicaSet("hub", "nginx:does-not-exist"),
      pod("web-7x2kq", "ghcr.io/acme/web:1.4", { owner: "web", stuck: "ImagePullBackOff" }),
      pod("web-9fj3d", "ghcr.io/acme/web:1.4", { owner: "web" }),
      pod("own-4kd8s", "ghcr.io/acme/own:1", {
        owner: "own",
        stuck: "ErrImagePull",
        imagePullSecrets: ["vendor-pull"],
      }),
      pod("hub-x1", "nginx:does-not-exist", { owner: "hub", stuck: "ImagePullBackOff" }),
      pod("debug", "ghcr.io/acme/web:1.4", { stuck: "ImagePullBackOff" }),
    ],
  });
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
      "warning: shop: serviceaccount/default 4 Pods were admitted before it had ghcr-pull and lack it: pod/debug, pod/hub-x1, pod/web-7x2kq, pod/web-9fj3d (3 stuck in ErrImagePull/ImagePullBackOff)\n  hint: a Pod gets its ServiceAccount's imagePullSecrets only when it is created; re-run with --restart-stuck to delete the stuck ones a controller recreates, or restart the workloads (kubectl rollout restart)",
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
    expect(api.objects.get("pods", "shop", "web-7x2kq")).toBeUndefined();
    for (const kept of ["web-9fj3d", "own-4kd8s", "hub-x1", "debug"])
      expect(api.objects.get("pods", "shop", kept), kept).toBeDefined();

    api.clearRequestLog();
    const again = await apply(api, [...ARGS, "--restart-stuck"]);
    expect(again.code).toBe(0);
    expect(writes(api)).toEqual([]);
  });

  it("a template that lists its own imagePullSecrets is named, and its Pod left alone", async () => {
    api.objects.delete("pods", "shop", "own-4kd8s");
    api.objects.seed(pod("own-4kd8s", "ghcr.io/acme/own:1", { owner: "own", stuck: "ErrImagePull" }));
    const result = await apply(api, [...ARGS, "--restart-stuck"]);
    expect(result.stderr).toContain(
      "warning: shop: pod/own-4kd8s stuck in ErrImagePull (ghcr.io/acme/own:1), not restarted: the Pod template of ReplicaSet/own lists imagePullSecrets (vendor-pull), so a new Pod would not get ghcr-pull either\n  hint: add ghcr-pull to that template's imagePullSecrets",
    );
    expect(api.objects.get("pods", "shop", "own-4kd8s")).toBeDefined();
  });

  it("--restart-stuck --dry-run=server deletes nothing", async () => {
    const result = await apply(api, [...ARGS, "--restart-stuck", "--dry-run=server"]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(
      "shop: pod/web-7x2kq deleted: stuck in ImagePullBackOff; ReplicaSet/web recreates it with ghcr-pull (server dry run)",
    );
    expect(api.objects.get("pods", "shop", "web-7x2kq")).toBeDefined();
  });
});
