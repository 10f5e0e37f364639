/**
 * The one redaction module of `explain` and `doctor`: everything they read from pasted text or from the
 * cluster, and everything their renderers print, goes through it, so no captured fragment can carry a secret.
 *
 * Two entry points:
 * - `redactMessage(text)`: one message (an event or waiting message, a pasted line, an API error). It removes
 *   what the registry client's `redactText` removes (Bearer/Basic values, JWTs, secret-named form/query/JSON
 *   fields, credential headers), GitHub, Docker Hub and GitLab tokens by their published prefixes, AWS access
 *   key ids, long mixed-case base64-like runs (docker `auth` values, ECR tokens), PEM blocks, user info in
 *   URLs (also without a scheme, `user:pass@host/…`), the values of credential-named keys (`DB_PASSWORD: …`,
 *   `api_key=…`, `"client_secret": "…"`, `tls.key: …`), and every value inside a JSON `data`, `stringData` or
 *   `env` object, also when that JSON is escaped inside a string (an annotation's last-applied configuration).
 * - `redactPastedText(text)`: a whole pasted input before it is parsed (describe output, YAML or JSON objects,
 *   Lists, events, bare messages). It does what only the text's structure shows: every value under a Secret's
 *   `data`/`stringData`, a container's `env` and describe's `Environment:` is replaced, whatever its key is
 *   called; so are block scalars (`tls.key: |`) of credential-named keys, and PEM blocks spanning lines.
 *
 * It does not reuse `redactText` as is: that one redacts everything after `authorization:` on a line, which
 * would eat containerd's own prose ("may require authorization: authorization failed: no basic auth
 * credentials"); here header values are redacted only where a header can be, at the start of a line, or after
 * a known auth scheme. Likewise "failed to fetch anonymous token: unexpected status" is prose: after a lone
 * `token:` in the middle of a line a plain word is kept; after compound or password-like names
 * (`access_token:`, `password:`) nothing is.
 * URLs keep their scheme, host and path and only the non-secret `scope`, `service` and `ns` query parameters,
 * which say which repository a token was asked for.
 */

export const REDACTED = "<redacted>";

/** Messages longer than this are cut before matching (real runtime errors are far shorter). */
export const MAX_MESSAGE_LENGTH = 16 * 1024;

// ---------------------------------------------------------------------------------------------------------
// Credential-looking names

/** Name components that make a key a credential (`DB_PASSWORD`, `tls.key`, `apiKey`, `x-registry-auth`). */
const CREDENTIAL_WORDS = new Set([
  "password",
  "passwd",
  "passphrase",
  "pwd",
  "pass",
  "token",
  "tokens",
  "secret",
  "secrets",
  "key",
  "keys",
  "apikey",
  "privatekey",
  "auth",
  "auths",
  "authorization",
  "credential",
  "credentials",
  "cred",
  "creds",
  "cookie",
  "pat",
  "signature",
  "sig",
  "dockerconfigjson",
  "dockercfg",
]);

/** Also inside a single word (`DBPASSWORD`, `githubtoken`, `ssh-privatekey`). */
const CREDENTIAL_PARTS =
  /password|passwd|passphrase|token|secret|apikey|privatekey|credential|authorization|dockerc/;

/** Names that carry a password-like value even as a lone word in prose, where `token:` alone is kept. */
const PASSWORD_PARTS = /password|passwd|passphrase|pwd/;

/**
 * Kubernetes fields named like credentials that hold references (Secret names), not secrets: the diagnosis
 * reads `imagePullSecrets`, and the others are kept so a pasted spec stays readable.
 */
const REFERENCE_FIELDS = new Set([
  "imagepullsecrets",
  "secretname",
  "secretref",
  "secretkeyref",
  "serviceaccounttoken",
  "automountserviceaccounttoken",
  "tokenexpirationseconds",
  "expirationseconds",
]);

function nameWords(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((w) => w !== "");
}

/** Extensions of file names used as Secret keys (`credentials.json`): the name before them is what counts. */
const FILE_EXTENSIONS = new Set(["json", "yaml", "yml", "txt", "conf", "cfg", "ini", "env", "properties"]);

