// The Kubernetes API server of the sandbox: the one place that knows which server runs. Today it is the suite's
// wire-faithful test API server (test/kube-apiserver, proven with kubectl); when the real control plane of the
// test suite (etcd, kube-apiserver, kube-controller-manager) lands, it starts here instead. Everything else talks
// to it only through the kubeconfig, as to any cluster.
import { join } from "node:path";
import { startApiServer } from "../../test/kube-apiserver/index.js";
import { writeKubeconfig } from "../../test/kube-apiserver/kubeconfig.js";

export interface ControlPlane {
  /** A kubeconfig whose current context is a cluster admin of this control plane. */
  kubeconfigPath: string;
  /** Stops every process of the control plane and removes its files. Idempotent. */
  stop(): Promise<void>;
}

/** The context (and user) name in the sandbox's kubeconfig. */
export const SANDBOX_CONTEXT = "pullwarden-sandbox";

/** Starts an API server on 127.0.0.1 (free port, https) and writes `<dir>/kubeconfig` for it. */
export async function startControlPlane(dir: string): Promise<ControlPlane> {
  const api = await startApiServer();
  try {
    const kubeconfigPath = writeKubeconfig(join(dir, "kubeconfig"), {
      server: api.url,
      caPem: api.caPem,
      users: [{ name: SANDBOX_CONTEXT, token: api.token("admin") }],
      currentUser: SANDBOX_CONTEXT,
    });
    return { kubeconfigPath, stop: () => api.stop() };
  } catch (e) {
    await api.stop();
    throw e;
  }
}
