/**
 * The `cloud-token` credential source: a short-lived registry password minted by the cloud's own CLI when the
 * secret is written, exactly as the rotation script `plan` writes does it:
 * - ECR: `aws ecr get-login-password --region REGION`, username `AWS` (valid 12 hours);
 * - ACR: `az acr login --name NAME --expose-token --output tsv --query accessToken`, username
 *   00000000-0000-0000-0000-000000000000 (an ACR refresh token, about 3 hours).
 * The CLI runs through the one bounded runner (src/process): killed after a minute, never waited for once it has
 * exited. The token is never shown; a failing CLI is an environment error naming the command, with what it said
 * on stderr redacted on one line.
 */
import { EnvironmentError, InputError } from "../errors.js";
import type { CredentialSource } from "../desired/index.js";
import { describeAbnormalEnd, stderrForDisplay } from "../process/bounded-exec.js";
import type { ProcessRun } from "../process/bounded-exec.js";
import {
  ACR_REFRESH_TOKEN_USERNAME,
  ECR_TOKEN_LIFETIME_MS,
  ECR_USERNAME,
  classifyToken,
} from "../tokens/index.js";
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

function commandFor(source: CloudTokenTarget, env: SourcePorts["env"]): CloudCommand {
  if (source.provider === "ecr") {
    if (!source.region)
      throw new InputError("E_SOURCE_INCOMPLETE", `ECR source for ${source.server} has no region`);
    const profile = env["AWS_PROFILE"];
    return {
      command: "aws",
      args: ["ecr", "get-login-password", "--region", source.region],
      username: ECR_USERNAME,
      identity: `the aws CLI's credentials (${profile ? `profile ${profile}` : "default chain"})`,
      install: "install the AWS CLI and sign in (aws configure, or aws sso login)",
      whoAmI: "check aws sts get-caller-identity",
    };
  }
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

/** Runs the cloud's CLI and returns the registry credential it printed. */
export async function mintCloudToken(
  source: CloudTokenTarget,
  ports: Pick<SourcePorts, "env" | "cwd" | "now" | "exec" | "displayLine">,
): Promise<ResolvedCredential> {
  const cloud = commandFor(source, ports.env);
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
  const readable = classifyToken({ username: cloud.username, password }).expiresAt;
  const expiresAt =
    readable ??
    (source.provider === "ecr" ? new Date(ports.now().getTime() + ECR_TOKEN_LIFETIME_MS) : undefined);
  return {
    server: source.server,
    username: cloud.username,
    password,
    ...(expiresAt ? { expiresAt } : {}),
    source: commandLine,
    identity: cloud.identity,
  };
}
