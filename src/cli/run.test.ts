// The one format of an input's location in error messages: SOURCE:LINE:COLUMN: what (issue 10, row 19).
import { describe, expect, it } from "vitest";
import { EnvironmentError, InputError } from "../errors.js";
import { withLocation } from "./report.js";

describe("withLocation", () => {
  it.each([
    [
      "a position in the input: SOURCE:LINE:COLUMN",
      new InputError("E", "malformed JSON: trailing comma", {
        source: "a.json",
        position: { line: 3, column: 42 },
      }),
      "a.json:3:42: malformed JSON: trailing comma",
    ],
    [
      "a line without a column: SOURCE:LINE",
      new InputError("E", "unknown field", { source: "a.yaml", position: { line: 4 } }),
      "a.yaml:4: unknown field",
    ],
    [
      "no position (or only a byte offset): SOURCE",
      new InputError("E", "not UTF-8 text", { source: "a.bin", position: { offset: 0 } }),
      "a.bin: not UTF-8 text",
    ],
    [
      "stdin is named stdin, not -",
      new InputError("E", "malformed JSON: x", { source: "-", position: { line: 2, column: 1 } }),
      "stdin:2:1: malformed JSON: x",
    ],
    [
      "a message its call site located keeps its location, once",
      new InputError("E", "a.yaml:8:1: Flow sequence must end with a ]", {
        source: "a.yaml",
        position: { line: 8, column: 1 },
      }),
      "a.yaml:8:1: Flow sequence must end with a ]",
    ],
    [
      "a call site that located stdin as - gets stdin",
      new InputError("E", "-:3: Sequence item without - indicator", { source: "-" }),
      "stdin:3: Sequence item without - indicator",
    ],
    [
      "a message naming its source inside is not prefixed again",
      new InputError("E", "refusing a.json: too deep", {
        source: "a.json",
        position: { line: 1, column: 2 },
      }),
      "refusing a.json: too deep",
    ],
    [
      "a position inside an embedded value, stated in words, is not repeated",
      new InputError("E", "data[.dockerconfigjson] (line 1, column 2 of the value): malformed JSON: x", {
        source: "s.yaml:7",
      }),
      "s.yaml:7: data[.dockerconfigjson] (line 1, column 2 of the value): malformed JSON: x",
    ],
    [
      "errors without an input are left alone",
      new EnvironmentError("E", "cannot run helper"),
      "cannot run helper",
    ],
  ])("%s", (_case, error, expected) => {
    expect(withLocation(error)).toBe(expected);
  });
});
