/**
 * The decisions: for each (cluster, registry) pair the best pull method that exists, best first:
 * cloud identity, then a kubelet credential provider, then a secret (short-lived and rotated, or long-lived);
 * and for each namespace whether its secrets go on ServiceAccounts (shared by several workloads) or on Pods.
 * Every decision carries the reason printed to the user. Pure.
 */
import type {
  ClusterPullCredential,
  ClusterPullSecretBinding,
  CredentialSource,
  PullSecretSpec,
  PullSetupSpec,
} from "../desired/index.js";
import { BINDING_KIND, CONTROLLER_API_GROUP, CREDENTIAL_KIND } from "../desired/index.js";
import type { AcrHostInfo, AwsPartition, EcrHostInfo } from "../hosts/index.js";
import { parseNormalizedReference } from "../reference/index.js";
import { ACR_REFRESH_TOKEN_USERNAME, ECR_USERNAME } from "../tokens/index.js";
import {
  buildCredentialProviderConfig,
  NODE_STATIC_CONFIG_PATH,
  PULLWARDEN_PROVIDER_NAME,
} from "./credential-provider.js";
import {
  assessDeclaredCredential,
  CREDENTIAL_TYPE_LABELS,
  expiryInstant,
  ghcrTokenRules,
  withArticle,
} from "./credentials.js";
import { USERNAME_PLACEHOLDER } from "./init-layout.js";
import type { ClusterDecl, Layout, NamespaceDecl, RegistryDecl } from "./layout-types.js";
import type {
  CloudStep,
  ControllerResources,
  NamespacePlan,
  Plan,
  PodReference,
  PullMethod,
  RegistryDecision,
  ServiceAccountBinding,
} from "./plan-types.js";
import { plural, shOpt, shQuote } from "../text/index.js";

/** Built-in Azure role "AcrPull" (learn.microsoft.com, Azure built-in roles). */
export const ACR_PULL_ROLE_ID = "7f951dda-4ed3-4680-a7ca-43fe172d538d";
export const ECR_PULL_ONLY_POLICY = "AmazonEC2ContainerRegistryPullOnly";
export const ECR_READ_ONLY_POLICY = "AmazonEC2ContainerRegistryReadOnly";

/** ECR tokens live 12 hours; rotate at half-life. ACR refresh tokens live about 3 hours; rotate hourly. */
const ECR_ROTATE_HOURS = 6;
const ACR_ROTATE_HOURS = 1;
/** Warn when a declared credential expires within this many days. */
const EXPIRY_WARNING_DAYS = 30;

const PROVIDER_NAMES: Record<ClusterDecl["provider"], string> = {
  aks: "AKS",
  eks: "EKS",
  gke: "GKE",
  other: "not a managed cloud cluster",
};

const PARTITION_BY_REGION_PREFIX: Array<[string, AwsPartition]> = [
  ["cn-", "aws-cn"],
  ["us-gov-", "aws-us-gov"],
  ["eusc-", "aws-eusc"],
  ["us-isob-", "aws-iso-b"],
  ["us-isof-", "aws-iso-f"],
  ["us-iso-", "aws-iso"],
  ["eu-isoe-", "aws-iso-e"],
];

/** An ECR token (12 hours) from the AWS CLI; the registry's region signs it. */
function ecrToken(region: string): { mint: string; username: string } {
  return { mint: `aws ecr get-login-password ${shOpt("--region", region)}`, username: ECR_USERNAME };
}

/** An ACR refresh token (about 3 hours) from the Azure CLI. */
function acrToken(info: AcrHostInfo): { mint: string; username: string } {
  return {
    mint: `az acr login ${shOpt("--name", info.registryName)} --expose-token --output tsv --query accessToken`,
    username: ACR_REFRESH_TOKEN_USERNAME,
  };
}

/** Google's registries take an OAuth access token with this username. */
const GOOGLE_TOKEN = { mint: "gcloud auth print-access-token", username: "oauth2accesstoken" } as const;

const SECRET_CHECK = { kind: "secret" } as const;

function partitionOfRegion(region: string): AwsPartition {
  return PARTITION_BY_REGION_PREFIX.find(([prefix]) => region.startsWith(prefix))?.[1] ?? "aws";
}

export interface PlanOptions {
  /** Clock for expiry warnings. */
  readonly now: Date;
}

// ---------------------------------------------------------------------------------------------------------
// Per (cluster, registry)

type DraftDecision = Omit<RegistryDecision, "namespaces" | "notes"> & { notes: string[] };

function clusterLabel(cluster: ClusterDecl): string {
  return cluster.provider === "other"
    ? "this cluster"
    : `${PROVIDER_NAMES[cluster.provider]} cluster ${cluster.name}`;
}

function azSubscriptionLine(cluster: ClusterDecl): string[] {
  const subscription = cluster.aks?.subscription;
  return subscription ? [`az account set ${shOpt("--subscription", subscription)}`] : [];
}

