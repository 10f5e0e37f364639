// `pullwarden check` command-line handling in-process: usage errors (exit 2), invalid input (exit 3), both as
// one-line messages without a stack; and the credential plan against a closed port (no registry needed).
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort, makeScratchDir, removeScratchDir } from "../support/index.js";
import { STACK_TRACE, parseJsonOutput, runPullwarden } from "./run-cli.js";
import type { CliResult, RunOptions } from "./run-cli.js";
import type { CheckJsonReport } from "../../src/cli/commands/check/render.js";

let dir: string;
let closed: string;

beforeAll(async () => {
  dir = makeScratchDir("check-usage");
  // Nothing listens here: a check fails fast with network/refused, which is all these tests need.
  closed = `127.0.0.1:${await freePort()}`;
});

afterAll(() => removeScratchDir(dir));

function file(name: string, content: string): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

async function check(args: string[], opts: RunOptions = {}): Promise<CliResult> {
  const result = await runPullwarden(["check", ...args], opts);
  expect(result.stderr).not.toMatch(STACK_TRACE);
  return result;
}

/** Exit `code`, nothing on stdout, and stderr starting with the one-line `error:` message. */
async function fails(
  code: number,
  args: string[],
  message: RegExp,
  opts: RunOptions = {},
): Promise<CliResult> {
  const result = await check(args, opts);
  expect(result.code, result.stderr).toBe(code);
  expect(result.stdout).toBe("");
  const [first] = result.stderr.split("\n");
  expect(first).toMatch(/^error: /);
  expect(result.stderr).toMatch(message);
  return result;
}

describe("usage errors: exit 2", () => {
  it.each([
    [[], /give at least one IMAGE, or -f FILE/],
    [["nginx", "--username", "bob"], /--username needs --password-stdin/],
    [["nginx", "--password-stdin"], /--password-stdin needs --username/],
    [
      ["nginx", "--secret", "s.yaml", "--docker-config=c.json"],
      /use one credential source, not --secret and --docker-config/,
    ],
    [["nginx", "--secret", "s.yaml", "--username", "u", "--password-stdin"], /not --secret and --username/],
    [["-f", "-", "--secret", "-"], /standard input can be read only once, not for -f - and --secret -/],
    [["-f", "-", "--username", "u", "--password-stdin"], /-f - and --password-stdin/],
    [["nginx", "--platform", "linux"], /--platform "linux": expected os\/arch\[\/variant\]/],
    [["nginx", "--platform", "linux/arm64/v8/x"], /--platform/],
    [["nginx", "--concurrency", "0"], /--concurrency "0": expected a whole number from 1 to 256/],
    [["nginx", "--concurrency", "2.5"], /--concurrency/],
    [["nginx", "--timeout", "0"], /--timeout "0": expected a number of seconds or a duration such as 30s/],
    [["nginx", "--timeout", "soon"], /--timeout "soon": expected a number of seconds or a duration/],
    [["nginx", "--timeout", "1.5"], /--timeout "1.5": expected/], // kubectl: a bare number is whole seconds
    [["nginx", "--timeout", "-5s"], /--timeout "-5s": expected/],
    [["nginx", "--timeout", "61m"], /--timeout "61m": at most 3600 seconds/],
    [["nginx", "--timeout", "3601"], /--timeout "3601": at most 3600 seconds/],
  ])("check %j", async (args, message) => {
    await fails(2, args, message);
  });

  it("commander's own errors are usage errors too (unknown output format, unknown flag)", async () => {
    const format = await check(["nginx", "-o", "yaml"]);
    expect(format.code).toBe(2);
    expect(format.stderr).toMatch(
      /^error: option '-o, --output <format>' argument 'yaml' is invalid\. Allowed choices are text, json\./,
    );
    const flag = await check(["nginx", "--no-such-flag"]);
    expect(flag.code).toBe(2);
    expect(flag.stderr).toMatch(/unknown option '--no-such-flag'/);
  });
});

