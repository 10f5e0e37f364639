/**
 * The `cloud-token` credential source: a short-lived registry password minted when the secret is written.
 * Each provider has its minter (`MINTERS`, one function per provider), its SDK loaded only here:
 * - ECR: the AWS SDK (cloud/ecr/): GetAuthorizationToken with the default credential chain the aws CLI also
 *   reads (environment, profiles incl. AWS_PROFILE and SSO, IRSA, EKS Pod Identity, IMDSv2), region and account
 *   from the registry host, expiry from ECR's answer; username `AWS`. No `aws` process runs.
 * - ACR: @azure/identity and ACR's token exchange (cloud/acr/): an Entra ID token from workload identity,
 *   managed identity or the Azure CLI's login (that link runs `az account get-access-token`, by the SDK's
 *   design), exchanged for an ACR refresh token; username 00000000-0000-0000-0000-000000000000, expiry from the
 *   token's `exp` (about 3 hours). `az acr login` no longer runs.
 * The token is never shown. The rotation script `plan` writes keeps the CLIs (it runs on a user's machine).
 */
import type { CredentialSource } from "../desired/index.js";
import { classifyRegistryHost } from "../hosts/index.js";
import type { ResolvedCredential, SourcePorts } from "./source.js";

/** What minting needs of a layout's `cloud-token` source (not how often it is rotated). */
export type CloudTokenTarget = Pick<
  Extract<CredentialSource, { kind: "cloud-token" }>,
  "provider" | "server" | "region" | "registryName"
>;

/** What a minter may use of the world. */
export type CloudTokenPorts = Pick<SourcePorts, "env" | "cwd" | "now" | "exec" | "displayLine" | "warn">;

/** ECR through the AWS SDK: the host says the region and account; a source's region must agree with it. */
async function mintEcrToken(source: CloudTokenTarget, ports: CloudTokenPorts): Promise<ResolvedCredential> {
  const { mintEcrCredential } = await import("./ecr/index.js");
  return mintEcrCredential({
    server: source.server,
    region: source.region,
    warn: (message) => ports.warn(message),
  });
}

/**
 * ACR through @azure/identity's chain and ACR's exchange. A layout names the provider, so a server that is not
 * `*.azurecr.{io,cn,us}` (a custom domain) is taken as the public cloud's; AZURE_AUTHORITY_HOST names another.
 */
async function mintAcrToken(source: CloudTokenTarget, ports: CloudTokenPorts): Promise<ResolvedCredential> {
  const { mintAcrCredential } = await import("./acr/index.js");
  return mintAcrCredential({
    server: source.server,
    ...(classifyRegistryHost(source.server).kind === "acr" ? {} : { cloud: "public" as const }),
    env: ports.env,
    now: ports.now,
  });
}

/** How each provider mints. */
const MINTERS: Record<
  CloudTokenTarget["provider"],
  (source: CloudTokenTarget, ports: CloudTokenPorts) => Promise<ResolvedCredential>
> = {
  ecr: mintEcrToken,
  acr: mintAcrToken,
};

/** Mints the registry credential of a `cloud-token` source with its provider's minter. */
export function mintCloudToken(
  source: CloudTokenTarget,
  ports: CloudTokenPorts,
): Promise<ResolvedCredential> {
  return MINTERS[source.provider](source, ports);
}
