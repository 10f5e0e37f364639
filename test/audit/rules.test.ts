// Every rule, table-driven from testdata/audit/rules/<RULE>/: fixtures that must fire and look-alikes that must
// not. Each fixture's header says what it shows and what it expects.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { RULE_CATALOG } from "../../src/audit/index.js";
import { REPO_ROOT } from "../support/index.js";
import { auditFixture, loadFixtures } from "./fixtures.js";

const fixtures = loadFixtures();

describe("rule fixtures", () => {
  it.each(fixtures.map((fixture) => [`${fixture.rule}/${fixture.name}`, fixture] as const))(
    "%s",
    (_name, fixture) => {
      expect(fixture.expectations.length, `${fixture.file} has no expect: line`).toBeGreaterThan(0);
      const result = auditFixture(fixture);
      expect(result.inputProblems).toEqual([]);
      for (const expectation of fixture.expectations) {
        const found = result.findings.filter(
          (finding) => finding.ruleId === expectation.rule && !finding.suppressed,
        );
        const summary = found.map((finding) => `${finding.severity} ${finding.message}`).join("\n");
        expect(found.length, `${fixture.file}: ${fixture.description}\n${summary}`).toBe(expectation.count);
        if (expectation.severity) {
          for (const finding of found) expect(finding.severity, finding.message).toBe(expectation.severity);
        }
      }
    },
  );
});

describe("rule catalogue", () => {
  it("has unique ids and names, and every field filled", () => {
    const ids = RULE_CATALOG.map((rule) => rule.id);
    const names = RULE_CATALOG.map((rule) => rule.name);
    expect(new Set(ids).size).toBe(ids.length);
    expect(new Set(names).size).toBe(names.length);
    for (const rule of RULE_CATALOG) {
      expect(rule.id).toMatch(/^PW\d{3}$/);
      expect(rule.name).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
      expect(rule.title.length).toBeGreaterThan(10);
      expect(rule.explanation.length).toBeGreaterThan(80);
      expect(rule.fix.length).toBeGreaterThan(30);
    }
  });

  it.each(RULE_CATALOG.map((rule) => [rule.id, rule] as const))(
    "%s has fixtures that fire and look-alikes that do not",
    (id) => {
      const mine = fixtures.filter((fixture) => fixture.rule === id);
      expect(mine.some((fixture) => fixture.expectations.some((e) => e.rule === id && e.count > 0))).toBe(
        true,
      );
      expect(mine.some((fixture) => fixture.expectations.some((e) => e.rule === id && e.count === 0))).toBe(
        true,
      );
    },
  );

  it.each(RULE_CATALOG.map((rule) => [rule.id, rule] as const))(
    "%s has a docs page naming its id, severity and fix",
    (id, rule) => {
      const page = join(REPO_ROOT, "docs/audit", `${id}.md`);
      expect(existsSync(page), page).toBe(true);
      const text = readFileSync(page, "utf8");
      expect(text).toContain(`# ${id} ${rule.name}`);
      expect(text).toContain(`Severity: ${rule.severity}`);
      expect(text).toMatch(/## Fix/);
      expect(text).toMatch(/## Example/);
    },
  );
});
