// Docker credential helpers that misbehave, through the commands that run them (`secret create
// --from-docker-config`, `check --docker-config`): a helper that fails after printing its answer (secret
// included) on stdout, one that talks on stderr, one that hangs. The fake helper is a real process
// (test/support/credential-helper.ts) found on PATH, as docker finds real ones.
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { makeScratchDir, removeScratchDir, writeFakeCredentialHelper } from "../support/index.js";
import type { FakeCredentialHelperOptions } from "../support/index.js";
import { STACK_TRACE, runPullwarden } from "./run-cli.js";
import type { CliResult } from "./run-cli.js";

const HOST = "r.example.com";
const CANARY = "CANARY-h3lper-s3cret-9f2k";
const ANSWER = JSON.stringify({ ServerURL: HOST, Username: "bot", Secret: CANARY });

const dirs: string[] = [];
const hungPids: number[] = [];

afterAll(() => {
  for (const pid of hungPids) if (isAlive(pid)) process.kill(pid, "SIGKILL");
  for (const dir of dirs) removeScratchDir(dir);
});

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** A docker config dir with the fake helper `docker-credential-test` for HOST (credHelpers or credsStore). */
function setup(helper: Omit<FakeCredentialHelperOptions, "suffix" | "credentials">, store = false) {
  const home = makeScratchDir("helper-home");
  dirs.push(home);
  const fake = writeFakeCredentialHelper({
    suffix: "test",
    credentials: { [HOST]: { username: "bot", secret: CANARY } },
    dir: home,
    ...helper,
  });
  mkdirSync(join(home, ".docker"));
  const config = join(home, ".docker", "config.json");
  writeFileSync(
    config,
    JSON.stringify(
      store ? { auths: {}, credsStore: "test" } : { auths: {}, credHelpers: { [HOST]: "test" } },
    ),
  );
  const env = { PATH: `${fake.dir}:/usr/bin:/bin`, HOME: home };
  return { fake, config, env };
}

function createFromConfig(config: string, env: Record<string, string>): Promise<CliResult> {
  return runPullwarden(
    ["secret", "create", "x", `--from-docker-config=${config}`, "--dry-run=client", "-o", "yaml"],
    { env },
  );
}

function expectHelperError(result: CliResult, why: RegExp): void {
  expect(result.code, result.stderr).toBe(4);
  expect(result.stdout).toBe("");
  expect(result.stderr).not.toMatch(STACK_TRACE);
  const [error, hint, ...rest] = result.stderr.trimEnd().split("\n");
  expect(error).toMatch(/^error: .*docker-credential-test/);
  expect(error).toMatch(why);
  expect(hint).toMatch(/^hint: /);
  expect(rest).toEqual([]);
  for (const leak of [
    CANARY,
    Buffer.from(CANARY).toString("base64"),
    Buffer.from(`bot:${CANARY}`).toString("base64"),
  ]) {
    expect(result.stderr).not.toContain(leak);
  }
}

describe("a failing helper never echoes its stdout", () => {
  it("get: exit 1 with its whole answer on stdout (secret included) is an exit-4 error without it", async () => {
    const { config, env } = setup({ failWith: ANSWER });
    const result = await createFromConfig(config, env);
    expectHelperError(result, new RegExp(`failed for ${HOST}: exit code 1 \\(its output is not shown`));
  });

  it("list (credsStore): the same", async () => {
    const { config, env } = setup({ failWith: ANSWER }, true);
    const result = await createFromConfig(config, env);
    expectHelperError(result, /could not list credentials: exit code 1 \(its output is not shown/);
  });

  it("stderr is shown on one line, redacted and without anything stdout held", async () => {
    const { config, env } = setup({
      failWith: ANSWER,
      failStderr: `keychain locked\nretrying with ${CANARY} and Authorization: Bearer ${"x".repeat(20)}AbCdEf1234`,
    });
    const result = await createFromConfig(config, env);
    expectHelperError(result, /; it said: keychain locked retrying with <redacted>/);
    expect(result.stderr).not.toContain("AbCdEf1234");
  });

  it("the protocol's own messages are shown", async () => {
    const { config, env } = setup({ failWith: "no credentials server URL" });
    const result = await createFromConfig(config, env);
    expectHelperError(result, /exit code 1: no credentials server URL$/);
  });

  it("a key with user info is redacted in the error and its hint", async () => {
    const { fake, env } = setup({ failWith: ANSWER });
    const config = join(fake.dir, "userinfo.json");
    const key = `https://bot:${CANARY}@${HOST}`;
    writeFileSync(config, JSON.stringify({ auths: { [key]: {} }, credHelpers: { [key]: "test" } }));
    const result = await createFromConfig(config, env);
    expectHelperError(result, /failed for https:\/\/\*\*\*@r\.example\.com/);
  });
});

describe("a hanging helper times out, is killed, and says how to wait longer", () => {
  it.each([
    ["get (credHelpers)", false, /failed for r\.example\.com: no answer within 1s; it was stopped$/],
    ["list (credsStore)", true, /could not list credentials: no answer within 1s; it was stopped$/],
  ])("secret create --from-docker-config, %s", async (_label, store, why) => {
    const { fake, config, env } = setup({ hang: true }, store);
    const started = Date.now();
    const result = await createFromConfig(config, { ...env, PULLWARDEN_CREDENTIAL_HELPER_TIMEOUT: "1s" });
    expect(Date.now() - started).toBeLessThan(10_000);
    expectHelperError(result, why);
    expect(result.stderr).toMatch(
      /^hint: run ".*docker-credential-test (get|list)" in a terminal .*PULLWARDEN_CREDENTIAL_HELPER_TIMEOUT=2m$/m,
    );
    const [pid] = fake.pids();
    expect(pid).toBeGreaterThan(0);
    hungPids.push(pid as number);
    await expect.poll(() => isAlive(pid as number), { timeout: 2_000 }).toBe(false);
  });

  it("check --docker-config", async () => {
    const { fake, config, env } = setup({ hang: true });
    const result = await runPullwarden(["check", `${HOST}/org/app:1.0`, `--docker-config=${config}`], {
      env: { ...env, PULLWARDEN_CREDENTIAL_HELPER_TIMEOUT: "1" },
    });
    expectHelperError(result, /no answer within 1s; it was stopped$/);
    // docs/check.md: the hint names the variable that gives the helper longer.
    expect(result.stderr).toMatch(/^hint: .*PULLWARDEN_CREDENTIAL_HELPER_TIMEOUT=2m$/m);
    const [pid] = fake.pids();
    hungPids.push(pid as number);
    await expect.poll(() => isAlive(pid as number), { timeout: 2_000 }).toBe(false);
  });

  it("a helper that answers and exits, leaving a child that holds its output open, is not a timeout", async () => {
    const { fake, config, env } = setup({ lingerChild: true });
    const started = Date.now();
    const result = await createFromConfig(config, { ...env, PULLWARDEN_CREDENTIAL_HELPER_TIMEOUT: "20s" });
    hungPids.push(...fake.pids());
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain("kind: Secret");
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it("a PULLWARDEN_CREDENTIAL_HELPER_TIMEOUT kubectl would not read is a usage error", async () => {
    const { config, env } = setup({});
    const result = await createFromConfig(config, { ...env, PULLWARDEN_CREDENTIAL_HELPER_TIMEOUT: "soon" });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^error: PULLWARDEN_CREDENTIAL_HELPER_TIMEOUT "soon": expected /);
  });
});