function decideAksAcr(registry: RegistryDecl, info: AcrHostInfo, cluster: ClusterDecl): DraftDecision {
  const aks = cluster.aks;
  const acrRef = registry.acrResourceId ?? info.registryName;
  const rg = shQuote(aks?.resourceGroup ?? "");
  const clusterName = shQuote(cluster.name);
  const notes: string[] = [
    "Whoever runs the command needs Owner or User Access Administrator on the registry; a new role assignment can take a few minutes to reach the nodes.",
  ];
  let commands: string[];
  let summary: string;
  const setup = azSubscriptionLine(cluster);
  if (aks?.acrAccess === "role-assignment") {
    let objectId: string;
    if (aks.kubeletIdentityObjectId) {
      objectId = shQuote(aks.kubeletIdentityObjectId);
    } else {
      setup.push(
        `kubelet_object_id="$(az aks show --resource-group ${rg} --name ${clusterName} --query identityProfile.kubeletidentity.objectId --output tsv)"`,
      );
      objectId = '"$kubelet_object_id"';
    }
    const scope = registry.acrResourceId
      ? shQuote(registry.acrResourceId)
      : `"$(az acr show --name ${shQuote(info.registryName)} --query id --output tsv)"`;
    commands = [
      `az role assignment create --assignee-object-id ${objectId} --assignee-principal-type ServicePrincipal --role ${ACR_PULL_ROLE_ID} --scope ${scope}`,
    ];
    summary = `identity: an AcrPull role assignment on ${info.registryName} for the kubelet identity of ${cluster.name}; no secret`;
  } else {
    commands = [`az aks update --resource-group ${rg} --name ${clusterName} --attach-acr ${shQuote(acrRef)}`];
    summary = `identity: az aks update --attach-acr gives the kubelet identity of ${cluster.name} AcrPull on ${info.registryName}; no secret`;
    if (!registry.acrResourceId) {
      notes.push(
        "--attach-acr takes the registry name when it is in the cluster's subscription; for another subscription give acr.resourceId in the layout.",
      );
    }
  }
  if (registry.credential) {
    notes.push(
      `The declared credential (${CREDENTIAL_TYPE_LABELS[registry.credential.type]}) is not used: AKS pulls from ACR with the kubelet identity. Remove it from the layout.`,
    );
  }
  if (info.domainNameLabelHash !== undefined) {
    notes.push(
      `${info.host} is a domain-name-label login server; cloud-provider-azure's ACR pattern (^[a-zA-Z0-9]+\\.azurecr…) does not match such hosts, so check a pull with pullwarden doctor after setup.`,
    );
  }
  return {
    registry: registry.name,
    host: registry.host,
    kind: "acr",
    method: "identity",
    summary,
    reason: `The cluster is AKS and the registry is ACR: kubelet pulls with the cluster's kubelet managed identity once it holds AcrPull (role ${ACR_PULL_ROLE_ID}) on the registry, so there is no secret to leak, copy into namespaces or rotate.`,
    notes,
    cloudSteps: [
      {
        tool: "az",
        registry: registry.name,
        title: `AcrPull on ${info.registryName} for the kubelet identity of ${cluster.name}`,
        setup,
        commands,
        verify: [
          `az aks check-acr --resource-group ${rg} --name ${clusterName} ${shOpt("--acr", info.host)}`,
        ],
      },
    ],
    imageCheck: { kind: "cloud-token", tool: "az", ...acrToken(info) },
  };
}

function decideEksEcr(registry: RegistryDecl, info: EcrHostInfo, cluster: ClusterDecl): DraftDecision {
  const eks = cluster.eks;
  const policy = eks?.ecrPolicy === "read-only" ? ECR_READ_ONLY_POLICY : ECR_PULL_ONLY_POLICY;
  const policyArn = `arn:${info.partition}:iam::aws:policy/${policy}`;
  const role = shQuote(eks?.nodeRoleName ?? "");
  const notes: string[] = [];
  if (eks && eks.accountId !== info.accountId) {
    const roleArn = eks.nodeRole.startsWith("arn:")
      ? eks.nodeRole
      : `arn:${info.partition}:iam::${eks.accountId}:role/${eks.nodeRoleName}`;
    notes.push(
      `The registry is in account ${info.accountId}, the cluster in ${eks.accountId}: the node role's policy is not enough across accounts. Each repository's policy in ${info.accountId} must also allow the node role (${roleArn}) ecr:BatchGetImage and ecr:GetDownloadUrlForLayer.`,
    );
  }
  if (eks && partitionOfRegion(eks.region) !== info.partition) {
    notes.push(
      `The cluster's region ${eks.region} is in partition ${partitionOfRegion(eks.region)}, the registry in ${info.partition}: IAM roles do not cross partitions, so the node role cannot pull from it.`,
    );
  }
  if (info.fips || info.dualStack) {
    notes.push(
      `${info.host} is a ${info.fips ? "FIPS" : "dual-stack"} endpoint: kubelet matches credential-provider patterns label by label, so check that the node image's CredentialProviderConfig lists a pattern for it (the standard one, *.dkr.ecr.*.amazonaws.com, does not match it).`,
    );
  }
  return {
    registry: registry.name,
    host: registry.host,
    kind: "ecr",
    method: "identity",
    summary: `identity: the node role ${eks?.nodeRoleName ?? ""} gets ${policy}; no secret`,
    reason: `The cluster is EKS and the registry is ECR: kubelet's ECR credential provider signs pulls with the node's IAM role, so no secret is needed. ${policy === ECR_PULL_ONLY_POLICY ? `${ECR_PULL_ONLY_POLICY} grants only what a pull needs (ecr:GetAuthorizationToken, ecr:BatchGetImage, ecr:GetDownloadUrlForLayer).` : `${ECR_READ_ONLY_POLICY} also lets the nodes list and describe repositories; ${ECR_PULL_ONLY_POLICY} is the least-privilege choice.`}`,
    notes,
    cloudSteps: [
      {
        tool: "aws",
        registry: registry.name,
        title: `${policy} on the node role ${eks?.nodeRoleName ?? ""}`,
        setup: [],
        commands: [`aws iam attach-role-policy --role-name ${role} ${shOpt("--policy-arn", policyArn)}`],
        verify: [
          `aws iam list-attached-role-policies --role-name ${role} --query 'AttachedPolicies[].PolicyName' --output text | grep -qw ${policy}`,
        ],
      },
    ],
    imageCheck: { kind: "cloud-token", tool: "aws", ...ecrToken(info.region) },
  };
}

