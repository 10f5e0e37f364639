/**
 * `doctor`'s cluster port (src/doctor/gather.ts) over the Kubernetes client: each method is one list (or the
 * one get) with the namespace and field selector it names. An API error (403, 404, 5xx) is returned as a
 * failure for doctor to report as a gap; an unreachable or silent API server, or a bug, is thrown.
 */
import type { ClusterRead, DoctorClusterReader } from "../../../doctor/index.js";
import { KubeError, KubeForbiddenError, KubeUnreachableError } from "../../../kube/index.js";
import type { KubeClient, ListOptions, PodObject, SecretObject } from "../../../kube/index.js";

async function read<T>(fn: () => Promise<T>): Promise<ClusterRead<T>> {
  try {
    return { ok: true, value: await fn() };
  } catch (error) {
    if (error instanceof KubeUnreachableError || !(error instanceof KubeError)) throw error;
    return {
      ok: false,
      failure: { forbidden: error instanceof KubeForbiddenError, message: error.message, error },
    };
  }
}

const inScope = (namespace: string | undefined): ListOptions =>
  namespace !== undefined ? { namespace } : {};

const named = (name: string | undefined): ListOptions =>
  name !== undefined ? { fieldSelector: `metadata.name=${name}` } : {};

export function doctorClusterReader(client: KubeClient): DoctorClusterReader {
  return {
    listPods: (namespace, name) =>
      read(() => client.list<PodObject>("Pod", { ...inScope(namespace), ...named(name) })),
    listEvents: (namespace) => read(() => client.list("Event", inScope(namespace))),
    listServiceAccounts: (namespace) => read(() => client.list("ServiceAccount", inScope(namespace))),
    listSecrets: (namespace) => read(() => client.list<SecretObject>("Secret", inScope(namespace))),
    listSecretsNamed: (name) => read(() => client.list<SecretObject>("Secret", named(name))),
    listReplicaSets: (namespace) => read(() => client.list("ReplicaSet", inScope(namespace))),
    listNodes: (name) => read(() => client.list("Node", named(name))),
    getSecret: (namespace, name) => read(() => client.getSecret(namespace, name)),
  };
}
