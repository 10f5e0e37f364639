/**
 * Everything `audit --cluster` and `doctor` read from a live cluster, as plain objects: one list per kind (per
 * namespace when namespaces are given, else cluster-wide), all pages. A kind the user may not list is reported
 * in `failures` and the rest is still returned; an unreachable API server throws.
 */
import { mapWithConcurrency } from "../concurrency.js";
import { KubeClient } from "./client.js";
import { KubeError, KubeUnreachableError } from "./errors.js";
import type { KubeConnectionOptions, KubeTarget } from "./kubeconfig.js";
import { CLUSTER_OBJECT_KINDS, KIND_INFO } from "../kube-model/index.js";
import type { ClusterObjectKind, KubeObject } from "../kube-model/index.js";

export interface ClusterObjectsProgress {
  readonly kind: ClusterObjectKind;
  /** The namespace listed; undefined for a cluster-wide list. */
  readonly namespace: string | undefined;
  /** Objects this list returned. */
  readonly count: number;
  /** Lists finished so far, and in all. */
  readonly done: number;
  readonly total: number;
}

export interface LoadClusterObjectsOptions extends KubeConnectionOptions {
  /** Kinds to list (default: all of CLUSTER_OBJECT_KINDS). */
  readonly kinds?: readonly ClusterObjectKind[];
  /** Namespaced kinds are listed in these namespaces only; cluster-scoped kinds are always listed cluster-wide. */
  readonly namespace?: string | readonly string[];
  /** Applied to every list. */
  readonly labelSelector?: string;
  readonly onProgress?: (progress: ClusterObjectsProgress) => void;
  /** An existing client (else one is made from the connection options). */
  readonly client?: KubeClient;
  /** Lists in flight at once (default 4). */
  readonly concurrency?: number;
}

export interface ClusterObjectsFailure {
  readonly kind: ClusterObjectKind;
  readonly namespace: string | undefined;
  /** E.g. KubeForbiddenError ("cannot list secrets in team-a as alice; check with: ..."). */
  readonly error: KubeError;
}

export interface ClusterObjects {
  /** Every object, with `apiVersion` and `kind` set, in the order of `kinds`, then namespace, then as listed. */
  readonly objects: readonly KubeObject[];
  readonly byKind: Readonly<Partial<Record<ClusterObjectKind, readonly KubeObject[]>>>;
  readonly failures: readonly ClusterObjectsFailure[];
  readonly target: KubeTarget;
  /** List requests made (pages count separately). */
  readonly requests: number;
}

interface ListJob {
  readonly kind: ClusterObjectKind;
  readonly namespace: string | undefined;
}

export async function loadClusterObjects(options: LoadClusterObjectsOptions = {}): Promise<ClusterObjects> {
  const client = options.client ?? KubeClient.connect(options);
  const kinds = [...new Set(options.kinds ?? CLUSTER_OBJECT_KINDS)];
  const namespaces =
    options.namespace === undefined
      ? undefined
      : [...new Set(typeof options.namespace === "string" ? [options.namespace] : options.namespace)];
  const jobs: ListJob[] = [];
  for (const kind of kinds) {
    if (!KIND_INFO[kind]?.namespaced || namespaces === undefined) jobs.push({ kind, namespace: undefined });
    else for (const namespace of namespaces) jobs.push({ kind, namespace });
  }
  // Indexed by job, so failures come in the order of the jobs whatever order the lists finish in.
  const failures = new Array<ClusterObjectsFailure | undefined>(jobs.length);
  const readsBefore = client.requests.reads;
  let done = 0;
  // A list the user may not make is a failure value; an unreachable server (or a bug) stops every list.
  const results = await mapWithConcurrency(jobs, options.concurrency ?? 4, async (job, index) => {
    let items: KubeObject[] = [];
    try {
      items = await client.list(job.kind, {
        ...(job.namespace !== undefined ? { namespace: job.namespace } : {}),
        ...(options.labelSelector ? { labelSelector: options.labelSelector } : {}),
      });
    } catch (error) {
      if (error instanceof KubeUnreachableError || !(error instanceof KubeError)) throw error;
      failures[index] = { kind: job.kind, namespace: job.namespace, error };
    }
    done++;
    options.onProgress?.({
      kind: job.kind,
      namespace: job.namespace,
      count: items.length,
      done,
      total: jobs.length,
    });
    return items;
  });

  const byKind: Partial<Record<ClusterObjectKind, KubeObject[]>> = {};
  const objects: KubeObject[] = [];
  jobs.forEach((job, index) => {
    const items = results[index] ?? [];
    (byKind[job.kind] ??= []).push(...items);
    objects.push(...items);
  });
  for (const kind of kinds) byKind[kind] ??= [];
  return {
    objects,
    byKind,
    failures: failures.filter((f): f is ClusterObjectsFailure => f !== undefined),
    target: client.target,
    requests: client.requests.reads - readsBefore,
  };
}
