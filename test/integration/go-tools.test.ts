// The Go programs scripts/build-go-tools.sh builds from pinned modules (go/): each runs here and is the pinned
// version, and the kubelet credential-provider harness (kubelet's own pkg/credentialprovider/plugin) runs a
// provider exactly as kubelet does: a trivial provider, then ecr-credential-provider, which it execs too.
import { chmodSync, mkdirSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeScratchDir, removeScratchDir, requireGoTool, runCommand } from "../support/index.js";
import type { GoToolName } from "../support/index.js";

let dir: string;
beforeAll(() => {
  dir = makeScratchDir("go-tools");
});
afterAll(() => removeScratchDir(dir));

async function run(
  name: GoToolName,
  args: string[],
): Promise<{ stdout: string; stderr: string; exitCode: number }> {
  return runCommand(requireGoTool(name), args, { env: { PATH: process.env.PATH, HOME: dir } });
}

describe("pinned versions", () => {
  it.each<[GoToolName, string[], RegExp]>([
    ["etcd", ["--version"], /^etcd Version: 3\.7\.0$/m],
    ["kube-apiserver", ["--version"], /^Kubernetes v1\.37\.2$/m],
    ["kube-controller-manager", ["--version"], /^Kubernetes v1\.37\.2$/m],
    ["kubectl", ["version", "--client"], /^Client Version: v1\.37\.2$/m],
    ["kubectl-1.32", ["version", "--client"], /^Client Version: v1\.32\.4$/m],
    ["helm", ["version", "--short"], /^v4\.3\.2/m],
    ["crane", ["version"], /^v0\.22\.1$/m],
  ])("%s %s", async (name, args, version) => {
    const result = await run(name, args);
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stdout).toMatch(version);
  });
});

function providerConfig(name: string, matchImages: string[]): string {
  return [
    "apiVersion: kubelet.config.k8s.io/v1",
    "kind: CredentialProviderConfig",
    "providers:",
    `  - name: ${name}`,
    `    matchImages: [${matchImages.map((m) => JSON.stringify(m)).join(", ")}]`,
    "    defaultCacheDuration: 10m",
    "    apiVersion: credentialprovider.kubelet.k8s.io/v1",
    "",
  ].join("\n");
}

describe("credprovider-harness (kubelet's credential-provider plugin code)", () => {
  it("execs a provider with the CredentialProviderRequest and prints what kubelet would hand the runtime", async () => {
    const bin = join(dir, "bin-fake");
    mkdirSync(bin);
    const seen = join(dir, "request.json");
    writeFileSync(
      join(bin, "fake-provider"),
      [
        "#!/bin/sh",
        `cat > '${seen}'`,
        `echo '{"apiVersion":"credentialprovider.kubelet.k8s.io/v1","kind":"CredentialProviderResponse","cacheKeyType":"Registry","cacheDuration":"60s","auth":{"*.example.com":{"username":"u","password":"p"}}}'`,
        "",
      ].join("\n"),
    );
    chmodSync(join(bin, "fake-provider"), 0o755);
    const config = join(dir, "fake.yaml");
    writeFileSync(config, providerConfig("fake-provider", ["*.example.com"]));
    const result = await run("credprovider-harness", [
      "--config",
      config,
      "--bin-dir",
      bin,
      "--image",
      "reg.example.com/app:1",
      "--image",
      "other.io/x:1",
    ]);
    expect(result.exitCode, result.stderr).toBe(0);
    expect(
      result.stdout
        .trim()
        .split("\n")
        .map((l) => JSON.parse(l) as unknown),
    ).toEqual([
      { image: "reg.example.com/app:1", found: true, credentials: [{ username: "u", password: "p" }] },
      // matchImages does not match: kubelet does not run the provider.
      { image: "other.io/x:1", found: false, credentials: [] },
    ]);
    const { readFileSync } = await import("node:fs");
    expect(JSON.parse(readFileSync(seen, "utf8"))).toEqual({
      kind: "CredentialProviderRequest",
      apiVersion: "credentialprovider.kubelet.k8s.io/v1",
      image: "reg.example.com/app:1",
    });
  });

  it("runs ecr-credential-provider; without AWS credentials it fails and kubelet goes on with none", async () => {
    const bin = join(dir, "bin-ecr");
    mkdirSync(bin);
    symlinkSync(requireGoTool("ecr-credential-provider"), join(bin, "ecr-credential-provider"));
    const config = join(dir, "ecr.yaml");
    writeFileSync(config, providerConfig("ecr-credential-provider", ["*.dkr.ecr.*.amazonaws.com"]));
    const result = await runCommand(
      requireGoTool("credprovider-harness"),
      ["--config", config, "--bin-dir", bin, "--image", "123456789012.dkr.ecr.eu-west-1.amazonaws.com/app:1"],
      // No credentials and no reachable endpoint: the provider fails fast instead of reaching AWS.
      {
        env: {
          PATH: process.env.PATH,
          HOME: dir,
          AWS_ACCESS_KEY_ID: "",
          AWS_EC2_METADATA_DISABLED: "true",
          AWS_ENDPOINT_URL_ECR: "http://127.0.0.1:9",
          AWS_MAX_ATTEMPTS: "1",
        },
        timeoutMs: 60_000,
      },
    );
    expect(result.exitCode, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({
      image: "123456789012.dkr.ecr.eu-west-1.amazonaws.com/app:1",
      found: false,
      credentials: [],
    });
    expect(result.stderr).toContain("Failed to provide credentials for image");
  });
});
