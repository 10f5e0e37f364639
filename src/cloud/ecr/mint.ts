/**
 * Mints an ECR registry credential through the AWS SDK: `@aws-sdk/client-ecr` GetAuthorizationToken, signed with
 * the SDK's default credential chain (`fromNodeProviderChain`: environment, shared config profiles incl.
 * AWS_PROFILE and SSO, IRSA's web identity token file and role, EKS Pod Identity's container credentials, IMDSv2),
 * or, for the kubelet credential provider, with a role assumed from a ServiceAccount token it was given
 * (`fromWebToken`: STS AssumeRoleWithWebIdentity). The SDK loads only here, when a token is minted.
 *
 * Bounds: every request has a connection and a response timeout (`requestHandler`), the SDK retries throttling,
 * 5xx and clock skew `maxAttempts` times in all, the link-local credential endpoints (IMDS, container) get the
 * SDK's own 1 s, and the whole exchange has a deadline. Endpoints move only where the SDK documents it
 * (`AWS_ENDPOINT_URL_ECR`, `AWS_ENDPOINT_URL_STS`, `AWS_EC2_METADATA_SERVICE_ENDPOINT`,
 * `AWS_CONTAINER_CREDENTIALS_FULL_URI`) or through `endpoints` (tests).
 * https://docs.aws.amazon.com/sdkref/latest/guide/standardized-credentials.html
 * https://docs.aws.amazon.com/sdkref/latest/guide/feature-ss-endpoints.html
 */
import { CloudCredentialError, PullwardenError } from "../../errors.js";
import { ECR_USERNAME } from "../../tokens/index.js";
import type { ResolvedCredential } from "../source.js";
import { loginFromAuthorizationData } from "./authorization-data.js";
import { anticipatedIdentity, describeSuppliedCredentials, describeTriedLinks } from "./credential-chain.js";
import type { SuppliedCredentials } from "./credential-chain.js";
import { mintFailure } from "./mint-errors.js";
import { ecrApiSettings, ecrRegistryTarget } from "./registry-target.js";
import type { EcrRegistryTarget } from "./registry-target.js";

/** Whose credentials sign the request. */
type EcrAuth =
  /** The SDK's default chain, as the aws CLI and every AWS SDK read it. */
  | { readonly kind: "default-chain" }
  /**
   * A role assumed with a web identity token given as a string (kubelet's ServiceAccount token for a credential
   * provider, KEP-4412): STS AssumeRoleWithWebIdentity, then GetAuthorizationToken with the role's session.
   */
  | {
      readonly kind: "web-identity";
      readonly token: string;
      readonly roleArn: string;
      /** Default `pullwarden-<ms>`. */
      readonly roleSessionName?: string;
    };

export interface EcrMintRequest {
  /** The registry host the credential is for (the key it is written under). */
  readonly server: string;
  /** Only for a host that is not ECR's own (a mirror in front of ECR): the registry's region. */
  readonly region?: string | undefined;
  /** Only for a host that is not ECR's own: the registry's account, when it is not the caller's. */
  readonly registryId?: string | undefined;
  /** Default: the default chain. */
  readonly auth?: EcrAuth;
  /** Connection and response timeout of each request (default 10 s). */
  readonly requestTimeoutMs?: number;
  /** The whole exchange, retries and STS included (default 45 s). */
  readonly deadlineMs?: number;
  /** Attempts per request, the first included (default 3, the SDK's standard mode). */
  readonly maxAttempts?: number;
  /** Endpoint overrides for tests; users set AWS_ENDPOINT_URL_ECR / AWS_ENDPOINT_URL_STS instead. */
  readonly endpoints?: { readonly ecr?: string; readonly sts?: string };
  /** What the SDK warns about (one line each); the library prints nothing itself. */
  readonly warn?: (message: string) => void;
  /** The environment the SDK's chain reads, for messages (default `process.env`, which the SDK reads). */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

const ECR_REQUEST_TIMEOUT_MS = 10_000;
const ECR_MINT_DEADLINE_MS = 45_000;
const ECR_MAX_ATTEMPTS = 3;
/** IMDS and the container endpoint are link-local: the SDK's default (1 s) also keeps a laptop without them quick. */
const LOCAL_CREDENTIAL_ENDPOINT_TIMEOUT_MS = 1_000;

interface SdkCredentials extends SuppliedCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
}

/** Replaces each of `secrets` (long enough to be one) in text from AWS. */
function hider(secrets: () => readonly (string | undefined)[]): (text: string) => string {
  return (text) =>
    secrets().reduce<string>(
      (out, secret) => (secret && secret.length >= 8 ? out.split(secret).join("<redacted>") : out),
      text,
    );
}

function describeTarget(target: EcrRegistryTarget): string {
  return `ECR GetAuthorizationToken (${target.region}${target.accountId ? `, registry ${target.accountId}` : ""})`;
}

/**
 * Why the chain's last link (container credentials or IMDS, reached over the network) failed, when it failed
 * reaching its endpoint rather than for want of configuration: "connect ECONNREFUSED 127.0.0.1:80".
 */
function remoteLinkFailure(failures: readonly string[]): string | undefined {
  const last = failures.filter((failure) => !/from any providers/i.test(failure)).at(-1);
  return last !== undefined &&
    /ECONN|ETIMEDOUT|EHOST|ENET|ENOTFOUND|EAI_AGAIN|timed? ?out|status code|HTTP/i.test(last)
    ? last
    : undefined;
}

