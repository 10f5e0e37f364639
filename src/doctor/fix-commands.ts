/**
 * Exact fix commands. Values that come from the cluster or from pasted text are shell-quoted (`shQuote`, the
 * one quoter of src/text), so a hostile name cannot turn a suggested command into another one; what the user
 * must supply is a placeholder in angle brackets (`<github-user>`), never a secret value, and passwords are read
 * from stdin or the environment, never put on the command line.
 */
import type { RegistryHostInfo } from "../hosts/index.js";
import { isDns1123Subdomain, nestAtPodSpec, podSpecLocation } from "../kube-model/index.js";
import type { PodSpecKind } from "../kube-model/index.js";
import { shQuote } from "../text/index.js";
import type { EvidenceSource, OwnerEvidence, PodEvidence } from "./evidence.js";

/** A Secret, ServiceAccount or workload name (a DNS-1123 subdomain): safe inside JSON patches. */
export function isObjectName(value: string | undefined): value is string {
  return typeof value === "string" && isDns1123Subdomain(value);
}

export function nsFlag(namespace: string | undefined): string {
  return namespace ? `-n ${shQuote(namespace)}` : "-n <namespace>";
}

export interface Workload {
  /** `deployment/web`, or a placeholder when the controller is unknown. */
  readonly ref: string;
  /** The controller's kind, when known and it keeps a Pod template. */
  readonly kind?: PodSpecKind;
  /** JSON-pointer prefix of the Pod spec inside the workload, when patchable. */
  readonly podSpecPath?: string;
  /** True when the Pod has no controller: its spec cannot be changed, only recreated. */
  readonly barePod: boolean;
  /** True when `kubectl rollout restart` works for it. */
  readonly restartable: boolean;
}

/** The Pod's controller; from text without "Controlled By" it is unknown, from the cluster it is a bare Pod. */
export function workloadOf(pod: PodEvidence, source: EvidenceSource): Workload {
  const owner: OwnerEvidence | undefined = pod.owner;
  const location = owner && owner.kind !== "Pod" ? podSpecLocation(owner.kind) : undefined;
  if (owner && isObjectName(owner.name) && location) {
    return {
      ref: `${owner.kind.toLowerCase()}/${owner.name}`,
      kind: owner.kind as PodSpecKind,
      podSpecPath: `/${location.path.join("/")}`,
      barePod: false,
      restartable: location.rolloutRestart,
    };
  }
  if (owner) return { ref: "<workload>", barePod: false, restartable: false };
  // From the cluster, no controller means a bare Pod; from text, only when the text says so (describe).
  const bare = pod.standalone === true || source === "cluster";
  if (!bare || !isObjectName(pod.name)) return { ref: "<workload>", barePod: false, restartable: false };
  return { ref: `pod/${pod.name}`, barePod: true, restartable: false };
}

/** How to make the Pod pick up a changed template or ServiceAccount: restart the controller or recreate. */
export function recreatePodCommands(pod: PodEvidence, source: EvidenceSource): string[] {
  const workload = workloadOf(pod, source);
  const ns = nsFlag(pod.namespace || undefined);
  if (workload.restartable) return [`kubectl ${ns} rollout restart ${workload.ref}`];
  if (workload.barePod) {
    return [
      `kubectl ${ns} get pod ${shQuote(pod.name)} -o yaml > pod.yaml`,
      `kubectl ${ns} replace --force -f pod.yaml`,
    ];
  }
  if (workload.ref !== "<workload>") return [`kubectl ${ns} delete pod ${shQuote(pod.name)}`];
  return [`kubectl ${ns} rollout restart <workload>`];
}

/**
 * A strategic merge patch adding `name` to the workload's imagePullSecrets (PodSpec merges that list by name,
 * so existing entries stay): right even when the current list is unknown.
 */
export function addPullSecretCommand(
  pod: PodEvidence,
  source: EvidenceSource,
  name: string,
): string | undefined {
  const workload = workloadOf(pod, source);
  if (workload.barePod || !isObjectName(name)) return undefined;
  const patch = JSON.stringify(
    nestAtPodSpec(workload.kind ?? "Deployment", { imagePullSecrets: [{ name }] }),
  );
  return `kubectl ${nsFlag(pod.namespace || undefined)} patch ${workload.ref} -p ${shQuote(patch)}`;
}

