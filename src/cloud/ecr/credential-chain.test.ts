import { describe, expect, it } from "vitest";
import { anticipatedIdentity, describeSuppliedCredentials, describeTriedLinks } from "./credential-chain.js";

const feature = (...names: string[]) => ({ $source: Object.fromEntries(names.map((name) => [name, "x"])) });

describe("describeSuppliedCredentials: the link of the default chain that signed, never a key", () => {
  const irsa = {
    AWS_ROLE_ARN: "arn:aws:iam::123456789012:role/puller",
    AWS_WEB_IDENTITY_TOKEN_FILE: "/var/run/token",
  };
  it.each<[string, object, Record<string, string>, string]>([
    [
      "environment",
      feature("CREDENTIALS_ENV_VARS"),
      {},
      "the keys in AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY",
    ],
    [
      "IRSA",
      feature("CREDENTIALS_ENV_VARS_STS_WEB_ID_TOKEN", "CREDENTIALS_STS_ASSUME_ROLE_WEB_ID"),
      irsa,
      "role arn:aws:iam::123456789012:role/puller via web identity (IRSA token file /var/run/token)",
    ],
    [
      "a profile's keys",
      feature("CREDENTIALS_PROFILE"),
      { AWS_PROFILE: "prod" },
      "AWS profile prod (its keys)",
    ],
    ["the default profile", feature("CREDENTIALS_PROFILE"), {}, "AWS profile default (its keys)"],
    [
      "SSO",
      feature("CREDENTIALS_PROFILE_SSO", "CREDENTIALS_SSO"),
      { AWS_PROFILE: "dev" },
      "AWS profile dev (SSO)",
    ],
    [
      "credential_process",
      feature("CREDENTIALS_PROFILE_PROCESS", "CREDENTIALS_PROCESS"),
      {},
      "AWS profile default (credential_process)",
    ],
    [
      "a profile's web identity role",
      feature("CREDENTIALS_PROFILE_STS_WEB_ID_TOKEN", "CREDENTIALS_STS_ASSUME_ROLE_WEB_ID"),
      {},
      "AWS profile default (its web identity role)",
    ],
    [
      "EKS Pod Identity",
      { ...feature("CREDENTIALS_HTTP"), accountId: "123456789012" },
      { AWS_CONTAINER_CREDENTIALS_FULL_URI: "http://169.254.170.23/v1/credentials" },
      "the role of EKS Pod Identity in account 123456789012",
    ],
    [
      "ECS",
      feature("CREDENTIALS_HTTP"),
      { AWS_CONTAINER_CREDENTIALS_RELATIVE_URI: "/v2/credentials/x" },
      "the role of ECS task role",
    ],
    ["IMDS (marks nothing)", {}, {}, "the EC2 instance profile's role (instance metadata)"],
  ])("%s", (_label, credentials, env, expected) => {
    expect(describeSuppliedCredentials(credentials, env)).toBe(expected);
  });

  it("never echoes a value that is not a name (an unparsable container URL)", () => {
    expect(
      describeSuppliedCredentials(feature("CREDENTIALS_HTTP"), {
        AWS_CONTAINER_CREDENTIALS_FULL_URI: "::secret::",
      }),
    ).toBe("the role of container credentials at an unparsable URL");
  });
});

describe("anticipatedIdentity: IRSA's role before STS answered", () => {
  it.each<[Record<string, string>, string | undefined]>([
    [
      { AWS_ROLE_ARN: "arn:aws:iam::1:role/r", AWS_WEB_IDENTITY_TOKEN_FILE: "/t" },
      "role arn:aws:iam::1:role/r via web identity (IRSA token file /t)",
    ],
    [{ AWS_ROLE_ARN: "arn:aws:iam::1:role/r" }, undefined],
    [
      { AWS_ROLE_ARN: "arn:aws:iam::1:role/r", AWS_WEB_IDENTITY_TOKEN_FILE: "/t", AWS_PROFILE: "p" },
      undefined,
    ],
    [
      { AWS_ROLE_ARN: "arn:aws:iam::1:role/r", AWS_WEB_IDENTITY_TOKEN_FILE: "/t", AWS_ACCESS_KEY_ID: "A" },
      undefined,
    ],
    [{}, undefined],
  ])("%j", (env, expected) => {
    expect(anticipatedIdentity(env)).toBe(expected);
  });
});

describe("describeTriedLinks: what each link had to go on", () => {
  it("nothing set", () => {
    expect(describeTriedLinks({})).toEqual([
      "environment variables (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY not set)",
      "profile default in ~/.aws/credentials and ~/.aws/config (keys, SSO, credential_process, role)",
      "web identity/IRSA (AWS_WEB_IDENTITY_TOKEN_FILE, AWS_ROLE_ARN not set)",
      "container credentials/EKS Pod Identity (AWS_CONTAINER_CREDENTIALS_FULL_URI not set)",
      "EC2 instance metadata (IMDSv2 at 169.254.169.254)",
    ]);
  });

  it("AWS_PROFILE skips the environment; files, web identity and the container endpoint as set", () => {
    expect(
      describeTriedLinks({
        AWS_PROFILE: "prod",
        AWS_CONFIG_FILE: "/etc/aws/config",
        AWS_SHARED_CREDENTIALS_FILE: "/etc/aws/credentials",
        AWS_ROLE_ARN: "arn:aws:iam::1:role/r",
        AWS_WEB_IDENTITY_TOKEN_FILE: "/t",
        AWS_CONTAINER_CREDENTIALS_FULL_URI: "http://169.254.170.23/v1/credentials",
      }),
    ).toEqual([
      "environment variables (skipped: AWS_PROFILE is set)",
      "profile prod in /etc/aws/credentials and /etc/aws/config (keys, SSO, credential_process, role)",
      "web identity (token file /t, role arn:aws:iam::1:role/r)",
      "EKS Pod Identity (container credentials endpoint)",
    ]);
  });

  it("IMDS disabled or moved", () => {
    expect(describeTriedLinks({ AWS_EC2_METADATA_DISABLED: "true" }).at(-1)).toBe(
      "EC2 instance metadata (disabled by AWS_EC2_METADATA_DISABLED)",
    );
    expect(describeTriedLinks({ AWS_EC2_METADATA_SERVICE_ENDPOINT: "http://[fd00:ec2::254]" }).at(-1)).toBe(
      "EC2 instance metadata (IMDSv2 at http://[fd00:ec2::254])",
    );
  });
});
