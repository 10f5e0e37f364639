/**
 * Causes that need more of the cluster than the Pod's Secrets: the ServiceAccount (patched after the Pod was
 * admitted, or overridden by the Pod's own list), the node (cloud identity on AKS/EKS/GKE, clock skew,
 * platform), the image reference itself, and `--probe` answers from the registry.
 */
import { lookupCredentials } from "../dockerconfig/index.js";
import { parseNormalizedReference } from "../reference/index.js";
import { formatPlatform } from "../registry/index.js";
import type { AccessResult } from "../registry/index.js";
import type { CauseId } from "./causes.js";
import { GENERIC_AUTH_CAUSES } from "./causes.js";
import type { DiagnosisContext, ImageContext } from "./context.js";
import { authState, hasCause } from "./context.js";
import type { NodeEvidence, ProbeEvidence, SecretEvidence } from "./evidence.js";
import { nsFlag, q, recreatePodCommands, setPullSecretsCommand, workloadOf } from "./fix-commands.js";
import { genericFix } from "./generic-fixes.js";
import type { Candidate } from "./model.js";
import { candidate } from "./model.js";
import { displayLine } from "./redact.js";
import { authWeight } from "./rules-secrets.js";

const IDENTITY_EXPLAINS: readonly CauseId[] = [...GENERIC_AUTH_CAUSES, "pull-secret-host-mismatch"];

function failing(ctx: DiagnosisContext): ImageContext[] {
  return ctx.images.filter((i) => i.failing && i.refError === undefined);
}

function iso(date: Date | undefined): string {
  return date ? date.toISOString() : "an unknown time";
}

// --- ServiceAccount ----------------------------------------------------------------------------------------

/** Whether `secrets` would give kubelet a credential for `image` (undefined when the Secrets are unknown). */
function wouldMatch(
  secrets: readonly SecretEvidence[] | undefined,
  image: ImageContext,
): boolean | undefined {
  if (secrets === undefined || secrets.some((s) => s.state !== "found" && s.state !== "missing"))
    return undefined;
  const entries = secrets
    .filter((s) => s.state === "found" && s.docker?.kubelet === "uses")
    .flatMap((s) => (s.docker?.entries ?? []).map((entry) => ({ key: entry.key })));
  const lookup = lookupCredentials(entries, image.image);
  return lookup.ok && lookup.matches.length > 0;
}

