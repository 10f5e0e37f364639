/**
 * Node identities: registries the nodes can pull from without any Secret. The audit never guesses them; they
 * are declared (a layout file, `--provider`, `--node-credentials`). Patterns use kubelet's image-matching rules
 * (credential provider `matchImages`, wire-specs.md §3): one host label per `*`, exact port, path prefix.
 */
import { normalizeKeyringKey, urlsMatch } from "../dockerconfig/index.js";
import type { Plan } from "../plan/index.js";
import type { NodeIdentity } from "./types.js";

export type CloudProvider = "aks" | "eks" | "gke";

/** The registries each managed cloud's kubelet can authenticate to, and what that needs. */
export const PROVIDER_IDENTITIES: Readonly<Record<CloudProvider, Omit<NodeIdentity, "source">>> = {
  aks: {
    // cloud-provider-azure's acr-credential-provider matchImages (examples/out-of-tree/credential-provider-config.yaml).
    matchImages: ["*.azurecr.io", "*.azurecr.cn", "*.azurecr.de", "*.azurecr.us"],
    label: "AKS kubelet identity (needs AcrPull on the registry: az aks update --attach-acr)",
  },
  eks: {
    // cloud-provider-aws docs/credential_provider.md matchImages.
    matchImages: ["*.dkr.ecr.*.amazonaws.com", "*.dkr.ecr.*.amazonaws.com.cn"],
    label: "EKS node role (needs AmazonEC2ContainerRegistryPullOnly or ReadOnly)",
  },
  gke: {
    matchImages: ["gcr.io", "*.gcr.io", "*-docker.pkg.dev"],
    label: "GKE node service account (needs Artifact Registry Reader)",
  },
};

export function providerIdentity(provider: CloudProvider, source: string): NodeIdentity {
  return { ...PROVIDER_IDENTITIES[provider], source };
}

/**
 * The node identities a layout's plan declares: the registries `plan` decides to pull with the cluster's cloud
 * identity or a kubelet credential provider need no Secret, so the audit counts them as a pull path. `source`
 * names the layout (`stdin` for -).
 */
export function layoutIdentities(plan: Plan, source: string): NodeIdentity[] {
  return plan.decisions
    .filter((decision) => decision.method === "identity" || decision.method === "credential-provider")
    .map((decision) => ({
      matchImages: [decision.host],
      label: `${decision.method === "identity" ? "cloud identity" : "kubelet credential provider"} from ${source}: ${decision.summary}`,
      source: `${source} (registry ${decision.registry})`,
    }));
}

export interface IdentityMatch {
  readonly identity: NodeIdentity;
  readonly pattern: string;
}

/** The declared identities whose patterns match a normalised repository name, in declaration order. */
export function matchNodeIdentities(
  identities: readonly NodeIdentity[],
  repository: string,
): IdentityMatch[] {
  const matches: IdentityMatch[] = [];
  for (const identity of identities) {
    for (const pattern of identity.matchImages) {
      const key = normalizeKeyringKey(pattern);
      if (key !== undefined && urlsMatch(key, repository)) {
        matches.push({ identity, pattern });
        break;
      }
    }
  }
  return matches;
}