function decideGkeGar(registry: RegistryDecl, cluster: ClusterDecl): DraftDecision {
  const gke = cluster.gke;
  const steps: CloudStep[] = [];
  const notes: string[] = [];
  if (gke?.nodeServiceAccount) {
    steps.push({
      tool: "gcloud",
      registry: registry.name,
      title: `roles/artifactregistry.reader for ${gke.nodeServiceAccount}`,
      setup: [],
      commands: [
        `gcloud projects add-iam-policy-binding ${shQuote(gke.project)} ${shOpt("--member", `serviceAccount:${gke.nodeServiceAccount}`)} --role roles/artifactregistry.reader`,
      ],
      verify: [
        `gcloud projects get-iam-policy ${shQuote(gke.project)} ${shOpt("--flatten", "bindings[].members")} ${shOpt("--filter", `bindings.role:roles/artifactregistry.reader AND bindings.members:serviceAccount:${gke.nodeServiceAccount}`)} --format 'value(bindings.role)' | grep -q artifactregistry.reader`,
      ],
    });
  } else {
    notes.push(
      "Give cluster.gke.nodeServiceAccount to get the gcloud command; the nodes' service account needs roles/artifactregistry.reader on the registry's project (and the cloud-platform or devstorage.read_only access scope).",
    );
  }
  return {
    registry: registry.name,
    host: registry.host,
    kind: "gcr",
    method: "identity",
    summary: "identity: the GKE nodes' service account reads from Artifact Registry; no secret",
    reason:
      "The cluster is GKE and the registry is Google's: kubelet pulls with the nodes' service account, so no secret is needed.",
    notes,
    cloudSteps: steps,
    imageCheck: { kind: "cloud-token", tool: "gcloud", ...GOOGLE_TOKEN },
  };
}

function decideCredentialProvider(
  registry: RegistryDecl,
  info: EcrHostInfo | AcrHostInfo,
  cluster: ClusterDecl,
): DraftDecision {
  const isEcr = info.kind === "ecr";
  const plugin = isEcr ? "ecr-credential-provider" : "acr-credential-provider";
  const native = isEcr ? "EKS" : "AKS";
  return {
    registry: registry.name,
    host: registry.host,
    kind: registry.info.kind,
    method: "credential-provider",
    summary: `credential provider: kubelet's ${plugin} on every node; no secret`,
    reason: `The registry is ${isEcr ? "ECR" : "ACR"} but ${clusterLabel(cluster)} is not ${native}, and its nodes can be configured (cluster.nodesConfigurable): kubelet runs ${plugin} for images that match its matchImages patterns and keeps the short-lived tokens in memory, so no secret is stored in the cluster and nothing needs rotating.`,
    notes: isEcr
      ? [
          "Each node needs AWS credentials for a principal with AmazonEC2ContainerRegistryPullOnly: an instance role, IAM Roles Anywhere, or a shared credentials file named by AWS_SHARED_CREDENTIALS_FILE in the provider's env.",
          "ecr-credential-provider comes from kubernetes/cloud-provider-aws; no official binaries are published, so build it (go build ./cmd/ecr-credential-provider) or take it from your distribution.",
        ]
      : [
          "acr-credential-provider (kubernetes-sigs/cloud-provider-azure) reads /etc/kubernetes/azure.json: a managed identity (useManagedIdentityExtension, on Azure VMs or Arc) or a service principal (tenantId, aadClientId, aadClientSecret) holding AcrPull on the registry. That file stays on the nodes.",
        ],
    cloudSteps: [],
    imageCheck:
      info.kind === "ecr"
        ? { kind: "cloud-token", tool: "aws", ...ecrToken(info.region) }
        : { kind: "cloud-token", tool: "az", ...acrToken(info) },
  };
}

