/**
 * kubelet's `CredentialProviderConfig` for the registries served by a credential provider plugin.
 *
 * matchImages follow kubelet's rules (wire-specs §2/§3): a `*` matches exactly one host label, labels are
 * compared literally. So the standard ECR patterns (`*.dkr.ecr.*.amazonaws.com`, `…amazonaws.com.cn`, from
 * cloud-provider-aws docs) do not match FIPS (`dkr.ecr-fips`), dual-stack (`dkr-ecr.<region>.on.aws`) or other
 * partitions' hosts: each of those gets its own pattern, derived from the registry's host. ACR gets one pattern
 * per Azure cloud suffix in use (`*.azurecr.io`, `*.azurecr.us`, `*.azurecr.cn`), as cloud-provider-azure's
 * example config. Every registry is checked to match its pattern with kubelet's own matching (`urlsMatch`).
 *
 * With `cluster.credentialProvider: pullwarden`, one provider, pullwarden-credential-provider
 * (docs/credential-provider.md), serves the same ECR and ACR patterns and every static registry by its host
 * (`host[:port]`: kubelet compares the port), from the root-only file `--static-config` names.
 */
import { urlsMatch } from "../dockerconfig/index.js";
import { InternalError } from "../errors.js";
import type { RegistryDecl } from "./layout-types.js";
import type { CredentialProviderConfig, CredentialProviderEntry } from "./plan-types.js";

export const CREDENTIAL_PROVIDER_API_VERSION = "credentialprovider.kubelet.k8s.io/v1";
/** Where the generated README tells admins to put things on each node (any paths work; kubelet flags name them). */
export const NODE_CONFIG_PATH = "/etc/kubernetes/image-credential-provider-config.yaml";
export const NODE_BIN_DIR = "/usr/local/lib/kubelet/credential-providers";
export const AZURE_JSON_PATH = "/etc/kubernetes/azure.json";
export const PULLWARDEN_PROVIDER_NAME = "pullwarden-credential-provider";
/** The static file pullwarden-credential-provider reads on each node (docs/credential-provider.md). */
export const NODE_STATIC_CONFIG_PATH = "/etc/pullwarden/registries.json";

const ECR_STANDARD_PATTERNS = ["*.dkr.ecr.*.amazonaws.com", "*.dkr.ecr.*.amazonaws.com.cn"];

/** `*.<service labels>.*.<dns suffix>` for an ECR host: account and region become `*`. */
export function ecrPattern(host: string, region: string, dnsSuffix: string): string {
  const labels = host.split(".");
  const regionIndex = labels.indexOf(region);
  const service = labels.slice(1, regionIndex).join(".");
  return `*.${service}.*.${dnsSuffix}`;
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}

/**
 * pullwarden-credential-provider serves every ECR endpoint, so its config names all four commercial ones (as
 * examples/credential-provider/config.yaml), and `validate-config --strict` has no missed host to warn about.
 */
const PULLWARDEN_ECR_PATTERNS = [
  "*.dkr.ecr.*.amazonaws.com",
  "*.dkr.ecr-fips.*.amazonaws.com",
  "*.dkr-ecr.*.on.aws",
  "*.dkr-ecr-fips.*.on.aws",
  "*.dkr.ecr.*.amazonaws.com.cn",
];

function ecrPatterns(registries: readonly RegistryDecl[], standard = ECR_STANDARD_PATTERNS): string[] {
  const derived = registries.flatMap((r) =>
    r.info.kind === "ecr" ? [ecrPattern(r.info.hostname, r.info.region, r.info.dnsSuffix)] : [],
  );
  return derived.length === 0 ? [] : unique([...standard, ...derived]);
}

function acrPatterns(registries: readonly RegistryDecl[]): string[] {
  return unique(registries.flatMap((r) => (r.info.kind === "acr" ? [`*.${r.info.dnsSuffix}`] : [])));
}

function cloudProviders(registries: readonly RegistryDecl[]): CredentialProviderEntry[] {
  const providers: CredentialProviderEntry[] = [];
  const ecr = ecrPatterns(registries);
  if (ecr.length > 0) {
    providers.push({
      name: "ecr-credential-provider",
      matchImages: ecr,
      // The plugin returns its own cacheDuration (half the token's remaining life); "0" is cloud-provider-aws's example.
      defaultCacheDuration: "0",
      apiVersion: CREDENTIAL_PROVIDER_API_VERSION,
    });
  }
  const acr = acrPatterns(registries);
  if (acr.length > 0) {
    providers.push({
      name: "acr-credential-provider",
      matchImages: acr,
      defaultCacheDuration: "10m",
      apiVersion: CREDENTIAL_PROVIDER_API_VERSION,
      args: [AZURE_JSON_PATH],
    });
  }
  return providers;
}

function pullwardenProvider(registries: readonly RegistryDecl[]): CredentialProviderEntry[] {
  const statics = registries.filter((r) => r.info.kind !== "ecr" && r.info.kind !== "acr");
  const matchImages = unique([
    ...ecrPatterns(registries, PULLWARDEN_ECR_PATTERNS),
    ...acrPatterns(registries),
    ...statics.map((r) => r.host),
  ]);
  if (matchImages.length === 0) return [];
  return [
    {
      name: PULLWARDEN_PROVIDER_NAME,
      matchImages,
      // ECR, ACR and JWT passwords come with their own cacheDuration; this is for static passwords without one.
      defaultCacheDuration: "10m",
      apiVersion: CREDENTIAL_PROVIDER_API_VERSION,
      ...(statics.length > 0 ? { args: ["--static-config", NODE_STATIC_CONFIG_PATH] } : {}),
    },
  ];
}

/** The config for the registries a credential provider serves: the clouds' plugins, or pullwarden's for all. */
export function buildCredentialProviderConfig(
  registries: readonly RegistryDecl[],
  plugin: "cloud" | "pullwarden" = "cloud",
): CredentialProviderConfig | undefined {
  const providers = plugin === "pullwarden" ? pullwardenProvider(registries) : cloudProviders(registries);
  if (providers.length === 0) return undefined;
  for (const registry of registries) {
    const served = providers.some((p) => p.matchImages.some((glob) => urlsMatch(glob, `${registry.host}/x`)));
    if (!served) throw new InternalError(`no matchImages pattern matches ${registry.host}`);
  }
  return { apiVersion: "kubelet.config.k8s.io/v1", kind: "CredentialProviderConfig", providers };
}
