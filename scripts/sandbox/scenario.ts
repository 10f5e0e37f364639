// The sandbox's broken cluster, written through the API as the cluster's own components would have left it:
// pull secrets as `kubectl create secret docker-registry` makes them, Deployments with the ReplicaSet and Pod
// their controllers create, and the Pod status and events kubelet writes when a pull fails, in kubelet 1.32's and
// containerd 1.7's wording (the rows of testdata/doctor/runtime-messages.json that src/doctor recognises).
//
//   shop/web          secret registry-pull holds a wrong password  → ErrImagePull (401 from the registry)
//   shop/cart         secret ghcr-pull is keyed for ghcr.io        → ImagePullBackOff (no basic auth credentials)
//   payments/billing  ServiceAccount billing names payments-registry, which does not exist → ImagePullBackOff
//   payments/ledger   secret registry-pull with the right password → Running (the healthy Pod)
//
// Once a real kube-controller-manager runs behind startControlPlane, its Deployment and ReplicaSet controllers
// will manage these objects too (and make Pods no kubelet reports on): run it without them, or seed bare Pods.
import { randomBytes } from "node:crypto";
import { buildDockerConfigJson } from "../../src/dockerconfig/index.js";
import type { KubeObject } from "../../src/kube/index.js";
import { DOCKER_CONFIG_JSON_KEY, DOCKER_CONFIG_JSON_TYPE } from "../../src/manifest/index.js";
import type { SecretManifest } from "../../src/manifest/index.js";
import type { KubeWriter } from "./kube-writer.js";

export const SCENARIO_NAMESPACES = ["shop", "payments"] as const;
/** Every repository a Pod of the scenario pulls (all pushed to the registry). */
export const SCENARIO_REPOSITORIES = ["shop/web", "shop/cart", "payments/billing", "payments/ledger"];
export const NODE_NAME = "sandbox-node";
/** The pull secret with the right credential: its name in `payments`, and of the file the sandbox writes. */
export const PULL_SECRET_NAME = "registry-pull";
/** What ServiceAccount payments/billing names and nobody created: `pullwarden apply` can create it. */
export const MISSING_SECRET_NAME = "payments-registry";

export interface ScenarioRegistry {
  host: string;
  user: { username: string; password: string };
  digest: string;
  imageSize: number;
  image(repository: string): string;
}

export interface ScenarioInput {
  registry: ScenarioRegistry;
  /** The password in shop's stale pull secret (fake, never the registry's). */
  wrongPassword: string;
}

/** A kubernetes.io/dockerconfigjson Secret with one registry, as `kubectl create secret docker-registry`. */
export function pullSecret(
  name: string,
  namespace: string | undefined,
  server: string,
  user: { username: string; password: string },
): SecretManifest {
  const config = buildDockerConfigJson([{ server, ...user }], { source: `secret ${name}` });
  return {
    name,
    ...(namespace === undefined ? {} : { namespace }),
    type: DOCKER_CONFIG_JSON_TYPE,
    data: { [DOCKER_CONFIG_JSON_KEY]: Buffer.from(config, "utf8").toString("base64") },
  };
}

function secretObject(secret: SecretManifest): KubeObject {
  return {
    apiVersion: "v1",
    kind: "Secret",
    metadata: { name: secret.name, namespace: secret.namespace },
    type: secret.type,
    data: secret.data,
  };
}

/** A GitHub classic PAT look-alike (`ghp_` and 36 base62 characters), random per run. */
function fakeClassicPat(): string {
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  return `ghp_${[...randomBytes(36)].map((b) => alphabet[b % alphabet.length]).join("")}`;
}

/** Kubernetes' rand.SafeEncodeString alphabet (no vowels, no 0/1/3): names of ReplicaSets and Pods. */
const SAFE_ALPHABET = "bcdfghjklmnpqrstvwxz2456789";

/**
 * pod-template-hash in the Deployment controller's form: the decimal FNV-1a 32-bit hash of the template,
 * safe-encoded character by character (the controller hashes a Go printout of the template, not its JSON, so
 * the value itself differs).
 */
