// The Kubernetes API server of the sandbox: the one place that knows which server runs. It is the test suite's
// real control plane (test/support/control-plane.ts: etcd, kube-apiserver and kube-controller-manager v1.37.2,
// built by scripts/install-test-deps.sh), without the deployment and replicaset controllers: the scenario writes
// Deployments, their ReplicaSets and Pods as those controllers and kubelet would have left them, and no kubelet
// runs here to start the Pods they would make. Everything else talks to it only through the kubeconfig, as to
// any cluster.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { stringify } from "yaml";
import { CONTROLLERS, startControlPlane as startRealControlPlane } from "../../test/support/control-plane.js";

export interface ControlPlane {
  /** A kubeconfig whose current context is a cluster admin of this control plane. */
  kubeconfigPath: string;
  /** Stops every process of the control plane and removes its files. Idempotent. */
  stop(): Promise<void>;
}

/** The context (and user) name in the sandbox's kubeconfig. */
export const SANDBOX_CONTEXT = "pullwarden-sandbox";

/** Starts etcd, kube-apiserver and kube-controller-manager on 127.0.0.1 and writes `<dir>/kubeconfig` for it. */
export async function startControlPlane(dir: string): Promise<ControlPlane> {
  const cp = await startRealControlPlane({
    users: {},
    controllers: CONTROLLERS.filter((c) => c !== "deployment-controller" && c !== "replicaset-controller"),
  });
  try {
    const admin = cp.credentials("admin");
    const kubeconfigPath = join(dir, "kubeconfig");
    writeFileSync(
      kubeconfigPath,
      stringify({
        apiVersion: "v1",
        kind: "Config",
        clusters: [
          {
            name: SANDBOX_CONTEXT,
            cluster: {
              server: cp.url,
              "certificate-authority-data": Buffer.from(cp.caPem).toString("base64"),
            },
          },
        ],
        users: [
          {
            name: SANDBOX_CONTEXT,
            user: {
              "client-certificate-data": Buffer.from(admin.certPem).toString("base64"),
              "client-key-data": Buffer.from(admin.keyPem).toString("base64"),
            },
          },
        ],
        contexts: [{ name: SANDBOX_CONTEXT, context: { cluster: SANDBOX_CONTEXT, user: SANDBOX_CONTEXT } }],
        "current-context": SANDBOX_CONTEXT,
        preferences: {},
      }),
      { mode: 0o600 },
    );
    return { kubeconfigPath, stop: () => cp.stop() };
  } catch (e) {
    await cp.stop();
    throw e;
  }
}
