import type { RegistryHostInfo } from "../hosts/index.js";

/** A short human name for a classified registry host. */
export function registryLabel(info: RegistryHostInfo): string {
  switch (info.kind) {
    case "acr":
      return `Azure Container Registry ${info.registryName} (${info.cloud} cloud)`;
    case "ecr":
      return `Amazon ECR, account ${info.accountId}, ${info.region}${info.fips ? ", FIPS" : ""}${info.dualStack ? ", dual-stack" : ""}`;
    case "ecr-public":
      return "Amazon ECR Public";
    case "ghcr":
      return "GitHub Container Registry";
    case "dockerhub":
      return "Docker Hub";
    case "gcr":
      return info.service === "artifact-registry" ? "Google Artifact Registry" : "Google Container Registry";
    default:
      return "registry";
  }
}
