// The layout: the published JSON Schema is the one the plan validates with, and every refusal names the field
// and its line and column in the YAML (ajv's instancePath mapped back to YAML node positions).
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Ajv } from "ajv";
import { parse as parseYaml } from "yaml";
import { describe, expect, it } from "vitest";
import { InputError } from "../../src/errors.js";
import { LAYOUT_SCHEMA, parseLayout } from "../../src/plan/index.js";
import { goldenCases, NOW, problemsOf, readCase, ROOT } from "./helpers.js";

const published = JSON.parse(readFileSync(join(ROOT, "schemas/layout.schema.json"), "utf8")) as object;

const HEAD = "apiVersion: pullwarden.io/v1alpha1\nkind: PullLayout\n";
const GHCR = `registries:
  - name: ghcr
    ghcr: acme
    credential:
      type: classic-pat
      username: bot
      passwordEnv: GHCR_TOKEN
`;
const NAMESPACES = "namespaces:\n  - name: apps\n    registries: [ghcr]\n";
const OTHER = "cluster:\n  provider: other\n  name: c1\n";

describe("the published schema", () => {
  it("schemas/layout.schema.json is exactly the schema the plan validates with", () => {
    expect(published).toEqual(JSON.parse(JSON.stringify(LAYOUT_SCHEMA)));
  });

  it("compiles in a fresh strict ajv and accepts every golden layout and the example", () => {
    const validate = new Ajv({
      strict: true,
      strictTypes: false,
      strictRequired: false,
      allowUnionTypes: true,
    }).compile(published);
    for (const name of goldenCases()) {
      parseLayout(readCase(name), { source: name, now: NOW });
      const object = parseYaml(readCase(name)) as object;
      expect(validate(object), `${name}: ${JSON.stringify(validate.errors)}`).toBe(true);
    }
  });
});

