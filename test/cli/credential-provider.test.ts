// `pullwarden credential-provider` (validate-config, exec, the plugin itself) in-process, and the built
// `pullwarden-credential-provider` as kubelet runs it: a real process, hostile stdin, one line and exit 1 on
// failure, no secret and no stack, and a start-up that loads no commander, YAML or SDK.
import { spawn } from "node:child_process";
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import type { AddressInfo } from "node:net";
import { join, resolve } from "node:path";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { builtPlugin, pluginBinDir } from "../credential-provider/kubelet-harness.js";
import { makeScratchDir, removeScratchDir, runCommand } from "../support/index.js";
import { STACK_TRACE, runPullwarden } from "./run-cli.js";
import { staticGraph } from "./static-imports.js";

const PAT = "ghp_clicanaryclicanaryclicanaryclicanary01";
const SA_TOKEN = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJjYW5hcnkifQ.sa-canary-signature";
const V1 = "credentialprovider.kubelet.k8s.io/v1";
let dir: string;
let staticFile: string;

beforeAll(() => {
  dir = makeScratchDir("credential-provider-cli");
  staticFile = join(dir, "static.json");
  writeFileSync(staticFile, JSON.stringify({ auths: { "ghcr.io": { username: "octo", password: PAT } } }), {
    mode: 0o600,
  });
});
afterAll(() => removeScratchDir(dir));

function request(image: string, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({ kind: "CredentialProviderRequest", apiVersion: V1, image, ...extra });
}

async function plugin(
  args: string[],
  stdin: string | Buffer,
): Promise<{ code: number; stdout: string; stderr: string }> {
  const result = await runCommand(builtPlugin(), args, {
    env: { PATH: process.env.PATH, HOME: "/nonexistent" },
    input: stdin,
    timeoutMs: 30_000,
  });
  return { code: result.exitCode, stdout: result.stdout, stderr: result.stderr };
}

function expectOneLineFailure(
  result: { code: number; stdout: string; stderr: string },
  message: RegExp,
): void {
  expect(result.code).toBe(1);
  expect(result.stdout).toBe("");
  expect(result.stderr.split("\n").filter(Boolean)).toHaveLength(1);
  expect(result.stderr).toMatch(/^pullwarden-credential-provider: /);
  expect(result.stderr).toMatch(message);
  expect(result.stderr).not.toMatch(STACK_TRACE);
  expect(result.stderr).not.toContain(PAT);
  expect(result.stderr).not.toContain(SA_TOKEN);
}

