/**
 * An SDK failure while minting an ECR token, as one line that says who asked, what failed and what to do:
 * - no credentials: the links of the default chain that were tried (credential-chain.ts);
 * - a web identity that STS refuses (an expired or invalid token, a role that does not trust it);
 * - `AccessDeniedException`: the permission (`ecr:GetAuthorizationToken`) and the command that grants it;
 * - credentials AWS does not know, or a clock that is off (after the SDK's own clock-skew correction);
 * - throttling and 5xx (after the SDK's bounded retries), no answer in time, no connection.
 * Pure: the error object in, a CloudCredentialError out. Text from AWS goes through `hide` (the secrets in use)
 * and is cut to one line.
 */
import { CloudCredentialError } from "../../errors.js";
import type { EcrRegistryTarget } from "./registry-target.js";

/** What the mint knew when it failed. */
export interface MintFailureContext {
  readonly target: EcrRegistryTarget;
  /** Who asked: the link that supplied credentials, or the role of an explicit web identity. */
  readonly identity: string | undefined;
  /** The failure happened while getting credentials (before ECR was asked). */
  readonly phase: "credentials" | "token";
  /** The links of the default chain (describeTriedLinks), when it was used. */
  readonly triedLinks: readonly string[] | undefined;
  /** Why the last link failed to reach its endpoint (container credentials, IMDS), when it did. */
  readonly lastLinkFailure?: string | undefined;
  /** The per-request bound, for timeout messages. */
  readonly requestTimeoutMs: number;
  readonly maxAttempts: number;
  /** Replaces secret values in text that came from AWS. */
  readonly hide: (text: string) => string;
}

interface SdkErrorShape {
  readonly name?: unknown;
  readonly message?: unknown;
  readonly code?: unknown;
  readonly $fault?: unknown;
  readonly $metadata?: { readonly httpStatusCode?: unknown; readonly attempts?: unknown };
}

const MAX_QUOTE = 300;

function quote(text: string, hide: (text: string) => string): string {
  const line = hide(text).replace(/\s+/g, " ").trim();
  return line.length > MAX_QUOTE ? `${line.slice(0, MAX_QUOTE)}…` : line;
}

/**
 * The principal an AWS "not authorized" message names (`User: arn:aws:sts::1:assumed-role/R/s is not
 * authorized to perform: ecr:GetAuthorizationToken ...`), when it names one.
 */
export function principalInDenial(message: string): string | undefined {
  const match = /\bUser: (arn:aws[a-z-]*:(?:iam|sts)::\d{12}:[\w+=,.@/-]{1,512}) is not authorized/.exec(
    message,
  );
  return match?.[1];
}

/** The `aws iam attach-*-policy` that lets `principal` (an IAM or STS ARN) mint ECR tokens and pull. */
export function grantCommand(principal: string | undefined, partition: string): string {
  const policy = `--policy-arn arn:${partition}:iam::aws:policy/AmazonEC2ContainerRegistryReadOnly`;
  const resource = principal?.split(":").slice(5).join(":") ?? "";
  const [type, ...path] = resource.split("/");
  // assumed-role/ROLE/SESSION names the role first; role/PATH/ROLE and user/PATH/USER name it last.
  const name = type === "assumed-role" ? path[0] : path[path.length - 1];
  if (name && (type === "assumed-role" || type === "role")) {
    return `aws iam attach-role-policy --role-name ${name} ${policy}`;
  }
  if (name && type === "user") return `aws iam attach-user-policy --user-name ${name} ${policy}`;
  return `aws iam attach-role-policy --role-name ROLE ${policy}`;
}

const THROTTLING = new Set([
  "ThrottlingException",
  "Throttling",
  "TooManyRequestsException",
  "RequestLimitExceeded",
  "ProvisionedThroughputExceededException",
]);
const REJECTED_CREDENTIALS = new Set([
  "UnrecognizedClientException",
  "InvalidClientTokenId",
  "ExpiredTokenException",
  "ExpiredToken",
  "InvalidSignatureException",
  "SignatureDoesNotMatch",
  "IncompleteSignatureException",
  "MissingAuthenticationTokenException",
]);
const CLOCK_SKEW =
  /Signature expired|Signature not yet current|RequestTimeTooSkewed|RequestExpired|request has expired|time too skewed/i;
