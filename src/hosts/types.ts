/**
 * Types of the registry-host classification. Every variant carries the normalised `host` (lower-cased
 * `host[:port]`, no scheme, path or user info), its `hostname` without the port and the `port` string
 * when one was given; the remaining fields depend on `kind`.
 */

export type RegistryKind = "acr" | "ecr" | "ecr-public" | "ghcr" | "dockerhub" | "gcr" | "generic";

/** Azure cloud of an ACR login server, from its DNS suffix (cloud-provider-azure `acrRE`). */
export type AcrCloud = "public" | "usgov" | "china" | "germany";

/**
 * AWS partition of a private ECR registry. `aws-eusc` is the European Sovereign Cloud (`amazonaws.eu`);
 * GovCloud regions (`us-gov-*`) use the commercial DNS suffix but are their own partition.
 */
export type AwsPartition =
  "aws" | "aws-cn" | "aws-us-gov" | "aws-eusc" | "aws-iso" | "aws-iso-b" | "aws-iso-e" | "aws-iso-f";

/**
 * How kubelet's keyring treats a Docker Hub key (KK `pkg/credentialprovider/keyring.go`): images are
 * looked up as `docker.io/<repo>`, so a `docker.io` key matches directly; `index.docker.io` (what
 * `https://index.docker.io/v1/` normalises to) is used only as the fallback when nothing else matched;
 * `registry-1.docker.io` has three labels against the image's two and never matches.
 */
export type DockerHubKubeletMatch = "direct" | "default-fallback" | "never";

interface HostBase {
  /** Lower-cased `host[:port]` as given, without scheme, user info or path. */
  host: string;
  /** `host` without the port. */
  hostname: string;
  /** The port as written (digits only), when one was given. kubelet compares ports as strings. */
  port?: string;
}

export interface AcrHostInfo extends HostBase {
  kind: "acr";
  /** The registry name: the first label, without a domain-name-label hash suffix. */
  registryName: string;
  /**
   * The hash part of a login server created with a domain-name-label scope (`<name>-<hash>.azurecr.io`),
   * when present. Note cloud-provider-azure's `acrRE` (`^[a-zA-Z0-9]+\.azurecr...`) does not match such
   * hosts, so the AKS credential provider does not serve them.
   */
  domainNameLabelHash?: string;
  cloud: AcrCloud;
  /** `azurecr.io`, `azurecr.us`, `azurecr.cn` or `azurecr.de`. */
  dnsSuffix: string;
}

export interface EcrHostInfo extends HostBase {
  kind: "ecr";
  /** The 12-digit AWS account id (the registry id). */
  accountId: string;
  region: string;
  partition: AwsPartition;
  /** The DNS suffix after the region, e.g. `amazonaws.com`, `on.aws`, `c2s.ic.gov`. */
  dnsSuffix: string;
  /** FIPS endpoint (`dkr.ecr-fips.` or `dkr-ecr-fips.`). */
  fips: boolean;
  /** Dual-stack IPv4/IPv6 endpoint (`<acct>.dkr-ecr.<region>.on.aws` and the China `on.amazonwebservices.com.cn`). */
  dualStack: boolean;
}

export interface EcrPublicHostInfo extends HostBase {
  kind: "ecr-public";
  /** ECR Public exists only in us-east-1 (tokens come from `ecr-public:GetAuthorizationToken` there). */
  region: "us-east-1";
  /** `ecr-public.aws.com` is the dual-stack alias of `public.ecr.aws`. */
  dualStack: boolean;
}

export interface GhcrHostInfo extends HostBase {
  kind: "ghcr";
}

export interface DockerHubHostInfo extends HostBase {
  kind: "dockerhub";
  alias: "docker.io" | "index.docker.io" | "registry-1.docker.io";
  kubeletMatch: DockerHubKubeletMatch;
}

export interface GcrHostInfo extends HostBase {
  kind: "gcr";
  /** `gcr.io` / `*.gcr.io` is Container Registry; `<location>-docker.pkg.dev` is Artifact Registry. */
  service: "container-registry" | "artifact-registry";
  /** Artifact Registry location (`us-central1`, `europe`, …) or the GCR multi-region (`us`, `eu`, `asia`). */
  location?: string;
}

export interface GenericHostInfo extends HostBase {
  kind: "generic";
}

/** A registry host classified by its DNS name only (no network access); discriminated on `kind`. */
export type RegistryHostInfo =
  | AcrHostInfo
  | EcrHostInfo
  | EcrPublicHostInfo
  | GhcrHostInfo
  | DockerHubHostInfo
  | GcrHostInfo
  | GenericHostInfo;