export function serviceAccountCandidates(ctx: DiagnosisContext): Candidate[] {
  const ev = ctx.evidence;
  const sa = ev.serviceAccount;
  const podList = ev.pod.imagePullSecrets?.filter((n) => n !== "");
  if (!sa || podList === undefined) return [];
  const saList = [...new Set(sa.imagePullSecrets.filter((n) => n !== ""))];
  const saOnly = saList.filter((n) => !podList.includes(n));
  if (saOnly.length === 0) return [];
  const saOnlySecrets = ev.secrets?.filter((s) => saOnly.includes(s.name));
  const images = failing(ctx);
  if (images.length === 0) return [];
  // Relevance: the ServiceAccount-only Secrets would serve a failing image the Pod's own Secrets do not.
  let relevance = 0;
  const served: string[] = [];
  for (const image of images) {
    const podHas = image.matches !== undefined ? image.matches.length > 0 : undefined;
    const saHas = wouldMatch(saOnlySecrets, image);
    const weight = authWeight(authState(image));
    if (saHas === true && podHas !== true) {
      relevance = Math.max(relevance, weight);
      served.push(image.image);
    } else if (saHas === undefined) relevance = Math.max(relevance, 0.7 * weight);
    else relevance = Math.max(relevance, 0.3 * weight);
  }
  const subset = podList.every((n) => saList.includes(n));
  const evidence = [
    `Pod ${ev.pod.namespace}/${ev.pod.name} was created ${iso(ev.pod.createdAt)} with imagePullSecrets [${podList.join(", ")}]`,
    `ServiceAccount ${sa.name} now lists [${saList.join(", ")}]${
      sa.imagePullSecretsChangedAt ? ` (last changed ${iso(sa.imagePullSecretsChangedAt)})` : ""
    }`,
    ...(served.length > 0 ? [`${saOnly.join(", ")} would serve ${served.join(", ")}`] : []),
  ];
  const changedAfter =
    sa.imagePullSecretsChangedAt !== undefined &&
    ev.pod.createdAt !== undefined &&
    sa.imagePullSecretsChangedAt.getTime() > ev.pod.createdAt.getTime();
  if (podList.length === 0 || subset) {
    const patch = podList.length > 0 ? setPullSecretsCommand(ev.pod, ev.source, saList) : undefined;
    return [
      candidate(
        "serviceaccount-patched-after-pod",
        (changedAfter || served.length > 0 ? 0.94 : 0.88) * relevance,
        {
          secrets: saOnly,
          evidence: [
            ...evidence,
            "the ServiceAccount admission plugin copies its imagePullSecrets into a Pod only at creation, and only when the Pod has none; editing the ServiceAccount later changes nothing for existing Pods",
          ],
          fix: {
            explanation:
              podList.length === 0
                ? "Recreate the Pods: new Pods get the ServiceAccount's current imagePullSecrets at admission."
                : "The Pod template lists its own imagePullSecrets, so the ServiceAccount's are never copied: list them in the template too.",
            commands: patch ? [patch] : recreatePodCommands(ev.pod, ev.source),
          },
          explains: IDENTITY_EXPLAINS,
        },
      ),
    ];
  }
  const patch = setPullSecretsCommand(ev.pod, ev.source, [...podList, ...saOnly]);
  return [
    candidate("pod-overrides-serviceaccount-secrets", (served.length > 0 ? 0.93 : 0.82) * relevance, {
      secrets: saOnly,
      evidence: [
        ...evidence,
        "a Pod that sets imagePullSecrets never receives the ServiceAccount's: admission copies them only into Pods that have none",
      ],
      fix: {
        explanation: `Add ${saOnly.join(", ")} to the workload's own imagePullSecrets.`,
        commands: patch ? [patch] : recreatePodCommands(ev.pod, ev.source),
      },
      explains: IDENTITY_EXPLAINS,
    }),
  ];
}

// --- node identity -------------------------------------------------------------------------------------------

function nodeLine(node: NodeEvidence): string {
  const parts = [`provider ${node.provider}`];
  if (node.kubeletVersion) parts.push(`kubelet ${node.kubeletVersion}`);
  if (node.containerRuntimeVersion) parts.push(node.containerRuntimeVersion);
  return `node ${node.name}: ${parts.join(", ")}`;
}

function noPodCredential(image: ImageContext): boolean | undefined {
  return image.matches === undefined ? undefined : image.matches.length === 0;
}

function aksCandidate(ctx: DiagnosisContext, node: NodeEvidence, image: ImageContext): Candidate | undefined {
  if (image.registry?.kind !== "acr") return undefined;
  const none = noPodCredential(image);
  if (none === false) return undefined;
  // On AKS, ACR pulls go through the kubelet identity unless a pull secret covers the host.
  const weight = authWeight(authState(image));
  const acr = image.registry;
  const clientId = node.labels["kubernetes.azure.com/kubelet-identity-client-id"];
  const nodeResourceGroup = node.labels["kubernetes.azure.com/cluster"];
  const commands = [
    `az aks update --name <cluster> --resource-group <resource-group> --attach-acr ${q(acr.registryName)}`,
    `az aks check-acr --name <cluster> --resource-group <resource-group> --acr ${q(acr.host)}`,
  ];
  // Azure resource group names: letters, digits, _ . ( ) - only, so double quotes are safe.
  if (nodeResourceGroup && /^[A-Za-z0-9_.()-]{1,90}$/.test(nodeResourceGroup)) {
    commands.unshift(
      `az aks list --query "[?nodeResourceGroup=='${nodeResourceGroup}'].{name:name, resourceGroup:resourceGroup}" --output table`,
    );
  }
  if (clientId && /^[0-9a-f-]{36}$/i.test(clientId)) {
    commands.push(
      `az role assignment create --assignee ${clientId} --role AcrPull --scope "$(az acr show --name ${q(acr.registryName)} --query id --output tsv)"`,
    );
  }
  return candidate("aks-node-missing-acrpull", 0.88 * weight, {
    image: image.image,
    containers: image.containers.map((c) => c.name),
    title: `The AKS kubelet identity cannot pull from ${acr.host} (AcrPull missing)`,
    evidence: [
      nodeLine(node),
      none === true
        ? `no pull secret of the Pod covers ${acr.host}: the node's kubelet identity (acr-credential-provider) is the only pull path`
        : `the Pod's pull secrets are unknown; on AKS, ACR pulls normally use the kubelet identity`,
      ...(clientId ? [`kubelet identity client id ${clientId}`] : []),
      "ACR answers 401/403 when the identity lacks AcrPull on the registry (or the registry is in another tenant, or its firewall blocks the node)",
    ],
    fix: {
      explanation: `Grant the cluster's kubelet identity AcrPull on ${acr.registryName} (az aks update --attach-acr does exactly that), then let the back-off retry.`,
      commands,
    },
    explains: IDENTITY_EXPLAINS,
  });
}

