// Suppression: the annotation grammar, the config file, expiry.
import { describe, expect, it } from "vitest";
import {
  audit,
  findRule,
  loadManifestText,
  parseAuditConfig,
  parseIgnoreAnnotation,
} from "../../src/audit/index.js";
import { InputError } from "../../src/errors.js";

const known = (rule: string) => rule === "*" || findRule(rule) !== undefined;

describe("pullwarden.io/ignore annotation", () => {
  it.each([
    ["PW105 reason=public mirror", [{ rules: ["PW105"], reason: "public mirror" }]],
    [
      "PW105 reason=public mirror until=2026-12-31",
      [{ rules: ["PW105"], reason: "public mirror", until: "2026-12-31" }],
    ],
    ["PW105 until=2026-12-31 reason=x y z", [{ rules: ["PW105"], reason: "x y z", until: "2026-12-31" }]],
    [
      "PW105,image-pull-path-broken reason='quoted why'",
      [{ rules: ["PW105", "image-pull-path-broken"], reason: "quoted why" }],
    ],
    [
      "PW105 reason=a; PW401 reason=b\n* reason=c",
      [
        { rules: ["PW105"], reason: "a" },
        { rules: ["PW401"], reason: "b" },
        { rules: ["*"], reason: "c" },
      ],
    ],
    ["pw105 reason=lower-case id", [{ rules: ["pw105"], reason: "lower-case id" }]],
  ])("%j", (value, entries) => {
    expect(parseIgnoreAnnotation(value, known)).toEqual({ entries, problems: [] });
  });

  it.each([
    ["PW105", /no reason/],
    ["PW105 reason=", /no reason/],
    ["PW999 reason=x", /unknown rule "PW999"/],
    ["PW105 reason=x until=2026-02-30", /not a date/],
    ["PW105 reason=x until=tomorrow", /not a date/],
  ])("refuses %j", (value, problem) => {
    const parsed = parseIgnoreAnnotation(value, known);
    expect(parsed.entries).toEqual([]);
    expect(parsed.problems[0]).toMatch(problem);
  });
});

describe("audit config file", () => {
  const text = `apiVersion: pullwarden.io/v1alpha1
kind: AuditConfig
ignore:
  - rule: image-without-pull-path
    namespace: pay*
    reason: anonymous pull is on
    until: 2026-12-31
privateRegistries: [harbor.example.com]
disabledRules: [PW303]
failOn: warning
`;
  it("parses suppressions with their line, private registries, disabled rules and failOn", () => {
    expect(parseAuditConfig(text, "cfg.yaml")).toEqual({
      suppressions: [
        {
          rule: "PW105",
          namespace: "pay*",
          reason: "anonymous pull is on",
          until: "2026-12-31",
          source: "cfg.yaml:4",
        },
      ],
      privateRegistries: ["harbor.example.com"],
      nodeIdentities: [],
      disabledRules: ["PW303"],
      failOn: "warning",
    });
  });

  it.each([
    ["ignore:\n  - rule: PW105\n", /cfg.yaml:2: ignore\[0\]: reason is required/],
    ["ignore:\n  - rule: PW105\n    reason: x\n    until: soon\n", /cfg.yaml:2: .*until must be a date/],
    ["ignore:\n  - rule: nope\n    reason: x\n", /unknown rule "nope"/],
    ["ignore:\n  - rule: PW105\n    reason: x\n    colour: red\n", /unknown field "colour"/],
    ["surprise: 1\n", /cfg.yaml:1: unknown field "surprise"/],
    ["failOn: sometimes\n", /failOn must be error, warning, info or never/],
    ["a: [\n", /cfg.yaml:\d+:/],
    [
      "a: &a [x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a]\nc: [*b, *b, *b, *b, *b, *b, *b, *b]\nd: [*c, *c, *c, *c, *c, *c, *c, *c]\ne: [*d, *d, *d, *d, *d, *d, *d, *d]\nf: [*e, *e, *e, *e, *e, *e, *e, *e]\ng: [*f, *f, *f, *f, *f, *f, *f, *f]\n",
      /cannot read the config/,
    ],
  ])("refuses %j with a line", (bad, message) => {
    expect(() => parseAuditConfig(bad, "cfg.yaml")).toThrow(InputError);
    expect(() => parseAuditConfig(bad, "cfg.yaml")).toThrow(message);
  });

  it("applies config suppressions by rule and glob, and lets them lapse", () => {
    const { objects } = loadManifestText(
      ["pay", "shop"]
        .map(
          (ns) =>
            `apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: api, namespace: ${ns}}\nspec:\n  template:\n    spec:\n      containers: [{name: c, image: contoso.azurecr.io/api:1}]\n`,
        )
        .join("---\n"),
      "t.yaml",
    );
    const { suppressions } = parseAuditConfig(text, "cfg.yaml");
    const before = audit(objects, { mode: "files", now: new Date("2026-12-31T23:59:59Z"), suppressions });
    const pw105 = before.findings.filter((finding) => finding.ruleId === "PW105");
    expect(pw105.map((finding) => [finding.location.object.namespace, finding.suppressed?.source])).toEqual([
      ["pay", "cfg.yaml:4"],
      ["shop", undefined],
    ]);
    expect(before.summary.suppressed).toBe(1);
    const after = audit(objects, { mode: "files", now: new Date("2027-01-01T00:00:00Z"), suppressions });
    const lapsed = after.findings.filter((finding) => finding.ruleId === "PW105");
    expect(lapsed.every((finding) => !finding.suppressed)).toBe(true);
    expect(
      lapsed.find((finding) => finding.location.object.namespace === "pay")?.expiredSuppression?.until,
    ).toBe("2026-12-31");
    expect(after.summary.suppressed).toBe(0);
  });

  it("disables rules by id or name", () => {
    const { objects } = loadManifestText(
      "apiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: a}\nspec:\n  containers: [{name: c, image: contoso.azurecr.io/x:1}]\n",
      "t.yaml",
    );
    const result = audit(objects, {
      mode: "files",
      now: new Date(),
      disabledRules: ["image-without-pull-path"],
    });
    expect(result.findings).toEqual([]);
    expect(result.rules.map((rule) => rule.id)).not.toContain("PW105");
  });
});
