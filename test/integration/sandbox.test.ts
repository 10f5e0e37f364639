// scripts/sandbox.sh as a newcomer runs it: the script starts (with --print-env), then the built CLI
// (`node dist/bin/main.js`) runs against it with only the printed environment: doctor finds the seeded causes,
// audit --cluster the seeded rules, apply --dry-run=server and check with the right credential succeed, and the
// sandbox's password never shows. SIGTERM stops it with exit 0, leaving no process and no file behind.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseJsonOutput, spawnPullwarden } from "../cli/run-cli.js";
import type { CliResult } from "../cli/run-cli.js";
import {
  REPO_ROOT,
  makeScratchDir,
  removeScratchDir,
  runCommand,
  startServer,
  waitUntil,
} from "../support/index.js";
import type { ServerProcess } from "../support/index.js";

const SCRIPT = "scripts/sandbox.sh";
const READY = "# pullwarden sandbox ready";

let tmp: string;
let sandbox: ServerProcess;
/** The environment --print-env printed. */
let env: Record<string, string>;
/** Every process the sandbox had started when it was ready (registry, cleanup watchdog, …). */
let descendants: number[];
let password: string;
const outputs: CliResult[] = [];

/** `export NAME=VALUE` lines (values single-quoted when needed) → { NAME: VALUE }. */
function parseExports(text: string): Record<string, string> {
  const vars: Record<string, string> = {};
  for (const line of text.split("\n")) {
    const m = /^export ([A-Z_]+)=(.*)$/.exec(line);
    if (!m?.[1] || m[2] === undefined) continue;
    const raw = m[2];
    vars[m[1]] = raw.startsWith("'") ? raw.slice(1, -1).replace(/'\\''/g, "'") : raw;
  }
  return vars;
}

/** The state letter of a process (R, S, Z, …), or undefined once it is gone. */
function processState(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${String(pid)}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2).split(" ")[0];
  } catch {
    return undefined;
  }
}

function descendantsOf(root: number): number[] {
  const parent = new Map<number, number>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      parent.set(Number(entry), Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]));
    } catch {
      // exited meanwhile
    }
  }
  const found: number[] = [];
  const walk = (pid: number): void => {
    for (const [child, ppid] of parent) {
      if (ppid === pid) {
        found.push(child);
        walk(child);
      }
    }
  };
  walk(root);
  return found;
}

async function pullwarden(args: string[]): Promise<CliResult> {
  const result = await spawnPullwarden(args, { env: { KUBECONFIG: env.KUBECONFIG ?? "" } });
  outputs.push(result);
  return result;
}

interface DoctorReport {
  pods: {
    name: string;
    namespace: string;
    diagnoses: { id: string; fix: { commands: string[] } }[];
  }[];
}

/** Pod name prefix (the Deployment) → its top cause id. */
function topCauses(report: DoctorReport): Record<string, string | undefined> {
  return Object.fromEntries(
    report.pods.map((p) => [
      `${p.namespace}/${p.name.replace(/-[a-z0-9]+-[a-z0-9]+$/, "")}`,
      p.diagnoses[0]?.id,
    ]),
  );
}

beforeAll(async () => {
  tmp = makeScratchDir("sandbox-test");
  sandbox = startServer("bash", [SCRIPT, "--no-build", "--print-env"], {
    cwd: REPO_ROOT,
    env: { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: tmp, TMPDIR: tmp },
  });
  await waitUntil("the sandbox to be ready", () => sandbox.logs().includes(READY), {
    timeoutMs: 60_000,
    intervalMs: 100,
    abortIf: () => (sandbox.exited() ? `it exited (${String(sandbox.child.exitCode)})` : undefined),
    describe: () => sandbox.logs(),
  });
  env = parseExports(sandbox.logs());
  descendants = descendantsOf(sandbox.pid);
  password = readFileSync(env.PULLWARDEN_SANDBOX_PASSWORD_FILE ?? "", "utf8");
});

afterAll(async () => {
  await sandbox?.stop();
  if (tmp) removeScratchDir(tmp);
});