function eksCandidate(ctx: DiagnosisContext, node: NodeEvidence, image: ImageContext): Candidate | undefined {
  if (image.registry?.kind !== "ecr") return undefined;
  const none = noPodCredential(image);
  if (none === false) return undefined;
  const weight = authWeight(authState(image));
  const ecr = image.registry;
  const repository = image.ref?.path ?? "<repository>";
  const fargate = node.provider === "eks-fargate";
  const nodegroup = node.labels["eks.amazonaws.com/nodegroup"];
  const cluster = node.labels["alpha.eksctl.io/cluster-name"];
  const commands = fargate
    ? [
        `aws eks describe-fargate-profile --cluster-name ${q(cluster ?? "<cluster>")} --fargate-profile-name ${q(node.labels["eks.amazonaws.com/fargate-profile"] ?? "<profile>")} --query fargateProfile.podExecutionRoleArn --output text`,
        "aws iam attach-role-policy --role-name <pod-execution-role> --policy-arn arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryPullOnly",
      ]
    : [
        `aws eks describe-nodegroup --cluster-name ${q(cluster ?? "<cluster>")} --nodegroup-name ${q(nodegroup ?? "<nodegroup>")} --query nodegroup.nodeRole --output text`,
        "aws iam attach-role-policy --role-name <node-role> --policy-arn arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryPullOnly",
      ];
  commands.push(
    `aws ecr get-repository-policy --repository-name ${q(repository)} --region ${q(ecr.region)} --registry-id ${ecr.accountId}`,
  );
  const noBasic = hasCause(image, "registry-requires-auth");
  return candidate("eks-node-role-missing-ecr-pull", 0.87 * weight, {
    image: image.image,
    containers: image.containers.map((c) => c.name),
    title: `The EKS ${fargate ? "pod execution role" : "node role"} cannot pull from ${ecr.host}`,
    evidence: [
      nodeLine(node),
      none === true
        ? `no pull secret of the Pod covers ${ecr.host}: the ${fargate ? "Fargate pod execution role" : "node's IAM role"} (ECR credential provider) is the only pull path`
        : `the Pod's pull secrets are unknown; on EKS, ECR pulls normally use the ${fargate ? "pod execution role" : "node role"}`,
      ...(noBasic
        ? [
            "no basic auth credentials: the credential provider gave kubelet nothing (no ecr:GetAuthorizationToken, or no provider configured on this node)",
          ]
        : []),
      `the repository is in account ${ecr.accountId}, region ${ecr.region}; another account's repository also needs a repository policy allowing this role`,
    ],
    fix: {
      explanation: `Give the ${fargate ? "pod execution role" : "node role"} ECR pull rights (AmazonEC2ContainerRegistryPullOnly: ecr:GetAuthorizationToken, ecr:BatchGetImage, ecr:GetDownloadUrlForLayer); for a cross-account repository, also allow the role in the repository policy.`,
      commands,
    },
    explains: IDENTITY_EXPLAINS,
  });
}

