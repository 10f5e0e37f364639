// Global setup of the integration project: tests that run the built CLI (`node dist/bin/main.js`) get a dist/
// that matches src/. Builds when dist/ is missing or older than any source file; a fresh dist/ costs nothing.
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { REPO_ROOT } from "./tools.js";

const BUILT = join(REPO_ROOT, "dist/bin/main.js");
const INPUTS = ["src", "package.json", "tsconfig.build.json", "scripts/bundle.mjs"];

function newestMtime(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, entry)));
  return newest;
}

export function distIsStale(): boolean {
  if (!existsSync(BUILT)) return true;
  const built = statSync(BUILT).mtimeMs;
  return INPUTS.some((input) => newestMtime(join(REPO_ROOT, input)) > built);
}

export default function setup(): void {
  if (!distIsStale()) return;
  process.stderr.write("integration tests: dist/ is missing or older than src/: npm run build\n");
  const build = spawnSync("npm", ["run", "--silent", "build"], { cwd: REPO_ROOT, stdio: "inherit" });
  if (build.status !== 0) {
    throw new Error(
      `npm run build failed (exit ${build.status ?? build.signal}): its output is above; fix the build`,
    );
  }
}
