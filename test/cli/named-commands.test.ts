// Every `pullwarden COMMAND ...` that pullwarden or its docs tell a user to run must run (issue 10, rows 6 and 13):
// (a) the command exists, (b) every flag named with it parses for that command (commander's parser, nothing run).
// The texts: every string literal of src/ (fix texts of audit rules, doctor causes, plan renderings, hints,
// help), docs/*.md and README.md, and what the commands print on the bundled examples (plan's files included).
import { mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { PassThrough } from "node:stream";
import type { Command } from "commander";
import ts from "typescript";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CliIo } from "../../src/cli/io.js";
import { buildProgram } from "../../src/cli/program.js";
import { REPO_ROOT } from "../support/index.js";
import { runPullwarden } from "./run-cli.js";

interface Text {
  /** Where the text comes from, for the failure message. */
  origin: string;
  text: string;
}

function filesUnder(dir: string, keep: (name: string) => boolean): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && keep(entry.name))
    .map((entry) => join(entry.parentPath, entry.name));
}

/** The strings a source file can print: string and template literals (an interpolation reads as VALUE). */
function stringLiterals(path: string): Text[] {
  const source = ts.createSourceFile(path, readFileSync(path, "utf8"), ts.ScriptTarget.Latest, true);
  const texts: Text[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) {
      texts.push({ origin: relative(REPO_ROOT, path), text: node.text });
    } else if (ts.isTemplateExpression(node)) {
      const text = node.head.text + node.templateSpans.map((span) => `VALUE${span.literal.text}`).join("");
      texts.push({ origin: relative(REPO_ROOT, path), text });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return texts;
}

function sourceTexts(): Text[] {
  return filesUnder(
    join(REPO_ROOT, "src"),
    (name) => name.endsWith(".ts") && !name.endsWith(".test.ts"),
  ).flatMap(stringLiterals);
}

function docTexts(): Text[] {
  return [
    join(REPO_ROOT, "README.md"),
    ...filesUnder(join(REPO_ROOT, "docs"), (name) => name.endsWith(".md")),
  ].map((path) => ({ origin: relative(REPO_ROOT, path), text: readFileSync(path, "utf8") }));
}

/** What the commands print for the bundled examples, and the files plan writes. */
async function outputTexts(scratch: string): Promise<Text[]> {
  const runs: string[][] = [
    ["secret", "inspect", "examples/pull-secrets.yaml"],
    ["secret", "match", "ghcr.io/acme/api:1.4", "examples/pull-secrets.yaml"],
    ["plan", "-f", "examples/layout.yaml"],
    ["plan", "-f", "examples/layout.yaml", "-o", join(scratch, "plan")],
    ["audit", "examples/manifests/"],
    ["audit", "examples/manifests/", "-o", "json"],
    ["explain", "examples/describe/web-pod.txt"],
    [
      "init",
      "--provider",
      "aks",
      "--cluster-name",
      "c",
      "--registry",
      "ghcr.io/acme",
      "--namespace",
      "a",
      "-o",
      "-",
    ],
    ["secret", "create", "x", "--docker-server", "ghcr.io", "--docker-username", "u", "--dry-run=client"],
    ["check", "-f", "/nonexistent"],
  ];
  const texts: Text[] = [];
  for (const args of runs) {
    const result = await runPullwarden(args, { env: { HOME: scratch } });
    texts.push({ origin: `pullwarden ${args.join(" ")}`, text: result.stdout + result.stderr });
  }
  for (const path of filesUnder(join(scratch, "plan"), () => true)) {
    texts.push({ origin: `plan file ${relative(scratch, path)}`, text: readFileSync(path, "utf8") });
  }
  return texts;
}

/** Every command's --help. */
async function helpTexts(program: Command): Promise<Text[]> {
  const texts: Text[] = [];
  const walk = async (command: Command, path: string[]): Promise<void> => {
    const result = await runPullwarden([...path, "--help"]);
    texts.push({ origin: `pullwarden ${[...path, "--help"].join(" ")}`, text: result.stdout });
    for (const sub of command.commands) await walk(sub, [...path, sub.name()]);
  };
  await walk(program, []);
  return texts;
}

export interface Mention {
  origin: string;
  /** `pullwarden secret create NAME --docker-server ...`, cut where the command line ends. */
  line: string;
  words: string[];
}

/**
 * `pullwarden WORD ...`, cut where the command line ends. A known command counts wherever it is named; another
 * word counts only where code starts (after `$ `, a backtick, `| `, `&& `, or run/use/try) and is followed by a
 * flag, a placeholder or nothing, so prose ("pullwarden has no refresher", "a Secret pullwarden owns") does not.
 * After an article outside code, a command's name is a noun ("the pullwarden controller keeps it fresh").
 */
const MENTION =
  /(\$ |`|\| |&& |\b(?:[Rr]un|[Uu]se|[Tt]ry) )?(\b[Tt]he )?(?:kubectl )?\bpullwarden ([a-z][a-z-]*)([^\n`|;]*)/g;