function rotatedEcr(registry: RegistryDecl, info: EcrHostInfo, cluster: ClusterDecl): DraftDecision {
  return {
    registry: registry.name,
    host: registry.host,
    kind: "ecr",
    method: "rotated-secret",
    summary: `rotated secret: a 12-hour ECR token in secret ${registry.secretName}, rewritten every ${ECR_ROTATE_HOURS} hours`,
    reason: `The registry is ECR, ${clusterLabel(cluster)} is not EKS, and its nodes cannot be configured for a kubelet credential provider (set cluster.nodesConfigurable: true if they can), so kubelet needs a pull secret. ECR tokens from aws ecr get-login-password live 12 hours: this secret must be rotated, or new Pods and restarts fail to pull once the token expires.`,
    notes: [
      `run the rotation script every ${ECR_ROTATE_HOURS} hours (cron, a CI schedule) from a machine with kubectl access and AWS credentials allowed ecr:GetAuthorizationToken (AmazonEC2ContainerRegistryPullOnly); or let pullwarden's controller keep it fresh in the cluster (cluster.rotation: controller).`,
    ],
    secretName: registry.secretName,
    source: {
      kind: "cloud-token",
      provider: "ecr",
      server: registry.host,
      region: info.region,
      rotateEverySeconds: ECR_ROTATE_HOURS * 3600,
    },
    rotation: {
      ...ecrToken(info.region),
      tokenLifetime: "12 hours",
      everyHours: ECR_ROTATE_HOURS,
      cron: `17 */${ECR_ROTATE_HOURS} * * *`,
    },
    cloudSteps: [],
    imageCheck: SECRET_CHECK,
  };
}

function rotatedAcr(registry: RegistryDecl, info: AcrHostInfo, cluster: ClusterDecl): DraftDecision {
  return {
    registry: registry.name,
    host: registry.host,
    kind: "acr",
    method: "rotated-secret",
    summary: `rotated secret: an ACR refresh token in secret ${registry.secretName}, rewritten every hour`,
    reason: `The registry is ACR, ${clusterLabel(cluster)} is not AKS, and its nodes cannot be configured for a kubelet credential provider (set cluster.nodesConfigurable: true if they can), so kubelet needs a pull secret. The token from az acr login --expose-token is an ACR refresh token that lives about 3 hours: this secret must be rotated, or new Pods and restarts fail to pull once it expires.`,
    notes: [
      "run the rotation script every hour (cron, a CI schedule) from a machine with kubectl access, logged in to Azure (az login) as an identity holding AcrPull on the registry; or let pullwarden's controller keep it fresh in the cluster (cluster.rotation: controller).",
      "To avoid hourly rotation, declare a repository-scoped token (credential.type: acr-scoped-token, with content/read only and an expiry): a long-lived secret you renew before it expires.",
    ],
    secretName: registry.secretName,
    source: {
      kind: "cloud-token",
      provider: "acr",
      server: registry.host,
      registryName: info.registryName,
      rotateEverySeconds: ACR_ROTATE_HOURS * 3600,
    },
    rotation: {
      ...acrToken(info),
      tokenLifetime: "about 3 hours",
      everyHours: ACR_ROTATE_HOURS,
      cron: "7 * * * *",
    },
    cloudSteps: [],
    imageCheck: SECRET_CHECK,
  };
}

/** What to run again after renewing a credential: the secret script, or the node script of the static file. */
function rerunStep(method: PullMethod): string {
  return method === "credential-provider" ? "the node script" : "the secret script";
}

function credentialNotes(registry: RegistryDecl, now: Date, rerun = rerunStep("secret")): string[] {
  const credential = registry.credential;
  if (!credential) return [];
  const notes: string[] = [];
  // The expiry is reported below; registry-specific judgements only (a generic host has no rules to apply).
  const { expires: _expires, ...undated } = credential;
  const verdict = assessDeclaredCredential(registry.info, undated, now);
  if (verdict.verdict === "unknown" && registry.info.kind !== "generic") {
    notes.push(`${verdict.reason} ${verdict.fix ?? ""}`.trim());
  }
  const expiresAt = expiryInstant(credential.expires);
  if (expiresAt) {
    const days = Math.floor((expiresAt.getTime() - now.getTime()) / 86_400_000);
    const label = CREDENTIAL_TYPE_LABELS[credential.type];
    if (days < 0) {
      notes.push(
        `The ${label} expired on ${credential.expires} (${plural(-days, "day")} ago): the registry rejects it. Issue a new one, update credential.expires, and run ${rerun} again.`,
      );
    } else {
      notes.push(
        days <= EXPIRY_WARNING_DAYS
          ? `The ${label} expires on ${credential.expires}, in ${plural(days, "day")}: renew it now and run ${rerun} again.`
          : `The ${label} expires on ${credential.expires}: renew it before then and run ${rerun} again.`,
      );
    }
  } else {
    notes.push(
      `No expiry is recorded for the ${CREDENTIAL_TYPE_LABELS[credential.type]}: give it one where it is issued and record it as credential.expires, so the plan can warn ahead of it.`,
    );
  }
  return notes;
}

