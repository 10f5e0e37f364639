/**
 * A small position-aware JSON parser. Unlike JSON.parse it keeps every object member (so duplicate keys can be
 * reported), records where each key and value starts, limits nesting depth, and produces one-line errors with
 * line and column that never quote the input (it may hold secrets).
 *
 * Grammar: RFC 8259, as strict as Go's decoder (no comments, no trailing commas, no single quotes, no leading
 * zeros). Like Go, unpaired `\uD800`-style escapes decode to U+FFFD.
 */
import { InputError } from "../errors.js";
import type { InputPosition } from "../errors.js";

/** line and column are 1-based; offset is the 0-based UTF-16 code unit index. */
export interface Position {
  line: number;
  column: number;
  offset: number;
}

export type JsonNode = JsonObject | JsonArray | JsonString | JsonNumber | JsonBoolean | JsonNull;

export interface JsonObject {
  kind: "object";
  members: JsonMember[];
  position: Position;
}
export interface JsonMember {
  key: string;
  keyPosition: Position;
  value: JsonNode;
}
export interface JsonArray {
  kind: "array";
  items: JsonNode[];
  position: Position;
}
export interface JsonString {
  kind: "string";
  value: string;
  position: Position;
}
export interface JsonNumber {
  kind: "number";
  raw: string;
  position: Position;
}
export interface JsonBoolean {
  kind: "boolean";
  value: boolean;
  position: Position;
}
export interface JsonNull {
  kind: "null";
  position: Position;
}

export interface ScanOptions {
  /** Names the input in errors. */
  source: string;
  /** Deepest allowed nesting of objects and arrays (the top-level value is depth 1). */
  maxDepth: number;
  /** Offset to start at (after a byte order mark, say). */
  start?: number;
}

/** Maps offsets to 1-based line/column. */
export class LineIndex {
  private starts: number[] | undefined;
  constructor(private readonly text: string) {}

  position(offset: number): Position {
    const starts = (this.starts ??= computeLineStarts(this.text));
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((starts[mid] ?? 0) <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - (starts[lo] ?? 0) + 1, offset };
  }
}

function computeLineStarts(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x0a) starts.push(i + 1);
    else if (c === 0x0d && text.charCodeAt(i + 1) !== 0x0a) starts.push(i + 1);
  }
  return starts;
}

/** Parses `text` as one JSON value. Throws InputError (code E_DOCKERCONFIG_JSON / E_DOCKERCONFIG_TOO_DEEP). */
export function scanJson(text: string, options: ScanOptions): JsonNode {
  return new Scanner(text, options).parseDocument();
}

class Scanner {
  private i: number;
  private readonly lines: LineIndex;

  constructor(
    private readonly text: string,
    private readonly options: ScanOptions,
  ) {
    this.i = options.start ?? 0;
    this.lines = new LineIndex(text);
  }

  parseDocument(): JsonNode {
    this.skipWhitespace();
    if (this.i >= this.text.length) this.fail("the input is empty", "E_DOCKERCONFIG_EMPTY");
    const value = this.parseValue(1);
    this.skipWhitespace();
    if (this.i < this.text.length) this.fail(`unexpected ${this.describe()} after the JSON value`);
    return value;
  }

  private parseValue(depth: number): JsonNode {
    const c = this.text.charAt(this.i);
    const position = this.lines.position(this.i);
    switch (c) {
      case "{":
        return this.parseObject(depth, position);
      case "[":
        return this.parseArray(depth, position);
      case '"':
        return { kind: "string", value: this.parseString(), position };
      case "t":
        this.expectLiteral("true");
        return { kind: "boolean", value: true, position };
      case "f":
        this.expectLiteral("false");
        return { kind: "boolean", value: false, position };
      case "n":
        this.expectLiteral("null");
        return { kind: "null", position };
      default:
        if (c === "-" || (c >= "0" && c <= "9")) return { kind: "number", raw: this.parseNumber(), position };
        if (c === "'") this.fail("strings must use double quotes, not single quotes");
        if (c === "/") this.fail("comments are not allowed in JSON");
        return this.fail(`expected a JSON value but found ${this.describe()}`);
    }
  }

  private enter(depth: number): void {
    if (depth > this.options.maxDepth) {
      this.fail(`nesting is deeper than ${this.options.maxDepth} levels`, "E_DOCKERCONFIG_TOO_DEEP");
    }
  }

  private parseObject(depth: number, position: Position): JsonObject {
    this.enter(depth);
    this.i++; // {
    const members: JsonMember[] = [];
    this.skipWhitespace();
    if (this.text.charAt(this.i) === "}") {
      this.i++;
      return { kind: "object", members, position };
    }
    for (;;) {
      this.skipWhitespace();
      const c = this.text.charAt(this.i);
      if (c !== '"') {
        if (c === "}" && members.length > 0) this.fail("trailing comma before '}'");
        if (c === "'") this.fail("object keys must use double quotes, not single quotes");
        this.fail(`expected a double-quoted object key but found ${this.describe()}`);
      }
      const keyPosition = this.lines.position(this.i);
      const key = this.parseString();
      this.skipWhitespace();
      if (this.text.charAt(this.i) !== ":")
        this.fail(`expected ':' after object key but found ${this.describe()}`);
      this.i++;
      this.skipWhitespace();
      const value = this.parseValue(depth + 1);
      members.push({ key, keyPosition, value });
      this.skipWhitespace();
      const next = this.text.charAt(this.i);
      if (next === ",") {
        this.i++;
        continue;
      }
      if (next === "}") {
        this.i++;
        return { kind: "object", members, position };
      }
      this.fail(`expected ',' or '}' after object member but found ${this.describe()}`);
    }
  }

