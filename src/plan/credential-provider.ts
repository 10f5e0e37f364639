/**
 * kubelet's `CredentialProviderConfig` for the registries served by a credential provider plugin.
 *
 * matchImages follow kubelet's rules (wire-specs §2/§3): a `*` matches exactly one host label, labels are
 * compared literally. So the standard ECR patterns (`*.dkr.ecr.*.amazonaws.com`, `…amazonaws.com.cn`, from
 * cloud-provider-aws docs) do not match FIPS (`dkr.ecr-fips`), dual-stack (`dkr-ecr.<region>.on.aws`) or other
 * partitions' hosts: each of those gets its own pattern, derived from the registry's host. ACR gets one pattern
 * per Azure cloud suffix in use (`*.azurecr.io`, `*.azurecr.us`, `*.azurecr.cn`), as cloud-provider-azure's
 * example config. Every registry is checked to match its pattern with kubelet's own matching (`urlsMatch`).
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

export function buildCredentialProviderConfig(
  registries: readonly RegistryDecl[],
): CredentialProviderConfig | undefined {
  const providers: CredentialProviderEntry[] = [];
  const ecr = registries.filter((r) => r.info.kind === "ecr");
  if (ecr.length > 0) {
    const derived = ecr.map((r) =>
      r.info.kind === "ecr" ? ecrPattern(r.info.hostname, r.info.region, r.info.dnsSuffix) : "",
    );
    providers.push({
      name: "ecr-credential-provider",
      matchImages: unique([...ECR_STANDARD_PATTERNS, ...derived]),
      // The plugin returns its own cacheDuration (half the token's remaining life); "0" is cloud-provider-aws's example.
      defaultCacheDuration: "0",
      apiVersion: CREDENTIAL_PROVIDER_API_VERSION,
    });
  }
  const acr = registries.filter((r) => r.info.kind === "acr");
  if (acr.length > 0) {
    providers.push({
      name: "acr-credential-provider",
      matchImages: unique(acr.map((r) => (r.info.kind === "acr" ? `*.${r.info.dnsSuffix}` : ""))),
      defaultCacheDuration: "10m",
      apiVersion: CREDENTIAL_PROVIDER_API_VERSION,
      args: [AZURE_JSON_PATH],
    });
  }
  if (providers.length === 0) return undefined;
  for (const registry of registries) {
    const served = providers.some((p) => p.matchImages.some((glob) => urlsMatch(glob, `${registry.host}/x`)));
    if (!served) throw new InternalError(`no matchImages pattern matches ${registry.host}`);
  }
  return { apiVersion: "kubelet.config.k8s.io/v1", kind: "CredentialProviderConfig", providers };
}
