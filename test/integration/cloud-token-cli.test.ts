// Cloud tokens minted by a real process: a fake `az` script on PATH, run by the one bounded runner (src/process)
// through the CLI's ports, as `apply -f` runs it (ECR mints through the AWS SDK instead: test/cloud/). A CLI that
// prints its token and exits while a child it started still holds its output open is read at once (execFile
// waited for the child, up to its 60 s timeout); one that hangs is killed; what a failing one says on stderr is
// shown redacted, on one line, without the token it printed.
import { chmodSync, existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { afterAll, describe, expect, it } from "vitest";
import type { CliIo } from "../../src/cli/io.js";
import { sourcePorts } from "../../src/cli/flags/payload.js";
import { mintCloudToken } from "../../src/cloud/cloud-token.js";
import { runBounded } from "../../src/process/bounded-exec.js";
import { makeScratchDir, removeScratchDir } from "../support/index.js";

const ACR = { provider: "acr", server: "contoso.azurecr.io", registryName: "contoso" } as const;
const COMMAND = "az acr login --name contoso --expose-token --output tsv --query accessToken";
const TOKEN = "CANARY-acr-t0ken-9f2k";
const SECRET = "CANARY-azure-s3cret-7x1q";

const bin = makeScratchDir("cloud-cli");
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

/** `az` on a PATH of its own: the script's body after the shebang. */
function fakeAz(body: string): Record<string, string> {
  const path = join(bin, "az");
  writeFileSync(path, `#!/bin/sh\n${body}\n`);
  chmodSync(path, 0o755);
  return { PATH: `${bin}:/usr/bin:/bin` };
}

function io(env: Record<string, string>): CliIo {
  const stdin = new PassThrough();
  stdin.end();
  return {
    stdin,
    stdout: new PassThrough(),
    stderr: new PassThrough(),
    env,
    cwd: bin,
    now: () => new Date("2026-06-01T00:00:00Z"),
  };
}

describe("a cloud CLI run for a token", () => {
  it("that exits leaving a child holding its output open is read at once", async () => {
    const pidFile = join(bin, "child.pid");
    const env = fakeAz(`printf '%s\\n' '${TOKEN}'\nsleep 30 &\necho $! > '${pidFile}'\nexit 0`);
    const started = Date.now();
    const credential = await mintCloudToken(ACR, await sourcePorts(io(env)));
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(credential).toMatchObject({ username: "00000000-0000-0000-0000-000000000000", password: TOKEN });
    expect(existsSync(pidFile)).toBe(true);
    const child = Number(readFileSync(pidFile, "utf8"));
    leftBehind.push(child);
    expect(isAlive(child)).toBe(true); // it was not waited for, nor killed: it is not pullwarden's
  });

  it("that hangs is killed and reported with what to do (exit 4)", async () => {
    const pidFile = join(bin, "hung.pid");
    const env = fakeAz(`echo $$ > '${pidFile}'\nexec sleep 60`);
    const ports = await sourcePorts(io(env), (command, args, options) =>
      runBounded(command, args, { ...options, timeoutMs: 500 }),
    );
    const error = (await mintCloudToken(ACR, ports).catch((e: unknown) => e)) as Error & {
      exitCode: number;
      hint: string;
    };
    expect(error.message).toBe(`${COMMAND} failed: no answer within 500ms; it was stopped`);
    expect(error.exitCode).toBe(4);
    expect(error.hint).toMatch(new RegExp(`^run ${COMMAND} in a terminal`));
    const pid = Number(readFileSync(pidFile, "utf8"));
    leftBehind.push(pid);
    await expect.poll(() => isAlive(pid), { timeout: 2_000 }).toBe(false);
  });

  it("that fails says what it said on stderr, on one line, redacted, without the token it printed", async () => {
    const env = fakeAz(
      [
        `printf '%s\\n' '${TOKEN}'`,
        `printf '\\nAn error occurred (ExpiredTokenException): token ${TOKEN} expired\\n' >&2`,
        `printf 'retry with password=${SECRET}\\n' >&2`,
        "exit 255",
      ].join("\n"),
    );
    const error = (await mintCloudToken(ACR, await sourcePorts(io(env))).catch(
      (e: unknown) => e,
    )) as Error & {
      exitCode: number;
    };
    expect(error.message).toBe(
      `${COMMAND} failed: An error occurred (ExpiredTokenException): token <redacted> expired retry with password=<redacted>`,
    );
    expect(error.exitCode).toBe(4);
    expect(error.message).not.toContain(TOKEN);
    expect(error.message).not.toContain(SECRET);
  });
});
