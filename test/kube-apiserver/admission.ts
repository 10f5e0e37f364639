// Defaulting and the admission plugins that matter to pull secrets: NamespaceLifecycle (no content in missing or
// terminating namespaces, immortal namespaces), ServiceAccount (default SA, imagePullSecrets copied into a Pod
// only when it has none, token volume), DefaultTolerationSeconds; plus the controllers that put a `default`
// ServiceAccount and the `kube-root-ca.crt` ConfigMap into every new namespace.
import type { ResourceDef } from "./resources.js";
import type { ApiError } from "./status.js";
import { forbidden, notFound } from "./status.js";
import type { Json, JsonObject, KubeObject } from "./types.js";
import { isObject } from "./types.js";

const ALPHANUMS = "bcdfghjklmnpqrstvwxz2456789";

/** utilrand.String(n): the alphabet the real server uses for generateName suffixes. */
export function randomSuffix(n = 5): string {
  let s = "";
  for (let i = 0; i < n; i++) s += ALPHANUMS[Math.floor(Math.random() * ALPHANUMS.length)];
  return s;
}

export const IMMORTAL_NAMESPACES = ["default", "kube-system", "kube-public"];

/** The pull policy the API server defaults for an image: Always for `:latest` or no tag, else IfNotPresent. */
export function defaultPullPolicy(image: string): string {
  if (image.includes("@")) return "IfNotPresent";
  const lastSegment = image.slice(image.lastIndexOf("/") + 1);
  const colon = lastSegment.lastIndexOf(":");
  const tag = colon >= 0 ? lastSegment.slice(colon + 1) : "latest";
  return tag === "latest" ? "Always" : "IfNotPresent";
}

function defaultContainers(list: Json | undefined): void {
  if (!Array.isArray(list)) return;
  for (const c of list) {
    if (!isObject(c)) continue;
    if (c.imagePullPolicy === undefined && typeof c.image === "string")
      c.imagePullPolicy = defaultPullPolicy(c.image);
    c.resources ??= {};
    c.terminationMessagePath ??= "/dev/termination-log";
    c.terminationMessagePolicy ??= "File";
  }
}

/** SetDefaults_PodSpec (+ SetDefaults_Container): for Pods and for workload pod templates. */
function defaultPodSpec(spec: JsonObject): void {
  spec.restartPolicy ??= "Always";
  spec.terminationGracePeriodSeconds ??= 30;
  spec.dnsPolicy ??= "ClusterFirst";
  spec.securityContext ??= {};
  spec.schedulerName ??= "default-scheduler";
  defaultContainers(spec.containers);
  defaultContainers(spec.initContainers);
}

function objectField(parent: JsonObject, key: string): JsonObject {
  const v = parent[key];
  if (isObject(v)) return v;
  const fresh: JsonObject = {};
  parent[key] = fresh;
  return fresh;
}

function defaultWorkload(kind: string, obj: KubeObject): void {
  const spec: JsonObject = isObject(obj.spec) ? obj.spec : {};
  obj.spec = spec;
  const template = isObject(spec.template) ? spec.template : undefined;
  if (template && isObject(template.spec)) defaultPodSpec(template.spec);
  if (kind !== "DaemonSet") spec.replicas ??= 1;
  if (kind === "Deployment") {
    const strategy = objectField(spec, "strategy");
    strategy.type ??= "RollingUpdate";
    if (strategy.type === "RollingUpdate") {
      const ru = objectField(strategy, "rollingUpdate");
      ru.maxUnavailable ??= "25%";
      ru.maxSurge ??= "25%";
    }
    spec.revisionHistoryLimit ??= 10;
    spec.progressDeadlineSeconds ??= 600;
  }
  if (kind === "DaemonSet" || kind === "StatefulSet") {
    const strategy = objectField(spec, "updateStrategy");
    strategy.type ??= "RollingUpdate";
    if (strategy.type === "RollingUpdate") {
      const ru = objectField(strategy, "rollingUpdate");
      if (kind === "DaemonSet") {
        ru.maxUnavailable ??= 1;
        ru.maxSurge ??= 0;
      } else ru.partition ??= 0;
    }
    spec.revisionHistoryLimit ??= 10;
    if (kind === "StatefulSet") spec.podManagementPolicy ??= "OrderedReady";
  }
}