function podTemplateHash(template: unknown): string {
  let hash = 0x811c9dc5;
  for (const byte of Buffer.from(JSON.stringify(template), "utf8")) {
    hash = Math.imul(hash ^ byte, 0x01000193) >>> 0;
  }
  return [...String(hash)].map((c) => SAFE_ALPHABET[c.charCodeAt(0) % SAFE_ALPHABET.length]).join("");
}

const rfc3339 = (d: Date): string => d.toISOString().replace(/\.\d{3}Z$/, "Z");

interface PullFailure {
  /** ErrImagePull right after a failed pull; ImagePullBackOff while kubelet waits to retry. */
  reason: "ErrImagePull" | "ImagePullBackOff";
  /** The runtime's error (the gRPC status text kubelet prints). */
  error: string;
}

interface WorkloadSpec {
  namespace: string;
  name: string;
  image: string;
  pullSecrets?: string[];
  serviceAccount?: string;
  /** Undefined: the Pod runs. */
  failure?: PullFailure;
  /** Secrets the Pod names that kubelet could not read (FailedToRetrieveImagePullSecret). */
  missingSecrets?: string[];
}

/** containerd 1.7 when the registry answered 401 to the credentials it sent (wrong password). */
function rejectedCredentialError(image: string, host: string, repository: string, tag: string): string {
  return `rpc error: code = Unknown desc = failed to pull and unpack image "${image}": failed to resolve reference "${image}": unexpected status from HEAD request to https://${host}/v2/${repository}/manifests/${tag}: 401 Unauthorized`;
}

/** containerd 1.7 when a Basic-auth registry challenged and no credential matched the image's host. */
function noCredentialError(image: string): string {
  return `rpc error: code = Unknown desc = failed to pull and unpack image "${image}": failed to resolve reference "${image}": pull access denied, repository does not exist or may require authorization: authorization failed: no basic auth credentials`;
}

interface EventSpec {
  type: "Normal" | "Warning";
  reason: string;
  message: string;
  /** Container-level events name the container; Pod-level ones (secrets, scheduling) do not. */
  container?: string;
  component?: "kubelet" | "default-scheduler";
}

/**
 * The events kubelet (and the scheduler) record for a Pod of `spec`, in order, as in the first seconds of its
 * life: the API server stamps the Pod's creation time, so nothing can be dated earlier. A failing Pod has
 * pulled once; ImagePullBackOff follows the first ErrImagePull.
 */
function podEvents(spec: WorkloadSpec, pod: string, imageSize: number): EventSpec[] {
  const c = spec.name;
  const image = spec.image;
  const events: EventSpec[] = [
    {
      type: "Normal",
      reason: "Scheduled",
      message: `Successfully assigned ${spec.namespace}/${pod} to ${NODE_NAME}`,
      component: "default-scheduler",
    },
  ];
  if (spec.missingSecrets?.length) {
    events.push({
      type: "Warning",
      reason: "FailedToRetrieveImagePullSecret",
      message: `Unable to retrieve some image pull secrets (${spec.missingSecrets.join(", ")}); attempting to pull the image may not succeed.`,
    });
  }
  events.push({ type: "Normal", reason: "Pulling", message: `Pulling image "${image}"`, container: c });
  if (!spec.failure) {
    return [
      ...events,
      {
        type: "Normal",
        reason: "Pulled",
        message: `Successfully pulled image "${image}" in 412ms (412ms including waiting). Image size: ${String(imageSize)} bytes.`,
        container: c,
      },
      { type: "Normal", reason: "Created", message: `Created container: ${c}`, container: c },
      { type: "Normal", reason: "Started", message: `Started container ${c}`, container: c },
    ];
  }
  events.push(
    {
      type: "Warning",
      reason: "Failed",
      message: `Failed to pull image "${image}": ${spec.failure.error}`,
      container: c,
    },
    { type: "Warning", reason: "Failed", message: "Error: ErrImagePull", container: c },
  );
  if (spec.failure.reason === "ImagePullBackOff") {
    events.push(
      { type: "Normal", reason: "BackOff", message: `Back-off pulling image "${image}"`, container: c },
      { type: "Warning", reason: "Failed", message: "Error: ImagePullBackOff", container: c },
    );
  }
  return events;
}