function gkeCandidate(ctx: DiagnosisContext, node: NodeEvidence, image: ImageContext): Candidate | undefined {
  if (image.registry?.kind !== "gcr" || node.provider !== "gke") return undefined;
  if (noPodCredential(image) === false) return undefined;
  const state = authState(image);
  if (state === "other") return undefined;
  const pool = node.labels["cloud.google.com/gke-nodepool"];
  return candidate("gcp-artifact-registry-permission-denied", 0.8 * authWeight(state), {
    image: image.image,
    containers: image.containers.map((c) => c.name),
    evidence: [
      nodeLine(node),
      `no pull secret of the Pod covers ${image.host ?? "the registry"}: the node pool's service account is the pull path`,
    ],
    fix: {
      explanation:
        "Grant the node pool's service account roles/artifactregistry.reader on the repository (or its project).",
      commands: [
        `gcloud container node-pools describe ${q(pool ?? "<node-pool>")} --cluster <cluster> --location <location> --format='value(config.serviceAccount)'`,
        "gcloud artifacts repositories add-iam-policy-binding <repository> --location=<location> --member=serviceAccount:<node-service-account> --role=roles/artifactregistry.reader",
      ],
    },
    explains: IDENTITY_EXPLAINS,
  });
}

export function nodeCandidates(ctx: DiagnosisContext): Candidate[] {
  const node = ctx.evidence.node;
  if (!node) return [];
  const out: Candidate[] = [];
  for (const image of failing(ctx)) {
    const found =
      node.provider === "aks"
        ? aksCandidate(ctx, node, image)
        : node.provider === "eks" || node.provider === "eks-fargate"
          ? eksCandidate(ctx, node, image)
          : gkeCandidate(ctx, node, image);
    if (found) {
      // A provider guessed from the node's name alone is weaker evidence.
      if (node.inferred) found.score *= 0.9;
      out.push(found);
    }
  }
  out.push(...clockCandidates(ctx, node));
  return out;
}

/** Lease renewals every 10 s (40 s duration) and status heartbeats up to 5 min apart bound the noise. */
const SKEW_TOLERANCE_MS = 60_000;

function clockCandidates(ctx: DiagnosisContext, node: NodeEvidence): Candidate[] {
  const clock = node.clock;
  if (!clock) return [];
  const skew = clock.heartbeat.getTime() - clock.observedAt.getTime();
  const staleness = clock.source === "lease" ? 40_000 : 300_000;
  let direction: "ahead" | "behind" | undefined;
  if (skew > SKEW_TOLERANCE_MS) direction = "ahead";
  else if (skew < -(staleness + SKEW_TOLERANCE_MS) && node.ready === true) direction = "behind";
  if (!direction) return [];
  const minutes = Math.max(1, Math.round(Math.abs(skew) / 60_000));
  const tlsTime = ctx.images.some((i) => hasCause(i, "tls-certificate-invalid-time"));
  const score = tlsTime ? 0.92 : 0.45;
  return [
    candidate("clock-skew", score, {
      title: `The clock of node ${node.name} is about ${minutes} min ${direction}`,
      evidence: [
        `node ${node.name} stamped its ${clock.source === "lease" ? "lease renewal" : "status heartbeat"} ${iso(clock.heartbeat)}; the API server read it at ${iso(clock.observedAt)}`,
        ...(tlsTime
          ? ["the runtime reports a certificate that is expired or not yet valid by the node's clock"]
          : []),
        "tokens and certificates are judged by the clock of whoever checks them: a node ahead sees them expire early, one behind sees them as not yet valid",
      ],
      fix: {
        explanation: `Fix time synchronisation on ${node.name} (chrony/NTP), then retry.`,
        commands: [
          `kubectl debug node/${q(node.name)} -it --image=busybox:1.36 -- date -u`,
          `kubectl debug node/${q(node.name)} -it --image=busybox:1.36 -- chroot /host chronyc tracking`,
        ],
      },
      explains: ["tls-certificate-invalid-time"],
    }),
  ];
}

// --- the image reference -----------------------------------------------------------------------------------

