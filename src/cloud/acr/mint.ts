/**
 * `mintAcrCredential`: a registry credential for an Azure Container Registry from an Azure identity, without
 * the Azure CLI (but for the CLI link of the chain, which @azure/identity runs as `az`):
 * 1. an Entra ID access token for ACR's scope (entra-token.ts: managed identity, workload identity, a federated
 *    token, the Azure CLI);
 * 2. `/oauth2/exchange` → an ACR refresh token (exchange.ts);
 * 3. the credential: username 00000000-0000-0000-0000-000000000000, the refresh token as password, its `exp` as
 *    expiry. This is what `docker login`, kubelet and containerd send; ACR accepts it for ~3 hours.
 */
import { Agent } from "node:https";
import { trustedCaList } from "../../extra-ca.js";
import { createTransport, trustedSecureContext } from "../../registry/transport.js";
import type { Transport } from "../../registry/transport.js";
import { ACR_REFRESH_TOKEN_USERNAME } from "../../tokens/index.js";
import type { ResolvedCredential } from "../source.js";
import { acrTarget } from "./clouds.js";
import type { AzureCloud } from "./clouds.js";
import { entraTokenFor } from "./entra-token.js";
import { AcrCredentialError } from "./errors.js";
import { exchangeForRefreshToken } from "./exchange.js";
import type { AzureIdentity } from "./identity.js";

/** Deadline of each step (the Entra ID token, the exchange), as `check` and `doctor` bound theirs. */
export const ACR_STEP_TIMEOUT_MS = 15_000;

export interface MintAcrCredentialOptions {
  /** The registry: its login server (`myreg.azurecr.io`), or any form hosts/ reads (`https://…/`, an image). */
  readonly server: string;
  /** Which identity mints it; default `{ kind: "chain" }`. */
  readonly identity?: AzureIdentity;
  /** The tenant sent to `/oauth2/exchange`; default: the identity's, else the token's `tid`. */
  readonly tenantId?: string;
  /** Only for a login server that is not `*.azurecr.{io,cn,us}` (a custom domain); else read from the host. */
  readonly cloud?: AzureCloud;
  /** Deadline of each step in milliseconds (default 15 s). */
  readonly timeoutMs?: number;
  /** Environment the identity settings are read from (default process.env). */
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly now?: () => Date;
  /** PEM CA certificates trusted besides the system roots (and NODE_EXTRA_CA_CERTS), for ACR and Entra ID. */
  readonly ca?: string | Buffer | readonly (string | Buffer)[];
  /** Entra ID host for workload identity (default AZURE_AUTHORITY_HOST, else the registry's cloud's). */
  readonly authorityHost?: string;
  /** Skip MSAL's authority validation (needed for an authority host Microsoft does not know). */
  readonly disableInstanceDiscovery?: boolean;
  /** The HTTP edge to ACR (default: the registry client's transport, no redirects, the deadline above). */
  readonly transport?: Transport;
}

function caList(ca: MintAcrCredentialOptions["ca"]): (string | Buffer)[] {
  if (ca === undefined) return [];
  return typeof ca === "string" || Buffer.isBuffer(ca) ? [ca] : [...(ca as readonly (string | Buffer)[])];
}

/**
 * Mints an ACR refresh token for `server` with an Azure identity. Throws AcrCredentialError (its codes are
 * AcrErrorCode, errors.ts; docs/exit-codes.md) naming the identity and what to do, or InputError
 * E_ACR_CLOUD_UNSUPPORTED for a server that is not an ACR login server.
 */
export async function mintAcrCredential(options: MintAcrCredentialOptions): Promise<ResolvedCredential> {
  const target = acrTarget(options.server, options.cloud);
  const env = options.env ?? process.env;
  const now = options.now ?? (() => new Date());
  const timeoutMs = options.timeoutMs ?? ACR_STEP_TIMEOUT_MS;
  const trusted = trustedCaList(caList(options.ca), env);
  const agent = trusted ? new Agent({ secureContext: trustedSecureContext(trusted) }) : undefined;
  const entra = await entraTokenFor(options.identity ?? { kind: "chain" }, {
    cloud: target.cloud,
    env,
    now,
    timeoutMs,
    ...(options.authorityHost ? { authorityHost: options.authorityHost } : {}),
    ...(options.disableInstanceDiscovery ? { disableInstanceDiscovery: true } : {}),
    ...(agent ? { agent } : {}),
  });
  const tenantId = options.tenantId ?? entra.tenantId ?? entra.subject.tenantId;
  if (tenantId === undefined) {
    throw new AcrCredentialError(
      "E_AZURE_IDENTITY",
      `the Entra ID token of ${entra.identity} names no tenant, and none was given`,
      { identity: entra.identity, hint: "give the tenant id (AZURE_TENANT_ID, or the tenantId option)" },
    );
  }
  const ownTransport = options.transport === undefined;
  const transport =
    options.transport ?? createTransport({ timeoutMs, maxRedirects: 0, ...(trusted ? { ca: trusted } : {}) });
  try {
    const requester = { identity: entra.identity, ...(entra.assignee ? { assignee: entra.assignee } : {}) };
    const refresh = await exchangeForRefreshToken(target, entra.token, tenantId, requester, {
      transport,
      now,
    });
    return {
      server: target.loginServer,
      username: ACR_REFRESH_TOKEN_USERNAME,
      password: refresh.token,
      ...(refresh.expiresAt ? { expiresAt: refresh.expiresAt } : {}),
      source: `ACR token exchange at ${target.loginServer} (Entra ID tenant ${tenantId})`,
      identity: entra.identity,
    };
  } finally {
    if (ownTransport) transport.close();
    agent?.destroy();
  }
}
