import { describe, expect, it } from "vitest";
import { CloudCredentialError } from "../../errors.js";
import { grantCommand, mintFailure, principalInDenial } from "./mint-errors.js";
import type { MintFailureContext } from "./mint-errors.js";
import { ecrRegistryTarget } from "./registry-target.js";

const SERVER = "123456789012.dkr.ecr.eu-west-1.amazonaws.com";
const SECRET = "CANARY-session-token-0123456789";

function context(overrides: Partial<MintFailureContext> = {}): MintFailureContext {
  return {
    target: ecrRegistryTarget(SERVER),
    identity: "AWS profile prod (its keys)",
    phase: "token",
    triedLinks: ["environment variables (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY not set)"],
    requestTimeoutMs: 10_000,
    maxAttempts: 3,
    hide: (text) => text.split(SECRET).join("<redacted>"),
    ...overrides,
  };
}

const sdkError = (name: string, message: string, extra: object = {}) =>
  Object.assign(new Error(message), { name, $metadata: { httpStatusCode: 400 }, ...extra });

describe("principalInDenial and grantCommand", () => {
  it.each([
    [
      "User: arn:aws:sts::123456789012:assumed-role/node-role/i-0abc is not authorized to perform: ecr:GetAuthorizationToken",
      "arn:aws:sts::123456789012:assumed-role/node-role/i-0abc",
      "aws iam attach-role-policy --role-name node-role --policy-arn arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryReadOnly",
    ],
    [
      "User: arn:aws-cn:iam::123456789012:user/ci/pusher is not authorized to perform: ecr:GetAuthorizationToken",
      "arn:aws-cn:iam::123456789012:user/ci/pusher",
      "aws iam attach-user-policy --user-name pusher --policy-arn arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryReadOnly",
    ],
    [
      "User: arn:aws:iam::123456789012:role/team/puller is not authorized to perform",
      "arn:aws:iam::123456789012:role/team/puller",
      "aws iam attach-role-policy --role-name puller --policy-arn arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryReadOnly",
    ],
    [
      "not authorized",
      undefined,
      "aws iam attach-role-policy --role-name ROLE --policy-arn arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryReadOnly",
    ],
    [
      "User: arn:aws:iam::12:role/x is not authorized",
      undefined,
      expect.stringContaining("--role-name ROLE"),
    ],
    [
      "User: arn:aws:iam::123456789012:role/x;rm -rf / is not authorized",
      undefined,
      expect.stringContaining("ROLE"),
    ],
  ])("%s", (message, principal, command) => {
    expect(principalInDenial(message)).toBe(principal);
    expect(grantCommand(principalInDenial(message), "aws")).toEqual(command);
  });

  it("the policy ARN is in the registry's partition", () => {
    expect(grantCommand(undefined, "aws-us-gov")).toContain(
      "arn:aws-us-gov:iam::aws:policy/AmazonEC2ContainerRegistryReadOnly",
    );
  });
});

describe("mintFailure", () => {
  it("AccessDenied for another account's registry also says its repository policy must allow the principal", () => {
    const error = mintFailure(
      sdkError(
        "AccessDeniedException",
        "User: arn:aws:sts::111122223333:assumed-role/ci/s is not authorized to perform: ecr:GetAuthorizationToken",
      ),
      context(),
    );
    expect(error).toBeInstanceOf(CloudCredentialError);
    expect(error.code).toBe("E_ECR_ACCESS_DENIED");
    expect(error.retryable).toBe(false);
    expect(error.hint).toMatch(/for account 123456789012's registry, its repository policy must also allow/);
  });

  it.each<[string, Error, Partial<MintFailureContext>, string, RegExp]>([
    [
      "unknown keys",
      sdkError("UnrecognizedClientException", "The security token included in the request is invalid."),
      {},
      "E_AWS_CREDENTIALS_REJECTED",
      /^AWS refused the credentials of AWS profile prod \(its keys\)/,
    ],
    [
      "expired session",
      sdkError("ExpiredTokenException", `The security token ${SECRET} is expired`),
      {},
      "E_AWS_CREDENTIALS_REJECTED",
      /The security token <redacted> is expired/,
    ],
    [
      "skew",
      sdkError("InvalidSignatureException", "Signature expired: 20260601T000000Z is now earlier than ..."),
      {},
      "E_AWS_CLOCK_SKEW",
      /signed at the wrong time/,
    ],
    [
      "a profile that does not exist",
      sdkError(
        "CredentialsProviderError",
        "Profile prod could not be found or parsed in shared credentials file.",
      ),
      { phase: "credentials" },
      "E_AWS_NO_CREDENTIALS",
      /could not be loaded: CredentialsProviderError: Profile prod could not be found/,
    ],
    [
      "STS trust",
      sdkError("AccessDenied", "Not authorized to perform sts:AssumeRoleWithWebIdentity"),
      { phase: "credentials" },
      "E_AWS_WEB_IDENTITY",
      /may assume|assume its role/,
    ],
    [
      "STS invalid token",
      sdkError("InvalidIdentityTokenException", "No OpenIDConnect provider found"),
      { phase: "credentials" },
      "E_AWS_WEB_IDENTITY",
      /refused the web identity token/,
    ],
    [
      "connection refused",
      Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" }),
      {},
      "E_ECR_TIMEOUT",
      /^cannot reach ECR for .*: ECONNREFUSED$/,
    ],
    [
      "something else",
      sdkError("InvalidParameterException", "bad\nregistry\tid"),
      {},
      "E_ECR_FAILED",
      /^ECR GetAuthorizationToken for \S+ failed: InvalidParameterException: bad registry id$/,
    ],
    [
      "an answer that is not JSON (a proxy's page)",
      Object.assign(new SyntaxError(`Unexpected token '<', "<?xml vers"... is not valid JSON`), {
        $response: { statusCode: 403 },
      }),
      {},
      "E_ECR_RESPONSE",
      /^the ECR endpoint for \S+ answered something that is not AWS's JSON \(HTTP 403\)$/,
    ],
    ["not an error at all", "boom" as never, {}, "E_ECR_FAILED", /failed: Error: boom$/],
  ])("%s", (_label, error, overrides, code, message) => {
    const failure = mintFailure(error, context(overrides));
    expect(failure.code).toBe(code);
    expect(failure.message).toMatch(message);
    expect(failure.message).not.toContain("\n");
    expect(failure.message).not.toContain(SECRET);
    expect(failure.exitCode).toBe(4);
  });

  it("AWS's text is cut to one line of at most 300 characters", () => {
    const failure = mintFailure(sdkError("Weird", "x".repeat(5000)), context());
    expect(failure.message.length).toBeLessThan(500);
  });
});
