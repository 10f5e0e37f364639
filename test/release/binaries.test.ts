// The single executables (scripts/build-binaries.mjs), run as a user runs them: the built amd64 files, not the
// sources. --version names the embedded Node.js; secret create prints exactly what `node dist/bin/main.js` prints;
// the README examples and the credential-provider suite (kubelet's own code, containerd's CRI) pass against them
// (the same test files, pointed at the executables by PULLWARDEN_BIN and PULLWARDEN_CREDENTIAL_PROVIDER_BIN). The
// credential provider starts from a V8 startup snapshot: it answers as the dist plugin does, reading its flags,
// stdin and environment when it runs. The arm64 files are built too and checked as files (ELF aarch64, checksums);
// they run under qemu-user when installed.
import { createHash } from "node:crypto";
import { spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { REPO_ROOT, makeScratchDir, removeScratchDir, requireTool, runCommand } from "../support/index.js";
import {
  EMBEDDED_NODE_VERSION,
  RELEASE_DIR,
  SECRET_CREATE_ARGS,
  ensureReleaseBinaries,
  releaseBinary,
} from "./release-binaries.js";

const pullwarden = releaseBinary("pullwarden", "amd64");
const provider = releaseBinary("pullwarden-credential-provider", "amd64");
const distCli = join(REPO_ROOT, "dist/bin/main.js");
const distPlugin = join(REPO_ROOT, "dist/bin/credential-provider.js");

/** A CredentialProviderRequest (v1) for `image`, as kubelet writes it on the plugin's stdin. */
function providerRequest(image: string): string {
  return JSON.stringify({
    apiVersion: "credentialprovider.kubelet.k8s.io/v1",
    kind: "CredentialProviderRequest",
    image,
  });
}

/** A static credentials file (root-only, as the plugin requires) in a scratch directory. */
function staticConfigFile(dir: string): string {
  const file = join(dir, "static.json");
  const auths = { "ghcr.io": { username: "octo", password: "ghp_canary7b3e0123456789abcdefghijklmnop" } };
  writeFileSync(file, JSON.stringify({ auths }), { mode: 0o600 });
  return file;
}

/** Runs vitest on `files` in a child (its own forks and global setup), with `env` added. */
function vitest(files: string[], env: Record<string, string>): { status: number | null; output: string } {
  const result = spawnSync(
    process.execPath,
    [join(REPO_ROOT, "node_modules/vitest/vitest.mjs"), "run", "--project", "integration", ...files],
    { cwd: REPO_ROOT, encoding: "utf8", env: { ...withoutColor(process.env), ...env, NO_COLOR: "1" } },
  );
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

function withoutColor(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const { FORCE_COLOR: _force, ...rest } = env;
  return rest;
}

beforeAll(() => ensureReleaseBinaries("amd64"), 600_000);

describe("single executables (linux/amd64)", () => {
  it("--version names the Node.js each embeds", async () => {
    expect(EMBEDDED_NODE_VERSION).toMatch(/^\d+\.\d+\.\d+$/);
    const cli = await runCommand(pullwarden, ["--version"]);
    expect(cli.stdout).toBe(`0.1.0 (single executable, Node.js v${EMBEDDED_NODE_VERSION})\n`);
    const plugin = await runCommand(provider, ["--version"]);
    expect(plugin.stdout).toBe(
      `pullwarden-credential-provider 0.1.0 (single executable, Node.js v${EMBEDDED_NODE_VERSION})\n`,
    );
  });

  it.each([
    ["yaml", ["-o", "yaml"]],
    ["json", ["-o", "json"]],
    ["--append-hash", ["-o", "yaml", "--append-hash"]],
    ["commander's path (--namespace after the name)", ["-o", "yaml", "--namespace", "apps"]],
    ["a usage error", ["-o", "toml"]],
  ])("secret create prints what the dist CLI prints: %s", async (_name, extra) => {
    const argv = [...SECRET_CREATE_ARGS, ...extra];
    const env = { PATH: process.env["PATH"] ?? "", HOME: "/nonexistent", PW: "canary-9f2c-not-printed?" };
    const fromBinary = await runCommand(pullwarden, argv, { env });
    const fromDist = await runCommand(process.execPath, [distCli, ...argv], { env });
    expect(fromBinary.stdout).toBe(fromDist.stdout);
    expect(fromBinary.stderr).toBe(fromDist.stderr);
    expect(fromBinary.exitCode).toBe(fromDist.exitCode);
  });

  // The fast path is the executable's main script; the full CLI its asset, started when the fast path hands over.
  it.each([
    ["the fast path (a registry that refuses)", ["127.0.0.1:9/app:1", "--plain-http", "--timeout", "2s"]],
    ["commander's path (--help)", ["--help"]],
    ["a usage error", ["127.0.0.1:9/app:1", "--output", "toml"]],
  ])("check prints what the dist CLI prints: %s", async (_name, extra) => {
    const argv = ["check", ...extra, "--no-github-probe"];
    const env = { PATH: process.env["PATH"] ?? "", HOME: "/nonexistent" };
    const fromBinary = await runCommand(pullwarden, argv, { env });
    const fromDist = await runCommand(process.execPath, [distCli, ...argv], { env });
    expect(fromBinary.stdout).toBe(fromDist.stdout);
    expect(fromBinary.stderr).toBe(fromDist.stderr);
    expect(fromBinary.exitCode).toBe(fromDist.exitCode);
  });

  it("check --from-cloud loads the cloud SDKs from the executable's packages asset, as the dist CLI from node_modules", async () => {
    // ECR's API at a closed port: the AWS SDK loads, signs and fails to connect (no network needed).
    const argv = [
      "check",
      "123456789012.dkr.ecr.us-east-1.amazonaws.com/app:1",
      "--from-cloud",
      "--no-github-probe",
    ];
    const env = {
      PATH: process.env["PATH"] ?? "",
      HOME: "/nonexistent",
      AWS_EC2_METADATA_DISABLED: "true",
      AWS_ACCESS_KEY_ID: "AKIAEXAMPLE",
      AWS_SECRET_ACCESS_KEY: "canary-5d1e-not-printed",
      AWS_REGION: "us-east-1",
      AWS_ENDPOINT_URL_ECR: "http://127.0.0.1:9",
    };
    const fromBinary = await runCommand(pullwarden, argv, { env });
    const fromDist = await runCommand(process.execPath, [distCli, ...argv], { env });
    expect(fromBinary.stderr).toContain("cannot reach ECR");
    expect(fromBinary.stdout + fromBinary.stderr).not.toContain("canary-5d1e");
    expect(fromBinary.stdout).toBe(fromDist.stdout);
    expect(fromBinary.stderr).toBe(fromDist.stderr);
    expect(fromBinary.exitCode).toBe(fromDist.exitCode);
  });

  it("commands outside the fast path start the full CLI: --version, help", async () => {
    for (const argv of [["--version"], ["secret", "--help"], ["doctor", "--help"]]) {
      const env = { PATH: process.env["PATH"] ?? "", HOME: "/nonexistent" };
      const fromBinary = await runCommand(pullwarden, argv, { env });
      const fromDist = await runCommand(process.execPath, [distCli, ...argv], { env });
      expect(fromBinary.stdout.replace(/ \(single executable, Node.js v[\d.]+\)/, "")).toBe(fromDist.stdout);
      expect(fromBinary.stderr).toBe(fromDist.stderr);
      expect(fromBinary.exitCode).toBe(fromDist.exitCode);
    }
  });

  it("the credential provider answers from its snapshot as the dist plugin does: flags, stdin and environment read when it runs", async () => {
    const dir = makeScratchDir("release-provider");
    try {
      const staticConfig = staticConfigFile(dir);
      const cases: [string[], string, Record<string, string>][] = [
        [["--static-config", staticConfig], providerRequest("ghcr.io/org/app:1"), {}],
        [
          ["--static-config", staticConfig, "--cache-key-type", "Image"],
          providerRequest("ghcr.io/org/app:1"),
          {},
        ],
        [[], providerRequest("registry.example/app:1"), {}],
        [[], "not json", {}],
        [["--cache-key-type", "Forever"], providerRequest("ghcr.io/org/app:1"), {}],
        [["--help"], "", {}],
        // ECR's API at a closed port: the AWS SDK loads (not in the snapshot), reads this environment, fails to connect.
        [
          [],
          providerRequest("123456789012.dkr.ecr.us-east-1.amazonaws.com/app:1"),
          {
            AWS_EC2_METADATA_DISABLED: "true",
            AWS_ACCESS_KEY_ID: "AKIAEXAMPLE",
            AWS_SECRET_ACCESS_KEY: "canary-8c4d-not-printed",
            AWS_REGION: "us-east-1",
            AWS_ENDPOINT_URL_ECR: "http://127.0.0.1:9",
          },
        ],
      ];
      for (const [args, input, extraEnv] of cases) {
        const env = { PATH: process.env["PATH"] ?? "", HOME: "/nonexistent", ...extraEnv };
        const fromBinary = await runCommand(provider, args, { env, input });
        const fromDist = await runCommand(process.execPath, [distPlugin, ...args], { env, input });
        expect(fromBinary.stdout, args.join(" ")).toBe(fromDist.stdout);
        expect(fromBinary.stderr, args.join(" ")).toBe(fromDist.stderr);
        expect(fromBinary.exitCode, args.join(" ")).toBe(fromDist.exitCode);
        expect(fromBinary.stderr).not.toContain("canary-8c4d");
      }
    } finally {
      removeScratchDir(dir);
    }
  });

  it("SHA256SUMS holds each executable's digest", () => {
    const sums = readFileSync(join(RELEASE_DIR, "SHA256SUMS"), "utf8");
    for (const file of [pullwarden, provider]) {
      const digest = createHash("sha256").update(readFileSync(file)).digest("hex");
      expect(sums).toContain(`${digest}  ${file.slice(RELEASE_DIR.length + 1)}\n`);
    }
  });

  it("the README examples pass with the executable as pullwarden", () => {
    const run = vitest(["test/readme.test.ts"], { PULLWARDEN_BIN: pullwarden });
    expect(run.output).toMatch(/Tests\s+\d+ passed/);
    expect(run.status, run.output).toBe(0);
  }, 300_000);

  it("the credential-provider suite passes with the executable as the plugin", () => {
    const suite = ["kubelet", "pull", "acr"].map(
      (name) => `test/integration/credential-provider-${name}.test.ts`,
    );
    const run = vitest(suite, { PULLWARDEN_CREDENTIAL_PROVIDER_BIN: provider });
    expect(run.output).toMatch(/Tests\s+\d+ passed/);
    expect(run.status, run.output).toBe(0);
  }, 600_000);
});

describe("single executables (linux/arm64, under qemu-user)", () => {
  const arm64 = {
    pullwarden: releaseBinary("pullwarden", "arm64"),
    provider: releaseBinary("pullwarden-credential-provider", "arm64"),
  };
  // Debian's qemu-user and arm64 runtime libraries (scripts/install-test-deps.sh).
  const sysroot = "/usr/aarch64-linux-gnu";

  beforeAll(() => ensureReleaseBinaries("arm64"), 600_000);

  it("are ELF aarch64 executables, in SHA256SUMS", () => {
    const sums = readFileSync(join(RELEASE_DIR, "SHA256SUMS"), "utf8");
    for (const file of Object.values(arm64)) {
      const kind = spawnSync("file", ["-b", file], { encoding: "utf8" });
      expect(kind.stdout, "file(1) missing: scripts/install-test-deps.sh").toMatch(
        /^ELF 64-bit LSB executable, ARM aarch64/,
      );
      const digest = createHash("sha256").update(readFileSync(file)).digest("hex");
      expect(sums).toContain(`${digest}  ${file.slice(RELEASE_DIR.length + 1)}\n`);
    }
  });

  it("run: --version and secret create as on amd64", async () => {
    const qemu = requireTool("qemu-aarch64");
    const version = await runCommand(qemu, ["-L", sysroot, arm64.pullwarden, "--version"]);
    expect(version.stderr).toBe("");
    expect(version.stdout).toBe(`0.1.0 (single executable, Node.js v${EMBEDDED_NODE_VERSION})\n`);
    const plugin = await runCommand(qemu, ["-L", sysroot, arm64.provider, "--version"]);
    expect(plugin.stdout).toMatch(/^pullwarden-credential-provider 0\.1\.0 \(single executable/);
    // Its snapshot was made under qemu-user by the arm64 Node.js: a request answered as on amd64.
    const dir = makeScratchDir("release-provider-arm64");
    try {
      const pluginArgs = ["--static-config", staticConfigFile(dir)];
      const input = providerRequest("ghcr.io/org/app:1");
      const pluginEnv = { PATH: process.env["PATH"] ?? "", HOME: "/nonexistent" };
      const answerOnArm = await runCommand(qemu, ["-L", sysroot, arm64.provider, ...pluginArgs], {
        env: pluginEnv,
        input,
      });
      const answerOnAmd = await runCommand(provider, pluginArgs, { env: pluginEnv, input });
      expect(answerOnArm.stderr).toBe("");
      expect(answerOnArm.stdout).toBe(answerOnAmd.stdout);
      expect(answerOnArm.stdout).toContain('"username":"octo"');
    } finally {
      removeScratchDir(dir);
    }
    const argv = [
      "secret",
      "create",
      "regcred",
      "--docker-server=registry.example",
      "--docker-username=build",
    ];
    const env = { PATH: process.env["PATH"] ?? "", HOME: "/nonexistent", PW: "canary-9f2c" };
    const args = [...argv, "--docker-password-env=PW", "--dry-run=client", "-o", "yaml"];
    const onArm = await runCommand(qemu, ["-L", sysroot, arm64.pullwarden, ...args], { env });
    const onAmd = await runCommand(pullwarden, args, { env });
    expect(onArm.stdout).toBe(onAmd.stdout);
    expect(onArm.exitCode).toBe(0);
  }, 120_000);
});