describe("-o text (as every other command; table is its older name) and --timeout durations", () => {
  it("-o text is the default, and -o table prints the same", async () => {
    const text = await check([`${closed}/a:1`, "-o", "text"]);
    expect(text.code).toBe(1);
    expect(text.stdout.split("\n")[0]).toMatch(/^IMAGE\s+OUTCOME\s+DETAIL\s+CREDENTIAL$/);
    expect((await check([`${closed}/a:1`])).stdout).toBe(text.stdout);
    expect((await check([`${closed}/a:1`, "-o", "table"])).stdout).toBe(text.stdout);
  });

  it("the help names text and json, and durations for --timeout", async () => {
    const help = await check(["--help"]);
    expect(help.code).toBe(0);
    const flat = help.stdout.replace(/\s+/g, " ");
    expect(flat).toContain('(choices: "text", "json", default: "text")');
    expect(flat).toContain(
      "--timeout <duration> timeout of each registry request: seconds, or a duration such as 30s or 2m (at most 1h)",
    );
  });

  it.each(["7", "7s", "500ms", "2m", "1h", "1m30s"])("--timeout %s is accepted", async (timeout) => {
    const result = await check([`${closed}/a:1`, "--timeout", timeout, "-o", "json"]);
    expect(result.code, result.stderr).toBe(1);
    expect(parseJsonOutput<CheckJsonReport>(result).images[0]).toMatchObject({ outcome: "network" });
  });
});

describe("invalid input: exit 3, nothing checked", () => {
  it("an invalid reference argument: one line (and distribution's hint), no stack", async () => {
    const result = await fails(
      3,
      ["Foo//bar"],
      /^error: parsing image reference "Foo\/\/bar": invalid reference format/,
    );
    expect(result.stderr.trim().split("\n")).toHaveLength(1);
    const upper = await fails(3, ["docker.io/Org/App:1"], /must be lowercase/);
    expect(upper.stderr).toMatch(/\nhint: /);
  });

  it("-f: every invalid line is reported with its line number; valid ones are not checked", async () => {
    const list = file(
      "mixed.txt",
      [`${closed}/org/app:1.0`, "# comment", "bad//ref", "", "UPPER:1", `${closed}/org/other:2`].join("\n"),
    );
    const result = await fails(3, ["-f", list], /nothing was checked/);
    const lines = result.stderr.trim().split("\n");
    expect(lines[0]).toMatch(
      new RegExp(
        `^error: ${list.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}:3: parsing image reference "bad//ref"`,
      ),
    );
    expect(lines[1]).toMatch(/:5: parsing image reference "UPPER:1"/);
    expect(lines.at(-1)).toBe("error: 2 of 4 image references are invalid; nothing was checked");
  });

  it("-f from stdin names stdin and the line", async () => {
    await fails(3, ["-f", "-"], /^error: stdin:2: parsing image reference "-bad"/, {
      stdin: "nginx\n-bad\n",
    });
  });

  it("an unreadable or empty image list, an unreadable secret or CA file", async () => {
    await fails(3, ["-f", join(dir, "missing.txt")], /missing\.txt: no such file/);
    await fails(
      3,
      ["-f", file("empty.txt", "# nothing\n\n")],
      /no image references \(only blank lines and comments\)/,
    );
    await fails(3, ["nginx", "--secret", join(dir, "nope.yaml")], /nope\.yaml: no such file/);
    await fails(
      3,
      [`${closed}/a:1`, "--ca-file", file("not-pem.crt", "hello")],
      /no PEM certificate in the CA file/,
    );
  });

  it("--docker-config given a Secret manifest: the hint names the flags that read manifests", async () => {
    const manifest = file(
      "pull-secret.yaml",
      "apiVersion: v1\nkind: Secret\ntype: kubernetes.io/dockerconfigjson\ndata:\n  .dockerconfigjson: e30=\n",
    );
    const result = await fails(
      3,
      ["nginx", `--docker-config=${manifest}`],
      /pull-secret\.yaml:1:1: malformed JSON/,
    );
    expect(result.stderr).toContain("hint: this looks like a Kubernetes manifest");
    expect(result.stderr).toContain("check --secret FILE");
    expect(result.stderr).not.toContain("dockerConfigFromSecret");
  });

  it("--docker-config that swallowed an image: the error hints at --docker-config=PATH", async () => {
    const alone = await fails(2, ["--docker-config", "ghcr.io/org/app:1"], /give at least one IMAGE/);
    expect(alone.stderr).toContain(
      'hint: --docker-config takes an optional PATH and read "ghcr.io/org/app:1" as one',
    );
    const result = await fails(
      3,
      ["nginx", "--docker-config", "ghcr.io/org/app:1"],
      /ghcr\.io\/org\/app:1: no such file/,
      {
        cwd: dir,
      },
    );
    expect(result.stderr).toContain("hint: --docker-config takes an optional PATH");
  });

  it("--password-stdin with nothing on stdin says the password read was empty, as secret create does", async () => {
    for (const stdin of ["", "\n"]) {
      const result = await fails(3, [`${closed}/a:1`, "--username", "u", "--password-stdin"], /./, { stdin });
      expect(result.stderr).toBe(
        "error: no password: the password read from standard input (--password-stdin) is empty\n" +
          "hint: check that what you pipe in is set: printf '%s' \"$TOKEN\" | ... sends nothing when TOKEN is unset or empty\n",
      );
    }
  });
});

