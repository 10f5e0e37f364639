/**
 * The `cloud-token` credential source: a short-lived registry password minted when the secret is written.
 * Each provider has its minter (`MINTERS`, one function per provider):
 * - ECR: the AWS SDK (cloud/ecr/, loaded only here): GetAuthorizationToken with the default credential chain the
 *   aws CLI also reads (environment, profiles incl. AWS_PROFILE and SSO, IRSA, EKS Pod Identity, IMDSv2), region
 *   and account from the registry host, expiry from ECR's answer; username `AWS`. No `aws` process runs.
 * - ACR: `az acr login --name NAME --expose-token --output tsv --query accessToken`, username
 *   00000000-0000-0000-0000-000000000000 (an ACR refresh token, about 3 hours), until cloud/acr/ replaces it.
 * A CLI runs through the one bounded runner (src/process): killed after a minute, never waited for once it has
 * exited. The token is never shown; a failing CLI is an environment error naming the command, with what it said
 * on stderr redacted on one line. The rotation script `plan` writes keeps the CLIs (it runs on a user's machine).
 */
import { EnvironmentError } from "../errors.js";
import type { CredentialSource } from "../desired/index.js";
import { describeAbnormalEnd, stderrForDisplay } from "../process/bounded-exec.js";
import type { ProcessRun } from "../process/bounded-exec.js";
import { ACR_REFRESH_TOKEN_USERNAME, classifyToken } from "../tokens/index.js";
import type { ResolvedCredential, SourcePorts } from "./source.js";

/** A cloud CLI that has not printed its token within this is stuck (a login or MFA prompt nobody sees). */
export const CLOUD_CLI_TIMEOUT_MS = 60_000;
/** A token is a few kilobytes; more output than this is not one. */
const MAX_TOKEN_OUTPUT_BYTES = 1024 * 1024;

/** What minting needs of a layout's `cloud-token` source (not how often it is rotated). */
export type CloudTokenTarget = Pick<
  Extract<CredentialSource, { kind: "cloud-token" }>,
  "provider" | "server" | "region" | "registryName"
>;

interface CloudCommand {
  readonly command: string;
  readonly args: readonly string[];
  readonly username: string;
  /** Whose credentials the CLI uses, as far as the environment says. */
  readonly identity: string;
  readonly install: string;
  readonly whoAmI: string;
}

/** The az CLI's command for an ACR source. */
function acrCommand(source: CloudTokenTarget): CloudCommand {
  const name = source.registryName ?? source.server.split(".")[0] ?? "";
  return {
    command: "az",
    args: ["acr", "login", "--name", name, "--expose-token", "--output", "tsv", "--query", "accessToken"],
    username: ACR_REFRESH_TOKEN_USERNAME,
    identity: "the az CLI's signed-in account",
    install: "install the Azure CLI and run az login",
    whoAmI: "check az account show",
  };
}

function failed(cloud: CloudCommand, why: string, hint: string, cause?: unknown): EnvironmentError {
  return new EnvironmentError("E_CLOUD_TOKEN", `${cloud.command} ${cloud.args.join(" ")} failed: ${why}`, {
    hint,
    ...(cause !== undefined ? { cause } : {}),
  });
}

/** What a minter may use of the world. */
export type CloudTokenPorts = Pick<SourcePorts, "env" | "cwd" | "now" | "exec" | "displayLine" | "warn">;

/** ECR through the AWS SDK: the host says the region and account; a source's region must agree with it. */
async function mintEcrToken(source: CloudTokenTarget, ports: CloudTokenPorts): Promise<ResolvedCredential> {
  const { mintEcrCredential } = await import("./ecr/index.js");
  return mintEcrCredential({
    server: source.server,
    region: source.region,
    warn: (message) => ports.warn(message),
  });
}

/** How each provider mints. */
const MINTERS: Record<
  CloudTokenTarget["provider"],
  (source: CloudTokenTarget, ports: CloudTokenPorts) => Promise<ResolvedCredential>
> = {
  ecr: mintEcrToken,
  acr: mintWithCli,
};

/** Mints the registry credential of a `cloud-token` source with its provider's minter. */
export function mintCloudToken(
  source: CloudTokenTarget,
  ports: CloudTokenPorts,
): Promise<ResolvedCredential> {
  return MINTERS[source.provider](source, ports);
}

/** Runs the cloud's CLI and returns the registry credential it printed. */
async function mintWithCli(source: CloudTokenTarget, ports: CloudTokenPorts): Promise<ResolvedCredential> {
  const cloud = acrCommand(source);
  const commandLine = `${cloud.command} ${cloud.args.join(" ")}`;
  let run: ProcessRun;
  try {
    run = await ports.exec(cloud.command, cloud.args, {
      env: ports.env,
      cwd: ports.cwd,
      timeoutMs: CLOUD_CLI_TIMEOUT_MS,
      maxStdoutBytes: MAX_TOKEN_OUTPUT_BYTES,
    });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why =
      code === "ENOENT"
        ? `${cloud.command} is not installed (not found on PATH)`
        : `${cloud.command} cannot be started (${code ?? "error"})`;
    throw failed(cloud, why, cloud.install, error);
  }
  if (run.outcome !== "exited") {
    const hint =
      run.outcome === "timed-out"
        ? `run ${commandLine} in a terminal to see what it waits for (a login or MFA prompt?)`
        : cloud.whoAmI;
    throw failed(cloud, describeAbnormalEnd(run), hint);
  }
  if (run.exitCode !== 0) {
    const said = stderrForDisplay(run.stderr, { stdout: run.stdout, displayLine: ports.displayLine });
    throw failed(cloud, said || `exit code ${run.exitCode}`, cloud.whoAmI);
  }
  const password = run.stdout.trim();
  if (password === "") {
    throw new EnvironmentError("E_CLOUD_TOKEN", `${commandLine} printed no token`, { hint: cloud.whoAmI });
  }
  const expiresAt = classifyToken({ username: cloud.username, password }).expiresAt;
  return {
    server: source.server,
    username: cloud.username,
    password,
    ...(expiresAt ? { expiresAt } : {}),
    source: commandLine,
    identity: cloud.identity,
  };
}
