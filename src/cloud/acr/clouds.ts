/**
 * The Azure clouds an ACR login server can live in, and what minting a token there needs: the Entra ID
 * authority host (per cloud) and the token scope (one for every cloud: ACR's audience is
 * `https://containerregistry.azure.net` in the public, China and US Government clouds alike; fluxcd/pkg
 * `auth/azure` provider tests, and azure-sdk-for-go's `azcontainerregistry` cloud configuration).
 * Registry suffixes come from hosts/ (cloud-provider-azure `acrRE`); nothing here does I/O.
 */
import { InputError } from "../../errors.js";
import { classifyRegistryHost } from "../../hosts/index.js";
import type { AcrCloud } from "../../hosts/index.js";

/** The Entra ID scope of an access token ACR's `/oauth2/exchange` accepts. */
export const ACR_SCOPE = "https://containerregistry.azure.net/.default";

/** Clouds where ACR still runs (Azure Germany closed in October 2021; its `azurecr.de` hosts are gone). */
export type AzureCloud = Exclude<AcrCloud, "germany">;

/** Entra ID authority host per cloud (@azure/identity `AzureAuthorityHosts`). */
export const AUTHORITY_HOSTS: Readonly<Record<AzureCloud, string>> = {
  public: "https://login.microsoftonline.com",
  china: "https://login.chinacloudapi.cn",
  usgov: "https://login.microsoftonline.us",
};

/** What minting needs to know about the registry named by a server. */
export interface AcrTarget {
  /** host[:port] the exchange is sent to, and the `service` ACR expects (its login server). */
  readonly loginServer: string;
  /** The registry's name for messages and fix commands (`myregistry`); the host when it is not an ACR host. */
  readonly registryName: string;
  readonly cloud: AzureCloud;
}

/**
 * The ACR a server names (`myreg.azurecr.io`, `https://myreg.azurecr.cn/`, `myreg.azurecr.us/app:1`).
 * `cloud` is required for a host that is not an ACR login server (a custom domain or a test registry on
 * loopback), and overrides nothing for one that is: a mismatch is refused, as the token would be for the
 * wrong cloud.
 */
export function acrTarget(server: string, cloud?: AzureCloud): AcrTarget {
  const info = classifyRegistryHost(server);
  if (info.kind === "acr") {
    if (info.cloud === "germany") {
      throw new InputError(
        "E_ACR_CLOUD_UNSUPPORTED",
        `${info.host} is in Azure Germany, which closed in October 2021: no token can be minted for it`,
        { hint: "move the images to a registry in another Azure cloud (azurecr.io, azurecr.cn, azurecr.us)" },
      );
    }
    if (cloud !== undefined && cloud !== info.cloud) {
      throw new InputError(
        "E_ACR_CLOUD_UNSUPPORTED",
        `${info.host} is in the Azure ${info.cloud} cloud, not ${cloud}`,
        { hint: `drop the cloud setting, or set it to ${info.cloud}` },
      );
    }
    return { loginServer: info.host, registryName: info.registryName, cloud: info.cloud };
  }
  if (info.host === "" || cloud === undefined) {
    throw new InputError(
      "E_ACR_CLOUD_UNSUPPORTED",
      `${JSON.stringify(server)} is not an Azure Container Registry login server (NAME.azurecr.io, .azurecr.cn or .azurecr.us)`,
      { hint: "give the registry's login server; for a custom domain, name its Azure cloud too" },
    );
  }
  return { loginServer: info.host, registryName: info.host, cloud };
}
