/**
 * The AWS SDK's default credential chain as people need it described: which link supplied the credentials (the
 * `identity` of a minted credential; a role ARN or a profile name, never a key) and, when none did, which links
 * were tried and what each was missing. The chain itself is the SDK's (`fromNodeProviderChain`,
 * @aws-sdk/credential-provider-node `defaultProvider`), in its order: environment variables, the shared config
 * profile (with its SSO, credential_process, role or web identity settings), web identity (IRSA: a token file and
 * a role), container credentials (EKS Pod Identity, ECS), EC2 instance metadata (IMDSv2). The SDK reads the
 * process environment, so these descriptions read it too (passed in, for tests).
 */

type Env = Readonly<Record<string, string | undefined>>;

/** What of the SDK's credentials this needs: the features the providers set (`$source`), and the account. */
export interface SuppliedCredentials {
  readonly $source?: Readonly<Record<string, unknown>> | undefined;
  readonly accountId?: string | undefined;
}

function set(env: Env, name: string): boolean {
  return (env[name] ?? "") !== "";
}

function profileName(env: Env): string {
  return env["AWS_PROFILE"] || "default";
}

/** EKS Pod Identity's agent listens on 169.254.170.23 (IPv4) or fd00:ec2::23; ECS on 169.254.170.2. */
function containerEndpoint(env: Env): string {
  const full = env["AWS_CONTAINER_CREDENTIALS_FULL_URI"] ?? "";
  if (/\/\/(169\.254\.170\.23|\[fd00:ec2::23\])[:/]/.test(full)) return "EKS Pod Identity";
  if (set(env, "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI")) return "ECS task role";
  return full === "" ? "container credentials" : `container credentials at ${originOf(full)}`;
}

function originOf(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return "an unparsable URL";
  }
}

/** The link of the default chain that supplied `credentials`, for messages and `identity`. */
export function describeSuppliedCredentials(credentials: SuppliedCredentials, env: Env): string {
  const features = Object.keys(credentials.$source ?? {});
  const has = (prefix: string): boolean => features.some((feature) => feature.startsWith(prefix));
  const account = credentials.accountId ? ` in account ${credentials.accountId}` : "";
  if (
    has("CREDENTIALS_ENV_VARS_STS_WEB_ID_TOKEN") ||
    (has("CREDENTIALS_STS_ASSUME_ROLE_WEB_ID") && !has("CREDENTIALS_PROFILE"))
  ) {
    return (
      anticipatedIdentity({ ...env, AWS_ACCESS_KEY_ID: undefined, AWS_PROFILE: undefined }) ??
      "a role via web identity (IRSA)"
    );
  }
  if (has("CREDENTIALS_PROFILE") || has("CREDENTIALS_SSO") || has("CREDENTIALS_PROCESS")) {
    const how = has("CREDENTIALS_PROFILE_STS_WEB_ID_TOKEN")
      ? "its web identity role"
      : has("CREDENTIALS_PROFILE_SOURCE_PROFILE")
        ? "its role via source_profile"
        : has("CREDENTIALS_PROFILE_SSO") || has("CREDENTIALS_SSO")
          ? "SSO"
          : has("CREDENTIALS_PROFILE_PROCESS") || has("CREDENTIALS_PROCESS")
            ? "credential_process"
            : "its keys";
    return `AWS profile ${profileName(env)} (${how})${account}`;
  }
  if (has("CREDENTIALS_ENV_VARS")) return `the keys in AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY${account}`;
  if (has("CREDENTIALS_HTTP")) return `the role of ${containerEndpoint(env)}${account}`;
  if (set(env, "AWS_CONTAINER_CREDENTIALS_FULL_URI") || set(env, "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI")) {
    return `the role of ${containerEndpoint(env)}${account}`;
  }
  // The SDK's instance metadata provider marks nothing: the remaining link.
  return `the EC2 instance profile's role (instance metadata)${account}`;
}

/**
 * Who the chain will be, before it answered, when the environment says it: IRSA's role (a web identity token
 * file and a role, and no keys or profile ahead of it in the chain). For messages about a failure on the way.
 */
export function anticipatedIdentity(env: Env): string | undefined {
  const ahead = set(env, "AWS_ACCESS_KEY_ID") || set(env, "AWS_PROFILE");
  if (ahead || !set(env, "AWS_ROLE_ARN") || !set(env, "AWS_WEB_IDENTITY_TOKEN_FILE")) return undefined;
  return `role ${env["AWS_ROLE_ARN"] ?? ""} via web identity (IRSA token file ${env["AWS_WEB_IDENTITY_TOKEN_FILE"] ?? ""})`;
}

/** The links of the default chain and what each had to go on, for "no credentials" messages. */
export function describeTriedLinks(env: Env): string[] {
  const links: string[] = [];
  if (set(env, "AWS_PROFILE")) {
    links.push("environment variables (skipped: AWS_PROFILE is set)");
  } else {
    const missing = ["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"].filter((name) => !set(env, name));
    links.push(
      missing.length === 0
        ? "environment variables (set, but refused)"
        : `environment variables (${missing.join(", ")} not set)`,
    );
  }
  const credentialsFile = env["AWS_SHARED_CREDENTIALS_FILE"] || "~/.aws/credentials";
  const configFile = env["AWS_CONFIG_FILE"] || "~/.aws/config";
  links.push(
    `profile ${profileName(env)} in ${credentialsFile} and ${configFile} (keys, SSO, credential_process, role)`,
  );
  const webIdentity = ["AWS_WEB_IDENTITY_TOKEN_FILE", "AWS_ROLE_ARN"].filter((name) => !set(env, name));
  links.push(
    webIdentity.length === 0
      ? `web identity (token file ${env["AWS_WEB_IDENTITY_TOKEN_FILE"] ?? ""}, role ${env["AWS_ROLE_ARN"] ?? ""})`
      : `web identity/IRSA (${webIdentity.join(", ")} not set)`,
  );
  if (set(env, "AWS_CONTAINER_CREDENTIALS_FULL_URI") || set(env, "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI")) {
    links.push(`${containerEndpoint(env)} (container credentials endpoint)`);
  } else {
    links.push("container credentials/EKS Pod Identity (AWS_CONTAINER_CREDENTIALS_FULL_URI not set)");
    const disabled = (env["AWS_EC2_METADATA_DISABLED"] ?? "false").toLowerCase() !== "false";
    links.push(
      disabled
        ? "EC2 instance metadata (disabled by AWS_EC2_METADATA_DISABLED)"
        : `EC2 instance metadata (IMDSv2 at ${env["AWS_EC2_METADATA_SERVICE_ENDPOINT"] || "169.254.169.254"})`,
    );
  }
  return links;
}
