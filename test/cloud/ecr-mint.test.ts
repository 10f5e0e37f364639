// ECR tokens minted through the real AWS SDK (@aws-sdk/client-ecr, the default credential chain, STS) against
// moto, an independent AWS emulation, with a recording and fault-injecting proxy in front of it; where moto has
// nothing (EKS Pod Identity's agent, IMDSv2), small fakes that follow the documented wire format. Each test
// gives the SDK a fresh HOME and only the AWS_* variables it names: the SDK reads the process environment,
// exactly as it does in the CLI, the controller and the kubelet plugin. Nothing leaves 127.0.0.1
// (AWS_EC2_METADATA_DISABLED unless a test serves IMDS itself). Planted secrets never appear in any message.
import { mkdirSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { mintEcrCredential } from "../../src/cloud/ecr/index.js";
import type { EcrMintRequest } from "../../src/cloud/ecr/index.js";
import { CloudCredentialError } from "../../src/errors.js";
import { startAwsProxy } from "../support/aws-proxy.js";
import type { AwsProxy } from "../support/aws-proxy.js";
import { startImdsV2, startPodIdentityAgent } from "../support/aws-credential-endpoints.js";
import { startMoto } from "../support/moto.js";
import type { Moto } from "../support/moto.js";
import { makeScratchDir, removeScratchDir } from "../support/index.js";

const ACCOUNT = "123456789012";
const SERVER = `${ACCOUNT}.dkr.ecr.eu-west-1.amazonaws.com`;
/** moto's GetAuthorizationToken: base64 "AWS:<registry id>-auth-token", expiresAt 2015-01-01 (moto's local time). */
const MOTO_PASSWORD = `${ACCOUNT}-auth-token`;

// Canaries: each secret the SDK handles in these tests; none may appear in a message, hint or identity.
const SECRET_KEY = "CANARY-secret-access-key-5Hq9zP";
const SESSION_TOKEN = "CANARY-session-token-Wm3xK8vB";
const POD_IDENTITY_TOKEN = "CANARY-pod-identity-token-7yTr";
const WEB_IDENTITY_TOKEN =
  "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJzeXN0ZW06c2VydmljZWFjY291bnQ6YXBwczpwdWxsZXIifQ.CANARY-sig";
const CANARIES = [SECRET_KEY, SESSION_TOKEN, POD_IDENTITY_TOKEN, WEB_IDENTITY_TOKEN];

let moto: Moto;
let proxy: AwsProxy;
let home: string;
const saved = { ...process.env };
const seen: string[] = [];

beforeAll(async () => {
  moto = await startMoto();
  proxy = await startAwsProxy(moto.endpoint);
}, 60_000);

afterAll(async () => {
  await proxy?.stop();
  await moto?.stop();
  for (const text of seen) for (const canary of CANARIES) expect(text).not.toContain(canary);
});

/** The process environment the SDK reads: no AWS_* of the machine, a fresh HOME, endpoints at the proxy. */
function awsEnv(vars: Record<string, string>): void {
  for (const name of Object.keys(process.env)) if (name.startsWith("AWS_")) delete process.env[name];
  Object.assign(process.env, {
    HOME: home,
    AWS_ENDPOINT_URL_ECR: proxy.endpoint,
    AWS_ENDPOINT_URL_STS: proxy.endpoint,
    AWS_EC2_METADATA_DISABLED: "true",
    ...vars,
  });
}

beforeEach(() => {
  home = makeScratchDir("aws-home");
  proxy.requests.length = 0;
  proxy.intercept(undefined);
});

afterEach(() => {
  for (const name of Object.keys(process.env)) if (!(name in saved)) delete process.env[name];
  Object.assign(process.env, saved);
  removeScratchDir(home);
});

const STATIC_KEYS = { AWS_ACCESS_KEY_ID: "AKIAIOSFODNN7EXAMPLE", AWS_SECRET_ACCESS_KEY: SECRET_KEY };

async function mint(request: Partial<EcrMintRequest> = {}) {
  const credential = await mintEcrCredential({
    server: SERVER,
    maxAttempts: 2,
    requestTimeoutMs: 5_000,
    ...request,
  });
  seen.push(credential.identity, credential.source);
  return credential;
}

async function failure(request: Partial<EcrMintRequest> = {}): Promise<CloudCredentialError> {
  const error = await mint(request).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(CloudCredentialError);
  const typed = error as CloudCredentialError;
  seen.push(typed.message, typed.hint ?? "", typed.identity ?? "");
  expect(typed.message).not.toContain("\n");
  expect(typed.exitCode).toBe(4);
  return typed;
}

const ecrRequests = () => proxy.requests.filter((r) => r.service === "ecr");
const stsRequests = () => proxy.requests.filter((r) => r.body.includes("Action=AssumeRoleWith"));

describe("the default chain's links, each supplying the credentials that sign GetAuthorizationToken", () => {
  it("environment variables: moto's token, expiry from its answer, the caller's registry asked for", async () => {
    awsEnv(STATIC_KEYS);
    const credential = await mint();
    expect(credential).toEqual({
      server: SERVER,
      username: "AWS",
      password: MOTO_PASSWORD,
      expiresAt: new Date(2015, 0, 1), // what moto answered (its local time), not an assumed 12 hours
      source: `ECR GetAuthorizationToken (eu-west-1, registry ${ACCOUNT})`,
      identity: "the keys in AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY",
    });
    const [request] = ecrRequests();
    expect(request).toMatchObject({
      method: "POST",
      service: "ecr",
      region: "eu-west-1",
      accessKeyId: "AKIAIOSFODNN7EXAMPLE",
      target: "AmazonEC2ContainerRegistry_V20150921.GetAuthorizationToken",
      securityToken: undefined,
    });
    expect(JSON.parse(request?.body ?? "")).toEqual({ registryIds: [ACCOUNT] });
    expect(request?.headers["content-type"]).toBe("application/x-amz-json-1.1");
  });

  it("a cross-account registry: registryIds names the registry's account, and its token comes back", async () => {
    awsEnv(STATIC_KEYS);
    const other = "210987654321.dkr.ecr.eu-west-1.amazonaws.com";
    const credential = await mint({ server: other });
    expect(credential).toMatchObject({ server: other, password: "210987654321-auth-token" });
    expect(JSON.parse(ecrRequests()[0]?.body ?? "")).toEqual({ registryIds: ["210987654321"] });
  });

  it("AWS_PROFILE: the profile's keys from a shared credentials file in HOME", async () => {
    mkdirSync(join(home, ".aws"));
    writeFileSync(join(home, ".aws", "config"), "[profile prod]\nregion = us-east-1\n");
    writeFileSync(
      join(home, ".aws", "credentials"),
      `[default]\naws_access_key_id = AKIADEFAULTNOTUSED00\naws_secret_access_key = x\n\n[prod]\naws_access_key_id = AKIAPRODPROFILE00001\naws_secret_access_key = ${SECRET_KEY}\n`,
    );
    awsEnv({ AWS_PROFILE: "prod" });
    const credential = await mint();
    expect(credential.identity).toBe("AWS profile prod (its keys)");
    expect(ecrRequests()[0]?.accessKeyId).toBe("AKIAPRODPROFILE00001");
  });

  it("a profile with credential_process: the helper the user configured supplies the keys", async () => {
    mkdirSync(join(home, ".aws"));
    const helper = join(home, "aws-creds-helper");
    writeFileSync(
      helper,
      `#!/bin/sh\nprintf '%s' '{"Version":1,"AccessKeyId":"AKIAPROCESSHELPER001","SecretAccessKey":"${SECRET_KEY}"}'\n`,
      { mode: 0o755 },
    );
    writeFileSync(join(home, ".aws", "config"), `[profile tools]\ncredential_process = ${helper}\n`);
    awsEnv({ AWS_PROFILE: "tools" });
    const credential = await mint();
    expect(credential.identity).toBe("AWS profile tools (credential_process)");
    expect(ecrRequests()[0]?.accessKeyId).toBe("AKIAPROCESSHELPER001");
  });

  it("a profile with role_arn and source_profile: STS AssumeRole with the source's keys, the role's session signs", async () => {
    const roleArn = await moto.createRole("profile-role", {
      Version: "2012-10-17",
      Statement: [
        { Effect: "Allow", Principal: { AWS: "arn:aws:iam::123456789012:root" }, Action: "sts:AssumeRole" },
      ],
    });
    mkdirSync(join(home, ".aws"));
    writeFileSync(
      join(home, ".aws", "config"),
      `[profile deploy]\nrole_arn = ${roleArn}\nsource_profile = base\nregion = eu-west-1\n`,
    );
    writeFileSync(
      join(home, ".aws", "credentials"),
      `[base]\naws_access_key_id = AKIABASEPROFILE00001\naws_secret_access_key = ${SECRET_KEY}\n`,
    );
    awsEnv({ AWS_PROFILE: "deploy" });
    const credential = await mint();
    expect(credential.identity).toBe(
      "AWS profile deploy (its role via source_profile) in account 123456789012",
    );
    const assume = proxy.requests.find(
      (r) => r.body.includes("Action=AssumeRole&") || r.body.startsWith("Action=AssumeRole"),
    );
    expect(assume?.accessKeyId).toBe("AKIABASEPROFILE00001");
    expect(new URLSearchParams(assume?.body ?? "").get("RoleArn")).toBe(roleArn);
    expect(ecrRequests()[0]?.accessKeyId).toMatch(/^ASIA/);
  });

  it("IRSA: the web identity token file and role go to STS AssumeRoleWithWebIdentity; its session signs ECR", async () => {
    const roleArn = await moto.createRole("irsa-puller");
    const tokenFile = join(home, "token");
    writeFileSync(tokenFile, WEB_IDENTITY_TOKEN);
    awsEnv({
      AWS_ROLE_ARN: roleArn,
      AWS_WEB_IDENTITY_TOKEN_FILE: tokenFile,
      AWS_ROLE_SESSION_NAME: "pw-test",
    });
    const credential = await mint();
    expect(credential.password).toBe(MOTO_PASSWORD);
    expect(credential.identity).toBe(`role ${roleArn} via web identity (IRSA token file ${tokenFile})`);
    const [sts] = stsRequests();
    const form = new URLSearchParams(sts?.body ?? "");
    expect(form.get("Action")).toBe("AssumeRoleWithWebIdentity");
    expect(form.get("RoleArn")).toBe(roleArn);
    expect(form.get("RoleSessionName")).toBe("pw-test");
    expect(form.get("WebIdentityToken")).toBe(WEB_IDENTITY_TOKEN);
    expect(sts?.headers.authorization).toBeUndefined(); // unsigned: the token is the credential
    const [ecr] = ecrRequests();
    expect(ecr?.accessKeyId).toMatch(/^ASIA/); // moto's temporary credentials for the role
    expect(ecr?.securityToken).toBeTruthy();
  });

  it("explicit web identity (the kubelet plugin's ServiceAccount token): fromWebToken, then GetAuthorizationToken", async () => {
    const roleArn = await moto.createRole("kubelet-sa-puller");
    awsEnv({ ...STATIC_KEYS }); // present, but not used: the given token decides
    const credential = await mint({ auth: { kind: "web-identity", token: WEB_IDENTITY_TOKEN, roleArn } });
    expect(credential.identity).toMatch(new RegExp(`^role ${roleArn} via the web identity token given`));
    expect(new URLSearchParams(stsRequests()[0]?.body ?? "").get("WebIdentityToken")).toBe(
      WEB_IDENTITY_TOKEN,
    );
    expect(ecrRequests()[0]?.accessKeyId).toMatch(/^ASIA/);
  });

  it("explicit endpoints (the option tests and callers without the env use): STS and ECR both go there", async () => {
    const roleArn = await moto.createRole("explicit-endpoints");
    awsEnv({});
    delete process.env["AWS_ENDPOINT_URL_ECR"];
    delete process.env["AWS_ENDPOINT_URL_STS"];
    const credential = await mint({
      auth: { kind: "web-identity", token: WEB_IDENTITY_TOKEN, roleArn, roleSessionName: "kubelet" },
      endpoints: { ecr: proxy.endpoint, sts: proxy.endpoint },
    });
    expect(credential.password).toBe(MOTO_PASSWORD);
    expect(new URLSearchParams(stsRequests()[0]?.body ?? "").get("RoleSessionName")).toBe("kubelet");
    expect(ecrRequests()).toHaveLength(1);
  });

  it("EKS Pod Identity: GET the agent with the token file's contents as Authorization (no Bearer)", async () => {
    const agent = await startPodIdentityAgent({
      authorizationToken: POD_IDENTITY_TOKEN,
      credentials: {
        accessKeyId: "ASIAPODIDENTITY00001",
        secretAccessKey: SECRET_KEY,
        sessionToken: SESSION_TOKEN,
        expiration: new Date(Date.now() + 3600_000),
        accountId: ACCOUNT,
      },
    });
    try {
      const tokenFile = join(home, "eks-pod-identity-token");
      writeFileSync(tokenFile, POD_IDENTITY_TOKEN);
      awsEnv({
        AWS_CONTAINER_CREDENTIALS_FULL_URI: agent.url,
        AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE: tokenFile,
      });
      const credential = await mint();
      expect(credential.identity).toBe(`the role of container credentials at ${new URL(agent.url).origin}`);
      expect(agent.requests).toHaveLength(1);
      expect(agent.requests[0]).toMatchObject({ method: "GET", path: "/v1/credentials" });
      expect(agent.requests[0]?.headers.authorization).toBe(POD_IDENTITY_TOKEN);
      expect(ecrRequests()[0]).toMatchObject({
        accessKeyId: "ASIAPODIDENTITY00001",
        securityToken: SESSION_TOKEN,
      });
    } finally {
      await agent.stop();
    }
  });

  it("IMDSv2: a session token first (PUT with a TTL), then every GET carries it", async () => {
    const imds = await startImdsV2({
      roleName: "node-role",
      credentials: {
        accessKeyId: "ASIAINSTANCEPROFILE1",
        secretAccessKey: SECRET_KEY,
        sessionToken: SESSION_TOKEN,
        expiration: new Date(Date.now() + 6 * 3600_000),
      },
    });
    try {
      awsEnv({ AWS_EC2_METADATA_SERVICE_ENDPOINT: imds.url, AWS_EC2_METADATA_DISABLED: "false" });
      const credential = await mint();
      expect(credential.identity).toBe("the EC2 instance profile's role (instance metadata)");
      const [first, ...rest] = imds.requests;
      expect(first).toMatchObject({ method: "PUT", path: "/latest/api/token" });
      expect(Number(first?.headers["x-aws-ec2-metadata-token-ttl-seconds"])).toBeGreaterThan(0);
      expect(rest.map((r) => `${r.method} ${r.path}`)).toEqual([
        "GET /latest/meta-data/iam/security-credentials/",
        "GET /latest/meta-data/iam/security-credentials/node-role",
      ]);
      for (const request of rest)
        expect(request.headers["x-aws-ec2-metadata-token"]).toBe(imds.sessionTokens[0]);
      expect(ecrRequests()[0]).toMatchObject({
        accessKeyId: "ASIAINSTANCEPROFILE1",
        securityToken: SESSION_TOKEN,
      });
    } finally {
      await imds.stop();
    }
  });
});

describe("faults: one line naming who asked, what is missing and what to do", () => {
  it("no credentials at all: the links tried", async () => {
    awsEnv({});
    const error = await failure();
    expect(error.code).toBe("E_AWS_NO_CREDENTIALS");
    expect(error.message).toBe(
      `no AWS credentials to mint an ECR token for ${SERVER}: tried environment variables (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY not set); profile default in ~/.aws/credentials and ~/.aws/config (keys, SSO, credential_process, role); web identity/IRSA (AWS_WEB_IDENTITY_TOKEN_FILE, AWS_ROLE_ARN not set); container credentials/EKS Pod Identity (AWS_CONTAINER_CREDENTIALS_FULL_URI not set); EC2 instance metadata (disabled by AWS_EC2_METADATA_DISABLED)`,
    );
    expect(proxy.requests).toEqual([]);
  });

  it("an EKS Pod Identity agent that is not running: bounded, and the message says which endpoint", async () => {
    const closed = await startPodIdentityAgent({
      authorizationToken: POD_IDENTITY_TOKEN,
      credentials: { accessKeyId: "x", secretAccessKey: "y", sessionToken: "z", expiration: new Date() },
    });
    await closed.stop(); // its port now refuses connections
    const tokenFile = join(home, "eks-pod-identity-token");
    writeFileSync(tokenFile, POD_IDENTITY_TOKEN);
    awsEnv({
      AWS_CONTAINER_CREDENTIALS_FULL_URI: closed.url,
      AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE: tokenFile,
    });
    const started = Date.now();
    const error = await failure();
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(error.code).toBe("E_AWS_NO_CREDENTIALS");
    expect(error.message).toMatch(
      new RegExp(
        `; container credentials at ${new URL(closed.url).origin} \\(container credentials endpoint\\), which failed: Error: connect ECONNREFUSED 127\\.0\\.0\\.1:\\d+$`,
      ),
    );
  });

  it("AccessDenied: names ecr:GetAuthorizationToken, the principal AWS named, and the command that grants it", async () => {
    awsEnv(STATIC_KEYS);
    proxy.intercept((request) =>
      request.service === "ecr"
        ? {
            kind: "json",
            status: 400,
            type: "AccessDeniedException",
            message: `User: arn:aws:sts::${ACCOUNT}:assumed-role/node-role/i-0abc is not authorized to perform: ecr:GetAuthorizationToken on resource: * because no identity-based policy allows the ecr:GetAuthorizationToken action`,
          }
        : undefined,
    );
    const error = await failure();
    expect(error.code).toBe("E_ECR_ACCESS_DENIED");
    expect(error.message).toBe(
      `arn:aws:sts::${ACCOUNT}:assumed-role/node-role/i-0abc may not mint an ECR token for ${SERVER}: ecr:GetAuthorizationToken is denied (AccessDeniedException)`,
    );
    expect(error.hint).toContain(
      "aws iam attach-role-policy --role-name node-role --policy-arn arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryReadOnly",
    );
    expect(error.identity).toBe("the keys in AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY");
    expect(ecrRequests()).toHaveLength(1); // not retried
  });

  it("an expired web identity token: STS's ExpiredTokenException, with what to do", async () => {
    const roleArn = await moto.createRole("irsa-expired");
    awsEnv({});
    proxy.intercept((request) =>
      request.body.includes("Action=AssumeRoleWithWebIdentity")
        ? {
            kind: "query",
            status: 400,
            code: "ExpiredTokenException",
            message:
              "Token expired: current date/time 1780272000 must be before the expiration date/time 1780268400",
          }
        : undefined,
    );
    const error = await failure({ auth: { kind: "web-identity", token: WEB_IDENTITY_TOKEN, roleArn } });
    expect(error.code).toBe("E_AWS_WEB_IDENTITY");
    expect(error.message).toMatch(
      new RegExp(
        `^STS refused the web identity token for role ${roleArn} via the web identity token given: it has expired`,
      ),
    );
    expect(ecrRequests()).toEqual([]);
  });

  it("IRSA with an expired token file: the role and token file are named", async () => {
    const roleArn = await moto.createRole("irsa-file-expired");
    const tokenFile = join(home, "token");
    writeFileSync(tokenFile, WEB_IDENTITY_TOKEN);
    awsEnv({ AWS_ROLE_ARN: roleArn, AWS_WEB_IDENTITY_TOKEN_FILE: tokenFile });
    proxy.intercept((request) =>
      request.body.includes("Action=AssumeRoleWithWebIdentity")
        ? {
            kind: "query",
            status: 400,
            code: "ExpiredTokenException",
            message:
              "Token expired: current date/time 1780272000 must be before the expiration date/time 1780268400",
          }
        : undefined,
    );
    const error = await failure();
    expect(error.code).toBe("E_AWS_WEB_IDENTITY");
    expect(error.identity).toBe(`role ${roleArn} via web identity (IRSA token file ${tokenFile})`);
    expect(error.message).toMatch(
      new RegExp(
        `^STS refused the web identity token for role ${roleArn} via web identity \\(IRSA token file ${tokenFile}\\): it has expired`,
      ),
    );
    expect(error.hint).toMatch(/projected ServiceAccount token/);
  });

  it("throttling once: the SDK retries and the token comes back", async () => {
    awsEnv(STATIC_KEYS);
    proxy.intercept((request, index) =>
      request.service === "ecr" && index === 0
        ? { kind: "json", status: 400, type: "ThrottlingException", message: "Rate exceeded" }
        : undefined,
    );
    expect((await mint()).password).toBe(MOTO_PASSWORD);
    expect(ecrRequests()).toHaveLength(2);
  });

  it("throttling that lasts: maxAttempts requests, then a retryable error", async () => {
    awsEnv(STATIC_KEYS);
    proxy.intercept(() => ({
      kind: "json",
      status: 400,
      type: "ThrottlingException",
      message: "Rate exceeded",
    }));
    const error = await failure({ maxAttempts: 3 });
    expect(error.code).toBe("E_ECR_UNAVAILABLE");
    expect(error.retryable).toBe(true);
    expect(error.message).toBe(
      `ECR throttled the token request for ${SERVER} after 3 attempts (ThrottlingException)`,
    );
    expect(ecrRequests()).toHaveLength(3);
  });

  it("5xx: retried, then a retryable error naming the status", async () => {
    awsEnv(STATIC_KEYS);
    proxy.intercept(() => ({ kind: "json", status: 500, type: "ServerException", message: "internal" }));
    const error = await failure({ maxAttempts: 2 });
    expect(error.code).toBe("E_ECR_UNAVAILABLE");
    expect(error.message).toBe(
      `ECR failed the token request for ${SERVER} after 2 attempts (ServerException, HTTP 500)`,
    );
    expect(ecrRequests()).toHaveLength(2);
  });

  it("a slow endpoint: each request is bounded by the request timeout, the whole by the deadline", async () => {
    awsEnv(STATIC_KEYS);
    proxy.intercept(() => ({ kind: "stall" }));
    const started = Date.now();
    const error = await failure({ requestTimeoutMs: 300, maxAttempts: 2 });
    expect(error.code).toBe("E_ECR_TIMEOUT");
    expect(error.retryable).toBe(true);
    expect(error.message).toBe(`no answer from ECR for ${SERVER} within 300 ms per request after 2 attempts`);
    expect(Date.now() - started).toBeLessThan(20_000); // bounded (a hang would be the test's timeout)
    const deadline = await failure({ requestTimeoutMs: 5_000, deadlineMs: 400, maxAttempts: 3 });
    expect(deadline.message).toBe(
      `minting an ECR token for ${SERVER} took longer than 400 ms (credentials, retries and all)`,
    );
  });

  it("clock skew: the SDK corrects its clock from the answer's Date and retries; a skew that stays is named", async () => {
    awsEnv(STATIC_KEYS);
    const ahead = new Date(Date.now() + 3600_000);
    const skewed = {
      kind: "json",
      status: 403,
      type: "InvalidSignatureException",
      message:
        "Signature expired: 20260601T000000Z is now earlier than 20260601T005500Z (20260601T010000Z - 5 min.)",
      headers: { date: ahead.toUTCString() },
    } as const;
    proxy.intercept((request, index) => (request.service === "ecr" && index === 0 ? skewed : undefined));
    expect((await mint()).password).toBe(MOTO_PASSWORD);
    const [first, second] = ecrRequests();
    expect(second?.amzDate).not.toBe(first?.amzDate); // re-signed at the server's time

    proxy.requests.length = 0;
    proxy.intercept(() => skewed);
    const error = await failure();
    expect(error.code).toBe("E_AWS_CLOCK_SKEW");
    expect(error.hint).toMatch(/synchronise the clock/);
  });

  it("a redirect is not followed: the signed request and its credentials never reach another host", async () => {
    const elsewhere: string[] = [];
    const other = createServer((req, res) => {
      elsewhere.push(`${req.method} ${req.url} ${req.headers.authorization ?? ""}`);
      res.end("{}");
    });
    await new Promise<void>((resolve) => other.listen(0, "127.0.0.1", resolve));
    try {
      const { port } = other.address() as AddressInfo;
      awsEnv(STATIC_KEYS);
      proxy.intercept(() => ({
        kind: "json",
        status: 307,
        type: "TemporaryRedirect",
        message: "moved",
        headers: { location: `http://127.0.0.1:${port}/` },
      }));
      const error = await failure({ maxAttempts: 1 });
      expect(error.code).toBe("E_ECR_FAILED");
      expect(elsewhere).toEqual([]);
    } finally {
      other.closeAllConnections();
      await new Promise<void>((resolve) => other.close(() => resolve()));
    }
  });

  it("ECR Public is refused with why (an input error, nothing sent)", async () => {
    awsEnv(STATIC_KEYS);
    const error = await mintEcrCredential({ server: "public.ecr.aws" }).catch(
      (e: unknown) => e as Error & { code: string; exitCode: number },
    );
    expect(error).toMatchObject({ code: "E_ECR_PUBLIC_UNSUPPORTED", exitCode: 3 });
    expect(proxy.requests).toEqual([]);
  });
});
