// The single executables of scripts/build-binaries.mjs (dist/release/), built for the tests that run them when
// missing or older than the build they come from (dist/bin/main.js, which the integration project's global setup
// keeps fresh, and the script itself). An amd64 build of both programs takes about 30 s here (node-linux-* from
// npm cached in .cache/sea/), so a run whose sources did not change builds nothing.
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
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

/** Both programs for `arch`, built when missing or stale. */
export function ensureReleaseBinaries(arch: Arch): void {
  const programs: Program[] = ["pullwarden", "pullwarden-credential-provider"];
  if (programs.every((program) => isFresh(releaseBinary(program, arch)))) return;
  const build = spawnSync(process.execPath, [SCRIPT, "--arch", arch], { cwd: REPO_ROOT, encoding: "utf8" });
  if (build.status !== 0) {
    throw new Error(
      `node scripts/build-binaries.mjs --arch ${arch} failed (exit ${build.status}): ${build.stderr}`,
    );
  }
}
