// One source of truth for the flags of the fast path's commands (secret create, check): the fast path
// (src/cli/fast-path/, parseArgs and a flag spec read from the commander definition) and commander must accept and
// refuse the same command lines, and parse the accepted ones to the same arguments and flags. One corpus of command lines (hand-written, then generated) runs
// through both: the fast path either hands a line to commander (undefined) or parses exactly what commander
// parses; it never accepts a line commander refuses. Then the lines it takes run end to end both ways, in process,
// with the same stdout, stderr and exit code.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Command } from "commander";
import { runCheckFast } from "../../src/cli/commands/check/fast.js";
import { runSecretCreateFast } from "../../src/cli/commands/secret-create/fast.js";
import { CHECK_FLAG_SPEC } from "../../src/cli/commands/check/flag-spec.js";
import { SECRET_CREATE_FLAG_SPEC } from "../../src/cli/commands/secret-create/flag-spec.js";
import type { CommandFlagSpec } from "../../src/cli/fast-path/flag-spec.js";
import { parseCommandLine } from "../../src/cli/fast-path/parse.js";
import type { CliIo } from "../../src/cli/io.js";
import { buildProgram } from "../../src/cli/program.js";
import { TEST_NOW, runPullwarden } from "./run-cli.js";
import { PassThrough } from "node:stream";

type CommanderOutcome =
  { accepted: true; operands: unknown[]; flags: Record<string, unknown> } | { accepted: false; why: string };

/** A fast command: its words, its spec, and its action's positional arguments from the fast path's operands. */
interface FastCommand {
  readonly words: readonly string[];
  readonly spec: CommandFlagSpec;
  readonly actionArgs: (operands: string[]) => unknown[];
}

const SECRET_CREATE: FastCommand = {
  words: ["secret", "create"],
  spec: SECRET_CREATE_FLAG_SPEC,
  actionArgs: (operands) => [operands[0]],
};
const CHECK: FastCommand = { words: ["check"], spec: CHECK_FLAG_SPEC, actionArgs: (operands) => [operands] };

/** `pullwarden WORDS ARGS` parsed by the real command tree, with the command's action replaced by a capture. */
async function commanderParse(command: FastCommand, args: readonly string[]): Promise<CommanderOutcome> {
  const quiet = new PassThrough();
  quiet.resume();
  const io: CliIo = { stdin: quiet, stdout: quiet, stderr: quiet, env: {}, cwd: "/", now: () => TEST_NOW };
  const program = buildProgram({ io, exitCode: 0 });
  let target = program as Command;
  for (const word of command.words) {
    target = target.commands.find((candidate) => candidate.name() === word) as Command;
  }
  let parsed: CommanderOutcome | undefined;
  target.action((...actionArgs: unknown[]) => {
    // commander passes the positional arguments, the flags, then the command.
    const positional = actionArgs.slice(0, -2);
    const flags = actionArgs.at(-2) as Record<string, unknown>;
    parsed = { accepted: true, operands: positional, flags: { ...flags } };
  });
  try {
    await program.parseAsync([...command.words, ...args], { from: "user" });
  } catch (error) {
    return { accepted: false, why: (error as Error).message };
  }
  return parsed ?? { accepted: false, why: "no action ran" };
}

/** The invariant, for one line; returns whether the fast path took it. */
async function agree(command: FastCommand, args: readonly string[]): Promise<boolean> {
  const fast = parseCommandLine(args, command.spec);
  const commander = await commanderParse(command, args);
  if (fast === undefined) return false;
  expect(commander, `commander refused a line the fast path took: ${JSON.stringify(args)}`).toMatchObject({
    accepted: true,
  });
  if (!commander.accepted) return true;
  expect(
    { operands: command.actionArgs(fast.operands), flags: fast.flags },
    JSON.stringify(args),
  ).toStrictEqual({
    operands: commander.operands,
    flags: commander.flags,
  });
  return true;
}

