// Running pullwarden-credential-provider the way kubelet does: through credprovider-harness, which is kubelet's
// own pkg/credentialprovider/plugin (k8s.io/kubernetes v1.37.2, go/kubernetes/credprovider-harness/main.go):
// it reads the CredentialProviderConfig, registers the providers found in the bin dir, and for each image prints
// what kubelet would hand the container runtime. Lookups of one run share kubelet's credential cache.
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { REPO_ROOT, requireGoTool, runCommand } from "../support/index.js";

/**
 * The built plugin, as package.json's bin names it (`npm run build`), or the executable
 * PULLWARDEN_CREDENTIAL_PROVIDER_BIN names (a single executable: test/release/binaries.test.ts).
 */
export function builtPlugin(): string {
  const executable = process.env["PULLWARDEN_CREDENTIAL_PROVIDER_BIN"];
  if (executable !== undefined) {
    if (!existsSync(executable))
      throw new Error(`PULLWARDEN_CREDENTIAL_PROVIDER_BIN=${executable} does not exist`);
    return executable;
  }
  const pkg = JSON.parse(readFileSync(join(REPO_ROOT, "package.json"), "utf8")) as {
    bin: Record<string, string>;
  };
  const path = join(REPO_ROOT, pkg.bin["pullwarden-credential-provider"] ?? "missing");
  if (!existsSync(path)) throw new Error(`${path} is missing: run npm run build`);
  return path;
}

export const PLUGIN_NAME = "pullwarden-credential-provider";
export const V1 = "credentialprovider.kubelet.k8s.io/v1";

export interface ProviderSpec {
  name?: string;
  matchImages: string[];
  defaultCacheDuration?: string;
  apiVersion?: string;
  args?: string[];
  env?: { name: string; value: string }[];
  tokenAttributes?: Record<string, unknown>;
}

/** A kubelet.config.k8s.io/v1 CredentialProviderConfig (JSON, which kubelet's YAML decoder reads). */
export function writeProviderConfig(path: string, providers: ProviderSpec[]): string {
  writeFileSync(
    path,
    JSON.stringify({
      apiVersion: "kubelet.config.k8s.io/v1",
      kind: "CredentialProviderConfig",
      providers: providers.map((p) => ({
        name: p.name ?? PLUGIN_NAME,
        matchImages: p.matchImages,
        defaultCacheDuration: p.defaultCacheDuration ?? "10m",
        apiVersion: p.apiVersion ?? V1,
        ...(p.args ? { args: p.args } : {}),
        ...(p.env ? { env: p.env } : {}),
        ...(p.tokenAttributes ? { tokenAttributes: p.tokenAttributes } : {}),
      })),
    }),
  );
  return path;
}

/**
 * A bin dir holding `name`: the built plugin (or `target`) behind a wrapper that records each exec (the request
 * kubelet wrote and the answer, one file each per exec), so tests see how often kubelet ran it and with what.
 */
export function pluginBinDir(
  dir: string,
  name = PLUGIN_NAME,
  target = builtPlugin(),
): { binDir: string; requests: () => unknown[]; responses: () => string[] } {
  const binDir = join(dir, `bin-${name}`);
  const seen = join(dir, `requests-${name}`);
  mkdirSync(binDir, { recursive: true });
  mkdirSync(seen, { recursive: true });
  writeFileSync(
    join(binDir, name),
    [
      "#!/bin/bash",
      // One request and one response file per exec; the pipeline's status is the plugin's.
      "set -o pipefail",
      'id="$(date +%s%N)-$$"',
      `tee "${seen}/$id.json" | "${target}" "$@" | tee "${seen}/$id.response"`,
      "",
    ].join("\n"),
  );
  chmodSync(join(binDir, name), 0o755);
  return {
    binDir,
    requests: () =>
      readdirSync(seen)
        .filter((file) => file.endsWith(".json"))
        .sort()
        .map((file) => JSON.parse(readFileSync(join(seen, file), "utf8")) as unknown),
    responses: () =>
      readdirSync(seen)
        .filter((file) => file.endsWith(".response"))
        .sort()
        .map((file) => readFileSync(join(seen, file), "utf8")),
  };
}

export interface HarnessCredential {
  username?: string;
  password?: string;
  serviceAccount?: string;
}

export interface HarnessResult {
  exitCode: number;
  stderr: string;
  lookups: { image: string; found: boolean; credentials: HarnessCredential[] }[];
}

export interface HarnessOptions {
  config: string;
  binDir: string;
  images: string[];
  kubeconfig?: string;
  serviceAccount?: string;
  podNamespace?: string;
  podName?: string;
  podUid?: string;
  /** Added to kubelet's environment (PATH and HOME are set). */
  env?: Record<string, string>;
}

export async function runHarness(options: HarnessOptions): Promise<HarnessResult> {
  const args = ["--config", options.config, "--bin-dir", options.binDir];
  for (const image of options.images) args.push("--image", image);
  if (options.kubeconfig) args.push("--kubeconfig", options.kubeconfig);
  if (options.serviceAccount) args.push("--service-account", options.serviceAccount);
  if (options.podNamespace) args.push("--pod-namespace", options.podNamespace);
  if (options.podName) args.push("--pod-name", options.podName);
  if (options.podUid) args.push("--pod-uid", options.podUid);
  const result = await runCommand(requireGoTool("credprovider-harness"), args, {
    env: { PATH: process.env.PATH, HOME: "/nonexistent", ...options.env },
    timeoutMs: 90_000,
  });
  const lookups = result.stdout
    .trim()
    .split("\n")
    .filter((line) => line !== "")
    .map((line) => JSON.parse(line) as HarnessResult["lookups"][number]);
  return { exitCode: result.exitCode, stderr: result.stderr, lookups };
}
