// The controller's informer (src/kube/informer.ts) on the real control plane: what it caches has no
// metadata.managedFields, from the list and from watch events, while the API server keeps them on the stored
// object (a memory saving, as client-go's informer transforms do).
import { afterAll, beforeAll, expect, it } from "vitest";
import { ControllerKubeClient, ResilientInformer, loadKubeConfig } from "../../src/kube/index.js";
import { startCluster } from "./harness.js";
import type { TestCluster } from "./harness.js";
import { waitUntil } from "../support/net.js";

let api: TestCluster;
beforeAll(async () => {
  api = await startCluster({ namespaces: ["team-a"] });
});
afterAll(async () => {
  await api?.stop();
});

it("caches Secrets without managedFields, listed and watched", async () => {
  const secret = (name: string) => ({
    apiVersion: "v1",
    kind: "Secret",
    metadata: { name, namespace: "team-a", labels: { lean: "yes" } },
    stringData: { k: "v" },
  });
  await api.objects.seed(secret("listed"));
  const loaded = loadKubeConfig({ kubeconfig: api.kubeconfigPath, env: {} });
  let changes = 0;
  const informer = new ResilientInformer(
    loaded.kubeConfig,
    new ControllerKubeClient(loaded),
    { kind: "Secret", labelSelector: "lean=yes" },
    { onChange: () => changes++ },
  );
  await informer.start();
  try {
    await api.objects.seed(secret("watched"));
    await waitUntil("the watched Secret in the cache", () =>
      Promise.resolve(informer.get("watched", "team-a") !== undefined),
    );
    expect(changes).toBeGreaterThanOrEqual(2);
    for (const name of ["listed", "watched"]) {
      expect(informer.get(name, "team-a")?.metadata).not.toHaveProperty("managedFields");
      const stored = await api.objects.get("secrets", "team-a", name);
      expect(stored?.metadata).toHaveProperty("managedFields");
    }
  } finally {
    await informer.stop();
  }
});
