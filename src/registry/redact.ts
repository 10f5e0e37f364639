/**
 * Redaction for everything the registry client prints or returns: URLs lose user-info, query and fragment
 * (signed blob URLs carry their signature in the query; token URLs carry `account`), and free text loses
 * credentials in the shapes they travel in (Authorization headers, `Bearer`/`Basic` values, JWTs, form and
 * query fields, JSON fields). Pure; applied to every URL, registry message and error text we surface.
 */

const REDACTED = "<redacted>";

const SECRET_KEYS = [
  "password",
  "passwd",
  "pwd",
  "token",
  "access_token",
  "refresh_token",
  "id_token",
  "identitytoken",
  "identity_token",
  "registrytoken",
  "registry_token",
  "secret",
  "client_secret",
  "auth",
  "authorization",
  "signature",
  "sig",
  "x-amz-signature",
  "x-amz-security-token",
  "x-amz-credential",
].join("|");

const HEADER_LINE =
  /\b(authorization|proxy-authorization|cookie|set-cookie|x-registry-auth)(\s*:\s*)[^\r\n]*/gi;
const URL_IN_TEXT = /\b[a-z][a-z0-9+.-]*:\/\/[^\s"'<>`]+/gi;
const JSON_FIELD = new RegExp(`"(${SECRET_KEYS})"(\\s*:\\s*)"(?:[^"\\\\]|\\\\.)*"`, "gi");
const KEY_VALUE = new RegExp(`(^|[^A-Za-z0-9_-])(${SECRET_KEYS})=([^&\\s"',;]*)`, "gi");
// `Bearer <token68>` / `Basic <token68>`, but not `Bearer realm="…"` (a challenge) and not a short lower-case
// word (`Basic authentication`): credentials are never that.
const AUTH_VALUE = /\b(Bearer|Basic)(\s+)([A-Za-z0-9\-._~+/]+=*)(?![A-Za-z0-9\-._~+/="])/gi;
const PLAIN_WORD = /^[a-z]{1,15}$/;
const JWT = /\beyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*(?:\.[A-Za-z0-9_-]*)?/g;

/**
 * `scheme://host[:port]/path` of a URL: no user-info, query or fragment. Text that is no URL keeps only what
 * comes before the first `?` or `#`, with any `user:password@` removed.
 */
export function redactUrl(url: string | URL): string {
  let parsed: URL;
  try {
    parsed = typeof url === "string" ? new URL(url) : url;
  } catch {
    const text = String(url);
    const cut = text.search(/[?#]/);
    return (cut >= 0 ? text.slice(0, cut) : text).replace(/\/\/[^/@\s]*@/, "//");
  }
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:") {
    return `${parsed.protocol}${parsed.host ? `//${parsed.host}` : ""}${parsed.pathname}`.replace(
      /\/\/[^/@]*@/,
      "//",
    );
  }
  return `${parsed.protocol}//${parsed.host}${parsed.pathname}`;
}

/** Free text with credentials, tokens and URL query strings removed. */
export function redactText(text: string): string {
  if (typeof text !== "string" || text === "") return "";
  return text
    .replace(HEADER_LINE, (_m, name: string, sep: string) => `${name}${sep}${REDACTED}`)
    .replace(URL_IN_TEXT, (m) => redactUrl(m))
    .replace(JSON_FIELD, (_m, key: string, sep: string) => `"${key}"${sep}"${REDACTED}"`)
    .replace(KEY_VALUE, (_m, before: string, key: string) => `${before}${key}=${REDACTED}`)
    .replace(AUTH_VALUE, (m, scheme: string, sep: string, value: string) =>
      PLAIN_WORD.test(value) ? m : `${scheme}${sep}${REDACTED}`,
    )
    .replace(JWT, REDACTED);
}

const SECRET_HEADERS = new Set([
  "authorization",
  "proxy-authorization",
  "cookie",
  "set-cookie",
  "x-registry-auth",
]);

/** A copy of `headers` with credential-bearing headers replaced by `<redacted>` (names lower-cased). */
export function redactHeaders(
  headers: Readonly<Record<string, string | readonly string[] | undefined>>,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    const key = name.toLowerCase();
    const joined = typeof value === "string" ? value : value.join(", ");
    out[key] = SECRET_HEADERS.has(key) ? REDACTED : redactText(joined);
  }
  return out;
}

/** Truncates display text to `max` characters (with an ellipsis), after redaction. */
export function safeSnippet(text: string, max = 200): string {
  const clean = redactText(text)
    .replace(/[\r\n\t]+/g, " ")
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u001f\u007f]/g, "")
    .trim();
  return clean.length > max ? `${clean.slice(0, max - 1)}…` : clean;
}
