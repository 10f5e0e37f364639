/**
 * The fix for each cause when only the message (and whatever else is known about the Pod) supports it.
 * Evidence-based rules build more precise fixes; these are the baseline, and what `explain` prints.
 */
import { classifyRegistryHost } from "../hosts/index.js";
import type { RegistryHostInfo } from "../hosts/index.js";
import type { CauseId } from "./causes.js";
import type { DiagnosisContext, ImageContext } from "./context.js";
import {
  addPullSecretCommand,
  createSecretCommand,
  nodeDebugCommand,
  nsFlag,
  q,
  recreatePodCommands,
  secretNameFor,
  workloadOf,
} from "./fix-commands.js";
import type { Fix } from "./model.js";
import type { RuntimeRecognition } from "./runtime-messages.js";

export interface FixContext {
  readonly ctx: DiagnosisContext;
  readonly image?: ImageContext;
  readonly recognition?: RuntimeRecognition;
}

function fix(explanation: string, commands: readonly string[] = []): Fix {
  return { explanation, commands };
}

function ns(fc: FixContext): string | undefined {
  return fc.ctx.evidence.pod.namespace || undefined;
}

function hostOf(fc: FixContext): string | undefined {
  return fc.image?.host ?? fc.recognition?.host;
}

/** Host for network commands: Docker Hub images are served by registry-1.docker.io. */
function endpointHost(fc: FixContext): string {
  const host = hostOf(fc);
  if (!host) return "<registry-host>";
  return host === "docker.io" || host === "index.docker.io" ? "registry-1.docker.io" : host;
}

function imageArg(fc: FixContext): string {
  const image = fc.image?.image ?? fc.recognition?.image;
  return image ? q(image) : "<image>";
}

function nodeName(fc: FixContext): string | undefined {
  return fc.ctx.evidence.node?.name ?? fc.ctx.evidence.pod.nodeName;
}

