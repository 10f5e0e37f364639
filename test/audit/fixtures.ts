// Reading the rule fixtures of testdata/audit/rules/<RULE>/*.yaml: each file starts with comment lines that say
// what it shows, which findings it must produce (`expect: PW101 error 1`, `expect: PW101 none`) and the audit
// options (`options: {"mode": "cluster", "provider": "eks"}`).
import { readFileSync, readdirSync } from "node:fs";
import { join, relative } from "node:path";
import { audit, loadManifestText, providerIdentity } from "../../src/audit/index.js";
import type { AuditOptions, AuditResult, CloudProvider, Severity } from "../../src/audit/index.js";
import { REPO_ROOT } from "../support/index.js";

export const RULES_DIR = join(REPO_ROOT, "testdata/audit/rules");
export const NOW = new Date("2026-06-01T00:00:00Z");

export interface Expectation {
  readonly rule: string;
  readonly severity?: Severity;
  /** 0 for `none`. */
  readonly count: number;
}

export interface Fixture {
  readonly rule: string;
  readonly name: string;
  readonly file: string;
  readonly text: string;
  readonly description: string;
  readonly expectations: readonly Expectation[];
  readonly options: Record<string, unknown>;
}

export function loadFixtures(): Fixture[] {
  const fixtures: Fixture[] = [];
  for (const rule of readdirSync(RULES_DIR).sort()) {
    for (const name of readdirSync(join(RULES_DIR, rule)).sort()) {
      const file = join(RULES_DIR, rule, name);
      const text = readFileSync(file, "utf8");
      const header = text
        .slice(0, text.indexOf("\n---"))
        .split("\n")
        .map((line) => line.replace(/^# ?/, ""));
      const expectations: Expectation[] = [];
      let options: Record<string, unknown> = {};
      const description: string[] = [];
      for (const line of header) {
        const expect = /^expect: (PW\d+) (?:none|(?:(error|warning|info) )?(\d+))$/.exec(line);
        if (expect) {
          expectations.push({
            rule: expect[1] as string,
            ...(expect[2] ? { severity: expect[2] as Severity } : {}),
            count: expect[3] === undefined ? 0 : Number(expect[3]),
          });
        } else if (line.startsWith("options: "))
          options = JSON.parse(line.slice(9)) as Record<string, unknown>;
        else description.push(line);
      }
      fixtures.push({
        rule,
        name: name.replace(/\.yaml$/, ""),
        file: relative(REPO_ROOT, file),
        text,
        description: description.join(" "),
        expectations,
        options,
      });
    }
  }
  return fixtures;
}

export function auditFixture(fixture: Fixture): AuditResult {
  const loaded = loadManifestText(fixture.text, fixture.file);
  const { provider, ...rest } = fixture.options as { provider?: CloudProvider } & Record<string, unknown>;
  const options: AuditOptions = {
    mode: "files",
    now: NOW,
    ...(rest as Partial<AuditOptions>),
    ...(provider ? { nodeIdentities: [providerIdentity(provider, `--provider ${provider}`)] } : {}),
  };
  return audit(loaded.objects, options);
}