/** Generated command lines: words, the command's flags (and others), with and without inline values. */
function generatedLines(spec: CommandFlagSpec, words: readonly string[]) {
  const word = fc.constantFrom(...words, "-", "", "--", "-5", "x=y");
  const flag = fc.constantFrom(
    ...spec.flags.flatMap((flagSpec) => [
      `--${flagSpec.long}`,
      ...(flagSpec.short !== undefined ? [`-${flagSpec.short}`] : []),
    ]),
    "--help",
    "-h",
    "--version",
    "--unknown",
    "-x",
  );
  const inline = fc
    .tuple(flag, fc.constantFrom("=", ""), word)
    .map(([f, sep, w]) => (f.startsWith("--") ? `${f}=${w}` : `${f}${sep}${w}`));
  return fc.array(fc.oneof(word, flag, flag, inline), { maxLength: 9 });
}

const P = ["--docker-password-env", "PW"];

/** Lines people write: the fast path takes each of them. */
const TYPICAL: readonly (readonly string[])[] = [
  // Typical.
  ["regcred", "--docker-server=ghcr.io", "--docker-username=octocat", ...P, "--dry-run=client", "-o", "yaml"],
  ["regcred", "--docker-server", "ghcr.io", "--docker-username", "u", ...P, "--dry-run=client", "-o", "json"],
  ["regcred", "--docker-username", "u", "--docker-password-stdin", "--dry-run=client", "-oyaml"],
  ["regcred", "--docker-username", "u", "--docker-password", "pw", "--dry-run=client", "--output=name"],
  ["regcred", "-n", "team-a", "--docker-username=u", ...P, "--dry-run=client", "-o", "yaml"],
  ["regcred", "-nteam-a", "--docker-username=u", ...P, "--dry-run=client", "--append-hash", "-o", "yaml"],
  ["regcred", "--namespace=team-a", "--docker-username=u", ...P, "--docker-email=a@b.c", "--dry-run=client"],
  ["regcred", "--docker-username=u", ...P, "--dry-run=client", "--no-creation-timestamp", "-o", "yaml"],
  ["--docker-username=u", ...P, "regcred", "--dry-run=client"],
  ["regcred", "--docker-username=u", "--docker-password-file", "./pw.txt", "--dry-run=client"],
  ["regcred", "--from-file=.dockerconfigjson=./c.json", "--dry-run=client", "-o", "yaml"],
  ["regcred", "--from-file", "a.json", "--from-file", "b.json", "--dry-run=client"],
  ["regcred", "--from-docker-config", "--dry-run=client", "-o", "yaml"],
  [
    "regcred",
    "--from-docker-config=/tmp/config.json",
    "--registry",
    "ghcr.io",
    "--registry",
    "x.io",
    "--dry-run",
  ],
  ["regcred", "--merge", "a.json", "--dry-run=client"],
  ["regcred", "--merge", "a.json", "b.json", "--dry-run=client"],
  ["regcred", "--dry-run"],
  ["regcred", "--dry-run=none", "--docker-username=u", ...P],
  ["regcred", "--dry-run=server"],
  ["regcred", "--docker-server=ghcr.io", "--docker-server=quay.io", "--docker-username=u", ...P, "--dry-run"],
  ["regcred", "--docker-username=", ...P, "--dry-run=client"],
  ["-", "--docker-username=u", ...P, "--dry-run=client"],
  ["", "--docker-username=u", ...P, "--dry-run=client"],
  ["regcred", "--docker-username", "u", ...P],
];

/** Lines that probe the corners of commander's grammar: refused by it, or parsed in ways the fast path leaves to it. */
const CORNERS: readonly (readonly string[])[] = [
  [],
  ["--merge", "a.json", "regcred", "--dry-run=client"],
  ["a", "b", "--dry-run=client"],
  ["regcred", "--dry-run=yes"],
  ["regcred", "--dry-run", "client"],
  ["regcred", "--merge=a.json", "b.json", "--dry-run=client"],
  ["regcred", "--merge", "a.json", "--dry-run", "b.json"],
  ["regcred", "--dry-run", "server"],
  ["regcred", "-o", "wide", "--dry-run=client"],
  ["regcred", "-o"],
  ["regcred", "--output"],
  ["regcred", "--docker-username"],
  ["regcred", "--unknown", "--dry-run=client"],
  ["regcred", "--append-hash=true", "--dry-run=client"],
  ["regcred", "--no-creation-timestamp=false"],
  ["regcred", "--creation-timestamp"],
  ["regcred", "-x"],
  ["regcred", "--", "--dry-run=client"],
  ["--", "regcred", "--dry-run=client"],
  ["regcred", "--dry-run=client", "--help"],
  ["regcred", "-h"],
  ["regcred", "--version"],
  ["regcred", "--docker-username", "-n", "--dry-run=client"],
  ["regcred", "--docker-username", "--dry-run=client"],
  ["regcred", "-n-x", "--dry-run=client"],
  ["regcred", "-on", "--dry-run=client"],
  ["-5", "--dry-run=client"],
  ["regcred", "--from-docker-config", "config.json", "--dry-run=client"],
  ["regcred", "--merge", "--dry-run=client"],
  ["regcred", "--from-file"],
  ["regcred", "--DRY-RUN=client"],
  ["regcred", "--dry-run=client", "--dry-run=yes"],
  ["regcred", "---dry-run=client"],
  ["regcred", "--docker-server"],
  ["secret", "create", "regcred"],
];