function decideSecret(registry: RegistryDecl, cluster: ClusterDecl, now: Date): DraftDecision {
  const info = registry.info;
  const credential = registry.credential;
  const kindLabel = credential ? CREDENTIAL_TYPE_LABELS[credential.type] : "credential";
  let reason: string;
  const notes: string[] = [];
  if (info.kind === "ghcr") {
    const rules = ghcrTokenRules(info, now);
    reason = `ghcr.io has no cloud identity kubelet can use, so pulls need a pull secret holding a GitHub token, and only a classic personal access token works: ${rules.rejected.join(" ")}`;
    notes.push(rules.fix);
  } else if (info.kind === "acr") {
    reason = `The registry is ACR and ${clusterLabel(cluster)} is not AKS; the layout declares a long-lived ${kindLabel}, so kubelet uses a pull secret holding it (nodes are not configurable for acr-credential-provider).`;
  } else if (info.kind === "gcr") {
    reason = `${info.host} is Google's registry but ${clusterLabel(cluster)} is not GKE, so kubelet needs a pull secret.`;
  } else {
    reason = `${info.host} is not a cloud registry with a node identity, so kubelet needs a pull secret.`;
  }
  notes.push(...credentialNotes(registry, now));
  return {
    registry: registry.name,
    host: registry.host,
    kind: info.kind,
    method: "secret",
    summary: `secret: ${registry.secretName} holding ${withArticle(kindLabel)}${credential?.username ? ` of ${credential.username}` : ""}, one copy per namespace that pulls`,
    reason,
    notes,
    secretName: registry.secretName,
    ...(credential?.source ? { source: credential.source } : {}),
    cloudSteps: [],
    imageCheck: SECRET_CHECK,
  };
}

/** ECR or ACR from configurable nodes outside their cloud, served by pullwarden-credential-provider. */
function decidePullwardenCloud(
  registry: RegistryDecl,
  info: EcrHostInfo | AcrHostInfo,
  cluster: ClusterDecl,
): DraftDecision {
  const isEcr = info.kind === "ecr";
  return {
    registry: registry.name,
    host: registry.host,
    kind: info.kind,
    method: "credential-provider",
    summary: `credential provider: ${PULLWARDEN_PROVIDER_NAME} on every node mints ${isEcr ? "ECR" : "ACR"} tokens; no secret`,
    reason: `The registry is ${isEcr ? "ECR" : "ACR"} but ${clusterLabel(cluster)} is not ${isEcr ? "EKS" : "AKS"}, its nodes can be configured, and the layout chooses pullwarden's plugin (cluster.credentialProvider: pullwarden): kubelet runs ${PULLWARDEN_PROVIDER_NAME} for images that match its matchImages patterns, which mints ${isEcr ? "12-hour ECR tokens" : "ACR refresh tokens"} with the node's own identity and leaves them in kubelet's memory, so no secret is stored in the cluster and nothing needs rotating.`,
    notes: isEcr
      ? [
          "Each node needs AWS credentials for a principal with AmazonEC2ContainerRegistryPullOnly: an instance role, IAM Roles Anywhere, or a shared credentials file named by AWS_SHARED_CREDENTIALS_FILE in the provider's env.",
          `Unlike ecr-credential-provider, its answers keep the image's port, and it needs no Go build: the same executable serves ACR and static registries. Per-workload roles (ServiceAccount-token mode): docs/credential-provider.md.`,
        ]
      : [
          "Each node needs an Azure identity holding AcrPull on the registry: a managed identity (Azure VMs, Arc-enabled servers), or workload identity federation (AZURE_CLIENT_ID, AZURE_TENANT_ID and AZURE_FEDERATED_TOKEN_FILE in the provider's env). No client secret is stored on the node.",
        ],
    cloudSteps: [],
    imageCheck: isEcr
      ? { kind: "cloud-token", tool: "aws", ...ecrToken(info.region) }
      : { kind: "cloud-token", tool: "az", ...acrToken(info) },
  };
}

/**
 * A registry with a stored credential (GHCR, Harbor, Docker Hub, Google's registries outside GKE), served by
 * pullwarden-credential-provider from a root-only file on every node instead of pull secrets.
 */
function decideNodeStatic(
  registry: RegistryDecl,
  source: Extract<CredentialSource, { kind: "env" | "password-file" }>,
  cluster: ClusterDecl,
  now: Date,
): DraftDecision {
  const credential = registry.credential;
  const label = credential ? CREDENTIAL_TYPE_LABELS[credential.type] : "credential";
  const notes: string[] = [];
  if (registry.info.kind === "ghcr") notes.push(ghcrTokenRules(registry.info, now).fix);
  notes.push(
    `The credential is the node's: every Pod scheduled on a node can pull from ${registry.host} with it, whatever its namespace. Where only some namespaces may pull, drop cluster.credentialProvider and use pull secrets.`,
    ...credentialNotes(registry, now, rerunStep("credential-provider")),
  );
  return {
    registry: registry.name,
    host: registry.host,
    kind: registry.info.kind,
    method: "credential-provider",
    summary: `credential provider: ${PULLWARDEN_PROVIDER_NAME} on every node serves ${withArticle(label)}${source.username ? ` of ${source.username}` : ""} from ${NODE_STATIC_CONFIG_PATH} (root-only); no secret`,
    reason: `${registry.host} has no cloud identity kubelet can use, ${clusterLabel(cluster)}'s nodes can be configured, and the layout chooses pullwarden's plugin (cluster.credentialProvider: pullwarden): kubelet asks ${PULLWARDEN_PROVIDER_NAME} for the ${label}, which it reads from a root-only file on each node, so there is no Secret in the cluster to read through the API, copy into namespaces or bind to ServiceAccounts.`,
    notes,
    source,
    cloudSteps: [],
    imageCheck: {
      kind: "node-static",
      username: source.username,
      password:
        source.kind === "env"
          ? {
              print: `printf '%s' "\${${source.passwordEnv}:?set ${source.passwordEnv} to the ${label} for ${registry.host}}"`,
            }
          : { file: source.passwordFile },
    },
  };
}