function lowercaseSuggestion(image: string): string | undefined {
  const at = image.indexOf("@");
  const beforeDigest = at >= 0 ? image.slice(0, at) : image;
  const lastSlash = beforeDigest.lastIndexOf("/");
  const colon = beforeDigest.indexOf(":", lastSlash + 1);
  const name = colon >= 0 ? beforeDigest.slice(0, colon) : beforeDigest;
  const suggestion = name.toLowerCase() + image.slice(name.length);
  if (suggestion === image) return undefined;
  try {
    parseNormalizedReference(suggestion);
    return suggestion;
  } catch {
    return undefined;
  }
}

export function imageCandidates(ctx: DiagnosisContext): Candidate[] {
  const out: Candidate[] = [];
  for (const image of ctx.images) {
    if (image.refError === undefined || image.containers.every((c) => c.running)) continue;
    const suggestion = lowercaseSuggestion(image.image.trim());
    const container = image.containers[0];
    const workload = workloadOf(ctx.evidence.pod, ctx.evidence.source);
    out.push(
      candidate("invalid-image-name", 0.98, {
        image: image.image,
        containers: image.containers.map((c) => c.name),
        evidence: [`image ${JSON.stringify(image.image)}: ${image.refError}`],
        fix: {
          explanation: suggestion
            ? `Repository names must be lower-case: use ${suggestion}.`
            : "Correct the image string: [host[:port]/]path[:tag][@digest], lower-case repository path.",
          commands: [
            `kubectl ${nsFlag(ctx.evidence.pod.namespace || undefined)} set image ${workload.ref} ${q(container?.name ?? "<container>")}=${suggestion ? q(suggestion) : "<fixed-image>"}`,
          ],
        },
        explains: ["invalid-image-name", "image-pull-failed"],
      }),
    );
  }
  return out;
}

// --- registry probes -----------------------------------------------------------------------------------------

function probeWho(probe: ProbeEvidence): string {
  switch (probe.credential.kind) {
    case "anonymous":
      return "anonymously";
    case "secret":
      return `with Secret ${probe.credential.secret} key ${probe.credential.key}`;
    default:
      return "with the node's credential";
  }
}

export function probeLine(probe: ProbeEvidence): string {
  return `probe ${probeWho(probe)}: ${probe.result.outcome}: ${displayLine(probe.result.message, 300)}${probe.result.blurred && probe.result.note ? ` (${displayLine(probe.result.note, 200)})` : ""}`;
}

function tokenKindOf(ctx: DiagnosisContext, probe: ProbeEvidence): string | undefined {
  if (probe.credential.kind !== "secret") return undefined;
  const { secret, key } = probe.credential;
  const entry = ctx.evidence.secrets
    ?.find((s) => s.name === secret)
    ?.docker?.entries.find((e) => e.key === key);
  return entry?.credential?.token.kind;
}

