// Running tools: one-shot commands (runCommand) and long-running servers (startServer), all tracked.
import { spawn } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { trackPid, untrackPid } from "./cleanup.js";

export interface CommandResult {
  stdout: string;
  stderr: string;
  exitCode: number;
}

export interface RunOptions {
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  input?: string | Buffer;
  timeoutMs?: number;
}

/** Runs a command to completion. Never throws for a non-zero exit; throws if it cannot start or times out. */
export function runCommand(
  file: string,
  args: readonly string[],
  opts: RunOptions = {},
): Promise<CommandResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, {
      env: opts.env ?? process.env,
      cwd: opts.cwd,
      stdio: ["pipe", "pipe", "pipe"],
    });
    if (child.pid !== undefined) trackPid(child.pid);
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on("data", (c: Buffer) => out.push(c));
    child.stderr.on("data", (c: Buffer) => err.push(c));
    const timeoutMs = opts.timeoutMs ?? 60_000;
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`${file} ${args.join(" ")} timed out after ${timeoutMs} ms`));
    }, timeoutMs);
    child.on("error", (e) => {
      clearTimeout(timer);
      if (child.pid !== undefined) untrackPid(child.pid);
      reject(new Error(`cannot run ${file}: ${e.message}`));
    });
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      if (child.pid !== undefined) untrackPid(child.pid);
      resolve({
        stdout: Buffer.concat(out).toString("utf8"),
        stderr: Buffer.concat(err).toString("utf8"),
        exitCode: code ?? (signal ? 128 : 1),
      });
    });
    child.stdin.on("error", () => {});
    child.stdin.end(opts.input ?? "");
  });
}

export interface ServerProcess {
  readonly child: ChildProcess;
  readonly pid: number;
  /** Combined stdout+stderr so far (the last 256 KiB). */
  logs(): string;
  /** True once the process has exited. */
  exited(): boolean;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves when the process is gone. Idempotent. */
  stop(graceMs?: number): Promise<void>;
}

const MAX_LOG = 256 * 1024;

/** Starts a long-running server process, tracked for cleanup on stop() and on process exit. */
export function startServer(
  file: string,
  args: readonly string[],
  opts: { env?: NodeJS.ProcessEnv; cwd?: string } = {},
): ServerProcess {
  const child = spawn(file, args, {
    env: opts.env ?? process.env,
    cwd: opts.cwd,
    stdio: ["ignore", "pipe", "pipe"],
  });
  if (child.pid === undefined) throw new Error(`cannot start ${file}`);
  const pid = child.pid;
  trackPid(pid);
  let log = "";
  const append = (c: Buffer): void => {
    log += c.toString("utf8");
    if (log.length > MAX_LOG) log = log.slice(log.length - MAX_LOG);
  };
  child.stdout?.on("data", append);
  child.stderr?.on("data", append);
  let hasExited = false;
  const exitPromise = new Promise<void>((resolve) => {
    child.on("exit", () => {
      hasExited = true;
      untrackPid(pid);
      resolve();
    });
    child.on("error", (e) => {
      append(Buffer.from(`\n[harness] spawn error: ${e.message}\n`));
      hasExited = true;
      untrackPid(pid);
      resolve();
    });
  });
  return {
    child,
    pid,
    logs: () => log,
    exited: () => hasExited,
    async stop(graceMs = 5_000) {
      if (!hasExited) {
        child.kill("SIGTERM");
        const timer = setTimeout(() => child.kill("SIGKILL"), graceMs);
        await exitPromise;
        clearTimeout(timer);
      }
    },
  };
}