  private parseArray(depth: number, position: Position): JsonArray {
    this.enter(depth);
    this.i++; // [
    const items: JsonNode[] = [];
    this.skipWhitespace();
    if (this.text.charAt(this.i) === "]") {
      this.i++;
      return { kind: "array", items, position };
    }
    for (;;) {
      this.skipWhitespace();
      if (this.text.charAt(this.i) === "]" && items.length > 0) this.fail("trailing comma before ']'");
      items.push(this.parseValue(depth + 1));
      this.skipWhitespace();
      const next = this.text.charAt(this.i);
      if (next === ",") {
        this.i++;
        continue;
      }
      if (next === "]") {
        this.i++;
        return { kind: "array", items, position };
      }
      this.fail(`expected ',' or ']' after array element but found ${this.describe()}`);
    }
  }

  private parseString(): string {
    const text = this.text;
    this.i++; // opening quote
    let out = "";
    let start = this.i;
    for (;;) {
      if (this.i >= text.length) this.fail("unterminated string");
      const c = text.charCodeAt(this.i);
      if (c === 0x22) {
        out += text.slice(start, this.i);
        this.i++;
        return out;
      }
      if (c < 0x20) this.fail(`control character ${codePoint(c)} inside a string (escape it)`);
      if (c !== 0x5c) {
        this.i++;
        continue;
      }
      out += text.slice(start, this.i);
      const esc = text.charAt(this.i + 1);
      switch (esc) {
        case '"':
        case "\\":
        case "/":
          out += esc;
          this.i += 2;
          break;
        case "b":
          out += "\b";
          this.i += 2;
          break;
        case "f":
          out += "\f";
          this.i += 2;
          break;
        case "n":
          out += "\n";
          this.i += 2;
          break;
        case "r":
          out += "\r";
          this.i += 2;
          break;
        case "t":
          out += "\t";
          this.i += 2;
          break;
        case "u":
          out += this.parseUnicodeEscape();
          break;
        default:
          this.fail("invalid escape sequence in string");
      }
      start = this.i;
    }
  }

  /** `\uXXXX`, pairing surrogates like Go; an unpaired surrogate becomes U+FFFD. */
  private parseUnicodeEscape(): string {
    const hi = this.readHex4(this.i + 2);
    this.i += 6;
    if (hi >= 0xd800 && hi <= 0xdbff) {
      if (this.text.startsWith("\\u", this.i)) {
        const lo = this.readHex4(this.i + 2);
        if (lo >= 0xdc00 && lo <= 0xdfff) {
          this.i += 6;
          return String.fromCharCode(hi, lo);
        }
      }
      return "\ufffd";
    }
    if (hi >= 0xdc00 && hi <= 0xdfff) return "\ufffd";
    return String.fromCharCode(hi);
  }

  private readHex4(at: number): number {
    const hex = this.text.slice(at, at + 4);
    if (!/^[0-9a-fA-F]{4}$/.test(hex)) {
      this.i = at;
      this.fail("invalid \\u escape in string (expected four hex digits)");
    }
    return parseInt(hex, 16);
  }

  private parseNumber(): string {
    const start = this.i;
    const m = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y;
    m.lastIndex = start;
    const found = m.exec(this.text);
    if (!found) return this.fail("invalid number");
    this.i = start + found[0].length;
    const after = this.text.charAt(this.i);
    if (/[0-9.eE+-]/.test(after)) this.fail("invalid number");
    return found[0];
  }

  private expectLiteral(word: string): void {
    if (!this.text.startsWith(word, this.i)) {
      this.fail(`expected a JSON value but found ${this.describe()} (strings must be double-quoted)`);
    }
    this.i += word.length;
  }

  private skipWhitespace(): void {
    const text = this.text;
    while (this.i < text.length) {
      const c = text.charCodeAt(this.i);
      if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) this.i++;
      else break;
    }
  }

  /** Describes the character at the cursor without quoting input letters or digits (they may be secrets). */
  private describe(): string {
    if (this.i >= this.text.length) return "the end of the input";
    const c = this.text.codePointAt(this.i) ?? 0;
    if (c < 0x20 || c === 0x7f) return `control character ${codePoint(c)}`;
    if (c >= 0x80) return `character ${codePoint(c)}`;
    const ch = String.fromCharCode(c);
    if (/[A-Za-z0-9]/.test(ch)) return "a letter or digit";
    return `'${ch}'`;
  }

  private fail(what: string, code = "E_DOCKERCONFIG_JSON"): never {
    const position: InputPosition = this.lines.position(Math.min(this.i, this.text.length));
    const prefix = code === "E_DOCKERCONFIG_JSON" ? "malformed JSON" : "refusing JSON";
    // Where is in `position`, not in the words: the CLI prints it as SOURCE:LINE:COLUMN (cli/run.ts).
    if (code === "E_DOCKERCONFIG_EMPTY") {
      throw new InputError(code, "the input is empty, expected a JSON object", {
        source: this.options.source,
      });
    }
    throw new InputError(code, `${prefix}: ${what}`, { source: this.options.source, position });
  }
}

function codePoint(c: number): string {
  return "U+" + c.toString(16).toUpperCase().padStart(4, "0");
}
