/**
 * `mintAcrAccessToken`: an ACR access token limited to some repositories (`repository:team/app:pull`), from a
 * refresh token `mintAcrCredential` minted: for a consumer that must hand out less than the whole registry.
 * Registries take it as a Bearer token; kubelet and containerd cannot use it as a pull secret password.
 */
import { createTransport } from "../../registry/transport.js";
import type { Transport } from "../../registry/transport.js";
import { acrTarget } from "./clouds.js";
import type { AzureCloud } from "./clouds.js";
import { exchangeForAccessToken } from "./exchange.js";
import type { AcrToken } from "./exchange.js";
import { ACR_STEP_TIMEOUT_MS } from "./mint.js";

export interface MintAcrAccessTokenOptions {
  readonly server: string;
  /** The refresh token (a ResolvedCredential's password from mintAcrCredential). */
  readonly refreshToken: string;
  /** Scopes as registries name them: `repository:NAME:pull`, repeated for more repositories. */
  readonly scopes: readonly string[];
  /** Who minted the refresh token (the credential's `identity`), for messages. */
  readonly identity?: string;
  readonly cloud?: AzureCloud;
  readonly timeoutMs?: number;
  readonly now?: () => Date;
  readonly ca?: string | Buffer | readonly (string | Buffer)[];
  readonly transport?: Transport;
}

/** POST /oauth2/token with the refresh token; the access token and its `exp`. */
export async function mintAcrAccessToken(options: MintAcrAccessTokenOptions): Promise<AcrToken> {
  const target = acrTarget(options.server, options.cloud);
  const ownTransport = options.transport === undefined;
  const transport =
    options.transport ??
    createTransport({
      timeoutMs: options.timeoutMs ?? ACR_STEP_TIMEOUT_MS,
      maxRedirects: 0,
      ...(options.ca !== undefined ? { ca: options.ca } : {}),
    });
  try {
    return await exchangeForAccessToken(
      target,
      options.refreshToken,
      options.scopes,
      { identity: options.identity ?? "the refresh token's identity" },
      { transport, now: options.now ?? (() => new Date()) },
    );
  } finally {
    if (ownTransport) transport.close();
  }
}
