// Fakes of the two link-local credential endpoints the AWS SDK's default chain asks, where moto has nothing:
// - EKS Pod Identity's agent (the SDK's container-credentials provider, `fromHttp`): `GET <full uri>` with
//   `Authorization: <contents of AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE>` (no "Bearer"), answering
//   {AccessKeyId, SecretAccessKey, Token, AccountId, Expiration} (reference §C.3, wire capture);
// - EC2 instance metadata, IMDSv2 only (https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/instancedata-data-retrieval.html,
//   .../iam-roles-for-amazon-ec2.html#instance-metadata-security-credentials): `PUT /latest/api/token` with
//   `X-aws-ec2-metadata-token-ttl-seconds` yields a session token; every `GET` must carry it in
//   `X-aws-ec2-metadata-token` (401 otherwise); `/latest/meta-data/iam/security-credentials/` lists the role,
//   `.../<role>` answers {Code, LastUpdated, Type, AccessKeyId, SecretAccessKey, Token, Expiration}.
// Both record what they were sent.
import { createServer } from "node:http";
import type { IncomingHttpHeaders, Server } from "node:http";
import type { AddressInfo } from "node:net";
import { LOOPBACK } from "./net.js";

export interface FakeAwsCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken: string;
  readonly expiration: Date;
  readonly accountId?: string;
}

export interface RecordedCredentialRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
}

export interface CredentialEndpoint {
  /** The base URL (IMDS) or the full credentials URL (Pod Identity). */
  readonly url: string;
  readonly requests: RecordedCredentialRequest[];
  stop(): Promise<void>;
}

async function listen(server: Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, LOOPBACK, resolve));
  return (server.address() as AddressInfo).port;
}

function closer(server: Server): () => Promise<void> {
  return async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
}

/** EKS Pod Identity's agent: answers `GET /v1/credentials` whose Authorization equals `authorizationToken`. */
export async function startPodIdentityAgent(opts: {
  readonly authorizationToken: string;
  readonly credentials: FakeAwsCredentials;
}): Promise<CredentialEndpoint> {
  const requests: RecordedCredentialRequest[] = [];
  const server = createServer((req, res) => {
    requests.push({ method: req.method ?? "", path: req.url ?? "", headers: req.headers });
    if (req.method !== "GET" || req.url !== "/v1/credentials") {
      res.writeHead(404).end();
      return;
    }
    if (req.headers.authorization !== opts.authorizationToken) {
      res.writeHead(401, { "content-type": "application/json" });
      res.end(JSON.stringify({ message: "invalid authorization token" }));
      return;
    }
    const { credentials } = opts;
    res.writeHead(200, { "content-type": "application/json" });
    res.end(
      JSON.stringify({
        AccessKeyId: credentials.accessKeyId,
        SecretAccessKey: credentials.secretAccessKey,
        Token: credentials.sessionToken,
        AccountId: credentials.accountId ?? "123456789012",
        Expiration: credentials.expiration.toISOString(),
      }),
    );
  });
  const port = await listen(server);
  return { url: `http://${LOOPBACK}:${port}/v1/credentials`, requests, stop: closer(server) };
}

/** IMDSv2 with one instance-profile role. */
export async function startImdsV2(opts: {
  readonly roleName: string;
  readonly credentials: FakeAwsCredentials;
}): Promise<CredentialEndpoint & { readonly sessionTokens: readonly string[] }> {
  const requests: RecordedCredentialRequest[] = [];
  const sessionTokens: string[] = [];
  const server = createServer((req, res) => {
    requests.push({ method: req.method ?? "", path: req.url ?? "", headers: req.headers });
    const path = req.url ?? "";
    if (path === "/latest/api/token") {
      const ttl = Number(req.headers["x-aws-ec2-metadata-token-ttl-seconds"]);
      if (req.method !== "PUT" || !Number.isInteger(ttl) || ttl < 1 || ttl > 21600) {
        res.writeHead(req.method === "PUT" ? 400 : 405).end();
        return;
      }
      const token = `imds-session-${sessionTokens.length + 1}-${"x".repeat(24)}`;
      sessionTokens.push(token);
      res.writeHead(200, {
        "content-type": "text/plain",
        "x-aws-ec2-metadata-token-ttl-seconds": String(ttl),
      });
      res.end(token);
      return;
    }
    const token = req.headers["x-aws-ec2-metadata-token"];
    if (req.method !== "GET" || typeof token !== "string" || !sessionTokens.includes(token)) {
      res.writeHead(401).end();
      return;
    }
    const base = "/latest/meta-data/iam/security-credentials/";
    if (path === base) {
      res.writeHead(200, { "content-type": "text/plain" }).end(opts.roleName);
      return;
    }
    if (path === `${base}${opts.roleName}`) {
      const { credentials } = opts;
      res.writeHead(200, { "content-type": "text/plain" });
      res.end(
        JSON.stringify({
          Code: "Success",
          LastUpdated: new Date(credentials.expiration.getTime() - 6 * 3600_000).toISOString(),
          Type: "AWS-HMAC",
          AccessKeyId: credentials.accessKeyId,
          SecretAccessKey: credentials.secretAccessKey,
          Token: credentials.sessionToken,
          Expiration: credentials.expiration.toISOString(),
        }),
      );
      return;
    }
    res.writeHead(404).end();
  });
  const port = await listen(server);
  return { url: `http://${LOOPBACK}:${port}`, requests, sessionTokens, stop: closer(server) };
}
