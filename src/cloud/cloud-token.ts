/**
 * The `cloud-token` credential source of a layout: a short-lived registry password minted by the cloud's own CLI
 * when the secret is written, exactly as the rotation script `plan` writes does it:
 * - ECR: `aws ecr get-login-password --region REGION`, username `AWS` (valid 12 hours);
 * - ACR: `az acr login --name NAME --expose-token --output tsv --query accessToken`, username
 *   00000000-0000-0000-0000-000000000000 (an ACR refresh token, about 3 hours).
 * The token is never printed; a failing CLI is an environment error naming the command.
 */
import { execFile } from "node:child_process";
import { EnvironmentError, InputError } from "../errors.js";
import type { CliIo } from "./io.js";

export interface CloudTokenSource {
  readonly kind: "cloud-token";
  readonly provider: "ecr" | "acr";
  readonly server: string;
  readonly region?: string;
  readonly registryName?: string;
}

/** Runs a cloud CLI that prints a registry password (aws ecr get-login-password, az acr login --expose-token). */
export type CloudTokenCommand = (command: string, args: readonly string[], io: CliIo) => Promise<string>;

export const ACR_TOKEN_USERNAME = "00000000-0000-0000-0000-000000000000";

/** Runs a command with the user's environment; resolves to its stdout, rejects with its stderr's first line. */
export const runCloudCommand: CloudTokenCommand = (command, args, io) =>
  new Promise((resolve, reject) => {
    execFile(
      command,
      [...args],
      { env: { ...io.env } as NodeJS.ProcessEnv, cwd: io.cwd, timeout: 60_000, maxBuffer: 1024 * 1024 },
      (error, stdout, stderr) => {
        if (!error) {
          resolve(String(stdout));
          return;
        }
        const code = (error as NodeJS.ErrnoException).code;
        const why =
          code === "ENOENT"
            ? `${command} is not installed (not found on PATH)`
            : String(stderr).trim().split("\n")[0] || error.message;
        reject(new EnvironmentError("E_CLOUD_TOKEN", `${command} ${args.join(" ")} failed: ${why}`));
      },
    );
  });

function commandFor(source: CloudTokenSource): { command: string; args: string[]; username: string } {
  if (source.provider === "ecr") {
    if (!source.region)
      throw new InputError("E_SOURCE_INCOMPLETE", `ECR source for ${source.server} has no region`);
    return {
      command: "aws",
      args: ["ecr", "get-login-password", "--region", source.region],
      username: "AWS",
    };
  }
  const name = source.registryName ?? source.server.split(".")[0] ?? "";
  return {
    command: "az",
    args: ["acr", "login", "--name", name, "--expose-token", "--output", "tsv", "--query", "accessToken"],
    username: ACR_TOKEN_USERNAME,
  };
}

/** The `.dockerconfigjson` text holding a freshly minted token for the source's registry. */
export async function cloudTokenPayload(
  source: CloudTokenSource,
  io: CliIo,
  run: CloudTokenCommand = runCloudCommand,
): Promise<string> {
  const { command, args, username } = commandFor(source);
  const password = (await run(command, args, io)).trim();
  if (password === "") {
    throw new EnvironmentError("E_CLOUD_TOKEN", `${command} ${args.join(" ")} printed no token`, {
      hint: source.provider === "ecr" ? "check aws sts get-caller-identity" : "check az account show",
    });
  }
  const { buildDockerConfigJson } = await import("../dockerconfig/index.js");
  return buildDockerConfigJson([{ server: source.server, username, password }]);
}
