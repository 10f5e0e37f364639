// Scratch directories under os.tmpdir(), removed by their owner's stop() or, at the latest, on process exit.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { trackDir, unmountUnder, untrackDir } from "./cleanup.js";

/** Creates a fresh directory `<tmpdir>/pullwarden-<prefix>-XXXXXX` (short, so unix sockets fit in it). */
export function makeScratchDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), `pullwarden-${prefix}-`));
  trackDir(dir);
  return dir;
}

/** Removes a scratch directory (unmounting anything left below it first). Idempotent. */
export function removeScratchDir(dir: string): void {
  unmountUnder(dir);
  rmSync(dir, { recursive: true, force: true });
  untrackDir(dir);
}
