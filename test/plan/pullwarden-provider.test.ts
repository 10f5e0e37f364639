// `cluster.credentialProvider: pullwarden` end to end: the CredentialProviderConfig plan renders passes the real
// `pullwarden credential-provider validate-config --strict`; the node script, run for real as root (its node
// paths moved under a scratch directory), installs the plugin and the config and writes a root-only static file
// from the environment and a password file without printing a value; and kubelet's own code
// (credprovider-harness: k8s.io/kubernetes pkg/credentialprovider/plugin) loads the installed config, runs the
// installed plugin and hands out exactly the layout's credentials for the static registries.
import { chmodSync, lstatSync, mkdirSync, readFileSync, readlinkSync, realpathSync, statSync } from "node:fs";
import { writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { planFromLayoutText, renderPlanFiles } from "../../src/plan/index.js";
import type { PlanFile } from "../../src/plan/index.js";
import { builtPlugin, runHarness } from "../credential-provider/kubelet-harness.js";
import { makeScratchDir, removeScratchDir, REPO_ROOT, runCommand } from "../support/index.js";
import { goldenCases, NOW, readCase, requireBinary } from "./helpers.js";

const GHCR_TOKEN = "ghp_planCanaryPlanCanaryPlanCanary000001";
const DOCKERHUB_TOKEN = "dckr_pat_planCanary0002";
const HARBOR_PASSWORD = "harbor-robot-canary-0003";
const CANARIES = [GHCR_TOKEN, DOCKERHUB_TOKEN, HARBOR_PASSWORD];
/** Node paths the plan writes, moved under the scratch directory (the script is otherwise run as written). */
const NODE_PATHS = ["/etc/kubernetes/", "/usr/local/lib/kubelet/", "/etc/pullwarden", "/run/secrets/"];

let root: string;
let files: PlanFile[];
let planDir: string;
let toolsDir: string;

function moved(text: string): string {
  return NODE_PATHS.reduce((out, path) => out.split(path).join(`${root}${path}`), text);
}

function file(suffix: string): PlanFile {
  const found = files.find((f) => f.path.endsWith(suffix));
  if (!found) throw new Error(`no ${suffix} in the plan`);
  return found;
}

function runNodeScript(env: Record<string, string>) {
  return runCommand(requireBinary("bash"), [file("-node-credential-provider.sh").path], {
    cwd: planDir,
    env: {
      PATH: `${toolsDir}:${process.env["PATH"] ?? ""}`,
      HOME: root,
      PULLWARDEN_CREDENTIAL_PROVIDER: builtPlugin(),
      ...env,
    },
  });
}

beforeAll(() => {
  root = makeScratchDir("plan-pullwarden-provider");
  const plan = planFromLayoutText(readCase("pullwarden-provider"), { source: "layout.yaml", now: NOW });
  files = renderPlanFiles(plan, { layoutSource: "layout.yaml" });
  planDir = join(root, "plan");
  mkdirSync(planDir);
  for (const f of files) writeFileSync(join(planDir, f.path), moved(f.content), { mode: f.mode });
  // The CLI the script calls for validate-config: the built one, as the package installs it.
  toolsDir = join(root, "tools");
  mkdirSync(toolsDir);
  writeFileSync(
    join(toolsDir, "pullwarden"),
    `#!/bin/sh\nexec ${JSON.stringify(process.execPath)} ${JSON.stringify(join(REPO_ROOT, "dist/bin/main.js"))} "$@"\n`,
  );
  chmodSync(join(toolsDir, "pullwarden"), 0o755);
  mkdirSync(join(root, "run/secrets"), { recursive: true });
  writeFileSync(join(root, "run/secrets/harbor-robot"), `${HARBOR_PASSWORD}\n`, { mode: 0o600 });
});
afterAll(() => removeScratchDir(root));

const PULLWARDEN_CASES = goldenCases().filter((name) =>
  readCase(name).includes("credentialProvider: pullwarden"),
);

describe("the rendered CredentialProviderConfig", () => {
  it.each(PULLWARDEN_CASES)(
    "%s: passes pullwarden credential-provider validate-config --strict (the real command)",
    async (name) => {
      const rendered = renderPlanFiles(
        planFromLayoutText(readCase(name), { source: "layout.yaml", now: NOW }),
        {
          layoutSource: "layout.yaml",
        },
      ).find((f) => f.path.endsWith("-kubelet-credential-providers.yaml"));
      const config = join(root, `${name}.yaml`);
      writeFileSync(config, rendered?.content ?? "");
      const result = await runCommand(
        process.execPath,
        [join(REPO_ROOT, "dist/bin/main.js"), "credential-provider", "validate-config", "--strict", config],
        { timeoutMs: 30_000 },
      );
      expect(result.exitCode, result.stdout + result.stderr).toBe(0);
      expect(result.stdout + result.stderr).toMatch(
        /kubelet accepts .*1 provider: pullwarden-credential-provider/,
      );
      expect(result.stdout + result.stderr).not.toMatch(/warning/);
    },
  );
});

describe("the node script, run as root", () => {
  it("refuses before changing anything when a credential is missing, naming the variable", async () => {
    const result = await runNodeScript({ DOCKERHUB_TOKEN });
    expect(result.exitCode).not.toBe(0);
    expect(result.stderr).toMatch(
      /GHCR_TOKEN: set GHCR_TOKEN to the classic personal access token for ghcr\.io/,
    );
    expect(() => statSync(join(root, "etc/kubernetes/image-credential-provider-config.yaml"))).toThrow();
    expect(() => statSync(join(root, "etc/pullwarden/registries.json"))).toThrow();
    for (const canary of CANARIES) expect(result.stdout + result.stderr).not.toContain(canary);
  });

  it("installs the plugin and config, writes a root-only static file, checks it and prints no value", async () => {
    const result = await runNodeScript({ GHCR_TOKEN, DOCKERHUB_TOKEN });
    expect(result.exitCode, result.stderr).toBe(0);
    const output = result.stdout + result.stderr;
    for (const canary of CANARIES) expect(output).not.toContain(canary);
    expect(output).toMatch(/kubelet accepts/); // validate-config --strict ran on the installed file
    expect(output).toContain("--image-credential-provider-config=");

    const link = join(root, "usr/local/lib/kubelet/credential-providers/pullwarden-credential-provider");
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(readlinkSync(link)).toBe(realpathSync(builtPlugin()));

    const staticFile = join(root, "etc/pullwarden/registries.json");
    const stat = statSync(staticFile);
    expect(stat.mode & 0o777).toBe(0o600);
    expect(stat.uid).toBe(0);
    expect(statSync(dirname(staticFile)).mode & 0o077).toBe(0);
    const auths = (
      JSON.parse(readFileSync(staticFile, "utf8")) as { auths: Record<string, { auth: string }> }
    ).auths;
    const decoded = Object.fromEntries(
      Object.entries(auths).map(([key, entry]) => [key, Buffer.from(entry.auth, "base64").toString("utf8")]),
    );
    expect(decoded).toEqual({
      "ghcr.io": `acme-bot:${GHCR_TOKEN}`,
      "harbor.factory.example:8443": `robot$line+pull:${HARBOR_PASSWORD}`,
      "docker.io": `acmebot:${DOCKERHUB_TOKEN}`,
    });
    // No file of the plan holds a value.
    for (const f of files) for (const canary of CANARIES) expect(f.content).not.toContain(canary);
  });

  it("kubelet's own code loads the installed config and gets the layout's credentials from the plugin", async () => {
    const result = await runHarness({
      config: join(root, "etc/kubernetes/image-credential-provider-config.yaml"),
      binDir: join(root, "usr/local/lib/kubelet/credential-providers"),
      images: [
        "ghcr.io/acme/plc-agent:2.1",
        "harbor.factory.example:8443/line/vision:7",
        "docker.io/acme/bridge:1",
        "quay.io/acme/other:1",
      ],
    });
    expect(result.exitCode, result.stderr).toBe(0);
    const credentials = Object.fromEntries(
      result.lookups.map((l) => [l.image, l.credentials.map((c) => `${c.username}:${c.password}`)]),
    );
    expect(credentials).toEqual({
      "ghcr.io/acme/plc-agent:2.1": [`acme-bot:${GHCR_TOKEN}`],
      "harbor.factory.example:8443/line/vision:7": [`robot$line+pull:${HARBOR_PASSWORD}`],
      "docker.io/acme/bridge:1": [`acmebot:${DOCKERHUB_TOKEN}`],
      // quay.io is a pull secret in this layout: kubelet does not ask the plugin.
      "quay.io/acme/other:1": [],
    });
    for (const canary of CANARIES) expect(result.stderr).not.toContain(canary);
  });

  it("the linked plugin finds its cloud SDKs (a copy would not): an ECR image gets as far as the AWS credential chain", async () => {
    const result = await runHarness({
      config: join(root, "etc/kubernetes/image-credential-provider-config.yaml"),
      binDir: join(root, "usr/local/lib/kubelet/credential-providers"),
      images: ["123456789012.dkr.ecr-fips.eu-north-1.amazonaws.com/mes:3"],
      // No AWS credentials and no reachable endpoint: the plugin fails fast, after loading the SDK.
      env: {
        AWS_EC2_METADATA_DISABLED: "true",
        AWS_ENDPOINT_URL_ECR: "http://127.0.0.1:9",
        AWS_MAX_ATTEMPTS: "1",
      },
    });
    expect(result.lookups.map((l) => l.credentials)).toEqual([[]]);
    expect(result.stderr).not.toContain("Cannot find package");
    expect(result.stderr).toContain("E_AWS_NO_CREDENTIALS");
  });

  it("run again after a renewal, it replaces the file atomically with the new value", async () => {
    const renewed = "ghp_planCanaryRenewedRenewedRenewed000004";
    const result = await runNodeScript({ GHCR_TOKEN: renewed, DOCKERHUB_TOKEN });
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stdout + result.stderr).not.toContain(renewed);
    const text = readFileSync(join(root, "etc/pullwarden/registries.json"), "utf8");
    expect(text).toContain(Buffer.from(`acme-bot:${renewed}`).toString("base64"));
    expect(statSync(join(root, "etc/pullwarden/registries.json")).mode & 0o777).toBe(0o600);
  });
});
