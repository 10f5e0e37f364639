// Running pullwarden in tests: in-process through runCli (fast, no global state) and, for the few things only a
// real process shows (exit status, what reaches the terminal), as the built bin (`node dist/…/main.js`).
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { runCli } from "../../src/cli/run.js";
import type { CliIo } from "../../src/cli/io.js";
import { REPO_ROOT, runCommand } from "../support/index.js";

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  /** Bytes or text on stdin; stdin is ended right away (empty when omitted). */
  stdin?: string | Uint8Array;
  /** The whole environment the command sees (default: empty, so no ambient HOME/DOCKER_CONFIG leaks in). */
  env?: Record<string, string | undefined>;
  cwd?: string;
  /** The clock; default 2026-06-01T00:00:00Z so expiry checks are deterministic. */
  now?: Date | (() => Date);
  /** Pretend stdin/stdout/stderr are terminals. */
  tty?: boolean;
}

/** A fixed "now" for every in-process run unless a test says otherwise. */
export const TEST_NOW = new Date("2026-06-01T00:00:00Z");

function collect(stream: PassThrough): () => string {
  const chunks: Buffer[] = [];
  stream.on("data", (chunk: Buffer | string) => chunks.push(Buffer.from(chunk)));
  return () => Buffer.concat(chunks).toString("utf8");
}

/** `pullwarden ARGS...` in-process with PassThrough streams. Never throws: an escaped exception is a test bug. */
export async function runPullwarden(args: readonly string[], opts: RunOptions = {}): Promise<CliResult> {
  const stdin = new PassThrough();
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const out = collect(stdout);
  const err = collect(stderr);
  if (opts.tty) {
    Object.assign(stdin, { isTTY: true });
    Object.assign(stdout, { isTTY: true });
    Object.assign(stderr, { isTTY: true });
  }
  stdin.end(opts.stdin === undefined ? Buffer.alloc(0) : Buffer.from(opts.stdin));
  const now = opts.now ?? TEST_NOW;
  const io: CliIo = {
    stdin,
    stdout,
    stderr,
    env: opts.env ?? {},
    cwd: opts.cwd ?? REPO_ROOT,
    now: typeof now === "function" ? now : () => now,
  };
  const code = await runCli(args, io);
  stdout.end();
  stderr.end();
  // Let the 'data' handlers see everything written before end().
  await new Promise((resolve) => setImmediate(resolve));
  return { code, stdout: out(), stderr: err() };
}

/** The built CLI users run: package.json's `bin.pullwarden` (else dist/cli/main.js); `npm run build` first. */
export const CLI_MAIN = join(REPO_ROOT, builtBin());

function builtBin(): string {
  try {
    const pkg = JSON.parse(readFileSync(join(REPO_ROOT, "package.json"), "utf8")) as {
      bin?: Record<string, string>;
    };
    return pkg.bin?.["pullwarden"] ?? "dist/cli/main.js";
  } catch {
    return "dist/cli/main.js";
  }
}

export interface SpawnOptions {
  stdin?: string | Buffer;
  /** Added to a minimal environment (PATH, HOME) of the child. */
  env?: Record<string, string>;
  cwd?: string;
  timeoutMs?: number;
}

/** `node <built bin> ARGS...` as a real, tracked child process. */
export async function spawnPullwarden(args: readonly string[], opts: SpawnOptions = {}): Promise<CliResult> {
  if (!existsSync(CLI_MAIN)) throw new Error(`${CLI_MAIN} is missing: run npm run build first`);
  const res = await runCommand(process.execPath, [CLI_MAIN, ...args], {
    env: { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: "/nonexistent", ...opts.env },
    cwd: opts.cwd ?? REPO_ROOT,
    input: opts.stdin,
    timeoutMs: opts.timeoutMs ?? 30_000,
  });
  return { code: res.exitCode, stdout: res.stdout, stderr: res.stderr };
}

/** Lines that look like a JavaScript stack frame or a Node crash banner. */
export const STACK_TRACE = /^\s+at .+\(?.+:\d+:\d+\)?$|node:internal|^\s*at async |Error: .*\n\s+at /m;

/** The JSON a `-o json` run printed. */
export function parseJsonOutput<T = unknown>(result: CliResult): T {
  try {
    return JSON.parse(result.stdout) as T;
  } catch {
    throw new Error(`stdout is not JSON (exit ${result.code}):\n${result.stdout}\nstderr:\n${result.stderr}`);
  }
}
