/**
 * Runs a credential helper binary: the I/O edge of this module. Output is capped and the process is killed
 * after a timeout so a hung helper (waiting for a desktop keychain prompt, say) cannot hang pullwarden.
 */
import { spawn } from "node:child_process";

export interface HelperRun {
  readonly exitCode: number;
  readonly stdout: string;
}

export type RunHelper = (binary: string, action: "get" | "list", stdin: string) => Promise<HelperRun>;

const MAX_HELPER_OUTPUT_BYTES = 256 * 1024;
const HELPER_TIMEOUT_MS = 30_000;

export function createRunHelper(env: Readonly<Record<string, string | undefined>>): RunHelper {
  return (binary, action, stdin) =>
    new Promise((resolve, reject) => {
      const child = spawn(binary, [action], {
        env: env as NodeJS.ProcessEnv,
        stdio: ["pipe", "pipe", "ignore"],
        timeout: HELPER_TIMEOUT_MS,
      });
      const chunks: Buffer[] = [];
      let size = 0;
      child.stdout.on("data", (chunk: Buffer) => {
        size += chunk.length;
        if (size > MAX_HELPER_OUTPUT_BYTES) child.kill("SIGKILL");
        else chunks.push(chunk);
      });
      child.on("error", reject);
      child.on("close", (code, signal) => {
        if (signal) {
          resolve({ exitCode: 128, stdout: `killed by ${signal} (timeout or output over limit)` });
          return;
        }
        resolve({ exitCode: code ?? 1, stdout: Buffer.concat(chunks).toString("utf8") });
      });
      child.stdin.on("error", () => undefined);
      child.stdin.end(stdin);
    });
}