/** Mints a registry credential (username `AWS`) for `request.server`; CloudCredentialError/InputError on failure. */
export async function mintEcrCredential(request: EcrMintRequest): Promise<ResolvedCredential> {
  const target = ecrRegistryTarget(request.server, {
    region: request.region,
    registryId: request.registryId,
  });
  const auth = request.auth ?? { kind: "default-chain" };
  const env = request.env ?? process.env;
  const requestTimeoutMs = request.requestTimeoutMs ?? ECR_REQUEST_TIMEOUT_MS;
  const deadlineMs = request.deadlineMs ?? ECR_MINT_DEADLINE_MS;
  const maxAttempts = request.maxAttempts ?? ECR_MAX_ATTEMPTS;
  const warn = request.warn;
  // The chain says why each link gave up only through its logger's debug lines; the last one is kept.
  const linkFailures: string[] = [];
  const logger = {
    debug: (...parts: unknown[]) => {
      const line = parts.map(String).join(" ");
      const failure = /^@smithy\/property-provider (?:->|\(!\)) (.*)$/s.exec(line)?.[1];
      if (failure !== undefined) linkFailures.push(failure);
    },
    info: () => undefined,
    warn: (...parts: unknown[]) => warn?.(parts.map(String).join(" ").replace(/\s+/g, " ").trim()),
    error: () => undefined,
  };

  // The library prints nothing: the SDK's process warning about Node < 22 would land on the CLI's stderr on every
  // mint. The Node floor is pullwarden's decision (package.json engines; the SDK versions are pinned to one that
  // supports it), so it is turned off unless the user set it.
  process.env["AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED"] ??= "true";
  const [{ ECRClient, GetAuthorizationTokenCommand }, { fromNodeProviderChain, fromWebToken }] =
    await Promise.all([import("@aws-sdk/client-ecr"), import("@aws-sdk/credential-providers")]);
  // throwOnRequestTimeout: without it @smithy/node-http-handler only logs a request past its requestTimeout.
  const requestHandler = {
    connectionTimeout: requestTimeoutMs,
    requestTimeout: requestTimeoutMs,
    throwOnRequestTimeout: true,
  };
  const stsConfig = {
    region: target.region,
    maxAttempts,
    requestHandler,
    logger,
    ...(request.endpoints?.sts ? { endpoint: request.endpoints.sts } : {}),
  };

  let identity =
    auth.kind === "web-identity"
      ? `role ${auth.roleArn} via the web identity token given`
      : anticipatedIdentity(env);
  let supplied: SdkCredentials | undefined;
  const chain =
    auth.kind === "web-identity"
      ? fromWebToken({
          roleArn: auth.roleArn,
          webIdentityToken: auth.token,
          roleSessionName: auth.roleSessionName ?? `pullwarden-${Date.now()}`,
          clientConfig: stsConfig,
          logger,
        })
      : fromNodeProviderChain({
          clientConfig: stsConfig,
          logger,
          timeout: LOCAL_CREDENTIAL_ENDPOINT_TIMEOUT_MS,
          maxRetries: 1,
        });
  const credentials = async (options?: Parameters<typeof chain>[0]): Promise<SdkCredentials> => {
    const found = (await chain(options)) as SdkCredentials;
    supplied = found;
    if (auth.kind === "default-chain") identity = describeSuppliedCredentials(found, env);
    else if (found.accountId) identity = `${identity ?? ""} (account ${found.accountId})`;
    return found;
  };
  const hide = hider(() => [
    supplied?.secretAccessKey,
    supplied?.sessionToken,
    auth.kind === "web-identity" ? auth.token : undefined,
  ]);

  const client = new ECRClient({
    ...ecrApiSettings(target),
    maxAttempts,
    requestHandler,
    credentials,
    logger,
    ...(request.endpoints?.ecr ? { endpoint: request.endpoints.ecr } : {}),
  });
  const abort = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      abort.abort();
      reject(
        new CloudCredentialError(
          "E_ECR_TIMEOUT",
          `minting an ECR token for ${target.server} took longer than ${deadlineMs} ms (credentials, retries and all)`,
          {
            ...(identity !== undefined ? { identity } : {}),
            retryable: true,
            hint: "check the network path to AWS (a proxy, a firewall, AWS_ENDPOINT_URL_ECR), then retry",
          },
        ),
      );
    }, deadlineMs);
  });
  try {
    const answer = await Promise.race([
      client.send(
        new GetAuthorizationTokenCommand(target.accountId ? { registryIds: [target.accountId] } : {}),
        { abortSignal: abort.signal },
      ),
      deadline,
    ]);
    const who = identity ?? "the AWS SDK's default credential chain";
    const login = loginFromAuthorizationData(answer.authorizationData, target.accountId, who);
    return {
      server: target.server,
      username: login.username === ECR_USERNAME ? ECR_USERNAME : login.username,
      password: login.password,
      ...(login.expiresAt ? { expiresAt: login.expiresAt } : {}),
      source: describeTarget(target),
      identity: who,
    };
  } catch (error) {
    if (error instanceof PullwardenError) throw error;
    throw mintFailure(error, {
      target,
      identity,
      phase: supplied === undefined ? "credentials" : "token",
      triedLinks: auth.kind === "default-chain" ? describeTriedLinks(env) : undefined,
      lastLinkFailure: remoteLinkFailure(linkFailures),
      requestTimeoutMs,
      maxAttempts,
      hide,
    });
  } finally {
    clearTimeout(timer);
    client.destroy();
  }
}
