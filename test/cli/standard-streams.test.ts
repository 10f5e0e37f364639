// Standard streams the environment breaks, with the built bin as users run it (issue 10, rows 9 and 11):
// - stdout on a full device (`> /dev/full`) or not open for writing: one line on stderr, exit 4, every command;
// - stdout a pipe whose reader went away (`| head -c1`): no message, exit 4 (docs/exit-codes.md);
// - stdin not readable (`0>file`, a write-only FIFO): one line on stderr, exit 4, every stdin reader.
import { spawn } from "node:child_process";
import type { StdioOptions } from "node:child_process";
import { closeSync, existsSync, openSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startCluster } from "../kube/harness.js";
import type { TestCluster } from "../kube/harness.js";
import { REPO_ROOT, makeScratchDir, trackPid, untrackPid } from "../support/index.js";
import { CLI_MAIN, STACK_TRACE } from "./run-cli.js";
import type { CliResult } from "./run-cli.js";

const ENV = {
  PATH: process.env["PATH"] ?? "/usr/bin:/bin",
  HOME: "/nonexistent",
  PW_TOKEN: "ghp_EXAMPLE0example0EXAMPLE0example01234",
};

/** `node dist/bin/main.js ARGS` with the given stdin/stdout: a file descriptor, or a pipe ("closed" closes ours). */
function spawnWith(
  args: readonly string[],
  stdio: { stdin?: number | "open"; stdout?: number | "closed" },
  nodeArgs: readonly string[] = [],
): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const options: StdioOptions = [
      typeof stdio.stdin === "number" ? stdio.stdin : "pipe",
      typeof stdio.stdout === "number" ? stdio.stdout : "pipe",
      "pipe",
    ];
    const child = spawn(process.execPath, [...nodeArgs, CLI_MAIN, ...args], {
      cwd: REPO_ROOT,
      env: ENV,
      stdio: options,
    });
    if (child.pid !== undefined) trackPid(child.pid);
    // The reader goes away before the CLI has started (node takes far longer to start than this takes).
    if (stdio.stdout === "closed") child.stdout?.destroy();
    // "open": stdin stays open (the command waits on it) until the process ends.
    if (stdio.stdin !== "open") child.stdin?.end();
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    if (stdio.stdout !== "closed") child.stdout?.on("data", (chunk: Buffer) => out.push(chunk));
    child.stderr?.on("data", (chunk: Buffer) => err.push(chunk));
    const timer = setTimeout(() => child.kill("SIGKILL"), 30_000);
    child.on("error", reject);
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      if (child.pid !== undefined) untrackPid(child.pid);
      resolve({
        code: code ?? (signal ? 128 : -1),
        stdout: Buffer.concat(out).toString("utf8"),
        stderr: Buffer.concat(err).toString("utf8"),
      });
    });
  });
}

let api: TestCluster;
let kubeconfig: string;
let scratch: string;

beforeAll(async () => {
  expect(existsSync(CLI_MAIN), `${CLI_MAIN} is missing: run npm run build first`).toBe(true);
  scratch = makeScratchDir("standard-streams");
  api = await startCluster({ namespaces: ["apps"] });
  kubeconfig = api.kubeconfigFor("admin", "apps");
});
afterAll(async () => {
  await api?.stop();
});

const payload = [
  "--docker-server",
  "ghcr.io",
  "--docker-username",
  "bot",
  "--docker-password-env",
  "PW_TOKEN",
];

/** One invocation per command that writes a result to stdout (the cluster ones against a real control plane). */
function commandsWritingStdout(): [string, string[]][] {
  return [
    ["--version", ["--version"]],
    ["--help", ["--help"]],
    ["secret create", ["secret", "create", "ghcr-pull", ...payload, "--dry-run=client", "-o", "yaml"]],
    ["secret inspect", ["secret", "inspect", "examples/pull-secrets.yaml"]],
    ["secret match", ["secret", "match", "ghcr.io/acme/api:1.4", "examples/pull-secrets.yaml", "-o", "json"]],
    ["plan", ["plan", "-f", "examples/layout.yaml"]],
    [
      "init",
      [
        "init",
        "--provider",
        "other",
        "--cluster-name",
        "c1",
        "--registry",
        "ghcr.io/acme",
        "--namespace",
        "apps",
        "-o",
        "-",
      ],
    ],
    ["audit", ["audit", "examples/manifests/", "-o", "sarif"]],
    ["audit --cluster", ["audit", "--cluster", "--kubeconfig", kubeconfig]],
    ["explain", ["explain", "examples/describe/web-pod.txt"]],
    // Nothing listens on port 9 (discard): the check fails fast and prints its table.
    ["check", ["check", "127.0.0.1:9/app:1", "--plain-http", "--timeout", "5"]],
    ["apply", ["apply", "ghcr-pull", ...payload, "--kubeconfig", kubeconfig, "--dry-run=client"]],
    ["doctor", ["doctor", "--all", "--kubeconfig", kubeconfig]],
  ];
}