function mentions(texts: readonly Text[], commandNames: ReadonlySet<string>): Mention[] {
  const found: Mention[] = [];
  for (const { origin, text } of texts) {
    for (const match of text.matchAll(MENTION)) {
      const [, codeContext, article, word, tail] = match as unknown as [
        string,
        string | undefined,
        string | undefined,
        string,
        string,
      ];
      if (article !== undefined && codeContext === undefined) continue;
      const rest = tail.split(/ (?:or|and|then) | &&|, |\. /)[0] ?? "";
      const looksLikeCode = codeContext !== undefined && /^\s*(?:$|-|[A-Z<]|VALUE)/.test(rest);
      if (!commandNames.has(word) && !looksLikeCode) continue;
      const words = [word, ...shellTokens(rest.trim().split(/\s+/).filter(Boolean))];
      found.push({ origin, line: `pullwarden ${words.join(" ")}`, words });
    }
  }
  return found;
}

/** The command a mention names (`secret create`) and the tokens after it; no command when one does not exist. */
function resolve(program: Command, words: readonly string[]): { command?: Command; args: string[] } {
  let command: Command = program;
  let i = 0;
  while (i < words.length && command.commands.length > 0) {
    const word = words[i] as string;
    // `pullwarden secret --help`, `pullwarden secret [command]`: no subcommand named.
    if ((word.startsWith("-") || word === PLACEHOLDER) && command !== program) break;
    const next = command.commands.find((c) => c.name() === word);
    if (!next) return { args: [] };
    command = next;
    i++;
  }
  return { command, args: words.slice(i) };
}

const PLACEHOLDER = "PLACEHOLDER";

/**
 * The tokens of a command line as the shell would pass them, roughly: a process substitution `<(kubectl ...)`
 * is one argument, a placeholder (<pod>, [NAME]) is an argument, the closing parenthesis of surrounding prose
 * and a trailing ellipsis are dropped.
 */
