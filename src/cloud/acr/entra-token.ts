/**
 * The Entra ID access token for ACR (scope ACR_SCOPE), from the identity a caller names or the first available
 * link of an explicit chain: workload identity → managed identity → Azure CLI (DefaultAzureCredential's order
 * without the links a registry pull never uses). Each link is an @azure/identity credential, loaded by dynamic
 * import only here, so nothing that does not mint an ACR token loads the SDK. Every link is bounded by the
 * deadline; a link that is not set up (no token file, no IMDS, no `az`) is skipped and named in the final
 * error, and a link that is set up but refused stops the chain (as DefaultAzureCredential does), with what
 * Entra ID said. Tokens and assertions never appear in a message.
 */
import { readFile } from "node:fs/promises";
import type { Agent } from "node:https";
import type { AccessToken, TokenCredential } from "@azure/identity";
import { safeSnippet } from "../../registry/redact.js";
import { decodeJwtLoosely, numericDate } from "../../tokens/jwt.js";
import { ACR_SCOPE, AUTHORITY_HOSTS } from "./clouds.js";
import type { AzureCloud } from "./clouds.js";
import { AcrCredentialError } from "./errors.js";
import {
  assigneeFor,
  describeIdentity,
  envValue,
  tokenSubject,
  workloadIdentitySettings,
} from "./identity.js";
import type { AzureIdentity, TokenSubject } from "./identity.js";

type Env = Readonly<Record<string, string | undefined>>;
type Link = Exclude<AzureIdentity, { kind: "chain" }>;

export interface EntraTokenOptions {
  readonly cloud: AzureCloud;
  readonly env: Env;
  readonly now: () => Date;
  /** Deadline of each link, in milliseconds. */
  readonly timeoutMs: number;
  /** Entra ID's host for workload identity (default: AZURE_AUTHORITY_HOST, else the cloud's). */
  readonly authorityHost?: string;
  /** Skip MSAL's authority validation against login.microsoftonline.com (private clouds, tests). */
  readonly disableInstanceDiscovery?: boolean;
  /** An https agent trusting the user's CAs (undefined: Node's default trust). */
  readonly agent?: Agent;
}

export interface EntraToken {
  readonly token: string;
  readonly identity: string;
  /** What `az role assignment create --assignee` takes for this identity. */
  readonly assignee?: string;
  readonly subject: TokenSubject;
  /** The tenant the identity belongs to, when the choice names it. */
  readonly tenantId?: string;
}

/** The link could not be used here (not configured, endpoint absent): the chain moves on. */
class LinkUnavailable extends Error {}

/** Managed identity retries IMDS a little (it is flaky at a node's start), within the deadline. */
const IMDS_RETRIES = 2;

function isExpired(token: string, now: Date): Date | undefined {
  const exp = numericDate(decodeJwtLoosely(token.trim())?.claims?.["exp"]);
  return exp !== undefined && exp.getTime() <= now.getTime() ? exp : undefined;
}

function expiredFederatedToken(what: string, exp: Date, identity: string): AcrCredentialError {
  return new AcrCredentialError(
    "E_AZURE_FEDERATED_EXPIRED",
    `the federated token ${what} expired at ${exp.toISOString()}, so Entra ID will not take it for ${identity}`,
    {
      identity,
      hint: "kubelet renews projected ServiceAccount tokens at 80% of their lifetime: check that the volume is projected (azure-workload-identity's webhook) and that the Pod is running; a copied token cannot be renewed",
    },
  );
}

/** One line of what an SDK error says, with any token removed. */
function sdkSaid(error: unknown): string {
  const e = error as { errorResponse?: { error?: unknown; errorDescription?: unknown }; message?: unknown };
  const description = e?.errorResponse?.errorDescription;
  const code = e?.errorResponse?.error;
  if (typeof description === "string" && description !== "") {
    const first = description.split(/\r?\n/)[0] ?? "";
    return safeSnippet(`${typeof code === "string" ? `${code}: ` : ""}${first}`, 240);
  }
  return safeSnippet(
    typeof e?.message === "string" ? (e.message.split(/\r?\n/)[0] ?? "") : String(error),
    240,
  );
}

function statusOf(error: unknown): number | undefined {
  const status = (error as { statusCode?: unknown })?.statusCode;
  return typeof status === "number" ? status : undefined;
}

/** Whether an error means "IMDS did not answer" (network, probe failed) rather than "IMDS said no". */
function imdsUnreachable(error: unknown): boolean {
  const text = `${(error as { message?: unknown })?.message ?? ""}`;
  return /network unreachable|not available|ECONNREFUSED|ETIMEDOUT|EHOSTUNREACH|ENETUNREACH|timed? ?out|socket hang up/i.test(
    text,
  );
}

