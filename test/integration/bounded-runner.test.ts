// The one bounded runner (src/process) with real processes, as credential helpers and the kubelet-plugin
// simulator run through it (cloud tokens no longer spawn a CLI: cloud/ecr and cloud/acr use the SDKs). A program
// that prints and exits while a child it started still holds its output open is read at once (execFile waited
// for the child, up to its timeout); one that hangs is killed; what a failing one says on stderr is shown
// redacted, on one line, without what it printed on stdout.
import { chmodSync, existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { displayLine } from "../../src/doctor/redact.js";
import { runBounded, stderrForDisplay } from "../../src/process/bounded-exec.js";
import { makeScratchDir, removeScratchDir } from "../support/index.js";

const TOKEN = "CANARY-printed-t0ken-9f2k";
const SECRET = "CANARY-stderr-s3cret-7x1q";

const bin = makeScratchDir("bounded-runner");
const leftBehind: number[] = [];

afterAll(() => {
  for (const pid of leftBehind) {
    try {
      process.kill(pid, "SIGKILL");
    } catch {
      // already gone
    }
  }
  removeScratchDir(bin);
});

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** A program of its own: the script's body after the shebang. */
function program(name: string, body: string): string {
  const path = join(bin, name);
  writeFileSync(path, `#!/bin/sh\n${body}\n`);
  chmodSync(path, 0o755);
  return path;
}

const ENV = { PATH: "/usr/bin:/bin" };

describe("a program run with bounds", () => {
  it("that exits leaving a child holding its output open is read at once", async () => {
    const pidFile = join(bin, "child.pid");
    const path = program(
      "leaves-child",
      `printf '%s\\n' '${TOKEN}'\nsleep 30 &\necho $! > '${pidFile}'\nexit 0`,
    );
    const started = Date.now();
    const run = await runBounded(path, [], { env: ENV, timeoutMs: 60_000, maxStdoutBytes: 1024 * 1024 });
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(run).toMatchObject({ outcome: "exited", exitCode: 0, stdout: `${TOKEN}\n` });
    expect(existsSync(pidFile)).toBe(true);
    const child = Number(readFileSync(pidFile, "utf8"));
    leftBehind.push(child);
    expect(isAlive(child)).toBe(true); // it was not waited for, nor killed: it is not pullwarden's
  });

  it("that hangs is killed", async () => {
    const pidFile = join(bin, "hung.pid");
    const path = program("hangs", `echo $$ > '${pidFile}'\nexec sleep 60`);
    const run = await runBounded(path, [], { env: ENV, timeoutMs: 500, maxStdoutBytes: 1024 });
    expect(run).toEqual({ outcome: "timed-out", timeoutMs: 500 });
    const pid = Number(readFileSync(pidFile, "utf8"));
    leftBehind.push(pid);
    await expect.poll(() => isAlive(pid), { timeout: 2_000 }).toBe(false);
  });

  it("that fails: its stderr on one line, redacted, without what it printed on stdout", async () => {
    const path = program(
      "fails",
      [
        `printf '%s\\n' '${TOKEN}'`,
        `printf '\\nAn error occurred (ExpiredTokenException): token ${TOKEN} expired\\n' >&2`,
        `printf 'retry with password=${SECRET}\\n' >&2`,
        "exit 255",
      ].join("\n"),
    );
    const run = await runBounded(path, [], { env: ENV, timeoutMs: 10_000, maxStdoutBytes: 1024 });
    if (run.outcome !== "exited") throw new Error(`unexpected ${run.outcome}`);
    expect(run.exitCode).toBe(255);
    const shown = stderrForDisplay(run.stderr, { stdout: run.stdout, displayLine });
    expect(shown).toBe(
      "An error occurred (ExpiredTokenException): token <redacted> expired retry with password=<redacted>",
    );
    expect(shown).not.toContain(TOKEN);
    expect(shown).not.toContain(SECRET);
  });
});
