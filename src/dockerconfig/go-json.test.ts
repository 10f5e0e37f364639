import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { encodeGoJson, encodeGoJsonIndent, encodeGoNumber, encodeGoString, goMap } from "./go-json.js";

describe("encodeGoString (Go encoding/json, escapeHTML, Go >= 1.22)", () => {
  // Expected strings were produced by kubectl v1.32.4 (`create secret docker-registry --dry-run=client`).
  it.each([
    ["a&b<c>d", String.raw`"a\u0026b\u003cc\u003ed"`],
    [
      'x\by\fz\u2028\u2029\u0001\u007f/\\"q',
      String.raw`"x\by\fz\u2028\u2029\u0001` + "\u007f" + String.raw`/\\\"q"`,
    ],
    ["tab\there\nnl\r", String.raw`"tab\there\nnl\r"`],
    ["ünï😀", '"ünï😀"'],
    ['p:w"\\/<>&x', String.raw`"p:w\"\\/\u003c\u003e\u0026x"`],
  ])("%j", (input, expected) => {
    expect(encodeGoString(input)).toBe(expected);
  });

  it("escapes the remaining C0 controls as \\u00XX with lowercase hex", () => {
    expect(encodeGoString("\u0000\u001f\u000b\u001b")).toBe(String.raw`"\u0000\u001f\u000b\u001b"`);
  });

  it("writes lone surrogates as \\ufffd, as Go writes invalid UTF-8", () => {
    expect(encodeGoString("a\ud800b\udc00")).toBe(String.raw`"a\ufffdb\ufffd"`);
    expect(encodeGoString("\ud83d")).toBe(String.raw`"\ufffd"`);
  });

  it("agrees with JSON.parse on the decoded value for any well-formed string", () => {
    fc.assert(
      fc.property(fc.string({ unit: "grapheme" }), (s) => {
        expect(JSON.parse(encodeGoString(s))).toBe(s);
      }),
    );
  });

  it("differs from JSON.stringify only by Go's extra escapes", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary" }), (s) => {
        const go = encodeGoString(s);
        expect(go).not.toMatch(/[<>&\u2028\u2029]/);
        const normalised = go
          .replace(/\\u003c/g, "<")
          .replace(/\\u003e/g, ">")
          .replace(/\\u0026/g, "&")
          .replace(/\\u2028/g, "\u2028")
          .replace(/\\u2029/g, "\u2029");
        const js = JSON.stringify(s)
          .replace(/\\ud[89ab][0-9a-f]{2}(?!\\ud[c-f])/g, "\\ufffd")
          .replace(/(?<!\\ud[89ab][0-9a-f]{2})\\ud[c-f][0-9a-f]{2}/g, "\\ufffd");
        expect(normalised).toBe(js);
      }),
    );
  });
});

describe("encodeGoNumber", () => {
  it.each([
    [0, "0"],
    [-0, "-0"],
    [1, "1"],
    [-12.5, "-12.5"],
    [1e21, "1e+21"],
    [1e20, "100000000000000000000"],
    [1e-7, "1e-7"],
    [1.5e-7, "1.5e-7"],
    [0.000001, "0.000001"],
    [1e-100, "1e-100"],
  ])("%d → %s", (n, s) => {
    expect(encodeGoNumber(n)).toBe(s);
  });

  it("refuses NaN and infinities like Go's UnsupportedValueError", () => {
    expect(() => encodeGoNumber(Number.NaN)).toThrow(/unsupported/);
    expect(() => encodeGoNumber(Infinity)).toThrow(/unsupported/);
  });
});

describe("encodeGoJson", () => {
  it("writes structs in insertion order, omits undefined members, sorts goMap keys in byte order", () => {
    const value = {
      auths: goMap({ "b.io": { username: "u", password: "p", email: undefined, auth: "dTpw" }, "a.io": {} }),
      HttpHeaders: undefined,
    };
    expect(encodeGoJson(value)).toBe(
      '{"auths":{"a.io":{},"b.io":{"username":"u","password":"p","auth":"dTpw"}}}',
    );
  });

  it("sorts goMap keys by code point (Go byte order), not UTF-16 order", () => {
    const m = goMap({ "\uffff": 1, "😀": 2, a: 3, B: 4 });
    expect(encodeGoJson(m)).toBe('{"B":4,"a":3,"\uffff":1,"😀":2}');
  });

  it("keeps __proto__ as an ordinary key when given as pairs", () => {
    expect(encodeGoJson(goMap([["__proto__", 1]]))).toBe('{"__proto__":1}');
  });

  it("writes Maps in insertion order, even integer-like keys", () => {
    expect(
      encodeGoJson(
        new Map<string, number>([
          ["b", 1],
          ["1", 2],
        ]),
      ),
    ).toBe('{"b":1,"1":2}');
  });

  it("writes arrays, null, booleans and empty containers compactly", () => {
    expect(encodeGoJson([null, true, false, [], {}, "x"])).toBe('[null,true,false,[],{},"x"]');
  });
});

describe('encodeGoJsonIndent (json.MarshalIndent(v, "", "    "), as kubectl -o json)', () => {
  it("reproduces kubectl's Secret output byte for byte (without the printer's trailing newline)", () => {
    // kubectl v1.32.4: create secret docker-registry s --docker-username=u --docker-password=p
    //   --docker-server=localhost:5000 --dry-run=client -o json -n ns
    const expected = [
      "{",
      '    "kind": "Secret",',
      '    "apiVersion": "v1",',
      '    "metadata": {',
      '        "name": "s",',
      '        "namespace": "ns",',
      '        "creationTimestamp": null',
      "    },",
      '    "data": {',
      '        ".dockerconfigjson": "eyJhdXRocyI6eyJsb2NhbGhvc3Q6NTAwMCI6eyJ1c2VybmFtZSI6InUiLCJwYXNzd29yZCI6InAiLCJhdXRoIjoiZFRwdyJ9fX0="',
      "    },",
      '    "type": "kubernetes.io/dockerconfigjson"',
      "}",
    ].join("\n");
    const secret = {
      kind: "Secret",
      apiVersion: "v1",
      metadata: { name: "s", namespace: "ns", creationTimestamp: null },
      data: goMap({
        ".dockerconfigjson":
          "eyJhdXRocyI6eyJsb2NhbGhvc3Q6NTAwMCI6eyJ1c2VybmFtZSI6InUiLCJwYXNzd29yZCI6InAiLCJhdXRoIjoiZFRwdyJ9fX0=",
      }),
      type: "kubernetes.io/dockerconfigjson",
    };
    expect(encodeGoJsonIndent(secret)).toBe(expected);
  });

  it("keeps empty objects and arrays on one line", () => {
    expect(encodeGoJsonIndent({ a: {}, b: [], c: [1, 2] })).toBe(
      '{\n    "a": {},\n    "b": [],\n    "c": [\n        1,\n        2\n    ]\n}',
    );
  });

  it("is the compact encoding with whitespace added", () => {
    const json = fc.letrec((tie) => ({
      value: fc.oneof(
        { depthSize: "small" },
        fc.string(),
        fc.integer(),
        fc.boolean(),
        fc.constant(null),
        fc.array(tie("value")),
        fc.dictionary(fc.string(), tie("value")),
      ),
    })).value as fc.Arbitrary<Parameters<typeof encodeGoJson>[0]>;
    fc.assert(
      fc.property(json, (v) => {
        expect(JSON.parse(encodeGoJsonIndent(v))).toEqual(JSON.parse(encodeGoJson(v)));
      }),
    );
  });
});
