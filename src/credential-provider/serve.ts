/**
 * One credential request answered: which source serves the image (the static file when it has entries for the
 * image, else ECR or ACR by the registry's host name), and the response kubelet caches. Images no source serves
 * get an empty `auth` (kubelet goes on with the Pod's pull secrets), not an error. I/O only through `CloudSources`,
 * loaded when an ECR or ACR image asks for it (the SDKs cost hundreds of milliseconds to load).
 */
import { EnvironmentError, InputError } from "../errors.js";
import { classifyRegistryHost } from "../hosts/index.js";
import { formatDuration } from "../duration.js";
import { normalizeImageName } from "../reference/index.js";
import { cacheDurationUntil } from "./cache-duration.js";
import { acrIdentity, ecrIdentity } from "./cloud-identity.js";
import type { AcrCredentialInput, EcrCredentialInput } from "./cloud-identity.js";
import type { CacheKeyType, CredentialProviderRequest, CredentialProviderResponse } from "./protocol.js";
import { selectStaticEntries, staticAuth } from "./static-credentials.js";
import type { StaticCredentials } from "./static-credentials.js";

/** What a cloud source yields: a registry login and, when known, when it stops working. */
export interface CloudLogin {
  readonly username: string;
  readonly password: string;
  readonly expiresAt?: Date;
}

/** The ECR and ACR sources (src/cloud/), behind a port: tests and the simulation pass their own. */
export interface CloudSources {
  readonly ecr: (input: EcrCredentialInput, signal: AbortSignal) => Promise<CloudLogin>;
  readonly acr: (input: AcrCredentialInput, signal: AbortSignal) => Promise<CloudLogin>;
}

/** kubelet kills a plugin after one minute (plugin.go ExecPlugin); a cloud call gets well under that. */
export const CLOUD_DEADLINE_MS = 45_000;

export interface ServeOptions {
  readonly staticCredentials?: StaticCredentials;
  /** What a static answer is cached under (default Registry). */
  readonly staticCacheKeyType?: CacheKeyType;
  /** A static answer's cacheDuration when no entry says when it expires (default: kubelet's defaultCacheDuration). */
  readonly staticCacheDuration?: string;
  /** Loaded only when an ECR or ACR image is asked for. */
  readonly cloudSources: () => Promise<CloudSources>;
  /** Login servers that are ACRs under a custom domain (`host[:port]`, lower case): served as ACR. */
  readonly acrLoginServers?: readonly string[];
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly now: () => Date;
  readonly cloudDeadlineMs?: number;
}

/** What served the request, for the simulation's trace and for tests; never a secret. */
export type ServedBy = "static" | "ecr" | "acr" | "none";

export interface Served {
  readonly response: CredentialProviderResponse;
  readonly servedBy: ServedBy;
  /** How the credential was minted ("node identity", "role … from annotation …"); never a secret. */
  readonly identity?: string;
}

function normalized(image: string): string {
  try {
    return normalizeImageName(image);
  } catch (error) {
    throw new InputError(
      "E_PROVIDER_REQUEST",
      `CredentialProviderRequest: image is not a valid reference (${error instanceof Error ? error.message : "invalid"})`,
      { source: "stdin" },
    );
  }
}

async function withDeadline<T>(
  what: string,
  deadlineMs: number,
  run: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      // Settle first: a source that rejects on abort must not win the race with its own error.
      reject(
        new EnvironmentError(
          "E_PROVIDER_TIMEOUT",
          `${what} did not answer within ${formatDuration(deadlineMs)}`,
          {
            hint: "check the node's network path to the cloud endpoints (kubelet stops a plugin after 1m)",
          },
        ),
      );
      controller.abort();
    }, deadlineMs);
  });
  try {
    return await Promise.race([run(controller.signal), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * kubelet drops a response whose password is the ServiceAccount token unless the provider's cacheType is
 * Token (plugin.go); a source echoing it back is a bug worth failing loudly on.
 */
function refuseEchoedToken(login: CloudLogin, request: CredentialProviderRequest): void {
  if (request.serviceAccountToken !== undefined && login.password === request.serviceAccountToken) {
    throw new EnvironmentError(
      "E_PROVIDER_TOKEN_ECHO",
      "the cloud source returned the ServiceAccount token itself as the password; kubelet would drop the response",
      { hint: "report this: the token must be exchanged, never passed on" },
    );
  }
}

export async function serveCredentialRequest(
  request: CredentialProviderRequest,
  options: ServeOptions,
): Promise<Served> {
  const image = normalized(request.image);
  const apiVersion = request.apiVersion;
  const now = options.now();
  if (options.staticCredentials) {
    const cacheKeyType = options.staticCacheKeyType ?? "Registry";
    const entries = selectStaticEntries(options.staticCredentials, image, cacheKeyType);
    if (entries.length > 0) {
      const expiries = entries.flatMap((entry) => (entry.expiresAt ? [entry.expiresAt.getTime()] : []));
      const cacheDuration =
        expiries.length > 0
          ? cacheDurationUntil(new Date(Math.min(...expiries)), now)
          : options.staticCacheDuration;
      return {
        servedBy: "static",
        response: {
          apiVersion,
          cacheKeyType,
          ...(cacheDuration !== undefined ? { cacheDuration } : {}),
          auth: staticAuth(entries),
        },
      };
    }
  }
  const host = classifyRegistryHost(image.split("/")[0] ?? "");
  const customAcr = (options.acrLoginServers ?? []).includes(host.host);
  const deadline = options.cloudDeadlineMs ?? CLOUD_DEADLINE_MS;
  let served: { login: CloudLogin; servedBy: "ecr" | "acr"; identity: string } | undefined;
  // ECR Public serves pulls anonymously: no answer lets kubelet pull without credentials.
  if (host.kind === "ecr") {
    const identity = ecrIdentity(request, options.env);
    const sources = await options.cloudSources();
    const login = await withDeadline(`ECR (${host.host})`, deadline, (signal) =>
      sources.ecr({ host, identity }, signal),
    );
    served = {
      login,
      servedBy: "ecr",
      identity:
        identity.mode === "node" ? "node identity" : `role ${identity.roleArn} (${identity.roleFrom})`,
    };
  } else if (host.kind === "acr" || customAcr) {
    const identity = acrIdentity(request);
    const sources = await options.cloudSources();
    const login = await withDeadline(`ACR (${host.host})`, deadline, (signal) =>
      sources.acr({ server: host.host, customDomain: host.kind !== "acr", identity }, signal),
    );
    served = {
      login,
      servedBy: "acr",
      identity:
        identity.mode === "node"
          ? "node identity"
          : `Entra app ${identity.clientId} (tenant ${identity.tenantId})`,
    };
  }
  if (!served) {
    // Not ours: no credentials, not cached (a later static file or config may serve it).
    return {
      servedBy: "none",
      response: { apiVersion, cacheKeyType: "Registry", cacheDuration: "0s", auth: {} },
    };
  }
  refuseEchoedToken(served.login, request);
  const { username, password, expiresAt } = served.login;
  return {
    servedBy: served.servedBy,
    identity: served.identity,
    response: {
      apiVersion,
      // The credential is the registry's, whatever the repository: one answer per registry.
      cacheKeyType: "Registry",
      ...(expiresAt ? { cacheDuration: cacheDurationUntil(expiresAt, now) } : {}),
      // host.host keeps the port (ecr-credential-provider's url.Hostname() drops it, so a port never matches).
      auth: { [host.host]: { username, password } },
    },
  };
}
