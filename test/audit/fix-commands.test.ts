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
import { REPO_ROOT, runCommand } from "../support/index.js";
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

/** What a POSIX shell makes of a fix command: its arguments, with kubectl and pullwarden stubbed to print them. */
async function shellWords(command: string): Promise<string[]> {
  const stub = `kubectl() { printf '%s\\n' kubectl "$@"; }; pullwarden() { printf '%s\\n' pullwarden "$@"; }; ${command}`;
  const result = await runCommand("sh", ["-c", stub], { timeoutMs: 10_000 });
  expect(result.stderr).toBe("");
  return result.stdout.split("\n").slice(0, -1);
}

describe("fix commands built from names in the input", () => {
  const hostileNamespace = "team-a'; touch /tmp/pw-pwned #";
  const hostileServiceAccount = "builder$(id)";
  const workloads = ["api", "worker"]
    .map(
      (name) =>
        `apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: ${name}, namespace: ${JSON.stringify(hostileNamespace)}}\nspec:\n  template:\n    spec:\n      serviceAccountName: ${JSON.stringify(hostileServiceAccount)}\n      imagePullSecrets: [{name: "pull-it's"}]\n      containers: [{name: c, image: nginx:1.27}]\n`,
    )
    .join("---\n");

  it("PW303's patch command is shell-quoted: the shell passes every name through as one argument", async () => {
    const finding = audit(loadManifestText(workloads, "w.yaml").objects, {
      mode: "files",
      now: NOW,
    }).findings.find((f) => f.ruleId === "PW303");
    const command = (finding?.fix ?? "").split("  # ")[0] as string;
    expect(await shellWords(command)).toEqual([
      "kubectl",
      "patch",
      "serviceaccount",
      hostileServiceAccount,
      "-n",
      hostileNamespace,
      "--type",
      "merge",
      "-p",
      JSON.stringify({ imagePullSecrets: [{ name: "pull-it's" }] }),
    ]);
  });

  it("PW101 says a name no Secret can have is invalid, and suggests a valid one instead of creating it", () => {
    const findings = audit(
      loadManifestText(
        readFileSync(join(REPO_ROOT, "testdata/audit/rules/PW101/fires-invalid-name.yaml"), "utf8"),
        "f.yaml",
      ).objects,
      { mode: "files", now: NOW },
    ).findings.filter((f) => f.ruleId === "PW101");
    expect(findings.map((f) => [f.message, f.fix])).toEqual([
      [
        'Deployment apps/hello names pull secret "fooSecret", which is not in namespace apps (and cannot be: "fooSecret" is not a valid Secret name, it has uppercase letters)',
        `Correct the name in imagePullSecrets to a valid one such as foosecret, and create that Secret if it is missing (pullwarden apply foosecret -n apps --docker-server=REGISTRY --docker-username=USER --docker-password-stdin): "fooSecret" can never be a Secret's name (it has uppercase letters; a Secret name is a lowercase RFC 1123 subdomain: a-z, 0-9, '-' and '.', starting and ending with a letter or digit, at most 253 characters).`,
      ],
    ]);
  });

  it("PW101 points at the valid Secret when it exists, and quotes the namespace of its create command", async () => {
    const pod = (secret: string, namespace: string) =>
      `apiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: ${JSON.stringify(namespace)}}\nspec:\n  imagePullSecrets: [{name: ${JSON.stringify(secret)}}]\n  containers: [{name: c, image: nginx:1.27}]\n`;
    const existing =
      "apiVersion: v1\nkind: Secret\nmetadata: {name: my-pull, namespace: apps}\ntype: kubernetes.io/dockerconfigjson\nstringData: {.dockerconfigjson: '{\"auths\":{}}'}\n";
    const fixOf = (yaml: string) =>
      audit(loadManifestText(yaml, "p.yaml").objects, { mode: "files", now: NOW }).findings.find(
        (f) => f.ruleId === "PW101",
      )?.fix ?? "";
    expect(fixOf(`${pod("my_pull", "apps")}---\n${existing}`)).toMatch(
      /^Correct the name in imagePullSecrets to my-pull, the Secret in namespace apps: "my_pull" can never be a Secret's name \(it has characters other than a-z, 0-9, '-' and '.'; /,
    );
    const fix = fixOf(pod("regcred", hostileNamespace));
    const command = /\((pullwarden apply .*)\), or correct the name\.$/.exec(fix)?.[1] ?? "";
    expect(await shellWords(command)).toEqual([
      "pullwarden",
      "apply",
      "regcred",
      "-n",
      hostileNamespace,
      "--docker-server=REGISTRY",
      "--docker-username=USER",
      "--docker-password-stdin",
    ]);
  });
});

describe("PW103's fix fits the problem", () => {
  it("a registry key problem is fixed by rekeying, not by re-encoding auth", () => {
    const yaml =
      'apiVersion: v1\nkind: Secret\nmetadata: {name: pull, namespace: apps}\ntype: kubernetes.io/dockerconfigjson\nstringData:\n  .dockerconfigjson: \'{"auths":{"registry.example.com:443":{"username":"robot","password":"s3cret-Passw0rd","auth":"cm9ib3Q6czNjcmV0LVBhc3N3MHJk"}}}\'\n';
    const finding = audit(loadManifestText(yaml, "s.yaml").objects, {
      mode: "files",
      now: NOW,
    }).findings.find((f) => f.ruleId === "PW103");
    expect(finding?.message).toMatch(/^key-default-port: /);
    expect(finding?.fix).toMatch(/^Key the entry by the registry host exactly as the images spell it/);
  });
});
