import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { InputError } from "../errors.js";
import { parseManifestDocuments } from "./documents.js";
import { loadPullCredentialSources } from "./pull-credential-sources.js";

const dockerconfig = Buffer.from(
  '{"auths":{"ghcr.io":{"username":"u","password":"p","auth":"dTpw"}}}',
).toString("base64");
const secretYaml = (name: string) =>
  `apiVersion: v1\nkind: Secret\nmetadata:\n  name: ${name}\n  namespace: apps\ntype: kubernetes.io/dockerconfigjson\ndata:\n  .dockerconfigjson: ${dockerconfig}\n`;

describe("parseManifestDocuments", () => {
  it("reads several documents with their start lines", () => {
    const docs = parseManifestDocuments(`${secretYaml("a")}---\n${secretYaml("b")}`, "f.yaml");
    expect(docs.map((d) => [(d.object as { metadata: { name: string } }).metadata.name, d.line])).toEqual([
      ["a", 1],
      ["b", 10],
    ]);
  });

  it("flattens List kinds", () => {
    const list = JSON.stringify({
      apiVersion: "v1",
      kind: "List",
      items: [{ kind: "Secret" }, { kind: "Pod" }],
    });
    expect(parseManifestDocuments(list, "l.json")).toHaveLength(2);
  });

  it.each([
    ["duplicate keys", "a: 1\na: 2\n", /f:2:1: Map keys must be unique/],
    ["bad indentation", "a:\n  b: 1\n c: 2\n", /^f:3:/],
    ["unclosed flow", "{a: [1, 2\n", /^f:/],
    ["deep nesting", "[".repeat(100_000), /nesting deeper than 64 levels/],
    [
      "alias bomb",
      'a: &a ["x","x","x","x","x","x","x","x","x"]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: [*d,*d,*d,*d,*d,*d,*d,*d,*d]\n',
      /document 1/,
    ],
  ])("refuses %s with a one-line positioned error", (_, text, pattern) => {
    let error: unknown;
    try {
      parseManifestDocuments(text, "f");
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(InputError);
    expect((error as Error).message).toMatch(pattern);
    expect((error as Error).message).not.toContain("\n");
  });

  it("throws only InputError on arbitrary text", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (text) => {
        try {
          parseManifestDocuments(text, "f");
        } catch (error) {
          expect(error).toBeInstanceOf(InputError);
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe("loadPullCredentialSources", () => {
  it("finds Secrets in a stream and skips other kinds", () => {
    const text = `${secretYaml("a")}---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n---\napiVersion: v1\nkind: Secret\nmetadata: {name: tls}\ntype: kubernetes.io/tls\ndata: {tls.crt: eA==}\n`;
    const { sources, skippedDocuments } = loadPullCredentialSources(text, "f.yaml");
    expect(sources.map((s) => s.label)).toEqual(["secret apps/a (f.yaml:1)"]);
    expect(skippedDocuments).toBe(2);
  });

  it("reads a raw .dockerconfigjson and a docker config.json directly", () => {
    const raw = loadPullCredentialSources('{"auths":{"ghcr.io":{"auth":"dTpw"}}}', "c.json");
    expect(raw.sources[0]?.config.format).toBe("dockerconfigjson");
    const config = loadPullCredentialSources('{"auths":{},"credsStore":"desktop"}', "config.json");
    expect(config.sources[0]?.config.format).toBe("config.json");
  });

  it("reports malformed raw JSON with its position", () => {
    // The position is data (run.ts renders FILE:LINE:COLUMN), not words in the message.
    const error = (() => {
      try {
        loadPullCredentialSources('{"auths":{"ghcr.io":{"auth":"dTpw",}}}', "c.json");
      } catch (thrown) {
        return thrown;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(InputError);
    expect(error).toMatchObject({ source: "c.json", position: { line: 1, column: 36 } });
  });

  it("says so when nothing is a pull secret", () => {
    expect(() => loadPullCredentialSources("kind: ConfigMap\n", "f.yaml")).toThrow(/no pull secret found/);
  });
});
