// The single executables of scripts/build-binaries.mjs (dist/release/), built for the tests that run them when
// missing or older than the build they come from (dist/bin/main.js, which the integration project's global setup
// keeps fresh, and the script itself). An amd64 build of both programs takes about 30 s here (node-linux-* from
// npm cached in .cache/sea/), so a run whose sources did not change builds nothing.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { REPO_ROOT } from "../support/index.js";

export type Arch = "amd64" | "arm64";
export type Program = "pullwarden" | "pullwarden-credential-provider";

const SCRIPT = join(REPO_ROOT, "scripts/build-binaries.mjs");
export const RELEASE_DIR = join(REPO_ROOT, "dist/release");

/** The Node.js version the executables embed (the script's NODE_VERSION). */
export const EMBEDDED_NODE_VERSION = /NODE_VERSION = "([^"]+)"/.exec(readFileSync(SCRIPT, "utf8"))?.[1] ?? "";

export function releaseBinary(program: Program, arch: Arch): string {
  return join(RELEASE_DIR, `${program}-linux-${arch}`);
}

function isFresh(path: string): boolean {
  if (!existsSync(path)) return false;
  const built = statSync(path).mtimeMs;
  return [join(REPO_ROOT, "dist/bin/main.js"), SCRIPT].every((input) => statSync(input).mtimeMs < built);
}

/**
 * Both programs for `arch`, built when missing or stale. Test files run in parallel: one builds at a time (a lock
 * directory holding the builder's pid; a dead builder's lock is taken over), the others then find them fresh.
 */
export function ensureReleaseBinaries(arch: Arch): void {
  const programs: Program[] = ["pullwarden", "pullwarden-credential-provider"];
  const fresh = (): boolean => programs.every((program) => isFresh(releaseBinary(program, arch)));
  if (fresh()) return;
  const release = takeBuildLock();
  try {
    if (fresh()) return;
    const build = spawnSync(process.execPath, [SCRIPT, "--arch", arch], { cwd: REPO_ROOT, encoding: "utf8" });
    if (build.status !== 0) {
      throw new Error(
        `node scripts/build-binaries.mjs --arch ${arch} failed (exit ${build.status}): ${build.stderr}`,
      );
    }
  } finally {
    release();
  }
}

const LOCK = join(REPO_ROOT, ".cache", "sea-build.lock");

function takeBuildLock(): () => void {
  mkdirSync(dirname(LOCK), { recursive: true });
  const deadline = Date.now() + 15 * 60_000;
  for (;;) {
    try {
      mkdirSync(LOCK);
      writeFileSync(join(LOCK, "pid"), String(process.pid));
      return () => rmSync(LOCK, { recursive: true, force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
    if (!holderAlive()) rmSync(LOCK, { recursive: true, force: true });
    else if (Date.now() > deadline)
      throw new Error(`${LOCK} held for 15 minutes: remove it if no build runs`);
    else Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 500);
  }
}

function holderAlive(): boolean {
  let pid: number;
  try {
    pid = Number(readFileSync(join(LOCK, "pid"), "utf8"));
  } catch {
    return true; // just created, its pid not written yet
  }
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** The `secret create` command line the release tests run on each artifact (the password from $PW); add `-o`. */
export const SECRET_CREATE_ARGS: readonly string[] = [
  "secret",
  "create",
  "regcred",
  "--docker-server=registry.example",
  "--docker-username=build",
  "--docker-password-env=PW",
  "--dry-run=client",
];

/** What a single executable's `--version` prints (the embedded Node.js named). */
export const SEA_VERSION_LINE = /^0\.1\.0 \(single executable, Node\.js v\d+\.\d+\.\d+\)\n$/;
