// The real kubectl, run offline: empty HOME, no kubeconfig, so only client-side commands work
// (`create secret docker-registry --dry-run=client` is the reference for pull-secret byte-compatibility).
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { runCommand } from "./processes.js";
import type { CommandResult } from "./processes.js";
import { makeScratchDir } from "./scratch.js";
import { requireTool } from "./tools.js";

let homeDir: string | undefined;

/**
 * Runs kubectl with HOME set to an empty scratch directory and no KUBECONFIG (so there is no cluster config at
 * all; pointing KUBECONFIG at a missing file would make kubectl 1.20 warn "Config not found" on stderr).
 */
export function runKubectl(
  args: string[],
  /** `bin`: a kubectl of a given version (e.g. requireGoTool("kubectl-1.32")); default: kubectl on PATH. */
  opts: { input?: string; env?: NodeJS.ProcessEnv; bin?: string } = {},
): Promise<CommandResult> {
  if (!homeDir) {
    homeDir = makeScratchDir("kubectl");
    mkdirSync(join(homeDir, "home"), { recursive: true });
  }
  const home = join(homeDir, "home");
  return runCommand(opts.bin ?? requireTool("kubectl"), args, {
    input: opts.input,
    env: {
      PATH: process.env.PATH ?? "/usr/bin:/bin",
      HOME: home,
      ...opts.env,
    },
  });
}

export interface DockerRegistrySecretOptions {
  name?: string;
  namespace?: string;
  server?: string;
  username: string;
  password: string;
  email?: string;
  output?: "json" | "yaml";
}

/** `kubectl create secret docker-registry NAME ... --dry-run=client -o json|yaml`. */
export function kubectlCreateDockerRegistrySecret(opts: DockerRegistrySecretOptions): Promise<CommandResult> {
  const args = ["create", "secret", "docker-registry", opts.name ?? "regcred"];
  if (opts.namespace) args.push("--namespace", opts.namespace);
  if (opts.server !== undefined) args.push(`--docker-server=${opts.server}`);
  args.push(`--docker-username=${opts.username}`, `--docker-password=${opts.password}`);
  if (opts.email !== undefined) args.push(`--docker-email=${opts.email}`);
  args.push("--dry-run=client", "-o", opts.output ?? "json");
  return runKubectl(args);
}

/** The decoded `.dockerconfigjson` (exact bytes, as a string) of a Secret printed with `-o json`. */
export function dockerConfigJsonFromSecret(secretJson: string): string {
  const secret = JSON.parse(secretJson) as { data?: Record<string, string> };
  const b64 = secret.data?.[".dockerconfigjson"];
  if (b64 === undefined) throw new Error("secret has no data[.dockerconfigjson]");
  return Buffer.from(b64, "base64").toString("utf8");
}