const NETWORK_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "EPIPE",
]);

/** The one-line error for `error`, thrown by the SDK while minting for `context.target`. */
export function mintFailure(error: unknown, context: MintFailureContext): CloudCredentialError {
  const shape = (typeof error === "object" && error !== null ? error : {}) as SdkErrorShape;
  const name = typeof shape.name === "string" ? shape.name : "Error";
  const said = quote(typeof shape.message === "string" ? shape.message : String(error), context.hide);
  const status =
    typeof shape.$metadata?.httpStatusCode === "number" ? shape.$metadata.httpStatusCode : undefined;
  const code = typeof shape.code === "string" ? shape.code : undefined;
  const { target, identity } = context;
  const who = identity ?? "the AWS credentials found";
  const base = { identity, cause: error };
  const server = target.server;

  if (context.phase === "credentials") {
    if (name === "CredentialsProviderError" && /from any providers/i.test(said) && context.triedLinks) {
      return new CloudCredentialError(
        "E_AWS_NO_CREDENTIALS",
        `no AWS credentials to mint an ECR token for ${server}: tried ${context.triedLinks.join("; ")}${context.lastLinkFailure ? `, which failed: ${quote(context.lastLinkFailure, context.hide)}` : ""}`,
        {
          ...base,
          hint: "sign in (aws configure or aws sso login, AWS_PROFILE=NAME), or run where IRSA, EKS Pod Identity or an instance profile gives the workload a role",
        },
      );
    }
    if (name === "ExpiredTokenException" || name === "ExpiredToken" || /token (is )?expired/i.test(said)) {
      return new CloudCredentialError(
        "E_AWS_WEB_IDENTITY",
        `STS refused the web identity token for ${who}: it has expired (${said})`,
        {
          ...base,
          hint: "use the projected ServiceAccount token kubelet keeps fresh (AWS_WEB_IDENTITY_TOKEN_FILE), not a copy of it, or request a new token",
        },
      );
    }
    if (
      name === "InvalidIdentityTokenException" ||
      name === "InvalidIdentityToken" ||
      name === "IDPRejectedClaimException"
    ) {
      return new CloudCredentialError(
        "E_AWS_WEB_IDENTITY",
        `STS refused the web identity token for ${who}: ${said}`,
        {
          ...base,
          hint: "check the cluster's OIDC provider is registered in IAM (aws iam list-open-id-connect-providers) and the token's audience is sts.amazonaws.com",
        },
      );
    }
    if (name === "AccessDenied" || name === "AccessDeniedException") {
      return new CloudCredentialError(
        "E_AWS_WEB_IDENTITY",
        `STS refused to let ${who} assume its role (sts:AssumeRoleWithWebIdentity): ${said}`,
        {
          ...base,
          hint: "the role's trust policy must allow sts:AssumeRoleWithWebIdentity for the cluster's OIDC provider and this ServiceAccount (condition on <issuer>:sub = system:serviceaccount:NAMESPACE:NAME)",
        },
      );
    }
  }

  if (name === "AccessDeniedException" || name === "AccessDenied") {
    const principal = principalInDenial(typeof shape.message === "string" ? shape.message : "");
    const asking = principal ?? who;
    const crossAccount =
      target.accountId !== undefined &&
      principal !== undefined &&
      !principal.includes(`::${target.accountId}:`)
        ? `; for account ${target.accountId}'s registry, its repository policy must also allow this principal to pull`
        : "";
    return new CloudCredentialError(
      "E_ECR_ACCESS_DENIED",
      `${asking} may not mint an ECR token for ${server}: ecr:GetAuthorizationToken is denied (AccessDeniedException)`,
      {
        ...base,
        hint: `allow it, e.g. ${grantCommand(principal, target.partition ?? "aws")} (or a policy with {"Effect":"Allow","Action":"ecr:GetAuthorizationToken","Resource":"*"})${crossAccount}`,
      },
    );
  }
  if (CLOCK_SKEW.test(said) || name === "RequestTimeTooSkewed") {
    return new CloudCredentialError(
      "E_AWS_CLOCK_SKEW",
      `AWS refused the request for ${server} as signed at the wrong time: this machine's clock is off (${name}: ${said})`,
      { ...base, hint: "synchronise the clock (timedatectl set-ntp true, or chronyc makestep), then retry" },
    );
  }
  if (REJECTED_CREDENTIALS.has(name)) {
    return new CloudCredentialError(
      "E_AWS_CREDENTIALS_REJECTED",
      `AWS refused the credentials of ${who} while minting an ECR token for ${server} (${name}: ${said})`,
      {
        ...base,
        hint: "the keys or session are expired or unknown: sign in again (aws sso login, or new keys), then check aws sts get-caller-identity",
      },
    );
  }
  const attempts = ` after ${context.maxAttempts} attempts`;
  if (THROTTLING.has(name) || status === 429) {
    return new CloudCredentialError(
      "E_ECR_UNAVAILABLE",
      `ECR throttled the token request for ${server}${attempts} (${name})`,
      {
        ...base,
        retryable: true,
        hint: "retry in a minute; many clients minting at once share the account's GetAuthorizationToken rate",
      },
    );
  }
  if ((status !== undefined && status >= 500) || shape.$fault === "server") {
    return new CloudCredentialError(
      "E_ECR_UNAVAILABLE",
      `ECR failed the token request for ${server}${attempts} (${name}${status !== undefined ? `, HTTP ${status}` : ""})`,
      {
        ...base,
        retryable: true,
        hint: "retry later; check the AWS Health Dashboard for ECR in " + target.region,
      },
    );
  }
  if (name === "TimeoutError" || name === "AbortError" || code === "ETIMEDOUT") {
    return new CloudCredentialError(
      "E_ECR_TIMEOUT",
      `no answer ${context.phase === "credentials" ? "from the AWS credential source" : "from ECR"} for ${server} within ${context.requestTimeoutMs} ms per request${context.phase === "token" ? attempts : ""}`,
      {
        ...base,
        retryable: true,
        hint: "check the network path to AWS (a proxy, a firewall, AWS_ENDPOINT_URL_ECR), then retry",
      },
    );
  }
  if (code !== undefined && NETWORK_CODES.has(code)) {
    return new CloudCredentialError(
      "E_ECR_TIMEOUT",
      `cannot reach ${context.phase === "credentials" ? "the AWS credential source" : "ECR"} for ${server}: ${code}`,
      {
        ...base,
        retryable: true,
        hint: "check the network path to AWS (DNS, a proxy, AWS_ENDPOINT_URL_ECR), then retry",
      },
    );
  }
  if (name === "SyntaxError" || /Deserialization error/i.test(said)) {
    // An answer the SDK cannot parse: a proxy's or captive portal's page, or an endpoint that is not ECR.
    const answered = (shape as { $response?: { statusCode?: unknown } }).$response?.statusCode;
    return new CloudCredentialError(
      "E_ECR_RESPONSE",
      `the ${context.phase === "credentials" ? "AWS credential source" : "ECR endpoint"} for ${server} answered something that is not AWS's JSON${typeof answered === "number" ? ` (HTTP ${answered})` : ""}`,
      {
        ...base,
        hint: "check AWS_ENDPOINT_URL_ECR / AWS_ENDPOINT_URL_STS and any proxy between here and AWS",
      },
    );
  }
  if (context.phase === "credentials") {
    return new CloudCredentialError(
      "E_AWS_NO_CREDENTIALS",
      `the AWS credentials for ${server} could not be loaded: ${name}: ${said}`,
      {
        ...base,
        hint: "check the profile and files the message names; aws sts get-caller-identity shows what the CLI sees",
      },
    );
  }
  return new CloudCredentialError(
    "E_ECR_FAILED",
    `ECR GetAuthorizationToken for ${server} failed: ${name}: ${said}`,
    {
      ...base,
      retryable: status === undefined,
      hint: "check aws sts get-caller-identity and aws ecr get-login-password --region " + target.region,
    },
  );
}