function shellTokens(args: readonly string[]): string[] {
  const tokens: string[] = [];
  let depth = 0;
  for (const raw of args) {
    if (depth > 0) {
      depth += (raw.match(/\(/g) ?? []).length - (raw.match(/\)/g) ?? []).length;
      continue;
    }
    if (/^[<$]\(/.test(raw)) {
      depth = (raw.match(/\(/g) ?? []).length - (raw.match(/\)/g) ?? []).length;
      tokens.push(PLACEHOLDER);
      continue;
    }
    const token = raw.replace(/\)+\.?$/, "");
    if (token === "" || /^(?:\.\.\.|…)$/.test(token)) continue;
    tokens.push(/^[[<{]/.test(token) ? PLACEHOLDER : token);
  }
  return tokens;
}

/** The options commander does not know for this command (values and choices are checked as it parses). */
function unknownOptions(command: Command, args: readonly string[]): string[] {
  const tokens = [...args];
  // Prose names a flag without its value ("plan's `-o`"): give it one.
  const lastToken = tokens.at(-1);
  const last = command.options.find((option) => option.short === lastToken || option.long === lastToken);
  if (last?.required) tokens.push("VALUE");
  const { unknown } = command.parseOptions(tokens);
  return unknown.filter(
    (token) => /^-./.test(token) && token !== "--" && token !== "-h" && token !== "--help",
  );
}

/** Mentions of commands that do not exist. */
function missingCommands(program: Command, found: readonly Mention[]): string[] {
  const missing = found
    .filter((mention) => resolve(program, mention.words).command === undefined)
    .map((mention) => `${mention.origin}: ${mention.line}`);
  return [...new Set(missing)];
}

/** Mentions whose flags the named command refuses, with commander's reason. */
function refusedFlags(program: Command, found: readonly Mention[]): string[] {
  const refused: string[] = [];
  for (const mention of found) {
    const { command, args } = resolve(program, mention.words);
    if (!command || command === program) continue;
    let problem: string | undefined;
    try {
      const unknown = unknownOptions(command, args);
      if (unknown.length > 0) problem = `unknown option ${unknown.join(" ")}`;
    } catch (error) {
      const message = error instanceof Error ? (error.message.split("\n")[0] ?? "") : String(error);
      // An interpolated value (VALUE) cannot be judged here; the code that fills it in is tested elsewhere.
      if (!/argument '[^']*VALUE[^']*' is invalid/.test(message)) problem = message;
    }
    if (problem) refused.push(`${mention.origin}: ${mention.line}: ${problem}`);
  }
  return [...new Set(refused)];
}

let scratch: string;
let program: Command;
let commandNames: Set<string>;
let all: Mention[];

beforeAll(async () => {
  scratch = mkdtempSync(join(tmpdir(), "pullwarden-named-"));
  // Commander reports a bad option value through the program's stderr before it throws.
  const sink = new PassThrough();
  sink.resume();
  const io: CliIo = {
    stdin: sink,
    stdout: sink,
    stderr: sink,
    env: {},
    cwd: REPO_ROOT,
    now: () => new Date(),
  };
  program = buildProgram({ io, exitCode: 0 });
  commandNames = new Set(program.commands.map((command) => command.name()));
  const texts = [
    ...sourceTexts(),
    ...docTexts(),
    ...(await outputTexts(scratch)),
    ...(await helpTexts(program)),
  ];
  all = mentions(texts, commandNames);
}, 120_000);
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe("commands named in outputs, fix texts, hints and docs", () => {
  it("the scan finds what it must and ignores prose", () => {
    const found = mentions(
      [
        { origin: "fix", text: "Keep it fresh with `pullwarden rotate --namespace apps`." },
        { origin: "hint", text: "pullwarden secret frobnicate NAME" },
        { origin: "fix", text: "Raise the cap (pullwarden check IMAGE --max-body-bytes 4194304)." },
        { origin: "doc", text: "$ pullwarden secret inspect <(kubectl get secret x -o yaml) -o json" },
        { origin: "prose", text: "a Secret pullwarden owns; pullwarden has no refresher yet" },
        {
          origin: "prose",
          text: "the pullwarden controller keeps it fresh; The pullwarden controller's resources",
        },
      ],
      commandNames,
    );
    expect(missingCommands(program, found)).toEqual([
      "fix: pullwarden rotate --namespace apps",
      "hint: pullwarden secret frobnicate NAME",
    ]);
    expect(refusedFlags(program, found)).toEqual([
      "fix: pullwarden check IMAGE --max-body-bytes 4194304: unknown option --max-body-bytes",
    ]);
  });

  it("finds the commands users are told to run (the scan is not vacuous)", () => {
    const named = new Set(all.map((mention) => mention.words[0]));
    for (const command of ["secret", "plan", "init", "apply", "check", "audit", "doctor", "explain"]) {
      expect(named, command).toContain(command);
    }
    expect(all.length).toBeGreaterThan(200);
  });

  it("every named command exists", () => {
    expect(missingCommands(program, all)).toEqual([]);
  });

  it("every flag named with a command parses for that command", () => {
    expect(refusedFlags(program, all)).toEqual([]);
  });
});