function fromProbe(ctx: DiagnosisContext, image: ImageContext, probe: ProbeEvidence): Candidate | undefined {
  const result: AccessResult = probe.result;
  const base = {
    image: image.image,
    containers: image.containers.map((c) => c.name),
    secrets: probe.credential.kind === "secret" ? [probe.credential.secret] : [],
  };
  const line = probeLine(probe);
  const note = "probes run from where doctor runs, not from the node";
  const generic = (
    id: CauseId,
    score: number,
    extra: string[] = [],
    explains: readonly CauseId[] = GENERIC_AUTH_CAUSES,
  ) =>
    candidate(id, score, {
      ...base,
      evidence: [line, ...extra],
      fix: genericFix(id, { ctx, image }),
      explains,
    });
  const scopes = probe.githubTokenScopes;
  if (
    scopes !== undefined &&
    image.registry?.kind === "ghcr" &&
    !scopes.includes("read:packages") &&
    !scopes.includes("write:packages")
  ) {
    return generic("ghcr-read-packages-missing", 0.97, [
      `the token's scopes are [${scopes.join(", ")}]: no read:packages`,
    ]);
  }
  switch (result.outcome) {
    case "unauthorized":
      if (result.reason === "credential-rejected" && probe.credential.kind === "secret")
        return generic("credential-rejected", 0.9, [], [...GENERIC_AUTH_CAUSES]);
      if (
        result.reason === "no-credential" &&
        probe.credential.kind === "anonymous" &&
        image.matches?.length === 0
      )
        return generic("registry-requires-auth", 0.8, [
          "the image is not public, and no credential of the Pod matches it",
        ]);
      return undefined;
    case "denied":
      if (probe.credential.kind !== "secret") return undefined;
      if (image.registry?.kind === "ghcr" && tokenKindOf(ctx, probe) === "github-classic-pat") {
        return generic("ghcr-read-packages-missing", 0.88, [
          "a classic PAT authenticates but may not read this package",
        ]);
      }
      return generic(
        "registry-access-denied",
        0.85,
        ["the credential authenticates but may not pull this repository"],
        ["registry-unauthorized", "registry-requires-auth", "credential-rejected", "image-pull-failed"],
      );
    case "not-found":
      return generic(
        "image-not-found",
        result.blurred ? 0.7 : 0.92,
        [`what is missing: ${result.what}`],
        ["registry-access-denied", "registry-unauthorized", "image-pull-failed"],
      );
    case "platform-missing": {
      const node = ctx.evidence.node;
      return candidate("platform-not-available", 0.95, {
        ...base,
        evidence: [
          line,
          `the image is published for: ${result.available.map(formatPlatform).join(", ") || "(none listed)"}`,
          ...(node?.architecture ? [`node ${node.name} is ${node.os ?? "linux"}/${node.architecture}`] : []),
        ],
        fix: genericFix("platform-not-available", { ctx, image }),
        explains: ["image-pull-failed", "image-not-found"],
      });
    }
    case "tls":
      return generic(
        result.reason === "unknown-authority"
          ? "tls-unknown-authority"
          : result.reason === "hostname-mismatch"
            ? "tls-hostname-mismatch"
            : "tls-certificate-invalid-time",
        0.8,
        [note],
        ["image-pull-failed", "registry-unavailable"],
      );
    case "plain-http":
      return result.reason === "server-speaks-http"
        ? generic("registry-speaks-http", 0.8, [note], ["image-pull-failed"])
        : undefined;
    case "network": {
      const id: CauseId =
        result.reason === "dns"
          ? "dns-failure"
          : result.reason === "refused"
            ? "connection-refused"
            : result.reason === "timeout"
              ? "network-timeout"
              : result.reason === "unreachable"
                ? "network-unreachable"
                : "network-error";
      return generic(id, 0.55, [note], ["image-pull-failed"]);
    }
    case "rate-limited":
      return generic(
        image.registry?.kind === "dockerhub" ? "dockerhub-rate-limit" : "rate-limited",
        0.85,
        [],
        ["image-pull-failed", "registry-unavailable"],
      );
    case "registry-error":
      return result.reason === "server-error"
        ? generic("registry-unavailable", 0.7, [], ["image-pull-failed"])
        : undefined;
    default:
      return undefined;
  }
}

export function probeCandidates(ctx: DiagnosisContext): Candidate[] {
  const probes = ctx.evidence.probes ?? [];
  const out: Candidate[] = [];
  for (const image of failing(ctx)) {
    for (const probe of probes.filter((p) => p.image === image.image)) {
      const found = fromProbe(ctx, image, probe);
      if (found) out.push(found);
    }
  }
  return out;
}

export function probeLines(ctx: DiagnosisContext, image: string): string[] {
  return (ctx.evidence.probes ?? []).filter((p) => p.image === image).map(probeLine);
}

/** The node's platform, for platform diagnoses. */
export function nodePlatformLine(ctx: DiagnosisContext): string | undefined {
  const node = ctx.evidence.node;
  if (!node?.architecture) return undefined;
  return `node ${node.name} is ${[node.os ?? "linux", node.architecture, node.variant].filter(Boolean).join("/")}`;
}

export function nodeSelectorCommand(ctx: DiagnosisContext, arch: string): string | undefined {
  const workload = workloadOf(ctx.evidence.pod, ctx.evidence.source);
  if (workload.barePod || workload.podSpecPath !== "/spec/template/spec") return undefined;
  const patch = JSON.stringify({
    spec: { template: { spec: { nodeSelector: { "kubernetes.io/arch": arch } } } },
  });
  return `kubectl ${nsFlag(ctx.evidence.pod.namespace || undefined)} patch ${workload.ref} -p ${q(patch)}`;
}