/**
 * The part of a dotted name that says what it holds: the last segment (`tls.key`, `db.password`), or the one
 * before a file extension (`credentials.json`). So a host name (`auth.docker.io: no such host`) is no key.
 */
function subjectOf(name: string): string {
  const segments = name.split(".").filter((s) => s !== "");
  if (segments.length <= 1) return name;
  const last = segments[segments.length - 1] as string;
  return FILE_EXTENSIONS.has(last.toLowerCase()) ? (segments[segments.length - 2] as string) : last;
}

/** True for a key whose value is a credential: `password`, `DB_PASSWORD`, `tls.key`, `apiKey`, `.dockerconfigjson`. */
export function isCredentialName(name: string): boolean {
  if (REFERENCE_FIELDS.has(name.toLowerCase().replace(/[^a-z0-9]/g, ""))) return false;
  const subject = subjectOf(name);
  return (
    CREDENTIAL_PARTS.test(subject.toLowerCase()) || nameWords(subject).some((w) => CREDENTIAL_WORDS.has(w))
  );
}

/**
 * A credential name that is no word of prose: password-like, or a compound (`access_token`, `apiKey`,
 * `x-registry-auth`). Runtime errors say "failed to fetch anonymous token: …", never "access_token: …".
 */
function isCredentialNameInProse(name: string): boolean {
  if (!isCredentialName(name)) return false;
  const subject = subjectOf(name);
  return PASSWORD_PARTS.test(subject.toLowerCase()) || nameWords(subject).length > 1;
}

// ---------------------------------------------------------------------------------------------------------
// PEM blocks

const PEM_BEGIN = /-----BEGIN ([A-Z0-9 ]{1,64})-----/g;
/** What a PEM body is made of (base64, headers such as `Proc-Type: 4,ENCRYPTED`, escaped line breaks). */
const PEM_BODY = /(?:[A-Za-z0-9+/=\s:,-]|\\[nr])*/y;

/**
 * Every PEM block (a private key, a certificate) replaced by `<redacted>`: through its END line, or through
 * the base64 that follows when the END line is missing (a truncated paste). Linear: each END is searched once.
 */
function redactPemBlocks(text: string): string {
  if (!text.includes("-----BEGIN ")) return text;
  const endAfter = new Map<string, number>();
  let out = "";
  let last = 0;
  PEM_BEGIN.lastIndex = 0;
  for (let match = PEM_BEGIN.exec(text); match; match = PEM_BEGIN.exec(text)) {
    const start = match.index;
    const bodyStart = start + match[0].length;
    const endMarker = `-----END ${match[1] as string}-----`;
    let end = endAfter.get(endMarker);
    if (end === undefined || (end >= 0 && end < bodyStart)) {
      end = text.indexOf(endMarker, bodyStart);
      endAfter.set(endMarker, end);
    }
    let stop: number;
    if (end >= 0) stop = end + endMarker.length;
    else {
      PEM_BODY.lastIndex = bodyStart;
      PEM_BODY.exec(text);
      stop = PEM_BODY.lastIndex;
    }
    out += text.slice(last, start) + REDACTED;
    last = stop;
    PEM_BEGIN.lastIndex = Math.max(stop, bodyStart);
  }
  return out + text.slice(last);
}

// ---------------------------------------------------------------------------------------------------------
// JSON objects whose every value is secret: `data`, `stringData`, `env`, and credential-named objects

/** JSON objects whose values are all redacted, whatever their keys are called. */
const WHOLE_VALUE_FIELDS = new Set(["data", "stringData", "binaryData", "env", "Environment"]);

