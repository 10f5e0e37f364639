/**
 * The layout file's JSON Schema (draft-07). This object is the source of truth: the plan validates with it,
 * and `schemas/layout.schema.json` is the published copy editors use (a test keeps the two identical).
 * Descriptions are written for editor completion: they say what a field is for and what the plan does with it.
 */

import type { PodSpecKind } from "../kube-model/index.js";
import { FORMATS } from "./layout-formats.js";

export const LAYOUT_API_VERSION = "pullwarden.io/v1alpha1";
export const LAYOUT_KIND = "PullLayout";
export const LAYOUT_SCHEMA_URL =
  "https://raw.githubusercontent.com/pullwarden/pullwarden/main/schemas/layout.schema.json";

/** Credential kinds a layout may declare; the plan judges each against the registry with `tokens`. */
export const CREDENTIAL_TYPES = [
  "classic-pat",
  "fine-grained-pat",
  "github-app",
  "github-actions-token",
  "dockerhub-pat",
  "password",
  "robot-account",
  "access-token",
  "acr-scoped-token",
  "acr-service-principal",
  "acr-admin-user",
] as const;

/** The workload kinds a layout may name (kube-model knows where each keeps its Pod spec). */
export const WORKLOAD_KINDS = [
  "Deployment",
  "StatefulSet",
  "DaemonSet",
  "CronJob",
  "Job",
  "Pod",
] as const satisfies readonly PodSpecKind[];

// Every pattern comes from FORMATS, which also explains a value that does not match it.
const DNS1123_LABEL = FORMATS.dnsLabel.pattern;
const DNS1123_SUBDOMAIN = FORMATS.dnsSubdomain.pattern;

const dnsLabel = (description: string): object => ({
  type: "string",
  minLength: 1,
  maxLength: 63,
  pattern: DNS1123_LABEL,
  description,
});

const dnsSubdomain = (description: string): object => ({
  type: "string",
  minLength: 1,
  maxLength: 253,
  pattern: DNS1123_SUBDOMAIN,
  description,
});