describe("the built pullwarden-credential-provider, as kubelet runs it", () => {
  it("answers a static registry, and an image it does not serve with an empty auth and exit 0", async () => {
    const served = await plugin(
      ["get-credentials", "--static-config", staticFile],
      request("ghcr.io/org/app:1"),
    );
    expect(served.code, served.stderr).toBe(0);
    expect(JSON.parse(served.stdout)).toEqual({
      kind: "CredentialProviderResponse",
      apiVersion: V1,
      cacheKeyType: "Registry",
      auth: { "ghcr.io": { username: "octo", password: PAT } },
    });
    const other = await plugin(["--static-config", staticFile], request("quay.io/org/app:1"));
    expect(other.code).toBe(0);
    expect(JSON.parse(other.stdout)).toMatchObject({ cacheDuration: "0s", auth: {} });
  });

  it.each<[string, string | Buffer, RegExp]>([
    ["empty stdin", "", /stdin is empty/],
    ["garbage", Buffer.from([0xde, 0xad, 0xbe, 0xef]), /not UTF-8/],
    ["a huge request", Buffer.alloc(4 * 1024 * 1024, 0x61), /larger than 524288 bytes/],
    [
      "an unknown apiVersion",
      request("ghcr.io/a").replace(V1, "credentialprovider.kubelet.k8s.io/v2"),
      /not one this plugin speaks/,
    ],
    [
      "an unknown field holding the token",
      JSON.stringify({ kind: "CredentialProviderRequest", apiVersion: V1, image: "a", [SA_TOKEN]: 1 }),
      /unknown field \(\d+ characters, not shown\)/,
    ],
    [
      "the token in a v1alpha1 request",
      request("ghcr.io/a", {
        apiVersion: "credentialprovider.kubelet.k8s.io/v1alpha1",
        serviceAccountToken: SA_TOKEN,
      }),
      /exist only in/,
    ],
    [
      "a missing image",
      JSON.stringify({ kind: "CredentialProviderRequest", apiVersion: V1 }),
      /image is missing/,
    ],
  ])("refuses %s: exit 1, one line, no secret", async (_what, stdin, message) => {
    expectOneLineFailure(await plugin(["--static-config", staticFile], stdin), message);
  });

  it.each<[string, (path: string) => void, RegExp]>([
    ["missing", () => undefined, /cannot open the static credentials file \(ENOENT\)/],
    [
      "world-readable",
      (path) => {
        writeFileSync(path, readFileSync(staticFile));
        chmodSync(path, 0o644);
      },
      /mode 0644 gives group or others access/,
    ],
    ["a directory", (path) => mkdirSync(path, { mode: 0o700 }), /not a regular file/],
    ["not JSON", (path) => writeFileSync(path, `auths: ${PAT}`, { mode: 0o600 }), /static|JSON/],
  ])("refuses a static file that is %s", async (what, make, message) => {
    const path = join(dir, `static-${what.replace(/\W/g, "-")}`);
    make(path);
    expectOneLineFailure(await plugin(["--static-config", path], request("ghcr.io/a")), message);
  });

  it("refuses bad flags the same way (kubelet would log them on every pull)", async () => {
    expectOneLineFailure(
      await plugin(["--cache-key-type", "Pod"], request("ghcr.io/a")),
      /--cache-key-type must be one of Image, Registry, Global/,
    );
    expectOneLineFailure(await plugin(["--bogus"], request("ghcr.io/a")), /Unknown option '--bogus'/);
  });

  it("any stdin ends in an answer or one line and exit 1 (fast-check, real process)", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.string({ maxLength: 200 }),
          fc.uint8Array({ maxLength: 200 }).map((bytes) => Buffer.from(bytes)),
          fc
            .record({
              kind: fc.string(),
              apiVersion: fc.constantFrom(V1, "x"),
              image: fc.string(),
              serviceAccountToken: fc.constant(SA_TOKEN),
            })
            .map((r) => JSON.stringify(r)),
        ),
        async (stdin) => {
          const result = await plugin(["--static-config", staticFile], stdin);
          if (result.code === 0) expect(() => JSON.parse(result.stdout) as unknown).not.toThrow();
          else expectOneLineFailure(result, /\[E_[A-Z_]+\]$/m);
        },
      ),
      { numRuns: 25 },
    );
  }, 120_000);

  it("a kubelet that never closes stdin: exit 1 within the 10 s read deadline", async () => {
    const child = spawn(process.execPath, [builtPlugin()], { stdio: ["pipe", "pipe", "pipe"] });
    const stderr: Buffer[] = [];
    child.stderr.on("data", (chunk: Buffer) => stderr.push(chunk));
    const started = Date.now();
    const code = await new Promise<number | null>((done) => child.on("exit", done));
    child.stdin.destroy();
    expect(code).toBe(1);
    expect(Date.now() - started).toBeLessThan(20_000);
    expect(Buffer.concat(stderr).toString()).toMatch(
      /no CredentialProviderRequest on stdin within 10s.*\[E_PROVIDER_STDIN\]/,
    );
  }, 30_000);

  it("an ECR endpoint that never answers: one line and exit 1 well inside kubelet's one-minute exec timeout", async () => {
    const server = createServer(() => undefined); // accepts, never answers
    await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
    const port = (server.address() as AddressInfo).port;
    try {
      const started = Date.now();
      const result = await runCommand(builtPlugin(), [], {
        env: {
          PATH: process.env.PATH,
          HOME: "/nonexistent",
          AWS_ACCESS_KEY_ID: "AKIASLOWEXAMPLE00001",
          AWS_SECRET_ACCESS_KEY: "slow-secret-canary",
          AWS_REGION: "eu-west-1",
          AWS_ENDPOINT_URL_ECR: `http://127.0.0.1:${port}`,
          AWS_EC2_METADATA_DISABLED: "true",
        },
        input: request("123456789012.dkr.ecr.eu-west-1.amazonaws.com/app:1"),
        timeoutMs: 70_000,
      });
      const elapsed = Date.now() - started;
      expectOneLineFailure(
        { code: result.exitCode, stdout: result.stdout, stderr: result.stderr },
        /\[E_(ECR|PROVIDER)_TIMEOUT\]|\[E_ECR_UNAVAILABLE\]/,
      );
      expect(result.stderr).not.toContain("slow-secret-canary");
      expect(elapsed).toBeLessThan(50_000);
    } finally {
      server.close();
    }
  }, 80_000);

  it("prints its usage and version", async () => {
    const help = await plugin(["--help"], "");
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^Usage: pullwarden-credential-provider/);
    expect((await plugin(["--version"], "")).stdout).toMatch(/^pullwarden-credential-provider \d+\.\d+\.\d+/);
  });

  it("starts without commander, YAML or an SDK: its static imports are Node built-ins and its own modules", () => {
    const graph = staticGraph(resolve(import.meta.dirname, "../../src/credential-provider/main.ts"));
    // jose: the JWT decoder that reads a static password's exp (bundled, a few KiB).
    // jose: the JWT decoder that reads a static password's exp (bundled, a few KiB).
    expect(
      [...graph.packages].filter(
        (name) =>
          !name.startsWith("node:") && !["util", "fs", "fs/promises", "path", "stream"].includes(name),
      ),
    ).toEqual(["jose"]);
    const reached = [...graph.files].map((file) =>
      file.slice(resolve(import.meta.dirname, "../..").length + 1),
    );
    expect(reached.filter((file) => /cloud\/|kubelet-config|yaml|manifest\//.test(file))).toEqual([]);
    const bundle = readFileSync(builtPlugin(), "utf8");
    expect(bundle).not.toMatch(/commander/);
  });
});