/** An ECR or ACR token in a pull secret, kept fresh by the pullwarden controller (`cluster.rotation: controller`). */
function controllerSecret(
  registry: RegistryDecl,
  info: EcrHostInfo | AcrHostInfo,
  cluster: ClusterDecl,
): DraftDecision {
  const isEcr = info.kind === "ecr";
  return {
    registry: registry.name,
    host: registry.host,
    kind: info.kind,
    method: "controller-secret",
    summary: `controller secret: the pullwarden controller keeps ${isEcr ? "a 12-hour ECR token" : "an ACR refresh token"} fresh in secret ${registry.secretName} (ClusterPullCredential ${registry.name})`,
    reason: `The registry is ${isEcr ? "ECR" : "ACR"}, ${clusterLabel(cluster)} is not ${isEcr ? "EKS" : "AKS"}, and its nodes cannot be configured for a kubelet credential provider, so kubelet needs a pull secret holding a token that lives ${isEcr ? "12 hours" : "about 3 hours"}. The layout says the pullwarden controller runs in the cluster (cluster.rotation: controller): it mints the token once per refresh with its own identity, refreshes it from its real expiry, checks the new one against the registry before it swaps it in, keeps the old one serving while a refresh fails, and writes the secret into every namespace the binding names; no script on a schedule, nothing to miss.`,
    notes: [
      isEcr
        ? "The controller's identity needs ecr:GetAuthorizationToken (AmazonEC2ContainerRegistryPullOnly): an IAM role for its ServiceAccount (the chart's serviceAccount annotations: IRSA or EKS Pod Identity) or AWS credentials in its environment."
        : "The controller's identity needs AcrPull on the registry: workload identity federation (the chart's serviceAccount annotations) or a managed identity.",
      "Without the controller installed, the resources do nothing and the secret is never written: install it first (helm install pullwarden charts/pullwarden -n pullwarden-system --create-namespace), or drop cluster.rotation for the rotation script.",
    ],
    secretName: registry.secretName,
    controllerCredential: registry.name,
    cloudSteps: [],
    imageCheck: SECRET_CHECK,
  };
}

/**
 * A registry whose pulls need a stored credential: served from the nodes by pullwarden-credential-provider when
 * the layout chooses it and the credential is read from an environment variable or a file (a docker config.json
 * with credential helpers cannot be copied into the plugin's file), else a pull secret.
 */
function decideStoredCredential(registry: RegistryDecl, cluster: ClusterDecl, now: Date): DraftDecision {
  const source = registry.credential?.source;
  if (cluster.credentialProvider !== "pullwarden") return decideSecret(registry, cluster, now);
  if (source && (source.kind === "env" || source.kind === "password-file"))
    return decideNodeStatic(registry, source, cluster, now);
  const decision = decideSecret(registry, cluster, now);
  decision.notes.push(
    `cluster.credentialProvider: pullwarden serves registries from a file on each node, written from credential.passwordEnv or credential.passwordFile; this credential comes from a docker config, so ${registry.host} gets a pull secret. Give passwordEnv or passwordFile to serve it from the nodes.`,
  );
  return decision;
}

function decideRegistry(registry: RegistryDecl, cluster: ClusterDecl, now: Date): DraftDecision {
  const info = registry.info;
  switch (info.kind) {
    case "acr":
      if (cluster.provider === "aks") return decideAksAcr(registry, info, cluster);
      if (cluster.nodesConfigurable) return nodeProvider(registry, info, cluster);
      if (registry.credential) return decideSecret(registry, cluster, now);
      if (cluster.rotation === "controller") return controllerSecret(registry, info, cluster);
      return rotatedAcr(registry, info, cluster);
    case "ecr":
      if (cluster.provider === "eks") return decideEksEcr(registry, info, cluster);
      if (cluster.nodesConfigurable) return nodeProvider(registry, info, cluster);
      if (cluster.rotation === "controller") return controllerSecret(registry, info, cluster);
      return rotatedEcr(registry, info, cluster);
    case "ecr-public":
      return {
        registry: registry.name,
        host: registry.host,
        kind: info.kind,
        method: "anonymous",
        summary: "anonymous: ECR Public serves public images without credentials; nothing to set up",
        reason:
          "ECR Public allows anonymous pulls; a secret would only raise the rate limit and would need rotating every 12 hours.",
        notes: registry.credential ? ["The declared credential is not used."] : [],
        cloudSteps: [],
        imageCheck: { kind: "anonymous" },
      };
    case "gcr":
      if (cluster.provider === "gke") return decideGkeGar(registry, cluster);
      return decideStoredCredential(registry, cluster, now);
    default:
      return decideStoredCredential(registry, cluster, now);
  }
}

/** The kubelet credential provider configurable nodes run for ECR and ACR: the cloud's own, or pullwarden's. */
function nodeProvider(
  registry: RegistryDecl,
  info: EcrHostInfo | AcrHostInfo,
  cluster: ClusterDecl,
): DraftDecision {
  return cluster.credentialProvider === "pullwarden"
    ? decidePullwardenCloud(registry, info, cluster)
    : decideCredentialProvider(registry, info, cluster);
}

// ---------------------------------------------------------------------------------------------------------
// Per namespace: ServiceAccounts (pattern 3) or Pod references (pattern 2)

