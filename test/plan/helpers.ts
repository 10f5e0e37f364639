// Shared by the plan tests: the golden cases, a fixed clock, the real shell tools (missing = FAIL, never a skip),
// and validation of generated manifests with kubernetes-models (schemas generated from the Kubernetes OpenAPI).
import { spawnSync } from "node:child_process";
import { accessSync, constants, readdirSync, readFileSync, existsSync } from "node:fs";
import { delimiter, join, resolve } from "node:path";
import { PassThrough } from "node:stream";
import { parseAllDocuments } from "yaml";
import { ServiceAccount, Secret } from "kubernetes-models/v1";
import { CronJob } from "kubernetes-models/batch/v1";
import { DaemonSet, Deployment, StatefulSet } from "kubernetes-models/apps/v1";
import { runCli } from "../../src/cli/run.js";
import type { CliIo } from "../../src/cli/io.js";
import { LayoutError, parseLayout } from "../../src/plan/index.js";
import type { LayoutProblem } from "../../src/plan/index.js";

export const ROOT = resolve(import.meta.dirname, "../..");
export const TESTDATA = join(ROOT, "testdata/plan");
/** The clock of every golden: expiry texts depend on it. */
export const NOW = new Date("2026-06-01T00:00:00Z");

/** The problems parseLayout finds in `text` (a layout it accepts fails the test). */
export function problemsOf(text: string): LayoutProblem[] {
  try {
    parseLayout(text, { source: "layout.yaml", now: NOW });
  } catch (error) {
    if (error instanceof LayoutError) return [...error.problems];
    throw error;
  }
  throw new Error("the layout was accepted");
}

export function goldenCases(): string[] {
  return readdirSync(TESTDATA, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(join(TESTDATA, entry.name, "layout.yaml")))
    .map((entry) => entry.name)
    .sort();
}

export function readCase(name: string): string {
  return readFileSync(join(TESTDATA, name, "layout.yaml"), "utf8");
}

/** The absolute path of a tool; throws (the test fails) when it is missing. */
export function requireBinary(name: "bash" | "shellcheck" | "kubectl"): string {
  const dirs = (process.env["PATH"] ?? "").split(delimiter).filter(Boolean);
  for (const extra of ["/usr/local/bin", "/usr/bin", "/bin"]) if (!dirs.includes(extra)) dirs.push(extra);
  for (const dir of dirs) {
    const candidate = join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // next
    }
  }
  throw new Error(`${name} not found: run scripts/install-test-deps.sh`);
}

export interface ShellCheck {
  ok: boolean;
  output: string;
}

/** `bash -n` and `shellcheck` (all severities) on one script given as text. */
export function checkShell(name: string, content: string): { syntax: ShellCheck; lint: ShellCheck } {
  const bash = spawnSync(requireBinary("bash"), ["-n"], { input: content, encoding: "utf8" });
  const lint = spawnSync(requireBinary("shellcheck"), ["--shell=bash", "--severity=style", "-"], {
    input: content,
    encoding: "utf8",
  });
  return {
    syntax: { ok: bash.status === 0, output: `${name}: ${bash.stderr}` },
    lint: { ok: lint.status === 0, output: `${name}:\n${lint.stdout}${lint.stderr}` },
  };
}

export function yamlDocuments(text: string): unknown[] {
  return parseAllDocuments(text)
    .map((document) => {
      if (document.errors.length > 0) throw new Error(document.errors[0]?.message);
      return document.toJS() as unknown;
    })
    .filter((object) => object !== null && object !== undefined);
}

type Validator = (object: Record<string, unknown>) => void;

const VALIDATORS: Record<string, Validator> = {
  "v1/ServiceAccount": (o) => new ServiceAccount(o as never).validate(),
  "v1/Secret": (o) => new Secret(o as never).validate(),
};

/** Validates one object with kubernetes-models; throws with the reason when it is invalid or of an unknown kind. */
export function validateKubernetesObject(object: unknown): void {
  const record = object as Record<string, unknown>;
  const key = `${String(record["apiVersion"])}/${String(record["kind"])}`;
  const validator = VALIDATORS[key];
  if (!validator) throw new Error(`no kubernetes-models validator for ${key}`);
  validator(record);
}

/** A workload of `kind` with a valid Pod template, for checking that a generated patch merges into it. */
export function baseWorkload(kind: string, name: string, namespace: string): Record<string, unknown> {
  const template = {
    metadata: { labels: { app: name } },
    spec: { containers: [{ name: "app", image: "registry.example/app:1" }] },
  };
  const selector = { matchLabels: { app: name } };
  switch (kind) {
    case "Deployment":
    case "DaemonSet":
      return { apiVersion: "apps/v1", kind, metadata: { name, namespace }, spec: { selector, template } };
    case "StatefulSet":
      return {
        apiVersion: "apps/v1",
        kind,
        metadata: { name, namespace },
        spec: { selector, template, serviceName: name },
      };
    case "CronJob":
      return {
        apiVersion: "batch/v1",
        kind,
        metadata: { name, namespace },
        spec: {
          schedule: "0 * * * *",
          jobTemplate: {
            spec: { template: { ...template, spec: { ...template.spec, restartPolicy: "Never" } } },
          },
        },
      };
    default:
      throw new Error(`no base workload for ${kind}`);
  }
}

export function validateWorkload(object: Record<string, unknown>): void {
  switch (object["kind"]) {
    case "Deployment":
      return new Deployment(object as never).validate();
    case "StatefulSet":
      return new StatefulSet(object as never).validate();
    case "DaemonSet":
      return new DaemonSet(object as never).validate();
    case "CronJob":
      return new CronJob(object as never).validate();
    default:
      throw new Error(`no validator for ${String(object["kind"])}`);
  }
}

/** Strategic merge of a patch that only adds `imagePullSecrets` (a list merged by `name`). */
export function mergePatch(target: unknown, patch: unknown): unknown {
  if (Array.isArray(patch) && Array.isArray(target)) {
    const merged = [...(target as { name?: string }[])];
    for (const item of patch as { name?: string }[]) {
      if (!merged.some((m) => m.name === item.name)) merged.push(item);
    }
    return merged;
  }
  if (patch && typeof patch === "object" && target && typeof target === "object") {
    const out: Record<string, unknown> = { ...(target as Record<string, unknown>) };
    for (const [key, value] of Object.entries(patch as Record<string, unknown>)) {
      out[key] = key in out ? mergePatch(out[key], value) : value;
    }
    return out;
  }
  return patch;
}

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** `pullwarden ARGS` in-process, with the fixed clock; `tty` marks the streams as terminals. */
export async function runPullwarden(
  args: readonly string[],
  options: { cwd?: string; env?: Record<string, string>; stdin?: string; tty?: boolean } = {},
): Promise<CliResult> {
  const stdin = new PassThrough();
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  stdout.on("data", (c: Buffer) => out.push(Buffer.from(c)));
  stderr.on("data", (c: Buffer) => err.push(Buffer.from(c)));
  if (options.tty) for (const s of [stdin, stdout, stderr]) Object.assign(s, { isTTY: true });
  stdin.end(options.stdin ?? "");
  const io: CliIo = {
    stdin,
    stdout,
    stderr,
    env: options.env ?? {},
    cwd: options.cwd ?? ROOT,
    now: () => NOW,
  };
  const code = await runCli(args, io);
  stdout.end();
  stderr.end();
  await new Promise((r) => setImmediate(r));
  return { code, stdout: Buffer.concat(out).toString("utf8"), stderr: Buffer.concat(err).toString("utf8") };
}
