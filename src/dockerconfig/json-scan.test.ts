import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { InputError } from "../errors.js";
import { scanJson } from "./json-scan.js";
import type { JsonNode } from "./json-scan.js";

const scan = (text: string, maxDepth = 32) => scanJson(text, { source: "t", maxDepth });

/** The plain value of a node, with objects as [key, value] lists (duplicates kept). */
function plain(node: JsonNode): unknown {
  switch (node.kind) {
    case "object":
      return node.members.map((m) => [m.key, plain(m.value)]);
    case "array":
      return node.items.map(plain);
    case "number":
      return Number(node.raw);
    case "null":
      return null;
    default:
      return node.value;
  }
}

function errorOf(text: string, maxDepth = 32): InputError {
  try {
    scan(text, maxDepth);
  } catch (error) {
    if (error instanceof InputError) return error;
    throw error;
  }
  throw new Error("expected an InputError");
}

/** The message with the position it carries, as LINE:COLUMN: message (the CLI adds the source in front). */
function located(error: InputError): string {
  const { line, column } = error.position ?? {};
  return line === undefined ? error.message : `${line}:${column}: ${error.message}`;
}

describe("scanJson", () => {
  it("keeps duplicate keys and their positions", () => {
    const root = scan('{\n  "a": 1,\n  "a": {"b": [true, null, "x"]}\n}');
    expect(plain(root)).toEqual([
      ["a", 1],
      ["a", [["b", [true, null, "x"]]]],
    ]);
    expect(root.kind === "object" && root.members.map((m) => m.keyPosition)).toEqual([
      { line: 2, column: 3, offset: 4 },
      { line: 3, column: 3, offset: 14 },
    ]);
  });

  it("decodes escapes like Go, pairing surrogates and replacing unpaired ones with U+FFFD", () => {
    expect(plain(scan(String.raw`"\"\\\/\b\f\n\r\t\u00e9\ud83d\ude00"`))).toBe('"\\/\b\f\n\r\té😀');
    expect(plain(scan(String.raw`"\ud800x\udc00\ud800\u0041"`))).toBe("\ufffdx\ufffd\ufffdA");
  });

  it("counts lines for \\n, \\r\\n and \\r", () => {
    expect(errorOf('{\r\n"a":\r\n]').position).toEqual({ line: 3, column: 1, offset: 9 });
    expect(errorOf('{\r"a":\r]').position).toEqual({ line: 3, column: 1, offset: 7 });
  });

  it.each([
    ["", "the input is empty, expected a JSON object", "E_DOCKERCONFIG_EMPTY"],
    ["   ", "the input is empty, expected a JSON object", "E_DOCKERCONFIG_EMPTY"],
    ['{"a":1,}', "1:8: malformed JSON: trailing comma before '}'", "E_DOCKERCONFIG_JSON"],
    ["[1,]", "1:4: malformed JSON: trailing comma before ']'", "E_DOCKERCONFIG_JSON"],
    [
      "{'a':1}",
      "1:2: malformed JSON: object keys must use double quotes, not single quotes",
      "E_DOCKERCONFIG_JSON",
    ],
    [
      "{a:1}",
      "1:2: malformed JSON: expected a double-quoted object key but found a letter or digit",
      "E_DOCKERCONFIG_JSON",
    ],
    [
      '{"a" 1}',
      "1:6: malformed JSON: expected ':' after object key but found a letter or digit",
      "E_DOCKERCONFIG_JSON",
    ],
    [
      '{"a":1 "b":2}',
      "1:8: malformed JSON: expected ',' or '}' after object member but found '\"'",
      "E_DOCKERCONFIG_JSON",
    ],
    [
      '{"a":secret}',
      "1:6: malformed JSON: expected a JSON value but found a letter or digit",
      "E_DOCKERCONFIG_JSON",
    ],
    [
      '{"a":tru}',
      "1:6: malformed JSON: expected a JSON value but found a letter or digit (strings must be double-quoted)",
      "E_DOCKERCONFIG_JSON",
    ],
    ['{"a":"x', "1:8: malformed JSON: unterminated string", "E_DOCKERCONFIG_JSON"],
    [
      '{"a":"x\ny"}',
      "1:8: malformed JSON: control character U+000A inside a string (escape it)",
      "E_DOCKERCONFIG_JSON",
    ],
    ['"\\x"', "1:2: malformed JSON: invalid escape sequence in string", "E_DOCKERCONFIG_JSON"],
    [
      '"\\u12G4"',
      "1:4: malformed JSON: invalid \\u escape in string (expected four hex digits)",
      "E_DOCKERCONFIG_JSON",
    ],
    ["01", "1:2: malformed JSON: invalid number", "E_DOCKERCONFIG_JSON"],
    ["-", "1:1: malformed JSON: invalid number", "E_DOCKERCONFIG_JSON"],
    ["1.", "1:2: malformed JSON: invalid number", "E_DOCKERCONFIG_JSON"],
    ["{} {}", "1:4: malformed JSON: unexpected '{' after the JSON value", "E_DOCKERCONFIG_JSON"],
    ["// c\n{}", "1:1: malformed JSON: comments are not allowed in JSON", "E_DOCKERCONFIG_JSON"],
    [
      "{\u00a0}",
      "1:2: malformed JSON: expected a double-quoted object key but found character U+00A0",
      "E_DOCKERCONFIG_JSON",
    ],
    [
      "{",
      "1:2: malformed JSON: expected a double-quoted object key but found the end of the input",
      "E_DOCKERCONFIG_JSON",
    ],
  ])("%j → %s", (text, message, code) => {
    const error = errorOf(text);
    expect(located(error)).toBe(message);
    expect(error.code).toBe(code);
    expect(error.source).toBe("t");
  });

  it("refuses nesting deeper than maxDepth without recursing further", () => {
    expect(() => scan("[[[1]]]", 3)).not.toThrow();
    const error = errorOf("[[[[1]]]]", 3);
    expect(error.code).toBe("E_DOCKERCONFIG_TOO_DEEP");
    expect(located(error)).toBe("1:4: refusing JSON: nesting is deeper than 3 levels");
    expect(errorOf("[".repeat(100000)).code).toBe("E_DOCKERCONFIG_TOO_DEEP");
  });

  it("agrees with JSON.parse on valid JSON (last duplicate wins) and refuses what JSON.parse refuses", () => {
    fc.assert(
      fc.property(fc.json({ depthSize: "small" }), (text) => {
        expect(JSON.stringify(toJs(scan(text)))).toBe(JSON.stringify(JSON.parse(text)));
      }),
    );
    fc.assert(
      fc.property(fc.string(), (text) => {
        let ours = true;
        let theirs = true;
        try {
          scan(text, 1000);
        } catch (error) {
          expect(error).toBeInstanceOf(InputError);
          ours = false;
        }
        try {
          JSON.parse(text);
        } catch {
          theirs = false;
        }
        expect(ours).toBe(theirs);
      }),
    );
  });

  it("never puts input letters or digits in messages", () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1 }), (text) => {
        try {
          scan(`{"auth": ${text}}`);
        } catch (error) {
          const message = (error as Error).message.replace(/^[^:]*: /, "");
          const secretish = text.match(/[A-Za-z0-9]{6,}/)?.[0];
          if (secretish) expect(message).not.toContain(secretish);
        }
      }),
    );
  });
});

function toJs(node: JsonNode): unknown {
  switch (node.kind) {
    case "object": {
      const out: Record<string, unknown> = {};
      for (const m of node.members) {
        // JSON.parse semantics: the last duplicate wins but keeps the first position.
        Object.defineProperty(out, m.key, {
          value: toJs(m.value),
          enumerable: true,
          configurable: true,
          writable: true,
        });
      }
      return out;
    }
    case "array":
      return node.items.map(toJs);
    case "number":
      return Number(node.raw);
    case "null":
      return null;
    default:
      return node.value;
  }
}