/** Applies the scheme defaults of the kinds we serve (SetDefaults_* for the fields clients look at). */
export function applyDefaults(def: ResourceDef, obj: KubeObject): void {
  if (def.group === "apps") {
    defaultWorkload(def.kind, obj);
    return;
  }
  if (def.group !== "") return;
  switch (def.kind) {
    case "Secret":
      obj.type ??= "Opaque";
      break;
    case "Namespace": {
      const spec: JsonObject = isObject(obj.spec) ? obj.spec : {};
      spec.finalizers ??= ["kubernetes"];
      obj.spec = spec;
      const status: JsonObject = isObject(obj.status) ? obj.status : {};
      status.phase ??= "Active";
      obj.status = status;
      const name = obj.metadata.name;
      if (name) obj.metadata.labels = { ...obj.metadata.labels, "kubernetes.io/metadata.name": name };
      break;
    }
    case "Pod": {
      const spec: JsonObject = isObject(obj.spec) ? obj.spec : {};
      obj.spec = spec;
      defaultPodSpec(spec);
      spec.enableServiceLinks ??= true;
      break;
    }
    default:
      break;
  }
}

/** The Priority admission plugin's defaults for a Pod without a priorityClassName. */
export function admitPodPriority(pod: KubeObject): void {
  const spec: JsonObject = isObject(pod.spec) ? pod.spec : {};
  spec.preemptionPolicy ??= "PreemptLowerPriority";
  spec.priority ??= 0;
  pod.spec = spec;
}

/** Secret.stringData is write-only: merged into data (base64) and dropped, as the Secret strategy does. */
export function foldStringData(obj: KubeObject): void {
  const sd = obj.stringData;
  if (!isObject(sd)) {
    delete obj.stringData;
    return;
  }
  const data: JsonObject = isObject(obj.data) ? obj.data : {};
  for (const [k, v] of Object.entries(sd)) {
    if (typeof v === "string") data[k] = Buffer.from(v, "utf8").toString("base64");
  }
  obj.data = data;
  delete obj.stringData;
}

/** What admission needs from the server. */
export interface AdmissionContext {
  getNamespace(name: string): KubeObject | undefined;
  getServiceAccount(namespace: string, name: string): KubeObject | undefined;
}

/** NamespaceLifecycle for creates of namespaced objects. */
export function checkNamespaceLifecycle(
  ctx: AdmissionContext,
  def: ResourceDef,
  namespace: string,
  name: string,
): ApiError | undefined {
  if (!def.namespaced) return undefined;
  const ns = ctx.getNamespace(namespace);
  if (!ns) return notFound({ group: "", resource: "namespaces" }, namespace);
  const phase = isObject(ns.status) ? ns.status.phase : undefined;
  if (phase === "Terminating" || ns.metadata.deletionTimestamp) {
    const err = forbidden(
      { group: def.group, resource: def.plural },
      name,
      `unable to create new content in namespace ${namespace} because it is being terminated`,
    );
    if (err.details) {
      err.details.causes = [
        {
          type: "NamespaceTerminating",
          message: `namespace ${namespace} is being terminated`,
          field: "metadata.namespace",
        },
      ];
    }
    return err;
  }
  return undefined;
}

/** The ServiceAccount admission plugin for Pod creates. Mutates the pod; returns a 403 when the SA is missing. */
export function admitPodServiceAccount(
  ctx: AdmissionContext,
  pod: KubeObject,
  mountToken: boolean,
): ApiError | undefined {
  const namespace = pod.metadata.namespace ?? "";
  const spec: JsonObject = isObject(pod.spec) ? pod.spec : {};
  pod.spec = spec;
  const annotations = pod.metadata.annotations ?? {};
  if (annotations["kubernetes.io/config.mirror"] !== undefined) return undefined;
  if (typeof spec.serviceAccountName !== "string" || spec.serviceAccountName === "") {
    spec.serviceAccountName =
      typeof spec.serviceAccount === "string" && spec.serviceAccount ? spec.serviceAccount : "default";
  }
  const saName = spec.serviceAccountName as string;
  const sa = ctx.getServiceAccount(namespace, saName);
  if (!sa) {
    return forbidden(
      { group: "", resource: "pods" },
      pod.metadata.name ?? "",
      `error looking up service account ${namespace}/${saName}: serviceaccount "${saName}" not found`,
    );
  }
  spec.serviceAccount = saName;
  if (mountToken && shouldAutomount(sa, spec)) mountServiceAccountToken(spec);
  const podSecrets = spec.imagePullSecrets;
  if (!Array.isArray(podSecrets) || podSecrets.length === 0) {
    const saSecrets = Array.isArray(sa.imagePullSecrets) ? sa.imagePullSecrets : [];
    if (saSecrets.length > 0) {
      spec.imagePullSecrets = saSecrets.map((ref) => ({
        name: isObject(ref) && typeof ref.name === "string" ? ref.name : "",
      }));
    }
  }
  return undefined;
}