function planNamespace(
  namespace: NamespaceDecl,
  decisions: ReadonlyMap<string, RegistryDecision>,
): NamespacePlan {
  const secrets: { registry: string; secretName: string }[] = [];
  const withoutSecret: { registry: string; method: PullMethod }[] = [];
  for (const name of namespace.registries) {
    const decision = decisions.get(name);
    if (!decision) continue;
    if (decision.secretName !== undefined) secrets.push({ registry: name, secretName: decision.secretName });
    else withoutSecret.push({ registry: name, method: decision.method });
  }
  const secretNames = secrets.map((s) => s.secretName);
  const base = { name: namespace.name, secrets, withoutSecret, images: namespace.images };
  if (secrets.length === 0) return { ...base, serviceAccounts: [], podReferences: [], pattern: "" };

  const bound = new Set<string>(namespace.serviceAccounts);
  let pattern: string;
  if (namespace.serviceAccounts.length > 0) {
    pattern = `The layout lists the ServiceAccounts ${namespace.serviceAccounts.join(", ")}: they carry the secrets, so every Pod that runs as one of them gets them at admission.`;
  } else if (namespace.workloads.length === 0) {
    bound.add("default");
    pattern =
      "No workloads are listed, so all of them are taken to share the namespace's default ServiceAccount: it carries the secrets, and every Pod that names no other ServiceAccount gets them at admission.";
  } else {
    const count = new Map<string, number>();
    for (const w of namespace.workloads) count.set(w.serviceAccount, (count.get(w.serviceAccount) ?? 0) + 1);
    const shared = [...count].filter(([, n]) => n > 1).map(([sa]) => sa);
    shared.forEach((sa) => bound.add(sa));
    const alone = namespace.workloads.filter((w) => !bound.has(w.serviceAccount));
    const parts: string[] = [];
    if (shared.length > 0) {
      parts.push(
        `${shared.map((sa) => `ServiceAccount ${sa} is shared by ${count.get(sa)} workloads`).join("; ")}: it carries the secrets, so each of its Pods gets them at admission`,
      );
    }
    if (alone.length > 0) {
      parts.push(
        `${alone.map((w) => `${w.kind}/${w.name}`).join(", ")} ${alone.length === 1 ? "is" : "are"} alone on ${alone.length === 1 ? "its" : "their"} ServiceAccount, so ${alone.length === 1 ? "its" : "their"} Pod spec references the secrets instead`,
      );
    }
    pattern = `${parts.join("; ")}.`;
  }
  const serviceAccounts: ServiceAccountBinding[] = [...bound].map((name) => ({ name, secrets: secretNames }));
  const podReferences: PodReference[] = namespace.workloads
    .filter((w) => !bound.has(w.serviceAccount))
    .map((w) => ({ kind: w.kind, name: w.name, serviceAccount: w.serviceAccount, secrets: secretNames }));
  return { ...base, serviceAccounts, podReferences, pattern };
}

// ---------------------------------------------------------------------------------------------------------
// The Kubernetes part as the desired-state model shared with `apply`

/** The namespaces that hold a decision's secret, grouped by the ServiceAccounts bound to it (one entry each). */
function bindingGroups(
  decision: RegistryDecision,
  namespaces: readonly NamespacePlan[],
): { namespaces: string[]; serviceAccounts: string[] }[] {
  const groups = new Map<string, { namespaces: string[]; serviceAccounts: string[] }>();
  for (const namespace of namespaces) {
    if (!namespace.secrets.some((s) => s.registry === decision.registry)) continue;
    const serviceAccounts = namespace.serviceAccounts.map((sa) => sa.name);
    const key = serviceAccounts.join(",");
    const group = groups.get(key) ?? { namespaces: [], serviceAccounts };
    group.namespaces.push(namespace.name);
    groups.set(key, group);
  }
  return [...groups.values()];
}

function buildSpec(
  decisions: readonly RegistryDecision[],
  namespaces: readonly NamespacePlan[],
): PullSetupSpec {
  const secrets: PullSecretSpec[] = [];
  for (const decision of decisions) {
    if (decision.secretName === undefined) continue;
    const source = decision.source;
    if (!source) continue;
    for (const group of bindingGroups(decision, namespaces)) {
      secrets.push({
        name: decision.secretName,
        source,
        namespaces: { kind: "names", names: group.namespaces },
        serviceAccounts: group.serviceAccounts,
      });
    }
  }
  return { secrets };
}

const CONTROLLER_API_VERSION = `${CONTROLLER_API_GROUP}/v1alpha1`;

/**
 * The controller's custom resources for `controller-secret` decisions: one ClusterPullCredential per registry
 * (minted once, whatever the number of namespaces), verified with the first image the layout lists for it, and
 * one ClusterPullSecretBinding per group of namespaces that bind the secret to the same ServiceAccounts (a
 * binding's ServiceAccounts apply in each of its namespaces). Names: the registry's name, the secret's name.
 */
