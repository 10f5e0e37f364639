// `pullwarden init`: flags without a terminal, prompts on a terminal (a stream marked as a TTY, an injected
// prompt, and a real pseudo-terminal through util-linux `script`) all write the same commented layout, which
// `plan` accepts.
import { spawnSync } from "node:child_process";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { runInit } from "../../src/cli/commands/init/run.js";
import type { CliIo } from "../../src/cli/io.js";
import { parseLayout, planLayout } from "../../src/plan/index.js";
import { NOW, ROOT, runPullwarden, TESTDATA } from "./helpers.js";

const scratch = mkdtempSync(join(tmpdir(), "pullwarden-init-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
let work: string;
let counter = 0;
beforeEach(() => {
  work = join(scratch, `t${++counter}`);
  mkdirSync(work);
});

const AKS_FLAGS = [
  "init",
  "--provider=aks",
  "--cluster-name=shop-prod",
  "--resource-group=rg-shop",
  "--registry=shopprod.azurecr.io",
  "--registry=ghcr.io/acme",
  "--registry=harbor.example.com",
  "--namespace=shop",
  "--namespace=payments=shopprod,harbor",
];
const GOLDEN = join(TESTDATA, "init/aks-flags.yaml");

function check(text: string): void {
  const layout = parseLayout(text, { source: "init", now: NOW });
  const plan = planLayout(layout, { now: NOW });
  expect(plan.decisions.length).toBeGreaterThan(0);
}

describe("init with flags and no terminal", () => {
  it("writes the golden commented layout to stdout with -o -, and plan accepts it", async () => {
    const result = await runPullwarden([...AKS_FLAGS, "-o", "-"], { cwd: work });
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    if (process.env["UPDATE_GOLDEN"] === "1") {
      mkdirSync(join(TESTDATA, "init"), { recursive: true });
      writeFileSync(GOLDEN, result.stdout);
    }
    expect(result.stdout).toBe(readFileSync(GOLDEN, "utf8"));
    check(result.stdout);
    const plan = planLayout(parseLayout(result.stdout, { source: "x", now: NOW }), { now: NOW });
    expect(plan.warnings.join("\n")).toMatch(/credential.username is still CHANGE-ME/);
    expect(readdirSync(work)).toEqual([]);
  });

  it("writes pullwarden-layout.yaml by default, refuses to overwrite it, and overwrites with --force", async () => {
    const first = await runPullwarden(AKS_FLAGS, { cwd: work });
    expect(first.code).toBe(0);
    expect(first.stderr).toBe(
      "wrote pullwarden-layout.yaml; next: review it, then pullwarden plan -f pullwarden-layout.yaml\n",
    );
    expect(readFileSync(join(work, "pullwarden-layout.yaml"), "utf8")).toBe(readFileSync(GOLDEN, "utf8"));
    const again = await runPullwarden(AKS_FLAGS, { cwd: work });
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/already exists/);
    const forced = await runPullwarden([...AKS_FLAGS, "--provider=other", "--force"], { cwd: work });
    expect(forced.code).toBe(0);
    expect(readFileSync(join(work, "pullwarden-layout.yaml"), "utf8")).toContain("provider: other");
    expect(readdirSync(work)).toEqual(["pullwarden-layout.yaml"]);
  });

  it("names every missing flag instead of prompting", async () => {
    const result = await runPullwarden(["init", "--provider=eks"], { cwd: work });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(
      /^error: init without a terminal needs --cluster-name, --region, --account-id, --node-role, --registry, --namespace\n/,
    );
    expect(readdirSync(work)).toEqual([]);
  });

  it("refuses bad values with the flag named", async () => {
    for (const [flag, message] of [
      ["--provider=openshift", /argument 'openshift' is invalid/],
      [
        "--registry=https://harbor.example.com/",
        /^error: --registry "https:\/\/harbor.example.com\/" is not a registry: expected a host\[:port\] such as harbor.example.com, ghcr.io\/OWNER, acr:NAME or ecr:ACCOUNT\/REGION; did you mean "harbor.example.com"\?$/m,
      ],
      [
        "--namespace=Shop_1",
        /^error: --namespace Shop_1: "Shop_1" is not a DNS-1123 label \(it has uppercase letters and '_'\): expected lowercase letters, digits and '-', starting and ending with a letter or digit, at most 63 characters; did you mean "shop-1"\?$/m,
      ],
      [
        "--cluster-name=-prod",
        /--cluster-name: "-prod" is not a cluster name \(it starts with '-'\).*did you mean "prod"\?$/m,
      ],
      ["--namespace=shop=nope", /--namespace shop=nope: no registry "nope"/],
    ] as const) {
      const args = [...AKS_FLAGS.filter((a) => !a.startsWith(flag.split("=")[0] as string)), flag, "-o", "-"];
      const result = await runPullwarden(args, { cwd: work });
      expect(result.code, flag).toBe(2);
      expect(result.stderr).toMatch(message);
      expect(result.stdout).toBe("");
    }
  });

  it("writes EKS, GKE and other layouts that plan accepts", async () => {
    const variants = [
      [
        "--provider=eks",
        "--region=eu-west-1",
        "--account-id=123456789012",
        "--node-role=nodes",
        "--registry=ecr:123456789012/eu-west-1",
        "--registry=acr:contoso1",
      ],
      ["--provider=gke", "--project=acme-prod", "--registry=europe-docker.pkg.dev", "--registry=quay.io"],
      [
        "--provider=other",
        "--nodes-configurable",
        "--registry=123456789012.dkr.ecr.us-east-1.amazonaws.com",
        "--registry=contoso1.azurecr.us",
        "--registry=public.ecr.aws",
      ],
    ];
    for (const flags of variants) {
      const result = await runPullwarden(
        ["init", "--cluster-name=c1", ...flags, "--namespace=apps", "-o", "-"],
        { cwd: work },
      );
      expect(result.code, result.stderr).toBe(0);
      check(result.stdout);
    }
  });

  it("--credential-provider pullwarden and --rotation controller write the opt-ins, which plan then uses", async () => {
    const provider = await runPullwarden(
      [
        "init",
        "--cluster-name=c1",
        "--provider=other",
        "--nodes-configurable",
        "--credential-provider=pullwarden",
        "--registry=ghcr.io/acme",
        "--registry=123456789012.dkr.ecr.us-east-1.amazonaws.com",
        "--namespace=apps",
        "-o",
        "-",
      ],
      { cwd: work },
    );
    expect(provider.code, provider.stderr).toBe(0);
    expect(provider.stdout).toContain("\n  credentialProvider: pullwarden\n");
    check(provider.stdout);
    const planned = planLayout(parseLayout(provider.stdout, { source: "init", now: NOW }), { now: NOW });
    expect(planned.decisions.map((d) => d.method)).toEqual(["credential-provider", "credential-provider"]);

    const controller = await runPullwarden(
      [
        "init",
        "--cluster-name=c1",
        "--provider=other",
        "--rotation=controller",
        "--registry=acr:contoso1",
        "--namespace=apps",
        "-o",
        "-",
      ],
      { cwd: work },
    );
    expect(controller.code, controller.stderr).toBe(0);
    expect(controller.stdout).toContain("\n  rotation: controller\n");
    check(controller.stdout);

    const refused = await runPullwarden(
      [
        "init",
        "--cluster-name=c1",
        "--provider=other",
        "--credential-provider=pullwarden",
        "--namespace=apps",
      ],
      { cwd: work },
    );
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(
      /--credential-provider pullwarden runs on every node: it needs --nodes-configurable/,
    );
  });

  it("names a registry on an IP address, or whose host starts with a digit, with a usable password variable", async () => {
    const result = await runPullwarden(
      [
        "init",
        "--cluster-name=c1",
        "--provider=other",
        "--registry=127.0.0.1:5000",
        "--registry=1password.example",
        "--namespace=apps",
        "-o",
        "-",
      ],
      { cwd: work },
    );
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain("name: registry\n");
    expect(result.stdout).toContain("passwordEnv: REGISTRY_PASSWORD");
    expect(result.stdout).toContain("passwordEnv: REGISTRY_1PASSWORD_PASSWORD");
    check(result.stdout);
  });
});

/** The answers, in prompt order, that give the same layout as AKS_FLAGS (the GHCR username left empty). */
const AKS_ANSWERS = [
  "aks",
  "shop-prod",
  "rg-shop",
  "",
  "",
  "shopprod.azurecr.io, ghcr.io/acme, harbor.example.com",
  "",
  "",
  "shop payments=shopprod,harbor",
];

describe("init on a terminal", () => {
  it("asks for what the flags do not give, and writes the same layout as the flags (a stream marked as a TTY)", async () => {
    const result = await runPullwarden(["init", "-o", "-"], {
      cwd: work,
      tty: true,
      stdin: `${AKS_ANSWERS.join("\n")}\n`,
    });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toBe(readFileSync(GOLDEN, "utf8"));
    expect(result.stderr).toContain("Where does the cluster run? aks, eks, gke or other: ");
    expect(result.stderr).toContain("Can you change kubelet flags and files on every node");
  });

  it("asks again after a bad answer, and only for what is missing (an injected prompt)", async () => {
    const asked: string[] = [];
    const answers = [
      "kubernetes",
      "aks",
      "rg-shop",
      "",
      "y",
      "acme.azurecr.io",
      "acmeprod.azurecr.io",
      "apps",
    ];
    const stdout = new PassThrough();
    const stderr = new PassThrough();
    let written = "";
    let errors = "";
    stdout.on("data", (c: Buffer) => (written += c.toString()));
    stderr.on("data", (c: Buffer) => (errors += c.toString()));
    const io: CliIo = { stdin: new PassThrough(), stdout, stderr, env: {}, cwd: work, now: () => NOW };
    const code = await runInit({ clusterName: "prod", output: "-", force: false }, io, async (question) => {
      asked.push(question);
      return answers.shift();
    });
    expect(code).toBe(0);
    expect(asked[0]).toMatch(/^Where does the cluster run/);
    expect(asked[1]).toMatch(/^Where does the cluster run/);
    expect(asked.some((q) => q.startsWith("Cluster name"))).toBe(false);
    expect(errors).toContain('unknown provider "kubernetes"');
    expect(errors).toContain(
      'acme.azurecr.io: "acme" is not an Azure Container Registry name (it has 4 characters): expected 5 to 50 letters and digits, without .azurecr.io',
    );
    expect(written).toContain("nodesConfigurable: true");
    check(written);
  });

  it("stops with a usage error when the input ends before the answers do", async () => {
    const result = await runPullwarden(["init", "-o", "-"], { cwd: work, tty: true, stdin: "aks\n" });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/error: no answer to "Cluster name" \(end of input\)/);
  });

  it("works on a real pseudo-terminal (util-linux script)", () => {
    const cli = join(ROOT, "dist/bin/main.js");
    expect(existsSync(cli), "run npm run build first").toBe(true);
    const out = join(work, "pty.yaml");
    const result = spawnSync(
      "script",
      [
        "-qec",
        `${JSON.stringify(process.execPath)} ${JSON.stringify(cli)} init -o ${JSON.stringify(out)}`,
        "/dev/null",
      ],
      {
        input: `${AKS_ANSWERS.join("\n")}\n`,
        encoding: "utf8",
        timeout: 20_000,
        env: { PATH: process.env["PATH"] ?? "/usr/bin:/bin", HOME: work, TERM: "dumb" },
      },
    );
    expect(result.status, `${result.stdout}${result.stderr}`).toBe(0);
    expect(result.stdout).toContain("Where does the cluster run?");
    expect(readFileSync(out, "utf8")).toBe(readFileSync(GOLDEN, "utf8"));
  });
});