const CORPUS = [...TYPICAL, ...CORNERS];

describe("secret create: the fast path and commander accept, refuse and parse the same command lines", () => {
  it("holds for every line of the corpus, and the fast path takes the typical ones", async () => {
    let taken = 0;
    for (const args of CORPUS) if (await agree(SECRET_CREATE, args)) taken++;
    // Not vacuous: the lines people write are the fast path's.
    for (const args of TYPICAL) {
      expect(parseCommandLine(args, SECRET_CREATE_FLAG_SPEC), JSON.stringify(args)).toBeDefined();
    }
    expect(taken).toBeGreaterThanOrEqual(TYPICAL.length);
  });

  it("holds for generated command lines", async () => {
    const words = ["regcred", "ghcr.io", "client", "server", "yaml", "json", "name", "a.json"];
    await fc.assert(
      fc.asyncProperty(generatedLines(SECRET_CREATE_FLAG_SPEC, words), async (args) => {
        await agree(SECRET_CREATE, args);
      }),
      { numRuns: 400 },
    );
  });

  it("the spec names every flag of the definition, with its default", () => {
    const longs = SECRET_CREATE_FLAG_SPEC.flags.map((spec) => spec.long);
    expect(longs).toContain("docker-server");
    expect(longs).toContain("no-creation-timestamp");
    expect(SECRET_CREATE_FLAG_SPEC.unsupported).toBeUndefined();
    expect(SECRET_CREATE_FLAG_SPEC.defaults).toMatchObject({
      dockerServer: "https://index.docker.io/v1/",
      appendHash: false,
      creationTimestamp: true,
    });
  });
});

describe("check: the fast path and commander accept, refuse and parse the same command lines", () => {
  const TYPICAL_CHECK: readonly (readonly string[])[] = [
    ["ghcr.io/org/app:1"],
    ["ghcr.io/org/app:1", "registry.example/x@sha256:" + "a".repeat(64)],
    ["-f", "images.txt"],
    ["-f", "-", "--secret", "pull.yaml", "-o", "json"],
    ["nginx", "--docker-config"],
    ["nginx", "--docker-config=/tmp/config.json", "--platform", "linux/arm64"],
    ["nginx", "--username", "u", "--password-stdin", "--ca-file", "ca.pem", "--timeout", "30s"],
    ["127.0.0.1:5000/app:1", "--plain-http", "--concurrency", "4", "--no-github-probe"],
    ["nginx", "--insecure-skip-tls-verify", "--output=text"],
    ["nginx", "--from-cloud"],
    [],
  ];
  const CHECK_CORNERS: readonly (readonly string[])[] = [
    ["nginx", "--docker-config", "config.json"],
    ["nginx", "-o", "table"],
    ["nginx", "-o", "wide"],
    ["nginx", "--timeout"],
    ["nginx", "--concurrency"],
    ["nginx", "--", "-f"],
    ["nginx", "--help"],
    ["nginx", "--github-probe"],
    ["nginx", "--no-github-probe=false"],
    ["-fimages.txt", "nginx"],
    ["nginx", "-5"],
  ];

  it("holds for every line of the corpus, and the fast path takes the typical ones", async () => {
    for (const args of [...TYPICAL_CHECK, ...CHECK_CORNERS]) await agree(CHECK, args);
    for (const args of TYPICAL_CHECK) {
      expect(parseCommandLine(args, CHECK_FLAG_SPEC), JSON.stringify(args)).toBeDefined();
    }
  });

  it("holds for generated command lines", async () => {
    const words = ["nginx", "ghcr.io/org/app:1", "images.txt", "json", "text", "table", "linux/arm64", "30s"];
    await fc.assert(
      fc.asyncProperty(generatedLines(CHECK_FLAG_SPEC, words), async (args) => {
        await agree(CHECK, args);
      }),
      { numRuns: 400 },
    );
  });
});