function eventObject(
  pod: KubeObject,
  container: string,
  e: EventSpec,
  at: Date,
  sequence: number,
): KubeObject {
  const name = pod.metadata.name ?? "";
  const namespace = pod.metadata.namespace ?? "";
  const host = e.component === "default-scheduler" ? undefined : NODE_NAME;
  // Recorders name an event after its object and the time, in hex nanoseconds.
  const stamp = (BigInt(at.getTime()) * 1_000_000n + BigInt(sequence)).toString(16);
  return {
    apiVersion: "v1",
    kind: "Event",
    metadata: { name: `${name}.${stamp}`, namespace },
    involvedObject: {
      kind: "Pod",
      namespace,
      name,
      uid: pod.metadata.uid,
      apiVersion: "v1",
      resourceVersion: pod.metadata.resourceVersion,
      ...(e.container ? { fieldPath: `spec.containers{${container}}` } : {}),
    },
    reason: e.reason,
    message: e.message,
    type: e.type,
    count: 1,
    firstTimestamp: rfc3339(at),
    lastTimestamp: rfc3339(at),
    source: { component: e.component ?? "kubelet", ...(host ? { host } : {}) },
    reportingComponent: e.component ?? "kubelet",
    reportingInstance: host ?? "",
  };
}

function podStatus(spec: WorkloadSpec, registry: ScenarioRegistry, at: Date, podIp: string): unknown {
  const started = rfc3339(at);
  const running = !spec.failure;
  const unready = running
    ? {}
    : { reason: "ContainersNotReady", message: `containers with unready status: [${spec.name}]` };
  const condition = (type: string, ok: boolean) => ({
    type,
    status: ok ? "True" : "False",
    lastProbeTime: null,
    lastTransitionTime: started,
    ...(ok ? {} : unready),
  });
  const repository = spec.image.slice(0, spec.image.lastIndexOf(":"));
  return {
    phase: running ? "Running" : "Pending",
    conditions: [
      condition("PodReadyToStartContainers", true),
      condition("Initialized", true),
      condition("Ready", running),
      condition("ContainersReady", running),
      condition("PodScheduled", true),
    ],
    hostIP: "10.89.0.2",
    hostIPs: [{ ip: "10.89.0.2" }],
    podIP: podIp,
    podIPs: [{ ip: podIp }],
    startTime: started,
    qosClass: "BestEffort",
    containerStatuses: [
      {
        name: spec.name,
        image: spec.image,
        imageID: running ? `${repository}@${registry.digest}` : "",
        ready: running,
        restartCount: 0,
        started: running,
        state: spec.failure
          ? {
              waiting: {
                reason: spec.failure.reason,
                // kubelet ≥ 1.32 keeps the last pull error in the back-off message.
                message:
                  spec.failure.reason === "ImagePullBackOff"
                    ? `Back-off pulling image "${spec.image}": ErrImagePull: ${spec.failure.error}`
                    : spec.failure.error,
              },
            }
          : { running: { startedAt: started } },
      },
    ],
  };
}

