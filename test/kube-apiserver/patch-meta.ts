// Strategic-merge-patch metadata (the `patchStrategy` / `patchMergeKey` struct tags of k8s.io/api) for the
// fields the server's built-in kinds have. A list without an entry is atomic (replaced whole) — notably
// ServiceAccount.imagePullSecrets, which is `+listType=atomic` upstream, unlike PodSpec.imagePullSecrets.

export interface FieldMeta {
  /** "merge" (list merged: by `key` for objects, as a set for scalars), "retainKeys", or "merge,retainKeys". */
  strategy?: "merge" | "retainKeys" | "merge,retainKeys";
  key?: string;
  /** Metadata of the nested object (or of list items). */
  schema?: Schema;
}

export type Schema = { [field: string]: FieldMeta };

const merge = (key?: string, schema?: Schema): FieldMeta => ({ strategy: "merge", key, schema });

const objectMeta: Schema = {
  ownerReferences: merge("uid"),
  finalizers: merge(),
};

const container: Schema = {
  env: merge("name"),
  ports: merge("containerPort"),
  volumeMounts: merge("mountPath"),
  volumeDevices: merge("devicePath"),
};

const podSpec: Schema = {
  volumes: { strategy: "merge,retainKeys", key: "name" },
  initContainers: merge("name", container),
  containers: merge("name", container),
  ephemeralContainers: merge("name", container),
  imagePullSecrets: merge("name"),
  hostAliases: merge("ip"),
  topologySpreadConstraints: merge("topologyKey"),
  resourceClaims: { strategy: "merge,retainKeys", key: "name" },
  schedulingGates: merge("name"),
};

const podStatus: Schema = {
  conditions: merge("type"),
  podIPs: merge("ip"),
  hostIPs: merge("ip"),
};

const podTemplate: Schema = { metadata: { schema: objectMeta }, spec: { schema: podSpec } };

const workloadStatus: Schema = { conditions: merge("type") };

const withMeta = (schema: Schema = {}): Schema => ({ metadata: { schema: objectMeta }, ...schema });

const SCHEMAS: Record<string, Schema> = {
  "v1/Pod": withMeta({ spec: { schema: podSpec }, status: { schema: podStatus } }),
  "v1/ServiceAccount": withMeta({ secrets: merge("name") }),
  "v1/Node": withMeta({
    spec: { schema: { podCIDRs: merge() } },
    status: { schema: { conditions: merge("type"), addresses: merge("type") } },
  }),
  "v1/Namespace": withMeta({ status: { schema: { conditions: merge("type") } } }),
  "apps/v1/Deployment": withMeta({
    spec: { schema: { template: { schema: podTemplate }, strategy: { strategy: "retainKeys" } } },
    status: { schema: workloadStatus },
  }),
  "apps/v1/ReplicaSet": withMeta({
    spec: { schema: { template: { schema: podTemplate } } },
    status: { schema: workloadStatus },
  }),
  "apps/v1/DaemonSet": withMeta({
    spec: { schema: { template: { schema: podTemplate }, updateStrategy: { strategy: "retainKeys" } } },
    status: { schema: workloadStatus },
  }),
  "apps/v1/StatefulSet": withMeta({
    spec: { schema: { template: { schema: podTemplate }, updateStrategy: { strategy: "retainKeys" } } },
    status: { schema: workloadStatus },
  }),
};

/** The strategic-merge metadata of a kind (ObjectMeta only for kinds without list strategies). */
export function schemaFor(apiVersion: string, kind: string): Schema {
  return SCHEMAS[`${apiVersion}/${kind}`] ?? withMeta();
}