describe("pullwarden credential-provider (the CLI)", () => {
  it("runs the plugin with the same flags", async () => {
    const result = await runPullwarden(["credential-provider", "--static-config", staticFile], {
      stdin: request("ghcr.io/org/app"),
    });
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ auth: { "ghcr.io": { username: "octo" } } });
  });

  it("refuses an operand other than get-credentials (a mistyped subcommand) with exit 2", async () => {
    const result = await runPullwarden(["credential-provider", "validate-confg", "x.yaml"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/unknown command "validate-confg"|too many arguments/);
  });

  it("validate-config: kubelet's errors exit 1; traps are warnings with the fix", async () => {
    const config = join(dir, "traps.yaml");
    writeFileSync(
      config,
      [
        "apiVersion: kubelet.config.k8s.io/v1",
        "kind: CredentialProviderConfig",
        "providers:",
        "  - name: pullwarden-credential-provider",
        '    matchImages: ["*.dkr.ecr.*.amazonaws.com", "ghcr.io/*", "*.io"]',
        "    defaultCacheDuration: 10m",
        "    apiVersion: credentialprovider.kubelet.k8s.io/v1",
        "",
      ].join("\n"),
    );
    const warned = await runPullwarden(["credential-provider", "validate-config", config], { cwd: dir });
    expect(warned.code, warned.stderr).toBe(0);
    expect(warned.stdout).toContain(
      'providers[0].matchImages[1]: warning: "ghcr.io/*": the path is compared as a literal prefix',
    );
    expect(warned.stdout).toContain('fix: add "*.dkr.ecr-fips.*.amazonaws.com" if nodes pull from them');
    expect(warned.stdout).toMatch(/"\*\.io" matches every 2-label host under \.io/);
    expect(warned.stdout).toMatch(
      /kubelet accepts .*traps\.yaml \(1 provider: pullwarden-credential-provider\); 5 warnings/,
    );
    expect((await runPullwarden(["credential-provider", "validate-config", config, "--strict"])).code).toBe(
      1,
    );
    writeFileSync(
      config,
      readFileSync(config, "utf8").replace("defaultCacheDuration: 10m", "defaultCacheDuration: 0"),
    );
    const refused = await runPullwarden(["credential-provider", "validate-config", config, "-o", "json"]);
    expect(refused.code).toBe(1);
    expect(JSON.parse(refused.stdout)).toMatchObject({ findings: [{ severity: "error", path: "" }] });
  });

  it("exec: kubelet's steps for one image, redacted; --show-secrets shows the password", async () => {
    const work = join(dir, "exec");
    mkdirSync(work);
    const { binDir } = pluginBinDir(work);
    const config = join(work, "config.yaml");
    writeFileSync(
      config,
      JSON.stringify({
        apiVersion: "kubelet.config.k8s.io/v1",
        kind: "CredentialProviderConfig",
        providers: [
          {
            name: "pullwarden-credential-provider",
            matchImages: ["ghcr.io"],
            defaultCacheDuration: "10m",
            apiVersion: V1,
            args: ["--static-config", staticFile],
            tokenAttributes: {
              serviceAccountTokenAudience: "pullwarden.io/registry",
              cacheType: "ServiceAccount",
              requireServiceAccount: false,
            },
          },
        ],
      }),
    );
    const token = join(work, "token");
    writeFileSync(token, `${SA_TOKEN}\n`);
    const env = { PATH: process.env.PATH ?? "/usr/bin:/bin" };
    const traced = await runPullwarden(
      [
        "credential-provider",
        "exec",
        "--image",
        "ghcr.io/org/app:1",
        "--config",
        config,
        "--bin-dir",
        binDir,
        "--sa-token",
        token,
      ],
      { env },
    );
    expect(traced.code, traced.stderr).toBe(0);
    expect(traced.stdout).toContain(
      '[pullwarden-credential-provider] matchImages "ghcr.io" matches ghcr.io/org/app:1',
    );
    expect(traced.stdout).toMatch(
      /exec .*pullwarden-credential-provider --static-config .* <<< .*"serviceAccountToken":"…\(\d+ chars\)"/,
    );
    expect(traced.stdout).toContain(
      "response: cacheKeyType Registry, cacheDuration none (defaultCacheDuration 10m)",
    );
    expect(traced.stdout).toMatch(
      /1\. ghcr\.io from pullwarden-credential-provider: username octo, password ghp_…\(\d+ chars\)/,
    );
    expect(traced.stdout + traced.stderr).not.toContain(PAT);
    expect(traced.stdout + traced.stderr).not.toContain(SA_TOKEN);
    const shown = await runPullwarden(
      [
        "credential-provider",
        "exec",
        "--image",
        "ghcr.io/org/app:1",
        "--config",
        config,
        "--bin-dir",
        binDir,
        "--show-secrets",
        "-o",
        "json",
      ],
      { env },
    );
    expect(JSON.parse(shown.stdout)).toMatchObject({
      credentials: [{ key: "ghcr.io", username: "octo", password: PAT }],
    });
    const none = await runPullwarden(
      ["credential-provider", "exec", "--image", "quay.io/a:1", "--config", config, "--bin-dir", binDir],
      { env },
    );
    expect(none.code).toBe(1);
    expect(none.stdout).toContain("not run: no matchImages entry matches quay.io/a:1");
  });
});
