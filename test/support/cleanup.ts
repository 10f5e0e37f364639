// Last-resort cleanup of everything the harness started: child processes and scratch directories.
//
// Normal teardown goes through each component's stop(). This module covers the rest:
//  - on process exit (normal exit, or SIGINT/SIGTERM/SIGHUP) it kills tracked children synchronously and
//    removes tracked directories (unmounting anything still mounted under them first);
//  - a small detached bash watchdog holds the other end of a pipe; if this Node process dies in a way that runs
//    no handler (SIGKILL, a crash of the vitest worker), the pipe closes and the watchdog does the same cleanup.
import { spawn, spawnSync } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { readFileSync, rmSync } from "node:fs";
import type { Writable } from "node:stream";

const pids = new Set<number>();
const dirs = new Set<string>();
let installed = false;
let watchdog: ChildProcess | undefined;

// Reads "+p PID", "-p PID", "+d DIR", "-d DIR" lines; on EOF kills the remaining PIDs and removes the
// remaining directories (after lazily unmounting whatever is mounted below them).
const WATCHDOG_SCRIPT = `
declare -A P=() D=()
while IFS= read -r line; do
  case "$line" in
    "+p "*) P["\${line#+p }"]=1 ;;
    "-p "*) unset 'P["\${line#-p }"]' ;;
    "+d "*) D["\${line#+d }"]=1 ;;
    "-d "*) unset 'D["\${line#-d }"]' ;;
  esac
done
if [ "\${#P[@]}" -gt 0 ]; then
  for p in "\${!P[@]}"; do kill -9 "$p" 2>/dev/null || true; done
  sleep 0.2
fi
for d in "\${!D[@]}"; do
  awk -v d="$d/" 'index($5 "/", d) == 1 { print $5 }' /proc/self/mountinfo | sort -r | while IFS= read -r m; do
    umount -l "$m" 2>/dev/null || true
  done
  rm -rf -- "$d" 2>/dev/null || true
done
`;

function tell(line: string): void {
  const stdin = watchdog?.stdin as Writable | null | undefined;
  if (stdin && !stdin.destroyed) stdin.write(`${line}\n`);
}

function install(): void {
  if (installed) return;
  installed = true;
  try {
    watchdog = spawn("bash", ["-c", WATCHDOG_SCRIPT], {
      detached: true,
      stdio: ["pipe", "ignore", "ignore"],
    });
    watchdog.on("error", () => {
      watchdog = undefined;
    });
    watchdog.stdin?.on("error", () => {});
    watchdog.unref();
    (watchdog.stdin as unknown as { unref?: () => void } | null)?.unref?.();
  } catch {
    watchdog = undefined;
  }
  process.on("exit", cleanupSync);
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
    process.once(signal, () => {
      cleanupSync();
      process.kill(process.pid, signal);
    });
  }
}

/** Paths of mount points at or below `dir`, deepest first. */
export function mountsUnder(dir: string): string[] {
  let info: string;
  try {
    info = readFileSync("/proc/self/mountinfo", "utf8");
  } catch {
    return [];
  }
  const prefix = dir.endsWith("/") ? dir : `${dir}/`;
  return info
    .split("\n")
    .map((line) => line.split(" ")[4])
    .filter((mp): mp is string => mp !== undefined && `${mp}/`.startsWith(prefix))
    .map((mp) => mp.replace(/\\040/g, " "))
    .sort((a, b) => b.length - a.length);
}

/** Lazily unmounts everything mounted at or below `dir` (no-op when nothing is). */
export function unmountUnder(dir: string): void {
  for (const mp of mountsUnder(dir)) spawnSync("umount", ["-l", mp], { stdio: "ignore" });
}

function cleanupSync(): void {
  for (const pid of pids) {
    try {
      process.kill(pid, "SIGKILL");
    } catch {
      // already gone
    }
  }
  pids.clear();
  for (const dir of dirs) {
    unmountUnder(dir);
    rmSync(dir, { recursive: true, force: true });
  }
  dirs.clear();
}

export function trackPid(pid: number): void {
  install();
  pids.add(pid);
  tell(`+p ${pid}`);
}

export function untrackPid(pid: number): void {
  pids.delete(pid);
  tell(`-p ${pid}`);
}

export function trackDir(dir: string): void {
  install();
  dirs.add(dir);
  tell(`+d ${dir}`);
}

export function untrackDir(dir: string): void {
  dirs.delete(dir);
  tell(`-d ${dir}`);
}
