/**
 * JUnit XML for CI dashboards: one test suite per rule that ran, one test case per finding (error and warning
 * findings fail, info findings pass with their text as output, suppressed ones are skipped), and one passing
 * case per rule without findings, so dashboards list what was checked. Input problems form their own suite.
 */
import type { AuditResult, Finding } from "../types.js";
import { objectText, whereText } from "./shared.js";

export function xmlEscape(text: string): string {
  return (
    text
      // eslint-disable-next-line no-control-regex -- characters XML 1.0 cannot hold
      .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, "\ufffd")
      .replace(/&/g, "&amp;")
      .replace(/</g, "&lt;")
      .replace(/>/g, "&gt;")
      .replace(/"/g, "&quot;")
      .replace(/'/g, "&apos;")
  );
}

function attrs(values: Record<string, string | number | undefined>): string {
  return Object.entries(values)
    .filter(([, value]) => value !== undefined)
    .map(([key, value]) => ` ${key}="${xmlEscape(String(value))}"`)
    .join("");
}

function body(finding: Finding): string {
  const lines = [finding.message];
  if (finding.pullPath && !finding.message.includes(finding.pullPath.summary))
    lines.push(`pull path: ${finding.pullPath.summary}`);
  lines.push(`fix: ${finding.fix}`, `at: ${whereText(finding.location)}`);
  return lines.join("\n");
}

function testcase(finding: Finding): string {
  const origin = finding.location.origin;
  const head = `    <testcase${attrs({
    classname: `${finding.ruleId}.${finding.rule}`,
    name: `${objectText(finding.location)}: ${finding.message.slice(0, 160)}`,
    file: origin?.file,
    line: origin ? (finding.location.line ?? origin.line) : undefined,
  })}>`;
  if (finding.suppressed) {
    return `${head}\n      <skipped${attrs({ message: `suppressed: ${finding.suppressed.reason}` })}/>\n    </testcase>\n`;
  }
  if (finding.severity === "info") {
    return `${head}\n      <system-out>${xmlEscape(body(finding))}</system-out>\n    </testcase>\n`;
  }
  return `${head}\n      <failure${attrs({ type: finding.severity, message: finding.message.slice(0, 500) })}>${xmlEscape(body(finding))}</failure>\n    </testcase>\n`;
}

export function renderJunit(result: AuditResult): string {
  const suites: string[] = [];
  let tests = 0;
  let failures = 0;
  let skipped = 0;
  let errors = 0;
  if (result.inputProblems.length > 0) {
    const cases = result.inputProblems.map((problem) => {
      const failure = problem.severity === "error";
      return `    <testcase${attrs({ classname: "input", name: problem.message.slice(0, 200), file: problem.source, line: problem.line })}>${failure ? `\n      <error${attrs({ type: "input", message: problem.message })}/>\n    ` : ""}</testcase>\n`;
    });
    const errorCount = result.inputProblems.filter((problem) => problem.severity === "error").length;
    tests += cases.length;
    errors += errorCount;
    suites.push(
      `  <testsuite${attrs({ name: "input", tests: cases.length, failures: 0, errors: errorCount, skipped: 0 })}>\n${cases.join("")}  </testsuite>\n`,
    );
  }
  for (const rule of result.rules) {
    const findings = result.findings.filter((finding) => finding.ruleId === rule.id);
    const ruleFailures = findings.filter(
      (finding) => !finding.suppressed && finding.severity !== "info",
    ).length;
    const ruleSkipped = findings.filter((finding) => finding.suppressed).length;
    const cases =
      findings.length > 0
        ? findings.map(testcase)
        : [`    <testcase${attrs({ classname: `${rule.id}.${rule.name}`, name: "no findings" })}/>\n`];
    tests += cases.length;
    failures += ruleFailures;
    skipped += ruleSkipped;
    suites.push(
      `  <testsuite${attrs({ name: `${rule.id} ${rule.name}`, tests: cases.length, failures: ruleFailures, errors: 0, skipped: ruleSkipped })}>\n${cases.join("")}  </testsuite>\n`,
    );
  }
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites${attrs({ name: "pullwarden audit", tests, failures, errors, skipped })}>\n${suites.join("")}</testsuites>\n`;
}