describe("scripts/sandbox.sh", () => {
  it("prints the environment to use it, with pullwarden on PATH and every file inside its directory", () => {
    const dir = env.PULLWARDEN_SANDBOX_DIR ?? "";
    expect(dir.startsWith(`${tmp}/pullwarden-sandbox-`)).toBe(true);
    expect(env.KUBECONFIG).toBe(`${dir}/kubeconfig`);
    expect(env.PATH?.startsWith(`${dir}/bin:`)).toBe(true);
    expect(existsSync(`${dir}/bin/pullwarden`)).toBe(true);
    expect(env.PULLWARDEN_SANDBOX_REGISTRY).toMatch(/^127\.0\.0\.1:\d+$/);
    expect(env.PULLWARDEN_SANDBOX_IMAGE).toBe(`${env.PULLWARDEN_SANDBOX_REGISTRY ?? ""}/shop/web:1.0`);
    // Every scratch directory of the harness lives in the sandbox's own.
    expect(readdirSync(tmp)).toEqual([dir.slice(tmp.length + 1)]);
    expect(password.length).toBeGreaterThanOrEqual(20);
    expect(descendants.length).toBeGreaterThan(0);
  });

  it("doctor --all finds the seeded causes, and --probe confirms the rejected password", async () => {
    const plain = await pullwarden(["doctor", "--all", "-n", "shop,payments", "-o", "json"]);
    expect(plain.code, plain.stderr).toBe(1);
    const report = parseJsonOutput<DoctorReport>(plain);
    const causes = topCauses(report);
    // containerd 1.7's 401 while registry-pull holds a credential for the registry: that credential was sent
    // and refused (with none, containerd says "no basic auth credentials").
    expect(causes).toEqual({
      "shop/web": "credential-rejected",
      "shop/cart": "pull-secret-host-mismatch",
      "payments/billing": "pull-secret-missing",
    });
    // shop/web already lists registry-pull: the fix updates it, never adds it to imagePullSecrets again.
    const web = report.pods.find((p) => p.name.startsWith("web-"));
    const commands = web?.diagnoses.flatMap((d) => d.fix.commands) ?? [];
    expect(commands.some((c) => c.startsWith("printf") && c.includes("secret create registry-pull"))).toBe(
      true,
    );
    expect(commands.filter((c) => c.includes("imagePullSecrets"))).toEqual([]);

    const caFile = env.PULLWARDEN_SANDBOX_CA_FILE ?? "";
    const probed = await pullwarden([
      "doctor",
      "--all",
      "-n",
      "shop,payments",
      "--probe",
      "--ca-file",
      caFile,
      "-o",
      "json",
    ]);
    expect(probed.code, probed.stderr).toBe(1);
    expect(topCauses(parseJsonOutput<DoctorReport>(probed))).toEqual({
      "shop/web": "credential-rejected",
      "shop/cart": "pull-secret-host-mismatch",
      "payments/billing": "pull-secret-missing",
    });
  });

  it("audit --cluster reports the seeded rules, and nothing about the healthy Pod", async () => {
    const result = await pullwarden(["audit", "--cluster", "-o", "json"]);
    expect(result.code, result.stderr).toBe(1);
    const report = parseJsonOutput<{
      mode: string;
      findings: { ruleId: string; location: { kind: string; namespace?: string; name: string } }[];
    }>(result);
    expect(report.mode).toBe("cluster");
    const found = report.findings.map(
      (f) => `${f.ruleId} ${f.location.kind} ${f.location.namespace ?? ""}/${f.location.name}`,
    );
    expect(found).toEqual(
      expect.arrayContaining([
        "PW101 ServiceAccount payments/billing",
        expect.stringMatching(/^PW101 Pod payments\/billing-/),
        "PW104 Secret shop/ghcr-pull",
        expect.stringMatching(/^PW105 Pod shop\/cart-/),
        expect.stringMatching(/^PW105 Pod payments\/billing-/),
      ]),
    );
    expect(found.filter((f) => f.includes("ledger"))).toEqual([]);
  });

  it("apply --dry-run=server creates the missing secret (server dry run)", async () => {
    const args = [
      "apply",
      "payments-registry",
      "-n",
      "payments",
      "--docker-server",
      env.PULLWARDEN_SANDBOX_REGISTRY ?? "",
      "--docker-username",
      env.PULLWARDEN_SANDBOX_USERNAME ?? "",
      "--docker-password-file",
      env.PULLWARDEN_SANDBOX_PASSWORD_FILE ?? "",
      "--dry-run=server",
    ];
    const result = await pullwarden(args);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain("payments: secret/payments-registry created (server dry run)");
  });

  it("check pulls the image with the right credential", async () => {
    const result = await pullwarden([
      "check",
      env.PULLWARDEN_SANDBOX_IMAGE ?? "",
      "--ca-file",
      env.PULLWARDEN_SANDBOX_CA_FILE ?? "",
      "--secret",
      env.PULLWARDEN_SANDBOX_PULL_SECRET ?? "",
      "-o",
      "json",
    ]);
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.stringify(parseJsonOutput(result))).toContain('"outcome":"ok"');
  });

  it("never shows the registry password, raw or base64", () => {
    const shown = [sandbox.logs(), ...outputs.flatMap((o) => [o.stdout, o.stderr])].join("\n");
    expect(outputs.length).toBeGreaterThanOrEqual(5);
    for (const form of [password, Buffer.from(`sandbox:${password}`).toString("base64")]) {
      expect(shown).not.toContain(form);
    }
  });

  it("SIGTERM stops it: exit 0, no process and no file left", async () => {
    const dir = env.PULLWARDEN_SANDBOX_DIR ?? "";
    const exited = new Promise<number | null>((resolve) =>
      sandbox.child.once("exit", (code) => resolve(code)),
    );
    sandbox.child.kill("SIGTERM");
    expect(await exited).toBe(0);
    expect(sandbox.logs()).toContain(`sandbox: stopped; removed ${dir}`);
    // The cleanup watchdog leaves once the sandbox is gone; a zombie (reaped by no init here) counts as gone.
    await waitUntil(
      "every process of the sandbox to exit",
      () => descendants.every((pid) => [undefined, "Z"].includes(processState(pid))),
      {
        timeoutMs: 5_000,
        describe: () => descendants.map((p) => `${p}: ${processState(p) ?? "gone"}`).join(", "),
      },
    );
    expect(readdirSync(tmp)).toEqual([]);
  });

  it("refuses bad arguments (exit 2, one line) before building or starting anything", async () => {
    const sandboxSh = (args: string[]) =>
      runCommand("bash", [SCRIPT, ...args], { cwd: REPO_ROOT, timeoutMs: 10_000 });
    const unknown = await sandboxSh(["--bogus"]);
    expect(unknown.exitCode).toBe(2);
    expect(unknown.stderr).toBe("sandbox: unknown argument '--bogus'; see scripts/sandbox.sh --help\n");
    const noCommand = await sandboxSh(["--no-build", "--"]);
    expect(noCommand.exitCode).toBe(2);
    expect(noCommand.stderr).toBe(
      "sandbox: -- must be followed by a command to run; see scripts/sandbox.sh --help\n",
    );
    const help = await sandboxSh(["--help"]);
    expect(help.exitCode).toBe(0);
    expect(help.stdout).toContain(
      "Usage: scripts/sandbox.sh [--print-env] [--no-build] [-- COMMAND [ARG...]]",
    );
  });
});
