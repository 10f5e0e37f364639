// The fix an AccessDenied names, proven against a real IAM evaluation: moto with IAM authorization on
// (INITIAL_NO_AUTH_ACTION_COUNT: the setup calls go through unauthenticated, every later request is
// signature-checked and evaluated against the caller's IAM policies, MOTO_IAM_LOAD_MANAGED_POLICIES for the AWS
// managed policies). A user without a policy is refused ecr:GetAuthorizationToken; a user given exactly the
// attachment the error's hint names (`aws iam attach-user-policy ... AmazonEC2ContainerRegistryReadOnly`) mints a
// token with the same code path. moto 5.2.1 answers its authorization refusal in XML even on ECR's JSON protocol
// (real ECR answers {"__type":"AccessDeniedException"}, reference §C.3), so the message and hint of a refusal are
// asserted in ecr-mint.test.ts on the JSON AWS sends; here only that it is refused, on one line, without a secret.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mintEcrCredential } from "../../src/cloud/ecr/index.js";
import { grantCommand } from "../../src/cloud/ecr/mint-errors.js";
import { CloudCredentialError } from "../../src/errors.js";
import { makeScratchDir, removeScratchDir } from "../support/index.js";
import { startMoto } from "../support/moto.js";
import type { Moto } from "../support/moto.js";

const SERVER = "123456789012.dkr.ecr.eu-west-1.amazonaws.com";
let moto: Moto;
let home: string;
const saved = { ...process.env };
const POLICY = "arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryReadOnly";

/** An IAM user with an access key (two unauthenticated setup calls), and the policy when given (one more). */
async function createUser(
  name: string,
  policyArn?: string,
): Promise<{ accessKeyId: string; secretAccessKey: string }> {
  expect((await moto.awsQuery("iam", "CreateUser", { UserName: name })).status).toBe(200);
  if (policyArn) {
    const attached = await moto.awsQuery("iam", "AttachUserPolicy", { UserName: name, PolicyArn: policyArn });
    expect(attached.status, attached.body).toBe(200);
  }
  const created = await moto.awsQuery("iam", "CreateAccessKey", { UserName: name });
  const keys = {
    accessKeyId: /<AccessKeyId>([^<]+)</.exec(created.body)?.[1] ?? "",
    secretAccessKey: /<SecretAccessKey>([^<]+)</.exec(created.body)?.[1] ?? "",
  };
  expect(keys.accessKeyId).not.toBe("");
  return keys;
}

function useKeys(keys: { accessKeyId: string; secretAccessKey: string }): void {
  process.env["AWS_ACCESS_KEY_ID"] = keys.accessKeyId;
  process.env["AWS_SECRET_ACCESS_KEY"] = keys.secretAccessKey;
}

let unprivileged: { accessKeyId: string; secretAccessKey: string };
let fixed: { accessKeyId: string; secretAccessKey: string };

beforeAll(async () => {
  // Five setup calls go through without authorization; every request after them is authorized by IAM.
  moto = await startMoto({
    env: { INITIAL_NO_AUTH_ACTION_COUNT: "5", MOTO_IAM_LOAD_MANAGED_POLICIES: "true" },
  });
  home = makeScratchDir("aws-home");
  unprivileged = await createUser("ci-puller");
  fixed = await createUser("ci-fixed", POLICY);
  for (const name of Object.keys(process.env)) if (name.startsWith("AWS_")) delete process.env[name];
  Object.assign(process.env, {
    HOME: home,
    AWS_ENDPOINT_URL_ECR: moto.endpoint,
    AWS_EC2_METADATA_DISABLED: "true",
  });
}, 60_000);

afterAll(async () => {
  for (const name of Object.keys(process.env)) if (!(name in saved)) delete process.env[name];
  Object.assign(process.env, saved);
  await moto?.stop();
  if (home) removeScratchDir(home);
});

describe("IAM decides", () => {
  it("a user without ecr:GetAuthorizationToken is refused; a user given the hint's attachment mints a token", async () => {
    useKeys(unprivileged);
    const error = await mintEcrCredential({ server: SERVER, maxAttempts: 1 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CloudCredentialError);
    const denied = error as CloudCredentialError;
    expect(denied.code).toBe("E_ECR_RESPONSE"); // moto's XML refusal, see above
    expect(denied.exitCode).toBe(4);
    expect(denied.message).not.toContain("\n");
    expect(`${denied.message} ${denied.hint ?? ""}`).not.toContain(unprivileged.secretAccessKey);
    // What the hint says for this user, when AWS names it (ecr-mint.test.ts shows the JSON refusal naming it).
    expect(grantCommand("arn:aws:iam::123456789012:user/ci-puller", "aws")).toBe(
      `aws iam attach-user-policy --user-name ci-puller --policy-arn ${POLICY}`,
    );

    useKeys(fixed);
    const credential = await mintEcrCredential({ server: SERVER, maxAttempts: 1 });
    expect(credential).toMatchObject({ username: "AWS", password: "123456789012-auth-token" });
  });
});