/** Deployment → ReplicaSet → Pod, with their status and the Pod's events. */
async function seedWorkload(
  writer: KubeWriter,
  spec: WorkloadSpec,
  input: ScenarioInput,
  podIp: string,
): Promise<void> {
  const labels = { app: spec.name };
  const podSpec = {
    ...(spec.serviceAccount ? { serviceAccountName: spec.serviceAccount } : {}),
    ...(spec.pullSecrets ? { imagePullSecrets: spec.pullSecrets.map((name) => ({ name })) } : {}),
    containers: [{ name: spec.name, image: spec.image, ports: [{ containerPort: 8080 }] }],
  };
  const template = { metadata: { labels }, spec: podSpec };
  const deployment = await writer.create({
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name: spec.name, namespace: spec.namespace, labels },
    spec: { replicas: 1, selector: { matchLabels: labels }, template },
  });
  const hash = podTemplateHash(template);
  const rsLabels = { ...labels, "pod-template-hash": hash };
  const owner = (o: KubeObject) => ({
    apiVersion: o.apiVersion,
    kind: o.kind,
    name: o.metadata.name ?? "",
    uid: o.metadata.uid ?? "",
    controller: true,
    blockOwnerDeletion: true,
  });
  const replicaSet = await writer.create({
    apiVersion: "apps/v1",
    kind: "ReplicaSet",
    metadata: {
      name: `${spec.name}-${hash}`,
      namespace: spec.namespace,
      labels: rsLabels,
      annotations: { "deployment.kubernetes.io/revision": "1" },
      ownerReferences: [owner(deployment)],
    },
    spec: {
      replicas: 1,
      selector: { matchLabels: rsLabels },
      template: { metadata: { labels: rsLabels }, spec: podSpec },
    },
  });
  const created = await writer.create({
    apiVersion: "v1",
    kind: "Pod",
    metadata: {
      generateName: `${replicaSet.metadata.name ?? ""}-`,
      namespace: spec.namespace,
      labels: rsLabels,
      ownerReferences: [owner(replicaSet)],
    },
    spec: { ...podSpec, nodeName: NODE_NAME },
  });
  const at = new Date();
  const pod = await writer.replaceStatus({ ...created, status: podStatus(spec, input.registry, at, podIp) });
  const podName = pod.metadata.name ?? "";
  const events = podEvents(spec, podName, input.registry.imageSize);
  for (const [i, e] of events.entries()) await writer.create(eventObject(pod, spec.name, e, at, i));

  const ready = spec.failure ? 0 : 1;
  await writer.replaceStatus({
    ...replicaSet,
    status: {
      replicas: 1,
      fullyLabeledReplicas: 1,
      readyReplicas: ready,
      availableReplicas: ready,
      observedGeneration: 1,
    },
  });
  const transition = rfc3339(at);
  await writer.replaceStatus({
    ...deployment,
    status: {
      observedGeneration: 1,
      replicas: 1,
      updatedReplicas: 1,
      readyReplicas: ready,
      availableReplicas: ready,
      ...(ready ? {} : { unavailableReplicas: 1 }),
      conditions: [
        ready
          ? {
              type: "Available",
              status: "True",
              lastUpdateTime: transition,
              lastTransitionTime: transition,
              reason: "MinimumReplicasAvailable",
              message: "Deployment has minimum availability.",
            }
          : {
              type: "Available",
              status: "False",
              lastUpdateTime: transition,
              lastTransitionTime: transition,
              reason: "MinimumReplicasUnavailable",
              message: "Deployment does not have minimum availability.",
            },
        {
          type: "Progressing",
          status: "True",
          lastUpdateTime: transition,
          lastTransitionTime: transition,
          reason: ready ? "NewReplicaSetAvailable" : "ReplicaSetUpdated",
          message: ready
            ? `ReplicaSet "${replicaSet.metadata.name ?? ""}" has successfully progressed.`
            : `ReplicaSet "${replicaSet.metadata.name ?? ""}" is progressing.`,
        },
      ],
    },
  });
}

/** The node the Pods run on, with the heartbeat a kubelet stamps (refresh it with `nodeHeartbeat`). */
export function nodeStatus(now: Date): unknown {
  const beat = rfc3339(now);
  const condition = (type: string, status: string, reason: string, message: string) => ({
    type,
    status,
    lastHeartbeatTime: beat,
    lastTransitionTime: beat,
    reason,
    message,
  });
  return {
    conditions: [
      condition(
        "MemoryPressure",
        "False",
        "KubeletHasSufficientMemory",
        "kubelet has sufficient memory available",
      ),
      condition("DiskPressure", "False", "KubeletHasNoDiskPressure", "kubelet has no disk pressure"),
      condition("PIDPressure", "False", "KubeletHasSufficientPID", "kubelet has sufficient PID available"),
      condition("Ready", "True", "KubeletReady", "kubelet is posting ready status"),
    ],
    addresses: [
      { type: "InternalIP", address: "10.89.0.2" },
      { type: "Hostname", address: NODE_NAME },
    ],
    nodeInfo: {
      kubeletVersion: "v1.32.0",
      kubeProxyVersion: "v1.32.0",
      containerRuntimeVersion: "containerd://1.7.13",
      operatingSystem: "linux",
      architecture: "amd64",
      osImage: "Debian GNU/Linux 12 (bookworm)",
      kernelVersion: "6.1.0-28-amd64",
      machineID: "",
      systemUUID: "",
      bootID: "",
    },
  };
}