export const LAYOUT_SCHEMA = {
  $schema: "http://json-schema.org/draft-07/schema#",
  $id: LAYOUT_SCHEMA_URL,
  title: "pullwarden layout",
  description:
    "A cluster, the private registries its workloads pull from, and the namespaces that pull. `pullwarden plan -f LAYOUT` picks the pull setup for every (cluster, registry) pair and writes ready-to-run files; `pullwarden init` writes a starter layout.",
  type: "object",
  additionalProperties: false,
  required: ["apiVersion", "kind", "cluster", "registries", "namespaces"],
  properties: {
    apiVersion: { const: LAYOUT_API_VERSION, description: `Always ${LAYOUT_API_VERSION}.` },
    kind: { const: LAYOUT_KIND, description: `Always ${LAYOUT_KIND}.` },
    metadata: {
      type: "object",
      additionalProperties: false,
      description: "Optional naming of the layout.",
      properties: {
        name: dnsSubdomain("A name for this layout, shown in the plan's README."),
      },
    },
    cluster: { $ref: "#/definitions/cluster" },
    registries: {
      type: "array",
      minItems: 1,
      description: "The private registries workloads pull from.",
      items: { $ref: "#/definitions/registry" },
    },
    namespaces: {
      type: "array",
      minItems: 1,
      description: "The namespaces whose workloads pull from the registries, each listed once.",
      items: { $ref: "#/definitions/namespace" },
    },
  },
  definitions: {
    cluster: {
      type: "object",
      additionalProperties: false,
      required: ["provider", "name"],
      description: "The cluster: where it runs decides which pull methods exist.",
      properties: {
        provider: {
          enum: ["aks", "eks", "gke", "other"],
          description:
            "aks (Azure Kubernetes Service), eks (Amazon EKS), gke (Google Kubernetes Engine) or other (on-premises, kind, k3s, another cloud).",
        },
        name: {
          type: "string",
          minLength: 1,
          maxLength: 100,
          pattern: FORMATS.clusterName.pattern,
          description: "The cluster's name as its cloud knows it (az aks / aws eks / gcloud).",
        },
        nodesConfigurable: {
          type: "boolean",
          default: false,
          description:
            "True when you can change kubelet flags and files on every node (self-managed nodes, custom node images, on-premises). Then ECR outside EKS and ACR outside AKS use a kubelet credential provider instead of a rotated secret.",
        },
        credentialProvider: {
          enum: ["cloud", "pullwarden"],
          default: "cloud",
          description:
            "With nodesConfigurable, which kubelet credential provider the nodes run. cloud: the clouds' own plugins (ecr-credential-provider, acr-credential-provider) for ECR and ACR; other registries get pull secrets. pullwarden: pullwarden-credential-provider for ECR and ACR and, from a root-only file on each node, for every registry with a credential read from passwordEnv or passwordFile (GHCR, Harbor, Docker Hub), so no pull secret is stored in the cluster.",
        },
        rotation: {
          enum: ["script", "controller"],
          default: "script",
          description:
            "How short-lived ECR and ACR tokens in pull secrets are refreshed (only where neither the cluster's identity nor a kubelet credential provider serves the registry). script: a rotation script you schedule (cron). controller: the pullwarden controller, installed in the cluster (charts/pullwarden); the plan writes its ClusterPullCredential and ClusterPullSecretBinding resources instead of the script.",
        },
        aks: {
          type: "object",
          additionalProperties: false,
          required: ["resourceGroup"],
          description: "AKS settings (required when provider is aks).",
          properties: {
            resourceGroup: {
              type: "string",
              minLength: 1,
              maxLength: 90,
              pattern: FORMATS.resourceGroup.pattern,
              description: "Resource group of the AKS cluster.",
            },
            subscription: {
              type: "string",
              minLength: 1,
              pattern: FORMATS.subscription.pattern,
              description:
                "Subscription id or name of the cluster; the generated az commands select it first.",
            },
            acrAccess: {
              enum: ["attach-acr", "role-assignment"],
              default: "attach-acr",
              description:
                "attach-acr: az aks update --attach-acr (simplest). role-assignment: an explicit AcrPull role assignment to the kubelet identity (what Bicep/Terraform would declare).",
            },
            kubeletIdentityObjectId: {
              type: "string",
              pattern: FORMATS.guid.pattern,
              description:
                "Object id of the kubelet managed identity, for role-assignment; looked up with az aks show when omitted.",
            },
          },
        },
        eks: {
          type: "object",
          additionalProperties: false,
          required: ["region", "accountId", "nodeRole"],
          description: "EKS settings (required when provider is eks).",
          properties: {
            region: {
              type: "string",
              pattern: FORMATS.awsRegion.pattern,
              description: "AWS region of the cluster, e.g. eu-west-1.",
            },
            accountId: {
              type: "string",
              pattern: FORMATS.awsAccountId.pattern,
              description: 'The 12-digit AWS account id of the cluster, quoted ("123456789012").',
            },
            nodeRole: {
              type: "string",
              minLength: 1,
              pattern: FORMATS.iamRole.pattern,
              description: "The node group's IAM role: its name or its ARN.",
            },
            ecrPolicy: {
              enum: ["pull-only", "read-only"],
              default: "pull-only",
              description:
                "pull-only: AmazonEC2ContainerRegistryPullOnly (least privilege). read-only: AmazonEC2ContainerRegistryReadOnly (also lists and describes repositories).",
            },
          },
        },
        gke: {
          type: "object",
          additionalProperties: false,
          required: ["project"],
          description: "GKE settings (required when provider is gke).",
          properties: {
            project: {
              type: "string",
              pattern: FORMATS.gcpProject.pattern,
              description: "Google Cloud project id of the cluster.",
            },
            nodeServiceAccount: {
              type: "string",
              pattern: FORMATS.email.pattern,
              description:
                "Email of the nodes' service account; gets roles/artifactregistry.reader for Artifact Registry pulls.",
            },
          },
        },
      },
      allOf: [
        {
          if: { properties: { provider: { const: "aks" } }, required: ["provider"] },
          then: { required: ["aks"] },
        },
        {
          if: { properties: { provider: { const: "eks" } }, required: ["provider"] },
          then: { required: ["eks"] },
        },
        {
          if: { properties: { provider: { const: "gke" } }, required: ["provider"] },
          then: { required: ["gke"] },
        },
      ],
    },
    registry: {
      type: "object",
      additionalProperties: false,
      required: ["name"],
      description: "A registry: give exactly one of host, acr, ecr or ghcr.",
      properties: {
        name: dnsLabel("Short id of the registry, used by namespaces[].registries and in secret names."),
        host: {
          type: "string",
          minLength: 1,
          maxLength: 261,
          pattern: FORMATS.registryHost.pattern,
          description:
            "Registry host[:port], e.g. harbor.example.com or registry.example.com:5000. ACR, ECR and ghcr.io hosts are recognised.",
        },
        acr: {
          type: ["string", "object"],
          description:
            "Azure Container Registry: its name (shopprod → shopprod.azurecr.io), or {name, cloud, resourceId}.",
          if: { type: "string" },
          then: { pattern: FORMATS.acrName.pattern, description: "An ACR name: 5-50 letters and digits." },
          else: {
            additionalProperties: false,
            required: ["name"],
            properties: {
              name: {
                type: "string",
                pattern: FORMATS.acrName.pattern,
                description: "Registry name (5-50 letters and digits).",
              },
              cloud: {
                enum: ["public", "usgov", "china"],
                default: "public",
                description: "Azure cloud: public (azurecr.io), usgov (azurecr.us) or china (azurecr.cn).",
              },
              resourceId: {
                type: "string",
                pattern: FORMATS.acrResourceId.pattern,
                description:
                  "Full resource id; needed when the registry is in another subscription than the cluster.",
              },
            },
          },
        },
        ecr: {
          type: "object",
          additionalProperties: false,
          required: ["accountId", "region"],
          description:
            "Amazon ECR private registry: {accountId, region}, optionally fips / dualStack endpoints.",
          properties: {
            accountId: {
              type: "string",
              pattern: FORMATS.awsAccountId.pattern,
              description: 'The 12-digit AWS account id that owns the registry, quoted ("123456789012").',
            },
            region: {
              type: "string",
              pattern: FORMATS.awsRegion.pattern,
              description: "AWS region of the registry, e.g. us-east-1.",
            },
            fips: { type: "boolean", default: false, description: "Use the FIPS endpoint (dkr.ecr-fips)." },
            dualStack: {
              type: "boolean",
              default: false,
              description: "Use the dual-stack IPv4/IPv6 endpoint (dkr-ecr.<region>.on.aws).",
            },
          },
        },
        ghcr: {
          type: "string",
          pattern: FORMATS.githubOwner.pattern,
          description:
            "GitHub Container Registry (ghcr.io): the user or organisation that owns the packages.",
        },
        secretName: dnsSubdomain(
          "Name of the pull secret for this registry in each namespace (default: <name>-pull).",
        ),
        credential: { $ref: "#/definitions/credential" },
      },
      oneOf: [{ required: ["host"] }, { required: ["acr"] }, { required: ["ecr"] }, { required: ["ghcr"] }],
    },
    credential: {
      type: "object",
      additionalProperties: false,
      required: ["type"],
      description:
        "The credential a pull secret holds: its kind, the username, and where the password is read at run time (never the value itself).",
      properties: {
        type: {
          enum: [...CREDENTIAL_TYPES],
          description:
            "classic-pat (GitHub classic personal access token, the only kind ghcr.io accepts), fine-grained-pat and github-app / github-actions-token (rejected by ghcr.io), dockerhub-pat, password, robot-account, access-token, acr-scoped-token (repository-scoped token), acr-service-principal, acr-admin-user.",
        },
        username: {
          type: "string",
          minLength: 1,
          maxLength: 256,
          pattern: FORMATS.username.pattern,
          description: "Username for the registry (a machine user for ghcr.io). Not a secret.",
        },
        passwordEnv: {
          type: "string",
          pattern: FORMATS.envName.pattern,
          description: "Environment variable that holds the password or token when the secret is created.",
        },
        passwordFile: {
          type: "string",
          minLength: 1,
          description: "File that holds the password or token when the secret is created.",
        },
        dockerConfig: {
          type: ["string", "boolean"],
          description:
            "Take the credential from a docker config.json (true: ~/.docker/config.json), resolving credential helpers.",
        },
        expires: {
          type: "string",
          pattern: FORMATS.date.pattern,
          description:
            "Expiry date of the token (YYYY-MM-DD); the plan warns ahead of it. Give every token an expiry.",
        },
      },
    },
    namespace: {
      type: "object",
      additionalProperties: false,
      required: ["name", "registries"],
      description: "A namespace and the registries its workloads pull from.",
      properties: {
        name: dnsLabel("Namespace name."),
        registries: {
          type: "array",
          minItems: 1,
          uniqueItems: true,
          description: "Names of the registries (registries[].name) this namespace pulls from.",
          items: { type: "string", pattern: DNS1123_LABEL, description: "A registries[].name." },
        },
        serviceAccounts: {
          type: "array",
          uniqueItems: true,
          description:
            "ServiceAccounts that get the pull secrets in imagePullSecrets (pattern 3: every Pod of them gets the secret at admission). Default: the namespace's default ServiceAccount, or per workload when workloads are listed.",
          items: dnsSubdomain("ServiceAccount name."),
        },
        workloads: {
          type: "array",
          description:
            "Workloads that pull. A ServiceAccount shared by several of them carries the secrets; a workload alone on its ServiceAccount references them in its Pod spec.",
          items: {
            type: "object",
            additionalProperties: false,
            required: ["kind", "name"],
            properties: {
              kind: { enum: [...WORKLOAD_KINDS], description: "Workload kind." },
              name: dnsSubdomain("Workload name."),
              serviceAccount: dnsSubdomain("ServiceAccount of its Pods (default: default)."),
            },
          },
        },
        images: {
          type: "array",
          uniqueItems: true,
          description: "Images to check after setup (pullwarden check), e.g. ghcr.io/acme/api:1.4.",
          items: { type: "string", minLength: 1, maxLength: 4096 },
        },
      },
    },
  },
} as const;