describe("stdout that cannot be written", () => {
  it("every command writes to stdout when it can (the cases below are meaningful)", async () => {
    for (const [name, args] of commandsWritingStdout()) {
      const result = await spawnWith(args, {});
      expect(result.stdout.length, `${name}: ${result.stderr}`).toBeGreaterThan(0);
      expect(result.code, `${name}: ${result.stderr}`).toBeLessThan(2);
    }
  });

  it("> /dev/full: one line on stderr, exit 4, for every command", async () => {
    for (const [name, args] of commandsWritingStdout()) {
      const full = openSync("/dev/full", "w");
      try {
        const result = await spawnWith(args, { stdout: full });
        expect(result.stderr, name).not.toMatch(STACK_TRACE);
        expect(result.stderr, name).toBe(
          "error: cannot write to standard output: the device it goes to is full (ENOSPC); free space there or redirect the output elsewhere\n",
        );
        expect(result.code, name).toBe(4);
      } finally {
        closeSync(full);
      }
    }
  });

  it("stdout open only for reading: one line naming EBADF, exit 4", async () => {
    const file = join(scratch, "read-only");
    writeFileSync(file, "");
    const readOnly = openSync(file, "r");
    try {
      const result = await spawnWith(["secret", "inspect", "examples/pull-secrets.yaml"], {
        stdout: readOnly,
      });
      expect(result.stderr).toBe(
        "error: cannot write to standard output: it is closed or not open for writing (EBADF); redirect it to a file or a pipe\n",
      );
      expect(result.code).toBe(4);
    } finally {
      closeSync(readOnly);
    }
  });

  it("a closed pipe (| head -c1): no message, no stack trace, exit 4, for every command", async () => {
    for (const [name, args] of commandsWritingStdout()) {
      const result = await spawnWith(args, { stdout: "closed" });
      expect(result.stderr, name).toBe("");
      expect(result.code, name).toBe(4);
    }
  });
});

/** Every way a command reads standard input. */
const STDIN_READERS: string[][] = [
  ["secret", "inspect", "-"],
  ["secret", "inspect"],
  ["secret", "match", "nginx", "-"],
  ["secret", "create", "x", "--docker-username", "u", "--docker-password-stdin", "--dry-run=client"],
  ["secret", "create", "x", "--docker-username", "u", "--docker-password-file", "-", "--dry-run=client"],
  ["secret", "create", "x", "--from-file", "-", "--dry-run=client"],
  ["secret", "create", "x", "--merge", "-", "--dry-run=client"],
  ["check", "nginx", "--username", "u", "--password-stdin"],
  ["check", "-f", "-"],
  ["check", "nginx", "--secret", "-"],
  ["check", "nginx", "--ca-file", "-"],
  ["audit", "-"],
  ["audit", "--config", "-", "examples/manifests/"],
  ["audit", "--layout", "-", "examples/manifests/"],
  ["explain"],
  ["plan", "-f", "-"],
  ["apply", "-f", "-"],
  ["apply", "x", "--docker-username", "u", "--docker-password-stdin", "-n", "apps"],
];

describe("stdin that cannot be read", () => {
  it("stdin open only for writing (0>file): one line, exit 4, for every stdin reader", async () => {
    const file = join(scratch, "write-only");
    for (const args of STDIN_READERS) {
      const writeOnly = openSync(file, "w");
      try {
        const result = await spawnWith(args, { stdin: writeOnly });
        expect(result.stderr, args.join(" ")).toBe(
          "error: cannot read standard input: it is closed or open only for writing (EBADF); pipe the input in, or pass a file instead\n",
        );
        expect(result.code, args.join(" ")).toBe(4);
      } finally {
        closeSync(writeOnly);
      }
    }
  });

  it("stdin closed (<&-): node reopens it as /dev/null, so the input is empty; no internal error", async () => {
    for (const args of STDIN_READERS) {
      const result = await new Promise<CliResult>((resolve, reject) => {
        const child = spawn("bash", ["-c", 'exec "$0" "$@" <&-', process.execPath, CLI_MAIN, ...args], {
          cwd: REPO_ROOT,
          env: ENV,
        });
        const out: Buffer[] = [];
        const err: Buffer[] = [];
        child.stdout.on("data", (chunk: Buffer) => out.push(chunk));
        child.stderr.on("data", (chunk: Buffer) => err.push(chunk));
        child.on("error", reject);
        child.on("close", (code) =>
          resolve({
            code: code ?? -1,
            stdout: Buffer.concat(out).toString(),
            stderr: Buffer.concat(err).toString(),
          }),
        );
      });
      expect(result.stderr, args.join(" ")).not.toMatch(/internal error|EBADF/);
      expect(result.stderr, args.join(" ")).not.toMatch(STACK_TRACE);
      expect(result.code, args.join(" ")).not.toBe(5);
    }
  });
});

describe("an error no command caught", () => {
  // Preloaded into the CLI's process: a throw in a timer and a rejected promise nobody awaits, while
  // `explain -` waits on stdin.
  it.each([
    ["an uncaught exception", 'setTimeout(() => { throw new Error("stray failure"); }, 200)'],
    ["an unhandled rejection", 'setTimeout(() => { Promise.reject(new Error("stray failure")); }, 200)'],
  ])("%s: one line, exit 5, no stack trace", async (_case, code) => {
    const result = await spawnWith(["explain", "-"], { stdin: "open" }, [
      "--import",
      `data:text/javascript,${encodeURIComponent(code)}`,
    ]);
    expect(result.stderr).toBe(
      "internal error: stray failure\nThis is a bug in pullwarden; please report it with the command you ran.\n",
    );
    expect(result.code).toBe(5);
  });
});