/**
 * Stamps the node's heartbeat as a kubelet does, so `doctor` does not take a long-running sandbox's node for
 * one whose clock is behind.
 */
export async function nodeHeartbeat(writer: KubeWriter, node: KubeObject, now: Date): Promise<KubeObject> {
  const { resourceVersion: _stale, ...metadata } = node.metadata;
  return writer.replaceStatus({ ...node, metadata, status: nodeStatus(now) });
}

/** Writes the whole scenario; resolves to the Node (for `nodeHeartbeat`). */
export async function seedScenario(writer: KubeWriter, input: ScenarioInput): Promise<KubeObject> {
  const { registry } = input;
  for (const name of SCENARIO_NAMESPACES) {
    await writer.create({ apiVersion: "v1", kind: "Namespace", metadata: { name } });
  }
  const created = await writer.create({
    apiVersion: "v1",
    kind: "Node",
    metadata: {
      name: NODE_NAME,
      labels: {
        "kubernetes.io/arch": "amd64",
        "kubernetes.io/os": "linux",
        "kubernetes.io/hostname": NODE_NAME,
      },
    },
    spec: { podCIDR: "10.244.0.0/24", providerID: `kind://docker/pullwarden-sandbox/${NODE_NAME}` },
  });
  const node = await nodeHeartbeat(writer, created, new Date());

  const wrong = { username: registry.user.username, password: input.wrongPassword };
  for (const secret of [
    pullSecret(PULL_SECRET_NAME, "shop", registry.host, wrong),
    pullSecret("ghcr-pull", "shop", "ghcr.io", { username: "acme-bot", password: fakeClassicPat() }),
    pullSecret(PULL_SECRET_NAME, "payments", registry.host, registry.user),
  ]) {
    await writer.create(secretObject(secret));
  }
  await writer.create({
    apiVersion: "v1",
    kind: "ServiceAccount",
    metadata: { name: "billing", namespace: "payments" },
    imagePullSecrets: [{ name: MISSING_SECRET_NAME }],
  });

  const [webRepo, cartRepo, billingRepo, ledgerRepo] = SCENARIO_REPOSITORIES as [
    string,
    string,
    string,
    string,
  ];
  const web = registry.image(webRepo);
  const cart = registry.image(cartRepo);
  const billing = registry.image(billingRepo);
  const workloads: WorkloadSpec[] = [
    {
      namespace: "shop",
      name: "web",
      image: web,
      pullSecrets: [PULL_SECRET_NAME],
      failure: {
        reason: "ErrImagePull",
        error: rejectedCredentialError(web, registry.host, webRepo, web.slice(web.lastIndexOf(":") + 1)),
      },
    },
    {
      namespace: "shop",
      name: "cart",
      image: cart,
      pullSecrets: ["ghcr-pull"],
      failure: { reason: "ImagePullBackOff", error: noCredentialError(cart) },
    },
    {
      // No imagePullSecrets of its own: admission copies the ServiceAccount's (the missing secret).
      namespace: "payments",
      name: "billing",
      image: billing,
      serviceAccount: "billing",
      missingSecrets: [MISSING_SECRET_NAME],
      failure: { reason: "ImagePullBackOff", error: noCredentialError(billing) },
    },
    {
      namespace: "payments",
      name: "ledger",
      image: registry.image(ledgerRepo),
      pullSecrets: [PULL_SECRET_NAME],
    },
  ];
  for (const [i, w] of workloads.entries())
    await seedWorkload(writer, w, input, `10.244.0.${String(11 + i)}`);
  return node;
}