/** `"data": {` or `"env": [`, also escaped inside a JSON string (`\"data\":{`). */
const JSON_CONTAINER = /(\\*)"([A-Za-z0-9_.-]{1,100})\1"\s*:\s*([{[])/g;

/**
 * True when the `"` at `i` closes or opens a string at the escaping level of `escapes` backslashes: in plain
 * JSON (0) a quote after an even run of backslashes; in JSON escaped once inside a string (1), `\"` delimits
 * while `\\\"` is an escaped quote inside it, and so on.
 */
function isDelimiter(text: string, i: number, escapes: number): boolean {
  let run = 0;
  while (i - run - 1 >= 0 && text.charCodeAt(i - run - 1) === 92) run++;
  return run >= escapes && (run - escapes) % (2 * (escapes + 1)) === 0;
}

/**
 * From the `{` or `[` at `open` to its match: every string that is a value (not followed by `:`) becomes
 * `"<redacted>"`, keys and structure stay (so a pasted document still parses). Unbalanced: to the end.
 */
function redactJsonValues(text: string, open: number, escapes: number): { out: string; end: number } {
  const quote = `${"\\".repeat(escapes)}"`;
  let depth = 0;
  let out = "";
  let i = open;
  let copied = open;
  while (i < text.length) {
    const ch = text.charCodeAt(i);
    if (ch === 34 /* " */ && isDelimiter(text, i, escapes)) {
      // A string: find its closing delimiter.
      let close = i + 1;
      while (close < text.length && !(text.charCodeAt(close) === 34 && isDelimiter(text, close, escapes))) {
        close++;
      }
      let after = close + 1;
      while (after < text.length && /\s/.test(text.charAt(after))) after++;
      const isKey = text.charAt(after) === ":";
      if (!isKey) {
        // text[i - escapes .. close] is the whole string with its quotes.
        out += text.slice(copied, i - escapes) + quote + REDACTED + (close < text.length ? quote : "");
        copied = Math.min(close + 1, text.length);
      }
      i = close + 1;
      continue;
    }
    if (ch === 123 || ch === 91) depth++;
    else if (ch === 125 || ch === 93) {
      depth--;
      if (depth === 0) {
        i++;
        break;
      }
    }
    i++;
  }
  return { out: out + text.slice(copied, i), end: i };
}

function redactJsonContainers(text: string): string {
  if (!text.includes('"')) return text;
  let out = "";
  let last = 0;
  JSON_CONTAINER.lastIndex = 0;
  for (let match = JSON_CONTAINER.exec(text); match; match = JSON_CONTAINER.exec(text)) {
    const name = match[2] as string;
    if (!WHOLE_VALUE_FIELDS.has(name) && !isCredentialName(name)) continue;
    const open = match.index + match[0].length - 1;
    const { out: redacted, end } = redactJsonValues(text, open, (match[1] as string).length);
    out += text.slice(last, open) + redacted;
    last = end;
    JSON_CONTAINER.lastIndex = end;
  }
  return out + text.slice(last);
}

// ---------------------------------------------------------------------------------------------------------
// YAML and describe lines

/**
 * `key: value` at the start of a line, YAML or describe style, also as a list item (`- key: value`): the
 * prefix, the key (unquoted or quoted) and the value (may be empty: a nested block follows).
 */
const KEY_LINE = /^(\s*(?:-\s+)*)(["']?)([^\s"'#:-][^\s"':]{0,99})\2(\s*:)(?:([ \t]+)(.*))?$/;
/** A value that opens a YAML block scalar (`|`, `>-`, `|+2`…). */
const BLOCK_SCALAR = /^[|>][+-]?[0-9]?[+-]?\s*(?:#.*)?$/;
/** A value that opens a multi-line JSON container, left to the JSON pass so the document still parses. */
const JSON_OPEN = /^[{[]\s*$/;
/** Values that hold nothing: describe's `<none>`, an empty flow collection. */
const NOTHING = /^(?:<(?:none|unset|nil)>|\{\s*\}|\[\s*\])$/;

function indentOf(line: string): number {
  return line.length - line.trimStart().length;
}

/** The line with its value replaced, its key and indentation kept; a line with no key loses its content. */
function redactLineValue(line: string): string {
  const keyed = KEY_LINE.exec(line);
  if (keyed) {
    const value = keyed[6] ?? "";
    // A block scalar's indicator stays so the document still parses; its lines are redacted one by one.
    const kept = [JSON_OPEN, NOTHING, BLOCK_SCALAR].some((re) => re.test(value));
    if (value.trim() === "" || value.trim() === REDACTED || kept) return line;
    const head = line.slice(0, line.length - value.length);
    return `${head}${REDACTED}`;
  }
  const content = /^(\s*(?:-\s*)?)(\S.*)?$/.exec(line);
  return content?.[2] ? `${content[1] as string}${REDACTED}` : line;
}

/** Credential-named `key: value` lines of a message get their value redacted (`DB_PASSWORD:  hunter2`). */
function redactCredentialLines(text: string): string {
  if (!text.includes(":")) return text;
  return text
    .split("\n")
    .map((line) => {
      const keyed = KEY_LINE.exec(line);
      if (!keyed || keyed[2] !== "" || !isCredentialName(keyed[3] as string)) return line;
      return redactLineValue(line);
    })
    .join("\n");
}

/** describe prints a container as `  NAME:` followed by `    Container ID:`: a container named `data` is no data. */
function isDescribeContainer(lines: readonly string[], i: number): boolean {
  for (let j = i + 1; j < lines.length; j++) {
    const next = lines[j] ?? "";
    if (next.trim() === "") continue;
    return /^\s+(?:Container ID|Image):/.test(next);
  }
  return false;
}

/**
 * The indentation-aware pass of `redactPastedText`: the values of whole-value blocks (`data:`, `stringData:`,
 * `env:`, `Environment:`) and of credential-named block scalars (`tls.key: |`), every line of them; and the
 * value of every credential-named `key: value` line.
 */
function redactYamlBlocks(text: string): string {
  const lines = text.split("\n");
  let block: number | undefined;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? "";
    if (block !== undefined) {
      const indent = indentOf(line);
      const inside = line.trim() === "" || indent > block || (indent === block && /^\s*-(?:\s|$)/.test(line));
      if (inside) {
        lines[i] = redactLineValue(line);
        continue;
      }
      block = undefined;
    }
    const keyed = KEY_LINE.exec(line);
    if (!keyed) continue;
    const name = keyed[3] as string;
    const value = (keyed[6] ?? "").trim();
    const keyColumn = (keyed[1] as string).length;
    if (WHOLE_VALUE_FIELDS.has(name)) {
      if (value === "" || BLOCK_SCALAR.test(value)) {
        if (!isDescribeContainer(lines, i)) block = keyColumn;
      } else lines[i] = redactLineValue(line);
      continue;
    }
    if (!isCredentialName(name)) continue;
    if (BLOCK_SCALAR.test(value)) block = keyColumn;
    // A quoted key is JSON (`"password": "…",`): JSON_FIELD redacts its value and keeps the document valid.
    else if (keyed[2] === "") lines[i] = redactLineValue(line);
  }
  return lines.join("\n");
}

/**
 * A whole pasted input, redacted where only its structure shows a secret (see the module comment); the rest
 * is left to `redactMessage`, which every message and name read from it goes through. Keys, indentation and
 * JSON structure are kept, so the text still parses as the same describe output, YAML or JSON.
 */
export function redactPastedText(text: string): string {
  if (typeof text !== "string" || text === "") return "";
  return redactYamlBlocks(redactJsonContainers(redactPemBlocks(text)));
}

// ---------------------------------------------------------------------------------------------------------
// One message

const URL_IN_TEXT = /\b[a-z][a-z0-9+.-]{0,20}:\/\/[^\s"'<>`]+/gi;
const KEPT_QUERY_PARAMETERS = new Set(["scope", "service", "ns"]);

const TOKEN_PATTERNS: readonly RegExp[] = [
  // GitHub (changelog 2021-03-31, fine-grained 2022-10-18, stateless installation tokens 2026).
  /github_pat_[A-Za-z0-9_]{8,}/g,
  /gh[pousr]_[A-Za-z0-9_.]{8,}/g,
  // Docker Hub and GitLab personal access tokens.
  /dckr_pat_[A-Za-z0-9_-]{8,}/g,
  /glpat-[A-Za-z0-9_-]{8,}/g,
  // JWTs anywhere, also inside URL paths.
  /eyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*(?:\.[A-Za-z0-9_-]*)?/g,
  // AWS access key ids (the secret key has no marker; the mixed-run rule below catches it).
  /(?:AKIA|ASIA)[A-Z0-9]{16}/g,
];

const HEADER_LINE =
  /^(\s*)(authorization|proxy-authorization|cookie|set-cookie|x-registry-auth)(\s*:\s*)\S[^\r\n]*/gim;
/** `Authorization: token …` and other schemes than Bearer/Basic (AUTH_VALUE), anywhere on a line. */
const AUTH_HEADER_SCHEME =
  /\b((?:proxy-)?authorization\s*:\s*)(token|digest|negotiate|ntlm|aws4-hmac-sha256|bot)(\s+)[^\s"'<>]+/gi;
// `"auth":"…"`, also JSON inside a quoted string (`\"auth\":\"…\"`) and single-quoted (`'auth': '…'`).
const JSON_FIELD = /(\\?["'])([A-Za-z0-9_.-]{1,100})\\?["'](\s*:\s*)(\\?["'])[^"'\\]*/g;
// `password=…`, `DB_PASSWORD=…`, `--docker-password=…`, `token="…"`, `--from-literal=password=…`.
const KEY_VALUE_HEAD = /(?<![A-Za-z0-9_.-])([A-Za-z0-9_.-]{1,100})=/g;
const KEY_VALUE_VALUE = /"(?:[^"\\\n]|\\.)*"?|'(?:[^'\\\n]|\\.)*'?|[^&\s"',;\\]*/y;
// `password: …`, `client_secret: …` in the middle of a line; after a lone `token:` only a value that is no
// word of prose ("failed to fetch anonymous token: unexpected status" is containerd's).
const KEY_COLON_HEAD = /(?<=^|[\s{,(;[])([A-Za-z0-9_.-]{1,100})\s*:[ \t]+/g;
const KEY_COLON_VALUE = /"(?:[^"\\\n]|\\.)*"?|'(?:[^'\\\n]|\\.)*'?|[^\s,;{}[\]()"'\\][^\s,;}\])"'\\]*/y;
// `user:password@host/…` without a scheme (an image or a registry pasted with its credentials).
const USERINFO_WITHOUT_SCHEME =
  /(^|[\s"'(=,[])([A-Za-z0-9._%+-]{1,64}):([^\s/@"'<>]{1,256})@(?=(?:localhost|[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+)(?::\d{1,5})?(?:[/\s"',;)\]]|$))/g;
// `Bearer <token68>` / `Basic <token68>`, but not `Bearer realm="…"` (a challenge) nor a plain lower-case word.
const AUTH_VALUE = /\b(Bearer|Basic)(\s+)([A-Za-z0-9\-._~+/]+=*)(?![A-Za-z0-9\-._~+/="])/gi;
const PLAIN_WORD = /^[a-z]{1,15}$/;
const PROSE_WORD = /^[A-Za-z][a-z]*$/;

/** A run of base64/base64url characters. */
const LONG_RUN = /[A-Za-z0-9+/_=-]{32,}/g;

function count(text: string, re: RegExp): number {
  return text.match(re)?.length ?? 0;
}

/**
 * True for a run that looks random enough to be a credential: several upper-case letters, lower-case letters
 * and digits. Repository paths are lower-case and digests are lower-case hex, so they are kept.
 */
function looksLikeSecret(run: string): boolean {
  return count(run, /[A-Z]/g) >= 4 && count(run, /[a-z]/g) >= 4 && count(run, /[0-9]/g) >= 4;
}

function redactTokens(text: string): string {
  let out = text;
  for (const pattern of TOKEN_PATTERNS) out = out.replace(pattern, REDACTED);
  return out.replace(LONG_RUN, (run) => (looksLikeSecret(run) ? REDACTED : run));
}

/** `scheme://host/path?scope=…&service=…`: no user info, no fragment, only non-secret query parameters. */
function redactUrlKeepingScope(url: string): string {
  const hash = url.indexOf("#");
  const withoutFragment = hash >= 0 ? url.slice(0, hash) : url;
  const question = withoutFragment.indexOf("?");
  const base = (question >= 0 ? withoutFragment.slice(0, question) : withoutFragment).replace(
    /^([a-z][a-z0-9+.-]*:\/\/)[^/@\s]*@/i,
    "$1",
  );
  if (question < 0) return redactTokens(base);
  // Raw `name=value` pairs are kept as written (no re-encoding), only for the allowlisted names.
  const kept = withoutFragment
    .slice(question + 1)
    .split("&")
    .filter((pair) => KEPT_QUERY_PARAMETERS.has((pair.split("=")[0] ?? "").toLowerCase()));
  return redactTokens(kept.length > 0 ? `${base}?${kept.join("&")}` : base);
}

/** A URL as matched, minus trailing punctuation that belongs to the sentence (`…/token?x=1:` `(https://a/b)`). */
function splitTrailing(url: string): [string, string] {
  const match = /[.,:;!?)\]}'"]+$/.exec(url);
  return match ? [url.slice(0, match.index), match[0]] : [url, ""];
}

/** `<redacted>` in the value's quotes, when it had some. */
function redactedValue(value: string): string {
  const open = value.charAt(0);
  if (open !== '"' && open !== "'") return REDACTED;
  return `${open}${REDACTED}${value.length > 1 && value.endsWith(open) ? open : ""}`;
}

/**
 * Values after `head` (a key and its separator) replaced where `secret(key, value)` says so. The value is
 * not consumed when kept, so a key inside it is examined too (`--from-literal=password=…`, `failed: api_key: …`).
 */
function redactKeyedValues(
  text: string,
  head: RegExp,
  value: RegExp,
  secret: (key: string, value: string) => boolean,
): string {
  let out = "";
  let last = 0;
  head.lastIndex = 0;
  for (let match = head.exec(text); match; match = head.exec(text)) {
    const valueStart = match.index + match[0].length;
    value.lastIndex = valueStart;
    const found = value.exec(text)?.[0] ?? "";
    if (found === "" || found === REDACTED || !secret(match[1] as string, found)) continue;
    out += text.slice(last, valueStart) + redactedValue(found);
    last = valueStart + found.length;
    head.lastIndex = last;
  }
  return out + text.slice(last);
}

function redactPlain(text: string): string {
  const fields = text
    .replace(
      HEADER_LINE,
      (_m, indent: string, name: string, sep: string) => `${indent}${name}${sep}${REDACTED}`,
    )
    .replace(
      AUTH_HEADER_SCHEME,
      (_m, header: string, scheme: string, sep: string) => `${header}${scheme}${sep}${REDACTED}`,
    )
    .replace(JSON_FIELD, (m, open: string, key: string, sep: string, quote: string) =>
      isCredentialName(key) ? `${open}${key}${open}${sep}${quote}${REDACTED}` : m,
    );
  const keyed = redactKeyedValues(
    redactKeyedValues(fields, KEY_VALUE_HEAD, KEY_VALUE_VALUE, isCredentialName),
    KEY_COLON_HEAD,
    KEY_COLON_VALUE,
    (key, value) => isCredentialName(key) && (isCredentialNameInProse(key) || !PROSE_WORD.test(value)),
  );
  const out = keyed
    .replace(USERINFO_WITHOUT_SCHEME, (_m, before: string, user: string) => `${before}${user}:${REDACTED}@`)
    .replace(AUTH_VALUE, (m, scheme: string, sep: string, value: string) =>
      PLAIN_WORD.test(value) ? m : `${scheme}${sep}${REDACTED}`,
    );
  return redactTokens(out);
}

/**
 * `text` without credentials; total on any input (non-strings give ""). Idempotent: redacting twice gives the
 * same text.
 */
export function redactMessage(text: string): string {
  if (typeof text !== "string" || text === "") return "";
  const cut = text.length > MAX_MESSAGE_LENGTH ? text.slice(0, MAX_MESSAGE_LENGTH) : text;
  const input = redactCredentialLines(redactJsonContainers(redactPemBlocks(cut)));
  let out = "";
  let last = 0;
  for (const match of input.matchAll(URL_IN_TEXT)) {
    const start = match.index;
    out += redactPlain(input.slice(last, start));
    const [url, trailing] = splitTrailing(match[0]);
    out += redactUrlKeepingScope(url) + redactTokens(trailing);
    last = start + match[0].length;
  }
  out += redactPlain(input.slice(last));
  return out;
}

/** One display line: redacted, control characters and line breaks folded to spaces, cut to `max` characters. */
export function displayLine(text: string, max = 400): string {
  const clean = redactMessage(text)
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u001f\u007f\u2028\u2029]+/g, " ")
    .replace(/\s{2,}/g, " ")
    .trim();
  return clean.length > max ? `${clean.slice(0, max - 1)}…` : clean;
}
