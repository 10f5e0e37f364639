/**
 * Pieces of fixes that several causes use (a cause's own fix lives in its file): where the namespace, host,
 * image and node come from, the pull secret to create and reference, and the fixes that several causes share
 * word for word.
 */
import { CONTAINER_GROUPS } from "../../../kube-model/index.js";
import { classifyRegistryHost } from "../../../hosts/index.js";
import type { RegistryHostInfo } from "../../../hosts/index.js";
import {
  addPullSecretCommand,
  createSecretCommand,
  doctorCommand,
  nodeDebugCommand,
  nsFlag,
  recreatePodCommands,
  secretNameFor,
} from "../../fix-commands.js";
import type { Fix } from "../../model.js";
import type { FixContext } from "../definition.js";
import { shQuote } from "../../../text/index.js";

export function fix(explanation: string, commands: readonly string[] = []): Fix {
  return { explanation, commands };
}

export function ns(fc: FixContext): string | undefined {
  return fc.ctx.evidence.pod.namespace || undefined;
}

export function hostOf(fc: FixContext): string | undefined {
  return fc.image?.host ?? fc.recognition?.host;
}

/** Host for network commands: Docker Hub images are served by registry-1.docker.io. */
export function endpointHost(fc: FixContext): string {
  const host = hostOf(fc);
  if (!host) return "<registry-host>";
  return host === "docker.io" || host === "index.docker.io" ? "registry-1.docker.io" : host;
}

export function imageArg(fc: FixContext): string {
  const image = fc.image?.image ?? fc.recognition?.image;
  return image ? shQuote(image) : "<image>";
}

export function nodeName(fc: FixContext): string | undefined {
  return fc.ctx.evidence.node?.name ?? fc.ctx.evidence.pod.nodeName;
}

export function runtimeFamily(fc: FixContext): "containerd" | "cri-o" | "docker" | undefined {
  const version = fc.ctx.evidence.node?.containerRuntimeVersion ?? "";
  if (version.startsWith("containerd://")) return "containerd";
  if (version.startsWith("cri-o://")) return "cri-o";
  if (version.startsWith("docker://")) return "docker";
  const runtime = fc.recognition?.runtime ?? "";
  if (runtime.startsWith("containerd")) return "containerd";
  if (runtime === "cri-o") return "cri-o";
  if (runtime === "dockershim") return "docker";
  return undefined;
}

/**
 * Whether the Pod's Secret `name` holds entries for other registries than the image's (read, usable, none of
 * them matching the image): writing the Secret anew would drop them.
 */
function holdsOtherRegistries(fc: FixContext, name: string): boolean {
  const secret = fc.ctx.podSecrets?.find((s) => s.name === name);
  const matches = fc.image?.matches;
  return (
    secret?.state === "found" &&
    secret.docker?.kubelet === "uses" &&
    secret.docker.entries.length > 0 &&
    matches !== undefined &&
    !matches.some((m) => m.secret.name === name)
  );
}

/**
 * Create a pull secret for the image's registry and reference it from the workload. When the Pod already names
 * a Secret of that name, updating the Secret is all it takes (kubelet reads pull secrets at each pull): no patch
 * of imagePullSecrets, no restart, and the entries it holds for other registries are kept.
 */
export function addPullSecretCommands(
  fc: FixContext,
  target: { host?: string | undefined; registry?: RegistryHostInfo | undefined } = {},
): string[] {
  const pod = fc.ctx.evidence.pod;
  const host = target.host ?? hostOf(fc);
  const registry = target.registry ?? fc.image?.registry ?? (host ? classifyRegistryHost(host) : undefined);
  const name = secretNameFor(registry);
  if (pod.imagePullSecrets?.includes(name)) {
    return [
      createSecretCommand(name, ns(fc), host, registry, { keepEntries: holdsOtherRegistries(fc, name) }),
    ];
  }
  const commands = [createSecretCommand(name, ns(fc), host, registry)];
  const patch = addPullSecretCommand(pod, fc.ctx.evidence.source, name);
  if (patch) commands.push(patch);
  else commands.push(...recreatePodCommands(pod, fc.ctx.evidence.source));
  return commands;
}

/** The first container of the image: its name and its JSON-pointer path inside the Pod spec. */
export function containerIndex(fc: FixContext): { path: string; name: string } | undefined {
  const container = fc.image?.containers[0];
  if (!container) return undefined;
  const group = fc.ctx.evidence.pod.containers.filter((c) => c.kind === container.kind);
  const index = group.indexOf(container);
  return { path: `/${CONTAINER_GROUPS[container.kind].field}/${index}`, name: container.name };
}

/** The Secret whose credential kubelet tried first for the image, else the Pod's first pull secret. */
export function firstPodSecret(fc: FixContext): string | undefined {
  const match = fc.image?.matches?.[0];
  if (match) return match.secret.name;
  return fc.ctx.evidence.pod.imagePullSecrets?.find((n) => n !== "");
}

// --- fixes several causes share --------------------------------------------------------------------------------

/** registry-requires-auth, no-pull-credential: nothing matched the host, the pull was anonymous. */
export function anonymousPullFix(fc: FixContext): Fix {
  return fix(
    "No credential matched the image's registry, so the runtime pulled anonymously. Give the Pod a pull secret whose key is the image's host (kubelet matches keys to the image host exactly), or give the nodes an identity the registry trusts.",
    addPullSecretCommands(fc),
  );
}

/** credential-rejected, credential-expired: renew the credential in the Secret. */
export function renewCredentialFix(fc: FixContext): Fix {
  return fix(
    "The registry rejected the credential: renew the token or password and update the pull secret (kubelet reads Secrets at each pull; no restart needed).",
    [
      createSecretCommand(
        firstPodSecret(fc) ?? secretNameFor(fc.image?.registry),
        ns(fc),
        hostOf(fc),
        fc.image?.registry,
      ),
    ],
  );
}

/** The network causes: the node cannot reach the registry. */
export function unreachableRegistryFix(fc: FixContext): Fix {
  return fix(
    "The node cannot reach the registry: check egress firewalls, proxies (HTTPS_PROXY/NO_PROXY of the runtime), network policies and private endpoints, and that the registry listens on that port.",
    [nodeDebugCommand(nodeName(fc), `wget -S -O- https://${endpointHost(fc)}/v2/`)],
  );
}

/** The ServiceAccount causes: admission copies the ServiceAccount's imagePullSecrets only into new Pods. */
export function recreatePodFix(fc: FixContext): Fix {
  return fix(
    "Recreate the Pod so that admission copies the ServiceAccount's imagePullSecrets.",
    recreatePodCommands(fc.ctx.evidence.pod, fc.ctx.evidence.source),
  );
}

/** When the text does not say what failed: where the detail is (a cause without a fix of its own gets this). */
export function unknownDetailFix(fc: FixContext): Fix {
  const pod = fc.ctx.evidence.pod;
  const namespace = ns(fc);
  return fix(
    "The detailed error is not in this text. Look at the Pod's Failed events (they expire after an hour) or the container's waiting message, or let doctor collect the evidence.",
    [
      pod.name
        ? `kubectl ${nsFlag(namespace)} get events --field-selector involvedObject.name=${shQuote(pod.name)}`
        : "kubectl -n <namespace> get events --field-selector involvedObject.name=<pod>",
      doctorCommand(pod),
    ],
  );
}
