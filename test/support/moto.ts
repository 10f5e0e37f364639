// moto (PyPI `moto[server]`, pinned by scripts/install-test-deps.sh in .cache/moto-venv): an independent AWS
// emulation of ECR, STS and IAM on 127.0.0.1, one server per test file. The real AWS SDK is pointed at it with
// AWS_ENDPOINT_URL_ECR / AWS_ENDPOINT_URL_STS (or a client's `endpoint`). moto routes a request by the service
// named in its SigV4 Authorization header and checks no signature, so `awsQuery` (IAM's query API, for setting
// up roles) sends an unsigned one with the right credential scope.
import { existsSync } from "node:fs";
import { join } from "node:path";
import { LOOPBACK, waitUntil } from "./net.js";
import { startServer } from "./processes.js";
import type { ServerProcess } from "./processes.js";
import { REPO_ROOT } from "./tools.js";

export const MOTO_VERSION = "5.2.1";

export interface Moto {
  readonly endpoint: string;
  readonly port: number;
  /** An AWS query-protocol call (IAM, STS) answered by moto; the body is moto's XML. */
  awsQuery(
    service: "iam" | "sts",
    action: string,
    params: Record<string, string>,
  ): Promise<{ status: number; body: string }>;
  /** Creates an IAM role (moto's IAM) and returns its ARN. */
  createRole(name: string, trustPolicy?: object): Promise<string>;
  logs(): string;
  stop(): Promise<void>;
}

/** The moto_server of the pinned venv; a missing one fails with the command that installs it. */
export function requireMoto(): string {
  const path = join(REPO_ROOT, ".cache", "moto-venv", "bin", "moto_server");
  if (!existsSync(path)) {
    throw new Error(
      `moto_server not found at ${path}: run scripts/install-test-deps.sh (installs moto[server]==${MOTO_VERSION})`,
    );
  }
  return path;
}

const WEB_IDENTITY_TRUST = {
  Version: "2012-10-17",
  Statement: [
    {
      Effect: "Allow",
      Principal: {
        Federated: "arn:aws:iam::123456789012:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/TEST",
      },
      Action: "sts:AssumeRoleWithWebIdentity",
    },
  ],
};

/** Starts moto_server on 127.0.0.1 with a port the OS picks; resolves once it answers. */
export async function startMoto(opts: { env?: NodeJS.ProcessEnv } = {}): Promise<Moto> {
  const server: ServerProcess = startServer(requireMoto(), ["-H", LOOPBACK, "-p", "0"], {
    // TZ too: moto answers expiresAt in its local time (time.mktime), which tests compare in theirs.
    env: {
      PATH: process.env.PATH ?? "/usr/bin:/bin",
      HOME: process.env.HOME ?? "/tmp",
      ...(process.env.TZ ? { TZ: process.env.TZ } : {}),
      ...opts.env,
    },
  });
  let port = 0;
  await waitUntil(
    "moto_server to listen",
    () => {
      const match = /Running on http:\/\/127\.0\.0\.1:(\d+)/.exec(server.logs());
      if (match) port = Number(match[1]);
      return port !== 0;
    },
    {
      timeoutMs: 30_000,
      abortIf: () => (server.exited() ? "moto_server exited" : undefined),
      describe: () => server.logs(),
    },
  );
  const endpoint = `http://${LOOPBACK}:${port}`;
  await waitUntil("moto_server to answer", async () => (await fetch(`${endpoint}/moto-api/`)).ok, {
    timeoutMs: 30_000,
    describe: () => server.logs(),
  });

  const awsQuery: Moto["awsQuery"] = async (service, action, params) => {
    const version = service === "iam" ? "2010-05-08" : "2011-06-15";
    const response = await fetch(endpoint, {
      method: "POST",
      headers: {
        "content-type": "application/x-www-form-urlencoded",
        authorization: `AWS4-HMAC-SHA256 Credential=AKIDMOTOSETUP/20260601/us-east-1/${service}/aws4_request, SignedHeaders=host, Signature=0`,
      },
      body: new URLSearchParams({ Action: action, Version: version, ...params }).toString(),
    });
    return { status: response.status, body: await response.text() };
  };

  return {
    endpoint,
    port,
    awsQuery,
    async createRole(name, trustPolicy = WEB_IDENTITY_TRUST) {
      const { status, body } = await awsQuery("iam", "CreateRole", {
        RoleName: name,
        AssumeRolePolicyDocument: JSON.stringify(trustPolicy),
      });
      const arn = /<Arn>([^<]+)<\/Arn>/.exec(body)?.[1];
      if (status !== 200 || !arn) throw new Error(`moto IAM CreateRole ${name}: HTTP ${status}: ${body}`);
      return arn;
    },
    logs: () => server.logs(),
    stop: () => server.stop(),
  };
}