function shouldAutomount(sa: KubeObject, spec: JsonObject): boolean {
  if (typeof spec.automountServiceAccountToken === "boolean") return spec.automountServiceAccountToken;
  if (typeof sa.automountServiceAccountToken === "boolean") return sa.automountServiceAccountToken;
  return true;
}

const TOKEN_MOUNT_PATH = "/var/run/secrets/kubernetes.io/serviceaccount";

function mountServiceAccountToken(spec: JsonObject): void {
  const containers = [spec.initContainers, spec.containers].filter(Array.isArray).flat();
  const alreadyMounted = containers.some(
    (c) =>
      isObject(c) &&
      Array.isArray(c.volumeMounts) &&
      c.volumeMounts.some((m) => isObject(m) && m.mountPath === TOKEN_MOUNT_PATH),
  );
  if (alreadyMounted) return;
  const volumeName = `kube-api-access-${randomSuffix()}`;
  const volumes = Array.isArray(spec.volumes) ? spec.volumes : [];
  volumes.push({
    name: volumeName,
    projected: {
      sources: [
        { serviceAccountToken: { expirationSeconds: 3607, path: "token" } },
        { configMap: { name: "kube-root-ca.crt", items: [{ key: "ca.crt", path: "ca.crt" }] } },
        {
          downwardAPI: {
            items: [{ path: "namespace", fieldRef: { apiVersion: "v1", fieldPath: "metadata.namespace" } }],
          },
        },
      ],
      defaultMode: 420,
    },
  });
  spec.volumes = volumes;
  for (const c of containers) {
    if (!isObject(c)) continue;
    const mounts = Array.isArray(c.volumeMounts) ? c.volumeMounts : [];
    mounts.push({ name: volumeName, readOnly: true, mountPath: TOKEN_MOUNT_PATH });
    c.volumeMounts = mounts;
  }
}

/** DefaultTolerationSeconds: not-ready / unreachable NoExecute tolerations of 300 s. */
export function addDefaultTolerations(pod: KubeObject): void {
  const spec: JsonObject = isObject(pod.spec) ? pod.spec : {};
  const tolerations = Array.isArray(spec.tolerations) ? spec.tolerations : [];
  for (const key of ["node.kubernetes.io/not-ready", "node.kubernetes.io/unreachable"]) {
    const has = tolerations.some(
      (t) => isObject(t) && (t.key === key || (t.operator === "Exists" && !t.key)),
    );
    if (!has) tolerations.push({ key, operator: "Exists", effect: "NoExecute", tolerationSeconds: 300 });
  }
  spec.tolerations = tolerations;
  pod.spec = spec;
}

/** The objects the controllers create in a new namespace. */
export function namespaceBootstrapObjects(namespace: string, caPem: string): KubeObject[] {
  return [
    { apiVersion: "v1", kind: "ServiceAccount", metadata: { name: "default", namespace } },
    {
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: {
        name: "kube-root-ca.crt",
        namespace,
        annotations: { "kubernetes.io/description": ROOT_CA_DESCRIPTION },
      },
      data: { "ca.crt": caPem },
    },
  ];
}

const ROOT_CA_DESCRIPTION =
  "Contains a CA bundle that can be used to verify the kube-apiserver when using internal endpoints such as the internal service IP or kubernetes.default.svc. No other usage is guaranteed across distributions of Kubernetes clusters.";
