// Rows 13 and 19 of issue 10: every pullwarden command an audit text recommends exists, with the flags it names,
// and every command built from names in the input is shell-quoted. The texts: each rule's general fix, the fix
// of every finding the rule fixtures and the bundled example produce, and the rule pages in docs/audit.
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import type { Command } from "commander";
import { describe, expect, it } from "vitest";
import { RULE_CATALOG, audit, loadManifestText } from "../../src/audit/index.js";
import type { CliIo } from "../../src/cli/io.js";
import { buildProgram } from "../../src/cli/program.js";
import { REPO_ROOT } from "../support/index.js";
import { NOW, auditFixture, loadFixtures } from "./fixtures.js";

/** Every fix text the audit can print for the inputs we have, with where it came from. */
function fixTexts(): [string, string][] {
  const texts: [string, string][] = RULE_CATALOG.map((rule) => [`${rule.id} (rule)`, rule.fix]);
  for (const fixture of loadFixtures()) {
    for (const finding of auditFixture(fixture).findings)
      texts.push([`${fixture.file}: ${finding.ruleId}`, finding.fix]);
  }
  const example = readdirSync(join(REPO_ROOT, "examples/manifests")).flatMap(
    (file) =>
      loadManifestText(readFileSync(join(REPO_ROOT, "examples/manifests", file), "utf8"), file).objects,
  );
  for (const finding of audit(example, { mode: "files", now: NOW }).findings)
    texts.push([`examples/manifests: ${finding.ruleId}`, finding.fix]);
  return texts;
}

function docTexts(): [string, string][] {
  const dir = join(REPO_ROOT, "docs/audit");
  return readdirSync(dir).map((file) => [`docs/audit/${file}`, readFileSync(join(dir, file), "utf8")]);
}

/** `pullwarden WORD [WORD] ...` up to the end of the command line: a closing bracket, `;`, a pipe, a quote. */
function pullwardenCommands(text: string): string[] {
  return [...text.matchAll(/(?<![\w.-])pullwarden ([^)`;|\n]*)/g)].map((match) =>
    (match[1] as string).trim(),
  );
}

const program = buildProgram({ io: {} as CliIo, exitCode: 0 });

/** The command a line names (`secret create`), or why it names none. */
function resolve(line: string): { command?: Command; problem?: string } {
  const [first, second] = line.split(/\s+/);
  const command = program.commands.find((c) => c.name() === first);
  if (!command) return { problem: `no command ${JSON.stringify(first)}` };
  if (command.commands.length === 0) return { command };
  const sub = command.commands.find((c) => c.name() === second);
  return sub ? { command: sub } : { problem: `no command "${first} ${second ?? ""}"` };
}

function unknownFlags(line: string, command: Command): string[] {
  const known = new Set(
    command.options.flatMap((option) => [option.long, option.short]).filter((flag) => flag !== undefined),
  );
  known.add("-h").add("--help");
  return [...line.matchAll(/(?<![\w-])--?[a-z][a-z0-9-]*/g)]
    .map((match) => match[0])
    .filter((flag) => !known.has(flag));
}

describe("commands named in audit's fix texts and docs exist", () => {
  const all = [...fixTexts(), ...docTexts()];

  it("finds pullwarden commands to check", () => {
    expect(all.flatMap(([, text]) => pullwardenCommands(text)).length).toBeGreaterThan(20);
  });

  it("names only commands and flags pullwarden has", () => {
    const problems: string[] = [];
    for (const [where, text] of all) {
      for (const line of pullwardenCommands(text)) {
        const { command, problem } = resolve(line);
        if (problem) problems.push(`${where}: pullwarden ${line}: ${problem}`);
        else if (command) {
          for (const flag of unknownFlags(line, command))
            problems.push(`${where}: pullwarden ${line}: no flag ${flag}`);
        }
      }
    }
    expect([...new Set(problems)]).toEqual([]);
  });
});