function buildControllerResources(
  decisions: readonly RegistryDecision[],
  namespaces: readonly NamespacePlan[],
): ControllerResources | undefined {
  const credentials: ClusterPullCredential[] = [];
  const bindings: ClusterPullSecretBinding[] = [];
  for (const decision of decisions) {
    const name = decision.controllerCredential;
    if (name === undefined || decision.secretName === undefined || decision.namespaces.length === 0) continue;
    // The first image the layout lists for this registry (validation matched each image to its namespace's hosts).
    const image = namespaces
      .filter((n) => decision.namespaces.includes(n.name))
      .flatMap((n) => n.images)
      .find((i) => parseNormalizedReference(i).domain.toLowerCase() === decision.host);
    credentials.push({
      apiVersion: CONTROLLER_API_VERSION,
      kind: CREDENTIAL_KIND,
      metadata: { name },
      spec: {
        source:
          decision.kind === "ecr"
            ? { ecr: { registry: decision.host } }
            : { acr: { registry: decision.host } },
        ...(image !== undefined ? { verify: { image } } : {}),
      },
    });
    const groups = bindingGroups(decision, namespaces);
    groups.forEach((group, index) => {
      bindings.push({
        apiVersion: CONTROLLER_API_VERSION,
        kind: BINDING_KIND,
        metadata: {
          name:
            groups.length === 1
              ? (decision.secretName ?? name)
              : `${decision.secretName ?? name}-${index + 1}`,
        },
        spec: {
          credentials: [name],
          secretName: decision.secretName ?? name,
          namespaces: { names: group.namespaces },
          ...(group.serviceAccounts.length > 0 ? { serviceAccounts: group.serviceAccounts } : {}),
        },
      });
    });
  }
  return credentials.length > 0 ? { credentials, bindings } : undefined;
}

/** Decides the pull setup for every (cluster, registry) pair and namespace of a validated layout. */
export function planLayout(layout: Layout, options: PlanOptions): Plan {
  const warnings: string[] = [];
  const drafts = layout.registries.map((registry) => decideRegistry(registry, layout.cluster, options.now));
  const decisions: RegistryDecision[] = drafts.map((draft) => {
    const namespaces = layout.namespaces
      .filter((n) => n.registries.includes(draft.registry))
      .map((n) => n.name);
    if (namespaces.length === 0 && draft.method !== "identity" && draft.method !== "credential-provider") {
      warnings.push(
        `registry ${draft.registry} (${draft.host}) is not used by any namespace: no secret is created for it.`,
      );
    }
    return { ...draft, namespaces };
  });
  const byName = new Map(decisions.map((d) => [d.registry, d]));
  // A namespace's secrets follow the layout's registry order, the order `apply` appends them in, so the
  // generated manifests and `apply -f` give each ServiceAccount the same imagePullSecrets list.
  const registryOrder = new Map(layout.registries.map((registry, index) => [registry.name, index]));
  const byLayoutOrder = (a: string, b: string) => (registryOrder.get(a) ?? 0) - (registryOrder.get(b) ?? 0);
  const namespaces = layout.namespaces.map((n) =>
    planNamespace({ ...n, registries: [...n.registries].sort(byLayoutOrder) }, byName),
  );
  for (const namespace of namespaces) {
    for (const ref of namespace.podReferences) {
      if (ref.kind === "Job" || ref.kind === "Pod") {
        warnings.push(
          `${namespace.name}: ${ref.kind}/${ref.name} cannot be patched (a ${ref.kind}'s Pod template is immutable): add imagePullSecrets ${ref.secrets.join(", ")} to its manifest and recreate it.`,
        );
      }
    }
    if (namespace.name === "default" && namespace.secrets.length > 0) {
      warnings.push(
        "default: the layout puts workloads in the default namespace; its secrets serve only Pods there (no other namespace can use them).",
      );
    }
  }
  for (const registry of layout.registries) {
    const expiresAt = expiryInstant(registry.credential?.expires);
    if (expiresAt && expiresAt.getTime() - options.now.getTime() <= EXPIRY_WARNING_DAYS * 86_400_000) {
      warnings.push(
        `${registry.path}.credential (${registry.host}) ${expiresAt.getTime() < options.now.getTime() ? "expired" : "expires"} on ${registry.credential?.expires ?? ""}: renew it and run ${rerunStep(byName.get(registry.name)?.method ?? "secret")} again.`,
      );
    }
    if (registry.credential?.username === USERNAME_PLACEHOLDER) {
      warnings.push(
        `${registry.path}.credential.username is still ${USERNAME_PLACEHOLDER} (written by pullwarden init): set the machine user that owns the credential.`,
      );
    }
  }
  if (decisions.some((d) => d.method === "rotated-secret")) {
    warnings.push(
      "Rotated secrets need the rotation script on a schedule: a missed run means pulls fail once the token expires.",
    );
  }
  if (layout.cluster.rotation === "controller" && !decisions.some((d) => d.method === "controller-secret")) {
    warnings.push(
      "cluster.rotation: controller has nothing to do here: no registry needs a short-lived token in a pull secret.",
    );
  }
  const credentialProviderConfig = buildCredentialProviderConfig(
    layout.registries.filter((r) => byName.get(r.name)?.method === "credential-provider"),
    layout.cluster.credentialProvider,
  );
  const spec = buildSpec(decisions, namespaces);
  const controllerResources = buildControllerResources(decisions, namespaces);
  return {
    layout,
    decisions,
    namespaces,
    ...(credentialProviderConfig ? { credentialProviderConfig } : {}),
    ...(controllerResources ? { controllerResources } : {}),
    spec,
    warnings,
  };
}