async function withDeadline<T>(work: Promise<T>, timeoutMs: number, onTimeout: () => Error): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(onTimeout()), timeoutMs);
    timer.unref();
  });
  try {
    return await Promise.race([work, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

async function credentialFor(
  link: Link,
  options: EntraTokenOptions,
  inChain: boolean,
  identity: string,
): Promise<TokenCredential> {
  const sdk = await import("@azure/identity");
  // The https agent (the user's CAs) is for Entra ID only: IMDS is plain http, which an https agent cannot carry.
  const common = { ...(options.agent ? { agent: options.agent } : {}) };
  const authorityHost =
    options.authorityHost ?? envValue(options.env, "AZURE_AUTHORITY_HOST") ?? AUTHORITY_HOSTS[options.cloud];
  // @azure/identity throws a plain Error from the constructor for a non-https authority; say which setting.
  if (link.kind !== "managed-identity" && link.kind !== "azure-cli" && !/^https:\/\//i.test(authorityHost)) {
    throw new AcrCredentialError(
      "E_AZURE_IDENTITY",
      `the Entra ID authority host ${JSON.stringify(authorityHost)} is not an https URL, so ${identity} cannot sign in`,
      {
        identity,
        hint: "set AZURE_AUTHORITY_HOST to https://login.microsoftonline.com (or your cloud's authority), or unset it",
      },
    );
  }
  const entra = {
    ...common,
    authorityHost,
    ...(options.disableInstanceDiscovery ? { disableInstanceDiscovery: true } : {}),
  };
  switch (link.kind) {
    case "managed-identity": {
      const id = link.clientId
        ? { clientId: link.clientId }
        : link.resourceId
          ? { resourceId: link.resourceId }
          : link.objectId
            ? { objectId: link.objectId }
            : {};
      // sendProbeRequest (internal option, what DefaultAzureCredential sets): a one-second probe first, so a
      // laptop without IMDS moves on to the next link at once.
      return new sdk.ManagedIdentityCredential({
        ...id,
        retryOptions: { maxRetries: IMDS_RETRIES },
        ...(inChain ? { sendProbeRequest: true } : {}),
      } as ConstructorParameters<typeof sdk.ManagedIdentityCredential>[0] & object);
    }
    case "workload-identity": {
      const s = workloadIdentitySettings(link, options.env);
      if (s.missing.length > 0 || !s.tokenFile) {
        throw new LinkUnavailable(`${s.missing.join(", ")} not set`);
      }
      let text: string;
      try {
        text = await readFile(s.tokenFile, "utf8");
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code ?? "unreadable";
        throw new LinkUnavailable(`token file ${s.tokenFile} cannot be read (${code})`);
      }
      const exp = isExpired(text, options.now());
      if (exp) throw expiredFederatedToken(`in ${s.tokenFile}`, exp, identity);
      return new sdk.WorkloadIdentityCredential({
        ...entra,
        clientId: s.clientId as string,
        tenantId: s.tenantId as string,
        tokenFilePath: s.tokenFile,
      });
    }
    case "federated-token": {
      const exp = isExpired(link.token, options.now());
      if (exp) throw expiredFederatedToken("given", exp, identity);
      const token = link.token;
      return new sdk.ClientAssertionCredential(
        link.tenantId,
        link.clientId,
        () => Promise.resolve(token),
        entra,
      );
    }
    case "azure-cli":
      return new sdk.AzureCliCredential({
        ...(link.tenantId ? { tenantId: link.tenantId } : {}),
        processTimeoutInMs: options.timeoutMs,
      });
  }
}

/** Gets a token from one link; LinkUnavailable when it is not set up here (only meaningful in a chain). */
async function tokenFromLink(link: Link, options: EntraTokenOptions, inChain: boolean): Promise<EntraToken> {
  const identity = describeIdentity(link, options.env);
  const credential = await credentialFor(link, options, inChain, identity);
  let access: AccessToken | null;
  try {
    access = await withDeadline(
      credential.getToken(ACR_SCOPE, { abortSignal: AbortSignal.timeout(options.timeoutMs) }),
      options.timeoutMs,
      () =>
        link.kind === "managed-identity"
          ? new AcrCredentialError(
              "E_AZURE_IMDS_UNAVAILABLE",
              `${identity}: IMDS gave no token within ${options.timeoutMs} ms (unreachable, slow, or failing and retried)`,
              {
                identity,
                hint: "on an Azure VM or AKS node IMDS errors pass: try again; elsewhere managed identity is not available (use workload identity or az login)",
              },
            )
          : new AcrCredentialError(
              "E_ACR_TIMEOUT",
              `${identity}: no Entra ID token within ${options.timeoutMs} ms`,
              {
                identity,
                hint: "check the network path to Entra ID (AZURE_AUTHORITY_HOST, proxy, firewall), then try again",
              },
            ),
    );
  } catch (error) {
    throw refusal(link, identity, error, inChain);
  }
  if (access === null || access.token === "") {
    throw new AcrCredentialError("E_AZURE_IDENTITY", `Entra ID gave no token for ${identity}`, {
      identity,
      hint: "try again; if it persists, run with AZURE_LOG_LEVEL=info to see what the SDK did",
    });
  }
  const claims = decodeJwtLoosely(access.token)?.claims;
  const subject = tokenSubject(claims);
  const tenantId =
    link.kind === "federated-token"
      ? link.tenantId
      : link.kind === "workload-identity"
        ? workloadIdentitySettings(link, options.env).tenantId
        : link.kind === "azure-cli"
          ? link.tenantId
          : undefined;
  const assignee = assigneeFor(link, subject);
  return {
    token: access.token,
    identity,
    subject,
    ...(assignee ? { assignee } : {}),
    ...(tenantId ? { tenantId } : {}),
  };
}

/** What an SDK failure of a link means: unavailable here (chain moves on) or a typed refusal. */
function refusal(link: Link, identity: string, error: unknown, inChain: boolean): Error {
  if (error instanceof AcrCredentialError) {
    return inChain && error.code === "E_AZURE_IMDS_UNAVAILABLE"
      ? new LinkUnavailable("IMDS did not answer")
      : error;
  }
  const name = (error as { name?: unknown })?.name;
  const said = sdkSaid(error);
  if (link.kind === "managed-identity" && imdsUnreachable(error)) {
    if (inChain) return new LinkUnavailable("the instance metadata service (IMDS) does not answer here");
    return new AcrCredentialError(
      "E_AZURE_IMDS_UNAVAILABLE",
      `${identity}: the instance metadata service (IMDS) does not answer (${said})`,
      {
        identity,
        hint: "managed identity works only on an Azure VM, VM scale set or AKS node; elsewhere use workload identity or az login",
      },
    );
  }
  if (link.kind === "azure-cli" && name === "CredentialUnavailableError") {
    if (inChain) {
      return new LinkUnavailable(
        /could not be found|not installed|ENOENT/i.test(said)
          ? "az is not installed (not found on PATH)"
          : /az login/i.test(said)
            ? "az is not signed in (az login)"
            : said,
      );
    }
    return new AcrCredentialError("E_AZURE_NO_IDENTITY", `${identity}: ${said}`, {
      identity,
      hint: "install the Azure CLI and run az login",
    });
  }
  if (
    link.kind === "workload-identity" &&
    name === "CredentialUnavailableError" &&
    /unavailable/i.test(said)
  ) {
    if (inChain) return new LinkUnavailable(said);
  }
  if (/AADSTS700024|AADSTS700027|not within its valid time range|assertion.*expired/i.test(said)) {
    return new AcrCredentialError(
      "E_AZURE_FEDERATED_EXPIRED",
      `Entra ID refused the federated token of ${identity} as expired (${said})`,
      {
        identity,
        cause: error,
        hint: "check that the ServiceAccount token is fresh (kubelet renews projected tokens) and that this machine's clock is right",
      },
    );
  }
  const status = statusOf(error);
  return new AcrCredentialError(
    "E_AZURE_IDENTITY",
    `Entra ID gave no token for ${identity}${status !== undefined ? ` (HTTP ${status})` : ""}: ${said}`,
    {
      identity,
      cause: error,
      hint:
        link.kind === "azure-cli"
          ? "run az login (or az login --tenant TENANT) and try again"
          : link.kind === "managed-identity"
            ? "check that the managed identity is assigned to this VM or node pool (az vm identity show / az aks show)"
            : "check the federated identity credential on the app registration or managed identity: issuer, subject (system:serviceaccount:NAMESPACE:NAME) and audience api://AzureADTokenExchange",
    },
  );
}

const CHAIN: readonly Link[] = [
  { kind: "workload-identity" },
  { kind: "managed-identity" },
  { kind: "azure-cli" },
];

/** The links the chain tries, with the environment's user-assigned client id for managed identity. */
function chainLinks(env: Env): Link[] {
  const clientId = envValue(env, "AZURE_CLIENT_ID");
  return CHAIN.map((link) =>
    link.kind === "managed-identity" && clientId ? { kind: "managed-identity", clientId } : link,
  );
}

/** The Entra ID token of `choice`, or of the first available link of the chain. */
export async function entraTokenFor(choice: AzureIdentity, options: EntraTokenOptions): Promise<EntraToken> {
  if (choice.kind !== "chain") {
    try {
      return await tokenFromLink(choice, options, false);
    } catch (error) {
      if (!(error instanceof LinkUnavailable)) throw error;
      const identity = describeIdentity(choice, options.env);
      throw new AcrCredentialError("E_AZURE_NO_IDENTITY", `${identity} is not available: ${error.message}`, {
        identity,
        hint: "set what is missing, or choose another identity",
      });
    }
  }
  const tried: string[] = [];
  for (const link of chainLinks(options.env)) {
    try {
      return await tokenFromLink(link, options, true);
    } catch (error) {
      if (!(error instanceof LinkUnavailable)) throw error;
      tried.push(`${link.kind}: ${error.message}`);
    }
  }
  throw new AcrCredentialError(
    "E_AZURE_NO_IDENTITY",
    `no Azure identity is available to mint an ACR token (tried ${tried.join("; ")})`,
    {
      hint: "on a laptop run az login; in a Pod use AKS workload identity (AZURE_FEDERATED_TOKEN_FILE, AZURE_CLIENT_ID, AZURE_TENANT_ID); on an Azure VM or node assign a managed identity",
    },
  );
}
