// The newcomer's first run (issue 10, newcomer friction): ./scripts/demo.sh is short and scannable, free of
// stack traces and npm warnings, independent of today's date, and ends with a way to run the README's examples
// from the clone that works.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { REPO_ROOT, runCommand } from "../support/index.js";
import { spawnPullwarden, STACK_TRACE } from "./run-cli.js";

const home = mkdtempSync(join(tmpdir(), "pullwarden-demo-"));
afterAll(() => rmSync(home, { recursive: true, force: true }));

/** npm without the network: npx must find the clone's own bin, never fetch a package of that name. */
const OFFLINE_NPM = {
  PATH: process.env["PATH"] ?? "/usr/bin:/bin",
  HOME: home,
  npm_config_offline: "true",
  npm_config_update_notifier: "false",
};

let demo: { exitCode: number; stdout: string; stderr: string };

beforeAll(async () => {
  // dist/ is fresh (the integration setup builds it), so the demo neither installs nor builds here.
  demo = await runCommand("bash", ["scripts/demo.sh"], {
    cwd: REPO_ROOT,
    env: OFFLINE_NPM,
    timeoutMs: 120_000,
  });
}, 150_000);

describe("./scripts/demo.sh", () => {
  it("runs every step and exits 0", () => {
    expect(demo.exitCode, demo.stderr).toBe(0);
    expect(demo.stdout).toMatch(/^Done: 7 steps\./m);
    expect(demo.stdout.match(/^ {3}\(exit \d/gm)).toHaveLength(7);
  });

  it("is short and scannable: under 90 lines, none wider than a wide terminal", () => {
    const lines = demo.stdout.split("\n");
    expect(lines.length).toBeLessThan(90);
    const wide = lines.filter((line) => [...line].length > 120 && !line.startsWith("   $ "));
    expect(wide).toEqual([]);
  });

  it("prints no stack trace, internal error or npm warning", () => {
    const all = demo.stdout + demo.stderr;
    expect(all).not.toMatch(STACK_TRACE);
    expect(all).not.toMatch(/internal error|npm (warn|WARN|ERR)|allowScripts/);
  });

  it("npm ci stays quiet: package.json's allowScripts covers every install script of the lockfile", async () => {
    const result = await runCommand("npm", ["install-scripts", "ls"], { cwd: REPO_ROOT, env: OFFLINE_NPM });
    expect(result.stdout + result.stderr).toBe("No packages with unreviewed install scripts.\n");
    expect(result.exitCode).toBe(0);
  });

  it("judges expiry against a fixed time, not today's date", () => {
    expect(demo.stdout).toContain("2026-12-01T00:00:00Z with PULLWARDEN_NOW");
  });

  it("ends with commands that run the README's examples from the clone, and they work", async () => {
    const commands = [...demo.stdout.matchAll(/^ {2}(npx pullwarden .*)$/gm)].map(
      (match) => match[1] as string,
    );
    expect(commands).toEqual([
      "npx pullwarden secret inspect examples/pull-secrets.yaml",
      "npx pullwarden --help",
    ]);
    for (const command of commands) {
      const result = await runCommand("bash", ["-c", command], { cwd: REPO_ROOT, env: OFFLINE_NPM });
      expect(result.stderr, command).not.toMatch(/npm (error|ERR)|internal error/);
      // secret inspect exits 1: the example holds broken secrets on purpose.
      expect(result.exitCode, command).toBeLessThan(2);
      expect(result.stdout, command).toMatch(/source\(s\)|Usage: pullwarden/);
    }
  });
});

describe("PULLWARDEN_NOW reaches every command through the built bin", () => {
  it("a plan on the example layout judges the credentials' expiry at that time", async () => {
    const before = await spawnPullwarden(["plan", "-f", "examples/layout.yaml"], {
      env: { PULLWARDEN_NOW: "2026-12-01T00:00:00Z" },
    });
    expect(before.stdout).toContain("expires on 2027-03-31: renew it before then");
    const after = await spawnPullwarden(["plan", "-f", "examples/layout.yaml"], {
      env: { PULLWARDEN_NOW: "2030-01-01" },
    });
    expect(after.stdout).toContain("expired on 2027-03-31 (1007 days ago)");
  });

  it("a value that is not a time is a usage error, before the command runs", async () => {
    const result = await spawnPullwarden(["secret", "inspect", "examples/pull-secrets.yaml"], {
      env: { PULLWARDEN_NOW: "next tuesday" },
    });
    expect(result.stderr).toBe(
      'error: PULLWARDEN_NOW="next tuesday" is not a time: expected RFC 3339, e.g. 2026-12-01T00:00:00Z or 2026-12-01\n',
    );
    expect(result.code).toBe(2);
    expect(result.stdout).toBe("");
  });
});
