/**
 * Redaction of runtime and event messages before anything reads or prints them. Event messages are written by
 * kubelet and runtimes, but they quote URLs (with query strings), and users paste text that may hold tokens
 * (`kubectl describe` of a Pod whose env holds one, a shell history). Everything `explain` and `doctor` show
 * of such text goes through `redactMessage` first, so no captured fragment can carry a secret.
 *
 * It removes what the registry client's `redactText` removes (Bearer/Basic values, JWTs, secret-named
 * form/query/JSON fields, credential headers) and also GitHub, Docker Hub and GitLab tokens by their published
 * prefixes, AWS access key ids, and long mixed-case base64-like runs (docker `auth` values, ECR tokens). It does
 * not reuse `redactText` as is: that one redacts everything after `authorization:` on a line, which would eat
 * containerd's own prose ("may require authorization: authorization failed: no basic auth credentials");
 * here header values are redacted only where a header can be, at the start of a line. URLs keep their
 * scheme, host and path and only the non-secret `scope`, `service` and `ns` query parameters, which say which
 * repository a token was asked for.
 */

export const REDACTED = "<redacted>";

/** Messages longer than this are cut before matching (real runtime errors are far shorter). */
export const MAX_MESSAGE_LENGTH = 16 * 1024;

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

const SECRET_KEYS =
  "password|passwd|pwd|token|access_token|refresh_token|id_token|identitytoken|identity_token|registrytoken|registry_token|secret|client_secret|auth|authorization|signature|sig|x-amz-signature|x-amz-security-token|x-amz-credential";
const HEADER_LINE =
  /^(\s*)(authorization|proxy-authorization|cookie|set-cookie|x-registry-auth)(\s*:\s*)\S[^\r\n]*/gim;
// `"auth":"…"`, also JSON inside a quoted string (`\"auth\":\"…\"`) and single-quoted (`'auth': '…'`).
const JSON_FIELD = new RegExp(`(\\\\?["'])(${SECRET_KEYS})\\\\?["'](\\s*:\\s*)(\\\\?["'])[^"'\\\\]*`, "gi");
const KEY_VALUE = new RegExp(`(^|[^A-Za-z0-9_-])(${SECRET_KEYS})=([^&\\s"',;]*)`, "gi");
// `Bearer <token68>` / `Basic <token68>`, but not `Bearer realm="…"` (a challenge) nor a plain lower-case word.
const AUTH_VALUE = /\b(Bearer|Basic)(\s+)([A-Za-z0-9\-._~+/]+=*)(?![A-Za-z0-9\-._~+/="])/gi;
const PLAIN_WORD = /^[a-z]{1,15}$/;

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

function redactPlain(text: string): string {
  const out = text
    .replace(
      HEADER_LINE,
      (_m, indent: string, name: string, sep: string) => `${indent}${name}${sep}${REDACTED}`,
    )
    .replace(
      JSON_FIELD,
      (_m, open: string, key: string, sep: string, quote: string) =>
        `${open}${key}${open}${sep}${quote}${REDACTED}`,
    )
    .replace(KEY_VALUE, (_m, before: string, key: string) => `${before}${key}=${REDACTED}`)
    .replace(AUTH_VALUE, (m, scheme: string, sep: string, value: string) =>
      PLAIN_WORD.test(value) ? m : `${scheme}${sep}${REDACTED}`,
    );
  return redactTokens(out);
}

/**
 * `text` without credentials; total on any input (non-strings give ""). Idempotent in practice: redacting
 * twice gives the same text.
 */
export function redactMessage(text: string): string {
  if (typeof text !== "string" || text === "") return "";
  const input = text.length > MAX_MESSAGE_LENGTH ? text.slice(0, MAX_MESSAGE_LENGTH) : text;
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