describe("secret create: the fast path's run matches commander's", () => {
  const env = { PW: "ghp_EXAMPLE0example0EXAMPLE0example01234", HOME: "/nonexistent" };

  async function fastRun(args: readonly string[], stdin = "") {
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    const stdout = new PassThrough().on("data", (chunk: Buffer) => out.push(chunk));
    const stderr = new PassThrough().on("data", (chunk: Buffer) => err.push(chunk));
    const input = new PassThrough();
    input.end(stdin);
    const io: CliIo = { stdin: input, stdout, stderr, env, cwd: "/", now: () => TEST_NOW };
    const code = await runSecretCreateFast(args, io);
    await new Promise((resolve) => setImmediate(resolve));
    return { code, stdout: Buffer.concat(out).toString(), stderr: Buffer.concat(err).toString() };
  }

  it.each(
    [
      [
        "regcred",
        "--docker-server=ghcr.io",
        "--docker-username=octocat",
        ...P,
        "--dry-run=client",
        "-o",
        "yaml",
      ],
      ["regcred", "--docker-username=u", ...P, "--dry-run=client", "-o", "json", "--no-creation-timestamp"],
      [
        "regcred",
        "-n",
        "team-a",
        "--docker-username=u",
        ...P,
        "--dry-run=client",
        "--append-hash",
        "-o",
        "yaml",
      ],
      ["regcred", "--docker-username=u", "--docker-password-stdin", "--dry-run=client", "-o", "name"],
      ["regcred", "--docker-username=u", "--docker-password", "on-argv", "--dry-run=client"],
      ["regcred", "--docker-username=u", ...P, "--dry-run"],
      ["regcred", "--docker-username=u", ...P],
      ["regcred", "--docker-username=u", ...P, "--dry-run=server"],
      ["Not_A_Name", "--docker-username=u", ...P, "--dry-run=client"],
      ["regcred", "-n", "Team", "--docker-username=u", ...P, "--dry-run=client"],
      ["regcred", "--docker-password-env", "UNSET", "--docker-username=u", "--dry-run=client"],
      ["regcred", "--from-file", "/nonexistent/c.json", "--dry-run=client"],
      ["regcred", "--dry-run=client"],
    ].map((args) => [args.join(" "), args] as const),
  )("secret create %s", async (_title, args) => {
    const fast = await fastRun(args, "stdin-password\n");
    expect(fast.code, "the fast path takes this line").toBeDefined();
    const commander = await runPullwarden(["secret", "create", ...args], { env, stdin: "stdin-password\n" });
    expect(fast).toStrictEqual(commander);
  });
});

describe("check: the fast path's run matches commander's (lines decided before any request)", () => {
  it.each(
    [
      ["nginx", "--username", "u"],
      ["not a reference!"],
      [],
      ["nginx", "--ca-file", "ca.pem", "--insecure-skip-tls-verify"],
      ["nginx", "--concurrency", "0"],
      ["nginx", "--timeout", "2h"],
      ["nginx", "--platform", "linux"],
      ["-f", "/nonexistent/images.txt"],
    ].map((args) => [args.join(" "), args] as const),
  )("check %s", async (_title, args) => {
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    const input = new PassThrough();
    input.end("");
    const io: CliIo = {
      stdin: input,
      stdout: new PassThrough().on("data", (chunk: Buffer) => out.push(chunk)),
      stderr: new PassThrough().on("data", (chunk: Buffer) => err.push(chunk)),
      env: { HOME: "/nonexistent" },
      cwd: "/",
      now: () => TEST_NOW,
    };
    const code = await runCheckFast(args, io);
    await new Promise((resolve) => setImmediate(resolve));
    expect(code, "the fast path takes this line").toBeDefined();
    const commander = await runPullwarden(["check", ...args], { env: { HOME: "/nonexistent" } });
    expect({
      code,
      stdout: Buffer.concat(out).toString(),
      stderr: Buffer.concat(err).toString(),
    }).toStrictEqual(commander);
  });
});