function runtimeFamily(fc: FixContext): "containerd" | "cri-o" | "docker" | undefined {
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

/** Create a pull secret for the image's registry and reference it from the workload. */
export function addPullSecretCommands(
  fc: FixContext,
  target: { host?: string | undefined; registry?: RegistryHostInfo | undefined } = {},
): string[] {
  const pod = fc.ctx.evidence.pod;
  const host = target.host ?? hostOf(fc);
  const registry = target.registry ?? fc.image?.registry ?? (host ? classifyRegistryHost(host) : undefined);
  const name = secretNameFor(registry);
  const commands = [createSecretCommand(name, ns(fc), host, registry)];
  const patch = addPullSecretCommand(pod, fc.ctx.evidence.source, name);
  if (patch) commands.push(patch);
  else commands.push(...recreatePodCommands(pod, fc.ctx.evidence.source));
  return commands;
}

function containerIndex(fc: FixContext): { path: string; name: string } | undefined {
  const container = fc.image?.containers[0];
  if (!container) return undefined;
  const group = fc.ctx.evidence.pod.containers.filter((c) => c.kind === container.kind);
  const index = group.indexOf(container);
  const list =
    container.kind === "init"
      ? "initContainers"
      : container.kind === "ephemeral"
        ? "ephemeralContainers"
        : "containers";
  return { path: `/${list}/${index}`, name: container.name };
}

function trustCaCommands(fc: FixContext): string[] {
  const host = endpointHost(fc);
  const family = runtimeFamily(fc);
  const containerd = [
    `sudo mkdir -p /etc/containerd/certs.d/${q(host)} && sudo cp ca.crt /etc/containerd/certs.d/${q(host)}/ca.crt`,
    `printf '[host."https://%s"]\\n  ca = "/etc/containerd/certs.d/%s/ca.crt"\\n' ${q(host)} ${q(host)} | sudo tee /etc/containerd/certs.d/${q(host)}/hosts.toml`,
  ];
  const crio = [
    `sudo mkdir -p /etc/containers/certs.d/${q(host)} && sudo cp ca.crt /etc/containers/certs.d/${q(host)}/ca.crt`,
  ];
  if (family === "cri-o") return crio;
  if (family === "containerd") return containerd;
  return [...containerd, ...crio];
}

function plainHttpCommands(fc: FixContext): string[] {
  const host = endpointHost(fc);
  const family = runtimeFamily(fc);
  const containerd = [
    `sudo mkdir -p /etc/containerd/certs.d/${q(host)}`,
    `printf 'server = "http://%s"\\n\\n[host."http://%s"]\\n  capabilities = ["pull", "resolve"]\\n' ${q(host)} ${q(host)} | sudo tee /etc/containerd/certs.d/${q(host)}/hosts.toml`,
  ];
  const crio = [
    `printf '[[registry]]\\nlocation = "%s"\\ninsecure = true\\n' ${q(host)} | sudo tee /etc/containers/registries.conf.d/50-${q(host.replace(/[^A-Za-z0-9.-]/g, "-"))}.conf`,
  ];
  if (family === "cri-o") return crio;
  if (family === "containerd") return containerd;
  return [...containerd, ...crio];
}

/** The baseline fix of `cause`. */
export function genericFix(cause: CauseId, fc: FixContext): Fix {
  const pod = fc.ctx.evidence.pod;
  const namespace = ns(fc);
  const image = imageArg(fc);
  const host = endpointHost(fc);
  const node = nodeName(fc);
  const workload = workloadOf(pod, fc.ctx.evidence.source);
  switch (cause) {
    case "invalid-image-name": {
      const container = containerIndex(fc);
      return fix(
        "Correct the image string: repository names are lower-case, and a reference is [host[:port]/]path[:tag][@digest].",
        [
          `kubectl ${nsFlag(namespace)} set image ${workload.ref} ${q(container?.name ?? "<container>")}=<fixed-image>`,
        ],
      );
    }
    case "short-name-unresolved":
      return fix(
        "Use a fully qualified image name (docker.io/library/nginx:1.27, not nginx:1.27): CRI-O does not guess the registry.",
        [
          `kubectl ${nsFlag(namespace)} set image ${workload.ref} ${q(fc.image?.containers[0]?.name ?? "<container>")}=<registry-host>/<repository>:<tag>`,
        ],
      );
    case "image-never-pull": {
      const container = containerIndex(fc);
      const patch = JSON.stringify([
        {
          op: "replace",
          path: `${workload.podSpecPath ?? "/spec/template/spec"}${container?.path ?? "/containers/0"}/imagePullPolicy`,
          value: "IfNotPresent",
        },
      ]);
      const kindCluster = node && /^(.+)-(?:control-plane|worker\d*)$/.exec(node)?.[1];
      const load =
        fc.ctx.evidence.node?.provider === "kind" && kindCluster
          ? `kind load docker-image ${image} --name ${q(kindCluster)}`
          : `ctr -n k8s.io images import image.tar   # on node ${node ?? "<node>"}, after docker save ${image} -o image.tar`;
      return fix(
        "With imagePullPolicy: Never the image must already be on the node. Load it onto every node that may run the Pod (kubelet retries on its own), or let kubelet pull it.",
        workload.barePod
          ? [load]
          : [load, `kubectl ${nsFlag(namespace)} patch ${workload.ref} --type=json -p ${q(patch)}`],
      );
    }
    case "pull-secret-missing":
      return fix(
        "kubelet pulls without the missing Secret. If the name is misspelled, fix it in the workload's imagePullSecrets; otherwise create the Secret in the Pod's namespace (a Secret in another namespace does not count).",
        [
          `kubectl ${nsFlag(namespace)} get secrets --field-selector type=kubernetes.io/dockerconfigjson`,
          createSecretCommand(
            firstMissingSecret(fc) ?? secretNameFor(fc.image?.registry),
            namespace,
            hostOf(fc),
            fc.image?.registry,
          ),
        ],
      );
    case "registry-requires-auth":
    case "no-pull-credential":
      return fix(
        "No credential matched the image's registry, so the runtime pulled anonymously. Give the Pod a pull secret whose key is the image's host (kubelet matches keys to the image host exactly), or give the nodes an identity the registry trusts.",
        addPullSecretCommands(fc),
      );
    case "registry-unauthorized":
      return fix(
        "The registry answered 401: either no credential matched the image's host, or the credential was rejected. Check that a pull secret keyed for this host exists in the Pod's namespace and that its token is valid; recreate it with a fresh token.",
        addPullSecretCommands(fc),
      );
    case "credential-rejected":
    case "credential-expired":
      return fix(
        "The registry rejected the credential: renew the token or password and update the pull secret (kubelet reads Secrets at each pull; no restart needed).",
        [
          createSecretCommand(
            firstPodSecret(fc) ?? secretNameFor(fc.image?.registry),
            namespace,
            hostOf(fc),
            fc.image?.registry,
          ),
        ],
      );
    case "registry-access-denied":
      return fix(
        "The registry refused this repository to the credential, or the repository does not exist (registries answer alike on purpose). Check the image name, then grant the credential pull access (AcrPull, an ECR repository policy, GitHub package access with read:packages).",
        [`pullwarden check ${image} --secret <pull-secret.yaml>`],
      );
    case "ecr-token-expired": {
      const region = fc.image?.registry?.kind === "ecr" ? fc.image.registry.region : "<region>";
      return fix(
        "ECR tokens live 12 hours; a token stored in a static Secret stops working. Refresh the Secret now, then stop storing tokens: use the ECR credential provider with node IAM (EKS does this by default) or a controller that rotates the Secret.",
        [
          fc.image?.registry?.kind === "ecr"
            ? createSecretCommand(firstPodSecret(fc) ?? "ecr-pull", namespace, hostOf(fc), fc.image.registry)
            : `aws ecr get-login-password --region ${region} | pullwarden secret create ${q(firstPodSecret(fc) ?? "ecr-pull")} ${nsFlag(namespace)} --docker-server=<account>.dkr.ecr.${region}.amazonaws.com --docker-username=AWS --docker-password-stdin --dry-run=client -o yaml | kubectl apply -f -`,
        ],
      );
    }
    case "ghcr-read-packages-missing":
      return fix(
        "ghcr.io pulls need a classic personal access token with the read:packages scope whose user can see the package (fine-grained PATs and GitHub App tokens are not accepted). Create one for a machine user with only read:packages and an expiry, grant that user access to the package, and update the Secret.",
        [
          "curl -sI -H \"Authorization: Bearer $GHCR_PAT\" https://api.github.com/user | grep -i '^x-oauth-scopes'",
          createSecretCommand(
            firstPodSecret(fc) ?? "ghcr-pull",
            namespace,
            "ghcr.io",
            classifyRegistryHost("ghcr.io"),
          ),
        ],
      );
    case "credential-kind-rejected":
      return fix("Use a credential kind the registry accepts for pulls and update the Secret.", [
        createSecretCommand(
          firstPodSecret(fc) ?? secretNameFor(fc.image?.registry),
          namespace,
          hostOf(fc),
          fc.image?.registry,
        ),
      ]);
    case "gcp-artifact-registry-permission-denied":
      return fix(
        "Grant the node's (or workload's) Google service account the Artifact Registry Reader role on the repository.",
        [
          "gcloud artifacts repositories add-iam-policy-binding <repository> --location=<location> --member=serviceAccount:<node-service-account> --role=roles/artifactregistry.reader",
        ],
      );
    case "image-not-found":
      return fix(
        "Check the repository path and the tag or digest: the registry has no such manifest (or hides a repository the credential may not see). List the tags, push the missing one, or fix the image string.",
        [
          `pullwarden check ${image}`,
          fc.image?.ref
            ? `skopeo list-tags docker://${q(`${fc.image.ref.domain}/${fc.image.ref.path}`)}`
            : "skopeo list-tags docker://<repository>",
        ],
      );
    case "platform-not-available": {
      const arch = fc.ctx.evidence.node?.architecture;
      return fix(
        `The image index has no manifest for the node's platform${arch ? ` (${fc.ctx.evidence.node?.os ?? "linux"}/${arch})` : ""}. Publish the image for that platform, or schedule the Pod on nodes of a platform the image has.`,
        [
          `docker buildx imagetools inspect ${image}`,
          "docker buildx build --platform linux/amd64,linux/arm64 -t <image> --push .",
        ],
      );
    }
    case "blob-missing":
      return fix(
        "A layer of the manifest is missing from the registry (an interrupted push or a cleaned-up blob). Push the image again.",
        [`docker buildx imagetools inspect ${image}`, "docker push <image>"],
      );
    case "schema1-unsupported":
      return fix(
        "containerd 2 no longer pulls Docker schema 1 images. Rebuild and push the image with a current builder (OCI or Docker schema 2).",
        [`skopeo copy --format v2s2 docker://${fc.image?.image ?? "<image>"} docker://<new-image>`],
      );
    case "signature-validation-failed":
      return fix(
        "The node's signature policy (CRI-O /etc/containers/policy.json) rejected the image. Sign the image with a key the policy trusts, or adjust the policy for this registry.",
        [`cosign verify --key <public-key> ${image}`],
      );
    case "dns-failure":
      return fix(
        "The registry host does not resolve from the node. Check the spelling of the host, the cluster's and node's DNS, and private DNS zones for private endpoints.",
        [nodeDebugCommand(node, `nslookup ${q(host)}`)],
      );
    case "network-timeout":
    case "connection-refused":
    case "network-unreachable":
    case "network-error":
      return fix(
        "The node cannot reach the registry: check egress firewalls, proxies (HTTPS_PROXY/NO_PROXY of the runtime), network policies and private endpoints, and that the registry listens on that port.",
        [nodeDebugCommand(node, `wget -S -O- https://${host}/v2/`)],
      );
    case "tls-unknown-authority":
      return fix(
        "The registry's certificate comes from a private CA. Make the nodes' runtime trust that CA for this registry (no restart needed for containerd's certs.d).",
        trustCaCommands(fc),
      );
    case "tls-hostname-mismatch":
      return fix(
        "The certificate does not name the host the image uses. Pull with the host name on the certificate, or reissue the certificate with this name as a subjectAltName.",
        [
          `openssl s_client -connect ${host.includes(":") ? host : `${host}:443`} -servername ${q(host.replace(/:\d+$/, ""))} </dev/null 2>/dev/null | openssl x509 -noout -ext subjectAltName`,
        ],
      );
    case "tls-certificate-invalid-time":
      return fix(
        "Either the registry's certificate expired (renew it), or the node's clock is wrong (fix NTP on the node).",
        [
          `openssl s_client -connect ${host.includes(":") ? host : `${host}:443`} </dev/null 2>/dev/null | openssl x509 -noout -dates`,
          nodeDebugCommand(node, "date -u"),
        ],
      );
    case "registry-speaks-http":
      return fix(
        "The registry serves plain HTTP. Best: serve it over TLS. Otherwise declare it as an HTTP registry in every node's runtime configuration.",
        plainHttpCommands(fc),
      );
    case "dockerhub-rate-limit":
      return fix(
        "Docker Hub limits anonymous pulls per IP (nodes behind one NAT share it). Authenticate pulls with a Docker Hub access token, or use a mirror or pull-through cache.",
        addPullSecretCommands(fc, { host: "docker.io", registry: classifyRegistryHost("docker.io") }),
      );
    case "rate-limited":
      return fix(
        "The registry is rate-limiting. Authenticate pulls (higher limits), reduce pulls with imagePullPolicy: IfNotPresent, or use a pull-through cache.",
        [],
      );
    case "registry-unavailable":
      return fix(
        "The registry could not be reached or failed. Check the registry's status and the node's path to it, then wait for the back-off to retry.",
        [nodeDebugCommand(node, `wget -S -O- https://${host}/v2/`)],
      );
    case "clock-skew":
      return fix(
        "Fix time synchronisation (NTP/chrony) on the machine whose clock is off, then retry the pull.",
        [nodeDebugCommand(node, "date -u")],
      );
    case "image-inspect-failed":
      return fix(
        "The runtime failed to inspect its local image store. Look at the runtime's logs on the node.",
        [nodeDebugCommand(node, "chroot /host journalctl -u containerd --since -1h")],
      );
    case "cached-image-credentials-verified":
      return fix(
        "Nothing to fix: kubelet verified that this Pod may use the cached image. With this feature, Pods that relied on another Pod's credentials now need their own.",
        [],
      );
    case "serviceaccount-patched-after-pod":
    case "pod-overrides-serviceaccount-secrets":
      return fix(
        "Recreate the Pod so that admission copies the ServiceAccount's imagePullSecrets.",
        recreatePodCommands(pod, fc.ctx.evidence.source),
      );
    default:
      return fix(
        "The detailed error is not in this text. Look at the Pod's Failed events (they expire after an hour) or the container's waiting message, or let doctor collect the evidence.",
        [
          pod.name
            ? `kubectl ${nsFlag(namespace)} get events --field-selector involvedObject.name=${q(pod.name)}`
            : "kubectl -n <namespace> get events --field-selector involvedObject.name=<pod>",
          pod.name
            ? `pullwarden doctor ${q(pod.name)} ${nsFlag(namespace)}`
            : "pullwarden doctor <pod> -n <namespace>",
        ],
      );
  }
}

function firstMissingSecret(fc: FixContext): string | undefined {
  const names = fc.recognition?.details["secrets"];
  const first = names?.split(",")[0]?.trim();
  return first && /^[a-z0-9](?:[-a-z0-9.]*[a-z0-9])?$/.test(first) ? first : undefined;
}

function firstPodSecret(fc: FixContext): string | undefined {
  const match = fc.image?.matches?.[0];
  if (match) return match.secret.name;
  return fc.ctx.evidence.pod.imagePullSecrets?.find((n) => n !== "");
}
