/**
 * `WWW-Authenticate` parsing (RFC 7235 §4.1, RFC 6750 §3), pure and total: garbage never throws.
 *
 * Grammar: `WWW-Authenticate = 1#challenge`, `challenge = auth-scheme [ 1*SP ( token68 / #auth-param ) ]`,
 * `auth-param = token BWS "=" BWS ( token / quoted-string )`. Unlike containerd's `parse.go` and distribution's
 * `authchallenge.go`, which read one challenge per header value, several challenges may share one value
 * (`Basic realm="x", Bearer realm="y"`): Node joins repeated headers with ", " unless `headersDistinct` is used,
 * and some proxies fold them. Quoted values may hold commas (`scope="repository:a/b:pull,push"`) and escaped
 * quotes; scheme and parameter names are case-insensitive and returned in lower case (as both Go clients do).
 */
import { redactText, redactUrl } from "./redact.js";

export interface Challenge {
  /** Lower-cased auth-scheme: "basic", "bearer", or any other scheme as sent. */
  scheme: "basic" | "bearer" | (string & {});
  /** Lower-cased parameter names → values (quoted values unescaped). */
  params: Record<string, string>;
  /** A token68 sent instead of parameters (e.g. `Negotiate abc==`), when present. */
  token68?: string;
}

// RFC 7230 tchar: "!" / "#" / "$" / "%" / "&" / "'" / "*" / "+" / "-" / "." / "^" / "_" / "`" / "|" / "~" / DIGIT / ALPHA
const TCHAR = /[!#$%&'*+\-.^_`|~0-9A-Za-z]/;
// RFC 7235 token68 characters (before the trailing "=" padding).
const TOKEN68_CHAR = /[A-Za-z0-9\-._~+/]/;

function isTchar(c: string | undefined): boolean {
  return c !== undefined && TCHAR.test(c);
}

function isSpace(c: string | undefined): boolean {
  return c === " " || c === "\t" || c === "\r" || c === "\n";
}

/** A cursor over one header value. Every method only moves forward, so parsing always terminates. */
class Cursor {
  pos = 0;
  constructor(readonly s: string) {}

  get done(): boolean {
    return this.pos >= this.s.length;
  }

  peek(offset = 0): string | undefined {
    return this.s[this.pos + offset];
  }

  skipSpace(): void {
    while (isSpace(this.peek())) this.pos++;
  }

  token(): string {
    const start = this.pos;
    while (isTchar(this.peek())) this.pos++;
    return this.s.slice(start, this.pos);
  }

  /**
   * An unquoted value. RFC 7235 allows only a token here, but servers do send bare URLs
   * (`realm=https://r/token`): everything up to whitespace, a comma or a quote is taken.
   */
  bareValue(): string {
    const start = this.pos;
    while (!this.done && !isSpace(this.peek()) && this.peek() !== "," && this.peek() !== '"') this.pos++;
    return this.s.slice(start, this.pos);
  }

  /** Skips to just after the next top-level comma (quoted strings are stepped over), or to the end. */
  skipItem(): void {
    while (!this.done) {
      const c = this.peek();
      if (c === ",") {
        this.pos++;
        return;
      }
      if (c === '"') this.quoted();
      else this.pos++;
    }
  }

  /** Reads a quoted-string starting at `"`; undefined when it is not terminated (the rest is consumed). */
  quoted(): string | undefined {
    this.pos++; // opening quote
    let out = "";
    while (!this.done) {
      const c = this.s[this.pos++];
      if (c === '"') return out;
      if (c === "\\") {
        if (this.done) break;
        out += this.s[this.pos++];
      } else {
        out += c;
      }
    }
    return undefined;
  }

  /**
   * If a token68 starts here and is the whole item (followed by OWS then "," or the end), consumes it and
   * returns it; otherwise leaves the cursor alone.
   */
  token68(): string | undefined {
    let i = this.pos;
    while (i < this.s.length && TOKEN68_CHAR.test(this.s[i] ?? "")) i++;
    if (i === this.pos) return undefined;
    while (this.s[i] === "=") i++;
    let j = i;
    while (isSpace(this.s[j])) j++;
    if (j < this.s.length && this.s[j] !== ",") return undefined;
    // `realm=x` is a parameter, not a token68: a token68 ends in "=" only as padding, right before the end.
    const value = this.s.slice(this.pos, i);
    this.pos = j;
    return value;
  }
}

/** Parses one header value, appending to `out`. */
function parseValue(value: string, out: Challenge[]): void {
  const c = new Cursor(value);
  let current: Challenge | undefined;
  while (!c.done) {
    c.skipSpace();
    if (c.peek() === ",") {
      c.pos++;
      continue;
    }
    if (c.done) break;
    const start = c.pos;
    const name = c.token();
    if (name === "") {
      c.skipItem();
      continue;
    }
    const afterName = c.pos;
    c.skipSpace();
    if (c.peek() === "=" && current !== undefined) {
      // auth-param of the current challenge
      c.pos++;
      c.skipSpace();
      const v = c.peek() === '"' ? c.quoted() : c.bareValue();
      if (v === undefined) return; // unterminated quoted-string: nothing after it can be trusted
      if (v !== "" || value[c.pos - 1] === '"') current.params[name.toLowerCase()] = v;
      c.skipSpace();
      if (!c.done && c.peek() !== ",") c.skipItem();
      continue;
    }
    if (c.peek() === "=") {
      // a parameter without a scheme before it
      c.pos = start;
      c.skipItem();
      continue;
    }
    // A new challenge: the scheme, then optionally a token68 or the first parameter.
    c.pos = afterName;
    if (!c.done && !isSpace(c.peek()) && c.peek() !== ",") {
      // e.g. `Bearer"x"`: no scheme can be read here
      current = undefined;
      c.skipItem();
      continue;
    }
    current = { scheme: name.toLowerCase(), params: {} };
    out.push(current);
    c.skipSpace();
    const t68 = c.token68();
    if (t68 !== undefined) {
      current.token68 = t68;
      current = undefined; // a token68 ends the challenge
    }
  }
}

/**
 * Parses every challenge of one or several `WWW-Authenticate` header values, in order. Never throws;
 * unparseable parts are skipped.
 */
export function parseChallenges(header: string | readonly string[] | undefined | null): Challenge[] {
  const values =
    header === undefined || header === null ? [] : typeof header === "string" ? [header] : header;
  const out: Challenge[] = [];
  for (const v of values) {
    if (typeof v === "string") parseValue(v, out);
  }
  return out;
}

/**
 * The challenge a registry client answers: Bearer before Basic (containerd sorts token > digest > basic),
 * first of its scheme otherwise. Undefined when neither is offered.
 */
export function preferredChallenge(challenges: readonly Challenge[]): Challenge | undefined {
  return challenges.find((c) => c.scheme === "bearer") ?? challenges.find((c) => c.scheme === "basic");
}

/** Short, secret-free description of a challenge for traces, e.g. `bearer realm=https://a/token service=reg`. */
export function describeChallenge(challenge: Challenge): string {
  const parts = [challenge.scheme];
  for (const key of ["realm", "service", "scope", "error"]) {
    const value = challenge.params[key];
    if (value === undefined) continue;
    parts.push(`${key}=${key === "realm" ? redactUrl(value) : redactText(value)}`);
  }
  return parts.join(" ");
}