describe("bad layouts name the field and its line", () => {
  const cases: Array<{ name: string; text: string; field: string; line: number; message: RegExp }> = [
    {
      name: "unknown provider",
      text: `${HEAD}cluster:\n  provider: openshift\n  name: c1\n${GHCR}${NAMESPACES}`,
      field: "cluster.provider",
      line: 4,
      message: /unknown provider "openshift"; expected aks, eks, gke or other/,
    },
    {
      name: "a misspelt provider gets a suggestion",
      text: `${HEAD}cluster:\n  provider: ekss\n  name: c1\n${GHCR}${NAMESPACES}`,
      field: "cluster.provider",
      line: 4,
      message: /did you mean "eks"/,
    },
    {
      name: "GitHub App token for GHCR",
      text: `${HEAD}${OTHER}${GHCR.replace("classic-pat", "github-app")}${NAMESPACES}`,
      field: "registries[0].credential.type",
      line: 10,
      message: /github-app cannot pull from ghcr.io: .*App installation tokens/,
    },
    {
      name: "fine-grained PAT for GHCR",
      text: `${HEAD}${OTHER}${GHCR.replace("classic-pat", "fine-grained-pat")}${NAMESPACES}`,
      field: "registries[0].credential.type",
      line: 10,
      message: /fine-grained personal access tokens are not accepted/,
    },
    {
      name: "Actions GITHUB_TOKEN for GHCR",
      text: `${HEAD}${OTHER}${GHCR.replace("classic-pat", "github-actions-token")}${NAMESPACES}`,
      field: "registries[0].credential.type",
      line: 10,
      message: /only inside the Actions run/,
    },
    {
      name: "duplicate namespaces",
      text: `${HEAD}${OTHER}${GHCR}${NAMESPACES}  - name: web\n    registries: [ghcr]\n  - name: apps\n    registries: [ghcr]\n`,
      field: "namespaces[2].name",
      line: 18,
      message: /namespace "apps" is declared twice \(first at namespaces\[0\], line 14\)/,
    },
    {
      name: "missing provider section",
      text: `${HEAD}cluster:\n  provider: eks\n  name: c1\n${GHCR}${NAMESPACES}`,
      field: "cluster.eks",
      line: 4,
      message: /provider eks needs eks.region, eks.accountId and eks.nodeRole/,
    },
    {
      name: "missing provider field",
      text: `${HEAD}cluster:\n  provider: aks\n  name: c1\n  aks:\n    subscription: s1\n${GHCR}${NAMESPACES}`,
      field: "cluster.aks.resourceGroup",
      line: 7,
      message: /required field is missing/,
    },
    {
      name: "an unquoted account id",
      text: `${HEAD}cluster:\n  provider: eks\n  name: c1\n  eks:\n    region: eu-west-1\n    accountId: 123456789012\n    nodeRole: nodes\n${GHCR}${NAMESPACES}`,
      field: "cluster.eks.accountId",
      line: 8,
      message: /quote it: "123456789012"/,
    },
    {
      name: "an unknown field, with a suggestion",
      text: `${HEAD}${OTHER}  nodesConfigurabel: true\n${GHCR}${NAMESPACES}`,
      field: "cluster.nodesConfigurabel",
      line: 6,
      message: /unknown field \(did you mean "nodesConfigurable"\?\)/,
    },
    {
      name: "a registry with two locations",
      text: `${HEAD}${OTHER}registries:\n  - name: r\n    host: r.example\n    acr: contoso\n${NAMESPACES.replace("ghcr", "r")}`,
      field: "registries[0]",
      line: 7,
      message: /give only one of host, acr, ecr or ghcr \(found host and acr\)/,
    },
    {
      name: "a namespace naming an unknown registry",
      text: `${HEAD}${OTHER}${GHCR}namespaces:\n  - name: apps\n    registries: [ghrc]\n`,
      field: "namespaces[0].registries[0]",
      line: 15,
      message: /no registry is named "ghrc" \(did you mean "ghcr"\?\)/,
    },
    {
      name: "GHCR without a credential",
      text: `${HEAD}${OTHER}registries:\n  - name: ghcr\n    ghcr: acme\n${NAMESPACES}`,
      field: "registries[0]",
      line: 7,
      message: /missing credential: ghcr.io needs a pull secret/,
    },
    {
      name: "a credential for ECR",
      text: `${HEAD}${OTHER}registries:\n  - name: ecr\n    ecr: {accountId: "123456789012", region: eu-west-1}\n    credential: {type: password, username: AWS, passwordEnv: X}\n${NAMESPACES.replace("ghcr", "ecr")}`,
      field: "registries[0].credential",
      line: 9,
      message: /ECR has no long-lived pull credential/,
    },
    {
      name: "an invalid namespace name",
      text: `${HEAD}${OTHER}${GHCR}namespaces:\n  - name: Apps_1\n    registries: [ghcr]\n`,
      field: "namespaces[0].name",
      line: 14,
      message:
        /^"Apps_1" is not a DNS-1123 label \(it has uppercase letters and '_'\): expected lowercase letters, digits and '-', starting and ending with a letter or digit, at most 63 characters$/,
    },
    {
      name: "a namespace name over 63 characters",
      text: `${HEAD}${OTHER}${GHCR}namespaces:\n  - name: ${"a".repeat(70)}\n    registries: [ghcr]\n`,
      field: "namespaces[0].name",
      line: 14,
      message: /^"a{70}" is 70 characters long, over the limit of 63$/,
    },
    {
      name: "an image from a registry the namespace does not use",
      text: `${HEAD}${OTHER}${GHCR}${NAMESPACES}    images: [quay.io/acme/api:1]\n`,
      field: "namespaces[0].images[0]",
      line: 16,
      message:
        /quay.io\/acme\/api:1 is on quay.io, which is not one of this namespace's registries \(ghcr.io\)/,
    },
    {
      name: "a Docker Hub host kubelet never matches",
      text: `${HEAD}${OTHER}registries:\n  - name: hub\n    host: registry-1.docker.io\n    credential: {type: dockerhub-pat, username: u, passwordEnv: P}\n${NAMESPACES.replace("ghcr", "hub")}`,
      field: "registries[0].host",
      line: 8,
      message: /kubelet never matches a credential keyed registry-1.docker.io/,
    },
    {
      name: "a second YAML document",
      text: `${HEAD}${OTHER}${GHCR}${NAMESPACES}---\nkind: Other\n`,
      field: "(document)",
      line: 17,
      message: /a layout is one YAML document/,
    },
    {
      name: "the wrong kind",
      text: `apiVersion: pullwarden.io/v1alpha1\nkind: Layout\n${OTHER}${GHCR}${NAMESPACES}`,
      field: "kind",
      line: 2,
      message: /must be "PullLayout", not "Layout"/,
    },
    {
      name: "a YAML syntax error",
      text: `${HEAD}${OTHER}registries: [\n`,
      field: "(document)",
      line: 7,
      message: /./,
    },
  ];

  it.each(cases)("$name", ({ text, field, line, message }) => {
    const problems = problemsOf(text);
    const problem = problems.find((p) => p.field === field);
    expect(problem, JSON.stringify(problems, null, 2)).toBeDefined();
    expect(problem?.line).toBe(line);
    expect(problem?.column).toBeGreaterThan(0);
    expect(problem?.message).toMatch(message);
  });

  it("reports every schema problem at once, sorted by position", () => {
    const text = `${HEAD}cluster:\n  provider: eks\n  name: c1\n  eks:\n    region: eu-west-1\n    accountId: 123456789012\n    nodeRol: nodes\n${GHCR}${NAMESPACES}`;
    const problems = problemsOf(text);
    expect(problems.map((p) => `${p.line}:${p.field}`)).toEqual([
      "7:cluster.eks.nodeRole",
      "8:cluster.eks.accountId",
      "9:cluster.eks.nodeRol",
    ]);
    let message = "";
    try {
      parseLayout(text, { source: "layout.yaml", now: NOW });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toBe(
      "layout.yaml:7:5: cluster.eks.nodeRole: required field is missing (the node group's IAM role: its name or its ARN) (and 2 more problems)",
    );
  });

  it("an anchor bomb is refused at the alias that explodes, with its field and line", () => {
    const lines = [HEAD.trimEnd(), "x:", `  a: &a [${Array(9).fill('"lol"').join(",")}]`];
    for (let i = 1; i < 10; i++) {
      const prev = String.fromCharCode(96 + i);
      const cur = String.fromCharCode(97 + i);
      lines.push(`  ${cur}: &${cur} [${Array(9).fill(`*${prev}`).join(",")}]`);
    }
    const started = Date.now();
    const problems = problemsOf(lines.join("\n") + "\n");
    expect(Date.now() - started).toBeLessThan(5000);
    expect(problems).toHaveLength(1);
    expect(problems[0]?.message).toMatch(
      /^alias \*[a-j] expands the document past the allowed size \(a YAML "anchor bomb"\); refused$/,
    );
    expect(problems[0]?.field).toMatch(/^x\.[a-j]\[\d\]$/);
    expect(problems[0]?.line).toBeGreaterThan(3);
  });

  it("deep nesting is refused before parsing, with its line", () => {
    const text = `${HEAD}x: ${"[".repeat(200)}${"]".repeat(200)}\n`;
    expect(() => parseLayout(text, { source: "layout.yaml", now: NOW })).toThrow(
      /^layout.yaml:3:\d+: nesting deeper than 64 levels$/,
    );
  });

  it("a layout over 1 MiB is refused by size before parsing", () => {
    const text = `${HEAD}# ${"x".repeat(10 * 1024 * 1024)}\n`;
    let error: unknown;
    try {
      parseLayout(text, { source: "big.yaml", now: NOW });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).code).toBe("E_INPUT_TOO_LARGE");
    expect((error as Error).message).toBe(
      "big.yaml: the layout is 10.0 MiB, over the 1.0 MiB limit for layouts",
    );
  });

  it("accepts aliases that stay small (a shared list of ServiceAccounts)", () => {
    const text = `${HEAD}${OTHER}${GHCR}namespaces:\n  - name: a\n    registries: &regs [ghcr]\n  - name: b\n    registries: *regs\n`;
    const layout = parseLayout(text, { source: "layout.yaml", now: NOW });
    expect(layout.namespaces.map((n) => n.registries)).toEqual([["ghcr"], ["ghcr"]]);
  });
});

describe("a value that breaks its format says which rule and suggests the fixed value", () => {
  it.each([
    ["namespaces[0].name", "Tools_NS", "tools-ns"],
    ["namespaces[0].name", "a".repeat(70), "a".repeat(63)],
  ])("%s: %s", (field, name, fixed) => {
    const problems = problemsOf(
      `${HEAD}${OTHER}${GHCR}namespaces:\n  - name: ${name}\n    registries: [ghcr]\n`,
    );
    const problem = problems.find((p) => p.field === field);
    expect(problem?.hint).toMatch(new RegExp(`"${fixed}"$`));
  });
});
