// Go encoding/json's syntax errors, byte for byte: the API server validates `.dockerconfigjson` with
// json.Unmarshal and puts the error text in its 422 message, so clients see Go's wording, not V8's.

function quoteChar(c: number): string {
  if (c === 0x27) return `'\\''`;
  if (c === 0x22) return `'"'`;
  const named: Record<number, string> = {
    7: "\\a",
    8: "\\b",
    9: "\\t",
    10: "\\n",
    11: "\\v",
    12: "\\f",
    13: "\\r",
  };
  if (named[c]) return `'${named[c]}'`;
  if (c === 0x5c) return `'\\\\'`;
  if (c < 0x20 || c === 0x7f) return `'\\x${c.toString(16).padStart(2, "0")}'`;
  return `'${String.fromCharCode(c)}'`;
}

const isSpace = (c: number): boolean => c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;
const isDigit = (c: number): boolean => c >= 0x30 && c <= 0x39;
const isHex = (c: number): boolean => isDigit(c) || (c >= 0x61 && c <= 0x66) || (c >= 0x41 && c <= 0x46);

class SyntaxError_ extends Error {}
const END = "unexpected end of JSON input";

/**
 * Returns Go's error message for `json.Unmarshal(data, &map[string]interface{}{})`, or undefined when it would
 * succeed.
 */
export function goUnmarshalObjectError(data: Uint8Array): string | undefined {
  const syntax = goSyntaxError(data);
  if (syntax) return syntax;
  let i = 0;
  while (i < data.length && isSpace(data[i] as number)) i++;
  const c = data[i] as number;
  if (c === 0x7b || c === 0x6e /* null */) return undefined;
  const kind = c === 0x5b ? "array" : c === 0x22 ? "string" : c === 0x74 || c === 0x66 ? "bool" : "number";
  return `json: cannot unmarshal ${kind} into Go value of type map[string]interface {}`;
}

/** Go's json.Valid-style syntax error text, or undefined for valid JSON. */
export function goSyntaxError(data: Uint8Array): string | undefined {
  let i = 0;
  const n = data.length;
  const err = (c: number, context: string): never => {
    throw new SyntaxError_(`invalid character ${quoteChar(c)} ${context}`);
  };
  const peek = (): number => {
    if (i >= n) throw new SyntaxError_(END);
    return data[i] as number;
  };
  const skipSpace = (): void => {
    while (i < n && isSpace(data[i] as number)) i++;
  };

  const literal = (word: string): void => {
    for (let k = 1; k < word.length; k++) {
      const c = peek();
      if (c !== word.charCodeAt(k)) err(c, `in literal ${word} (expecting ${quoteChar(word.charCodeAt(k))})`);
      i++;
    }
  };

  const string = (): void => {
    // opening quote consumed
    for (;;) {
      const c = peek();
      i++;
      if (c === 0x22) return;
      if (c === 0x5c) {
        const e = peek();
        i++;
        if (e === 0x75) {
          for (let k = 0; k < 4; k++) {
            const h = peek();
            if (!isHex(h)) err(h, "in \\u hexadecimal character escape");
            i++;
          }
        } else if (!'bfnrt\\/"'.includes(String.fromCharCode(e))) {
          err(e, "in string escape code");
        }
      } else if (c < 0x20) {
        err(c, "in string literal");
      }
    }
  };

  const number = (first: number): void => {
    let c = first;
    if (c === 0x2d) {
      c = peek();
      if (!isDigit(c)) err(c, "in numeric literal");
      i++;
    }
    if (c !== 0x30) while (i < n && isDigit(data[i] as number)) i++;
    if (i < n && data[i] === 0x2e) {
      i++;
      const d = peek();
      if (!isDigit(d)) err(d, "after decimal point in numeric literal");
      while (i < n && isDigit(data[i] as number)) i++;
    }
    if (i < n && (data[i] === 0x65 || data[i] === 0x45)) {
      i++;
      let d = peek();
      if (d === 0x2b || d === 0x2d) {
        i++;
        d = peek();
      }
      if (!isDigit(d)) err(d, "in exponent of numeric literal");
      while (i < n && isDigit(data[i] as number)) i++;
    }
  };

  const value = (): void => {
    skipSpace();
    const c = peek();
    i++;
    if (c === 0x7b) return object();
    if (c === 0x5b) return array();
    if (c === 0x22) return string();
    if (c === 0x2d || isDigit(c)) return number(c);
    if (c === 0x74) return literal("true");
    if (c === 0x66) return literal("false");
    if (c === 0x6e) return literal("null");
    err(c, "looking for beginning of value");
  };

  const object = (): void => {
    skipSpace();
    if (peek() === 0x7d) {
      i++;
      return;
    }
    for (;;) {
      skipSpace();
      const q = peek();
      if (q !== 0x22) err(q, "looking for beginning of object key string");
      i++;
      string();
      skipSpace();
      const colon = peek();
      if (colon !== 0x3a) err(colon, "after object key");
      i++;
      value();
      skipSpace();
      const sep = peek();
      i++;
      if (sep === 0x7d) return;
      if (sep !== 0x2c) err(sep, "after object key:value pair");
    }
  };

  const array = (): void => {
    skipSpace();
    if (peek() === 0x5d) {
      i++;
      return;
    }
    for (;;) {
      value();
      skipSpace();
      const sep = peek();
      i++;
      if (sep === 0x5d) return;
      if (sep !== 0x2c) err(sep, "after array element");
    }
  };

  try {
    value();
    skipSpace();
    if (i < n) err(data[i] as number, "after top-level value");
    return undefined;
  } catch (e) {
    if (e instanceof SyntaxError_) return e.message;
    throw e;
  }
}