/** A JSON patch setting the workload's imagePullSecrets to `names` (for renames, when the list is known). */
export function setPullSecretsCommand(
  pod: PodEvidence,
  source: EvidenceSource,
  names: readonly string[],
): string | undefined {
  const workload = workloadOf(pod, source);
  const ns = nsFlag(pod.namespace || undefined);
  const value = names.filter(isObjectName).map((name) => ({ name }));
  if (workload.barePod) return undefined;
  const path = `${workload.podSpecPath ?? "/spec/template/spec"}/imagePullSecrets`;
  const patch = JSON.stringify([{ op: "add", path, value }]);
  return `kubectl ${ns} patch ${workload.ref} --type=json -p ${shQuote(patch)}`;
}

/** The `--docker-server` value kubelet will match for images on `host`. */
export function serverKeyFor(host: string | undefined, registry: RegistryHostInfo | undefined): string {
  if (registry?.kind === "dockerhub") return "docker.io";
  return host ?? "<registry-host>";
}

/** A short Secret name for a registry (a suggestion; any DNS-1123 name works). */
export function secretNameFor(registry: RegistryHostInfo | undefined): string {
  switch (registry?.kind) {
    case "ghcr":
      return "ghcr-pull";
    case "ecr":
      return "ecr-pull";
    case "acr":
      return `${registry.registryName}-acr-pull`.slice(0, 63);
    case "dockerhub":
      return "dockerhub-pull";
    case "gcr":
      return "gar-pull";
    default:
      return "registry-pull";
  }
}

/**
 * `pullwarden secret create … | kubectl apply -f -` for `registry`, with the password read from stdin: the
 * token never appears on a command line. ECR gets its token straight from the AWS CLI. With `keepEntries`, the
 * entries the Secret already holds (for other registries) are merged in, so updating it does not drop them.
 */
export function createSecretCommand(
  name: string,
  namespace: string | undefined,
  host: string | undefined,
  registry: RegistryHostInfo | undefined,
  options: { readonly keepEntries?: boolean } = {},
): string {
  const server = serverKeyFor(host, registry);
  const merge = options.keepEntries
    ? ` --merge <(kubectl ${nsFlag(namespace)} get secret ${shQuote(name)} -o yaml)`
    : "";
  const tail = `pullwarden secret create ${shQuote(name)} ${nsFlag(namespace)} --docker-server=${shQuote(server)}${merge}`;
  const apply = "--docker-password-stdin --dry-run=client -o yaml | kubectl apply -f -";
  switch (registry?.kind) {
    case "ecr":
      return `aws ecr get-login-password --region ${shQuote(registry.region)} | ${tail} --docker-username=AWS ${apply}`;
    case "ecr-public":
      return `aws ecr-public get-login-password --region us-east-1 | ${tail} --docker-username=AWS ${apply}`;
    case "ghcr":
      return `printf '%s' "$GHCR_PAT" | ${tail} --docker-username=<github-user> ${apply}`;
    case "acr":
      return `printf '%s' "$ACR_TOKEN_PASSWORD" | ${tail} --docker-username=<acr-token-name> ${apply}`;
    case "dockerhub":
      return `printf '%s' "$DOCKERHUB_TOKEN" | ${tail} --docker-username=<docker-id> ${apply}`;
    default:
      return `printf '%s' "$REGISTRY_PASSWORD" | ${tail} --docker-username=<username> ${apply}`;
  }
}

/** `pullwarden doctor POD -n NS [--probe]`, with placeholders for what is not known. */
export function doctorCommand(
  pod: { readonly name?: string | undefined; readonly namespace?: string | undefined },
  probe = false,
): string {
  const target = pod.name
    ? `${shQuote(pod.name)} ${nsFlag(pod.namespace || undefined)}`
    : "<pod> -n <namespace>";
  return `pullwarden doctor ${target}${probe ? " --probe" : ""}`;
}

/** Runs a network check from the node itself (what the runtime sees), via an ephemeral debug Pod. */
export function nodeDebugCommand(node: string | undefined, command: string): string {
  const target = node ? `node/${shQuote(node)}` : "node/<node>";
  return `kubectl debug ${target} -it --image=busybox:1.36 -- ${command}`;
}