describe("credential plan (registry unreachable)", () => {
  const secretYaml = (keys: Record<string, { username: string; password: string }>): string =>
    JSON.stringify({
      auths: Object.fromEntries(
        Object.entries(keys).map(([key, c]) => [
          key,
          { auth: Buffer.from(`${c.username}:${c.password}`).toString("base64") },
        ]),
      ),
    });

  it("every matching key in kubelet's order; after a network failure the rest are not tried", async () => {
    const secret = file(
      "two-keys.json",
      secretYaml({
        [closed]: { username: "host-user", password: "host-pw-secret-1" },
        [`${closed}/org/app`]: { username: "path-user", password: "path-pw-secret-2" },
        "ghcr.io": { username: "gh", password: "gh-pw-secret-3" },
      }),
    );
    const result = await check([`${closed}/org/app:1.0`, "--secret", secret, "-o", "json"]);
    expect(result.code).toBe(1);
    for (const pw of ["host-pw-secret-1", "path-pw-secret-2", "gh-pw-secret-3"]) {
      expect(result.stdout + result.stderr).not.toContain(pw);
    }
    const report = parseJsonOutput<CheckJsonReport>(result);
    expect(report.images[0]).toMatchObject({ outcome: "network", reason: "refused", attempt: 1 });
    expect(report.images[0]?.attempts).toMatchObject([
      { attempt: 1, tried: true, credential: { key: `${closed}/org/app`, username: "path-user" } },
      {
        attempt: 2,
        tried: false,
        skipped: "registry-unreachable",
        credential: { key: closed, username: "host-user" },
      },
    ]);
  });

  it("a key with user info is shown redacted; an entry without credentials is an anonymous attempt", async () => {
    const secret = file(
      "odd.json",
      JSON.stringify({
        auths: { [`https://bob:pw-in-key-4@${closed}`]: { auth: Buffer.from("u:p-5").toString("base64") } },
      }),
    );
    const result = await check([`${closed}/x:1`, "--secret", secret]);
    expect(result.stdout + result.stderr).not.toContain("pw-in-key-4");
    expect(result.stdout).toContain(`key https://***@${closed}, user u`);
    const empty = file("empty-entry.json", JSON.stringify({ auths: { [closed]: {} } }));
    const anonymous = await check([`${closed}/x:1`, "--secret", empty, "-o", "json"]);
    expect(parseJsonOutput<CheckJsonReport>(anonymous).images[0]?.credential).toMatchObject({
      kind: "secret",
      key: closed,
      anonymous: "entry-without-credentials",
    });
  });

  it("the same reference twice is checked once and reported twice; duplicates keep their lines", async () => {
    const list = file("dupes.txt", `${closed}/a:1\n${closed}/a:1\n`);
    const report = parseJsonOutput<CheckJsonReport>(await check(["-f", list, "-o", "json"]));
    expect(report.images.map((i) => [i.line, i.outcome])).toEqual([
      [1, "network"],
      [2, "network"],
    ]);
  });

  it("a TTY gets colour; NO_COLOR and pipes do not", async () => {
    const tty = await check([`${closed}/a:1`], { tty: true });
    expect(tty.stdout).toContain("\u001b[31mnetwork");
    const noColor = await check([`${closed}/a:1`], { tty: true, env: { NO_COLOR: "1" } });
    expect(noColor.stdout).not.toContain("\u001b[");
    const piped = await check([`${closed}/a:1`]);
    expect(piped.stdout).not.toContain("\u001b[");
    expect(piped.stdout.split("\n")[0]).toMatch(/^IMAGE\s+OUTCOME\s+DETAIL\s+CREDENTIAL$/);
  });
});
