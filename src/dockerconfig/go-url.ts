/**
 * The subset of Go's `net/url.Parse` and `net.SplitHostPort` that kubelet's keyring relies on
 * (pkg/credentialprovider/keyring.go: `BasicDockerKeyring.Add`, `ParseSchemelessURL`, `SplitURL`), ported
 * rule by rule so that keys kubelet ignores (parse errors) and the host/path it extracts come out the same.
 *
 * Modelled on current Go `net/url` (`Parse`, `parse`, `getScheme`, `parseAuthority`, `parseHost`,
 * `validOptionalPort`, `unescape`, `shouldEscape`), i.e. with the stricter host rules of Go 1.24.8 / 1.25.2
 * (CVE-2025-47912, go.dev/issue/75223) that current kubelets are built with: `[` only at the start of a host,
 * as a bracketed IPv6 literal (validated like `netip.ParseAddr`), and at most one `:` outside brackets for
 * http/https. Older kubelets accepted `reg[0-9].io`-style keys as wildcard classes; these ignore them.
 * Strings are JavaScript strings, so %-escapes that decode to invalid UTF-8 become U+FFFD where Go would keep
 * the raw bytes.
 */
import { hasControlCharacter, utf8DecodeLossy, utf8Encode } from "./go-strings.js";

export interface GoUserinfo {
  username: string;
  password?: string;
}

export interface GoUrl {
  /** Lower-cased, as Go stores it. */
  scheme: string;
  opaque: string;
  user?: GoUserinfo;
  /** host or host:port, %-unescaped. */
  host: string;
  /** %-unescaped path. */
  path: string;
  rawQuery: string;
  forceQuery: boolean;
  fragment: string;
  /** True when the input had a `#` (Go drops an empty fragment without a trace). */
  hadFragment: boolean;
}

export type GoUrlResult = { ok: true; url: GoUrl } | { ok: false; error: string };

/** Go `url.Parse(rawURL)`. */
export function parseGoUrl(rawUrl: string): GoUrlResult {
  const hash = rawUrl.indexOf("#");
  const u = hash >= 0 ? rawUrl.slice(0, hash) : rawUrl;
  const frag = hash >= 0 ? rawUrl.slice(hash + 1) : "";
  const parsed = parse(u);
  if (!parsed.ok) return parsed;
  parsed.url.hadFragment = hash >= 0;
  if (frag !== "") {
    const f = unescape(frag, "fragment");
    if (!f.ok) return f;
    parsed.url.fragment = f.value;
  }
  return parsed;
}

function parse(rawUrl: string): GoUrlResult {
  if (hasControlCharacter(rawUrl)) return fail("net/url: invalid control character in URL");
  const url: GoUrl = {
    scheme: "",
    opaque: "",
    host: "",
    path: "",
    rawQuery: "",
    forceQuery: false,
    fragment: "",
    hadFragment: false,
  };
  if (rawUrl === "*") {
    url.path = "*";
    return { ok: true, url };
  }
  const scheme = getScheme(rawUrl);
  if (!scheme.ok) return scheme;
  url.scheme = scheme.scheme.toLowerCase();
  let rest = scheme.rest;

  if (rest.endsWith("?") && count(rest, "?") === 1) {
    url.forceQuery = true;
    rest = rest.slice(0, -1);
  } else {
    const q = rest.indexOf("?");
    if (q >= 0) {
      url.rawQuery = rest.slice(q + 1);
      rest = rest.slice(0, q);
    }
  }

  if (!rest.startsWith("/")) {
    if (url.scheme !== "") {
      url.opaque = rest;
      return { ok: true, url };
    }
    const slash = rest.indexOf("/");
    const segment = slash >= 0 ? rest.slice(0, slash) : rest;
    if (segment.includes(":")) return fail("first path segment in URL cannot contain colon");
  }

  if ((url.scheme !== "" || !rest.startsWith("///")) && rest.startsWith("//")) {
    let authority = rest.slice(2);
    rest = "";
    const slash = authority.indexOf("/");
    if (slash >= 0) {
      rest = authority.slice(slash);
      authority = authority.slice(0, slash);
    }
    const parsed = parseAuthority(url.scheme, authority);
    if (!parsed.ok) return parsed;
    url.host = parsed.host;
    if (parsed.user) url.user = parsed.user;
  }

  const path = unescape(rest, "path");
  if (!path.ok) return path;
  url.path = path.value;
  return { ok: true, url };
}

function fail(error: string): { ok: false; error: string } {
  return { ok: false, error };
}

function count(s: string, ch: string): number {
  let n = 0;
  for (const c of s) if (c === ch) n++;
  return n;
}

function getScheme(
  rawUrl: string,
): { ok: true; scheme: string; rest: string } | { ok: false; error: string } {
  for (let i = 0; i < rawUrl.length; i++) {
    const c = rawUrl.charAt(i);
    if (/[a-zA-Z]/.test(c)) continue;
    if (/[0-9+.-]/.test(c)) {
      if (i === 0) return { ok: true, scheme: "", rest: rawUrl };
      continue;
    }
    if (c === ":") {
      if (i === 0) return fail("missing protocol scheme");
      return { ok: true, scheme: rawUrl.slice(0, i), rest: rawUrl.slice(i + 1) };
    }
    return { ok: true, scheme: "", rest: rawUrl };
  }
  return { ok: true, scheme: "", rest: rawUrl };
}

type AuthorityResult = { ok: true; host: string; user?: GoUserinfo } | { ok: false; error: string };

function parseAuthority(scheme: string, authority: string): AuthorityResult {
  const at = authority.lastIndexOf("@");
  const host = parseHost(scheme, at < 0 ? authority : authority.slice(at + 1));
  if (!host.ok) return host;
  if (at < 0) return { ok: true, host: host.value };
  const userinfo = authority.slice(0, at);
  if (!/^[A-Za-z0-9\-._:~!$&'()*+,;=%@]*$/.test(userinfo)) return fail("net/url: invalid userinfo");
  const colon = userinfo.indexOf(":");
  const username = unescape(colon < 0 ? userinfo : userinfo.slice(0, colon), "userPassword");
  if (!username.ok) return username;
  if (colon < 0) return { ok: true, host: host.value, user: { username: username.value } };
  const password = unescape(userinfo.slice(colon + 1), "userPassword");
  if (!password.ok) return password;
  return { ok: true, host: host.value, user: { username: username.value, password: password.value } };
}

type StringResult = { ok: true; value: string } | { ok: false; error: string };

function parseHost(scheme: string, host: string): StringResult {
  const open = host.lastIndexOf("[");
  if (open > 0) return fail("invalid IP-literal");
  if (open === 0) {
    const close = host.lastIndexOf("]");
    if (close < 0) return fail("missing ']' in host");
    const colonPort = host.slice(close + 1);
    if (!validOptionalPort(colonPort)) return fail(`invalid port ${JSON.stringify(colonPort)} after host`);
    const port = unescape(colonPort, "host");
    if (!port.ok) return port;
    const hostname = host.slice(1, close);
    const zone = hostname.indexOf("%25");
    let unescaped: string;
    if (zone >= 0) {
      const h1 = unescape(hostname.slice(0, zone), "host");
      if (!h1.ok) return h1;
      const h2 = unescape(hostname.slice(zone), "zone");
      if (!h2.ok) return h2;
      unescaped = h1.value + h2.value;
    } else {
      const h = unescape(hostname, "host");
      if (!h.ok) return h;
      unescaped = h.value;
    }
    // Per RFC 3986 only an IPv6 address may be bracketed (netip.ParseAddr, and not IPv4).
    const kind = ipKind(unescaped);
    if (kind === "ipv4") return fail("invalid IP-literal");
    if (kind !== "ipv6") return fail("invalid host: unable to parse IP");
    return { ok: true, value: "[" + unescaped + "]" + port.value };
  }
  let colon = host.indexOf(":");
  if (colon >= 0) {
    const last = host.lastIndexOf(":");
    // Only http and https reject extra colons in the host (go.dev/issue/75223, go.dev/issue/78077).
    if (last !== colon && scheme !== "http" && scheme !== "https") colon = last;
    const colonPort = host.slice(colon);
    if (!validOptionalPort(colonPort)) return fail(`invalid port ${JSON.stringify(colonPort)} after host`);
  }
  return unescape(host, "host");
}

/** What Go's `netip.ParseAddr` makes of `s`: the first '.', ':' or '%' decides between IPv4 and IPv6. */
function ipKind(s: string): "ipv4" | "ipv6" | undefined {
  const first = /[.:%]/.exec(s)?.[0];
  if (first === ".") return isIPv4(s) ? "ipv4" : undefined;
  if (first === ":") return isIPv6(s) ? "ipv6" : undefined;
  return undefined;
}

/** netip's parseIPv4: four decimal fields 0–255 without leading zeros. */
function isIPv4(s: string): boolean {
  const fields = s.split(".");
  return fields.length === 4 && fields.every((f) => /^(?:0|[1-9][0-9]{0,2})$/.test(f) && Number(f) <= 255);
}

/** netip's parseIPv6: up to 8 groups of 1–4 hex digits, one `::`, an optional trailing IPv4, an optional zone. */
function isIPv6(input: string): boolean {
  let s = input;
  const percent = s.indexOf("%");
  if (percent >= 0) {
    if (percent === s.length - 1) return false; // the zone must be non-empty
    s = s.slice(0, percent);
  }
  let i = 0; // bytes of the address filled so far
  let ellipsis = -1;
  if (s.startsWith("::")) {
    ellipsis = 0;
    s = s.slice(2);
    if (s === "") return true;
  }
  while (i < 16) {
    const digits = /^[0-9a-fA-F]*/.exec(s)?.[0] ?? "";
    if (digits.length > 4 || digits.length === 0) return false;
    if (s.charAt(digits.length) === ".") {
      if ((ellipsis < 0 && i !== 12) || i + 4 > 16) return false;
      if (!isIPv4(s)) return false;
      s = "";
      i += 4;
      break;
    }
    i += 2;
    s = s.slice(digits.length);
    if (s === "") break;
    if (s.charAt(0) !== ":" || s.length === 1) return false;
    s = s.slice(1);
    if (s.charAt(0) === ":") {
      if (ellipsis >= 0) return false;
      ellipsis = i;
      s = s.slice(1);
      if (s === "") break;
    }
  }
  if (s !== "") return false;
  if (i < 16) return ellipsis >= 0;
  return ellipsis < 0;
}

function validOptionalPort(port: string): boolean {
  if (port === "") return true;
  return /^:[0-9]*$/.test(port);
}

type Mode = "path" | "host" | "zone" | "userPassword" | "fragment";

/** Go's shouldEscape for an ASCII byte. */
function shouldEscape(c: string, mode: Mode): boolean {
  if (/[a-zA-Z0-9]/.test(c)) return false;
  if ((mode === "host" || mode === "zone") && "!$&'()*+,;=:[]<>\"".includes(c)) return false;
  if ("-_.~".includes(c)) return false;
  if ("$&+,/:;=?@".includes(c)) {
    switch (mode) {
      case "path":
        return c === "?";
      case "userPassword":
        return c === "@" || c === "/" || c === "?" || c === ":";
      case "fragment":
        return false;
      default:
        break;
    }
  }
  if (mode === "fragment" && "!()*".includes(c)) return false;
  return true;
}

function isHex(c: string): boolean {
  return /^[0-9a-fA-F]$/.test(c);
}

/** Go's unescape: validates %-escapes (and, for hosts, the allowed ASCII characters) and decodes them. */
function unescape(s: string, mode: Mode): StringResult {
  let escapes = 0;
  for (let i = 0; i < s.length;) {
    const c = s.charAt(i);
    if (c === "%") {
      escapes++;
      if (i + 2 >= s.length || !isHex(s.charAt(i + 1)) || !isHex(s.charAt(i + 2))) {
        return fail(`invalid URL escape ${JSON.stringify(s.slice(i, i + 3))}`);
      }
      const v = parseInt(s.slice(i + 1, i + 3), 16);
      if (mode === "host" && v < 0x80 && s.slice(i, i + 3) !== "%25") {
        return fail(`invalid URL escape ${JSON.stringify(s.slice(i, i + 3))}`);
      }
      if (mode === "zone" && s.slice(i, i + 3) !== "%25" && v !== 0x20 && shouldEscapeByte(v)) {
        return fail(`invalid URL escape ${JSON.stringify(s.slice(i, i + 3))}`);
      }
      i += 3;
      continue;
    }
    if ((mode === "host" || mode === "zone") && s.charCodeAt(i) < 0x80 && shouldEscape(c, mode)) {
      return fail(`invalid character ${JSON.stringify(c)} in host name`);
    }
    i++;
  }
  if (escapes === 0) return { ok: true, value: s };
  const bytes: number[] = [];
  for (let i = 0; i < s.length;) {
    if (s.charAt(i) === "%") {
      bytes.push(parseInt(s.slice(i + 1, i + 3), 16));
      i += 3;
      continue;
    }
    const cp = s.codePointAt(i) ?? 0;
    const ch = String.fromCodePoint(cp);
    for (const b of utf8Encode(ch)) bytes.push(b);
    i += ch.length;
  }
  return { ok: true, value: utf8DecodeLossy(Uint8Array.from(bytes)) };
}

/** shouldEscape(v, encodeHost) for any byte value (non-ASCII bytes must be escaped). */
function shouldEscapeByte(v: number): boolean {
  return v >= 0x80 || shouldEscape(String.fromCharCode(v), "host");
}

export interface GoHostPort {
  host: string;
  port: string;
}

/** Go `net.SplitHostPort`; undefined where Go returns an error. */
export function splitGoHostPort(hostport: string): GoHostPort | undefined {
  const i = hostport.lastIndexOf(":");
  if (i < 0) return undefined;
  let host: string;
  let j = 0;
  let k = 0;
  if (hostport.startsWith("[")) {
    const end = hostport.indexOf("]");
    if (end < 0) return undefined;
    if (end + 1 === hostport.length) return undefined;
    if (end + 1 !== i) return undefined;
    host = hostport.slice(1, end);
    j = 1;
    k = end + 1;
  } else {
    host = hostport.slice(0, i);
    if (host.includes(":")) return undefined;
  }
  if (hostport.slice(j).includes("[")) return undefined;
  if (hostport.slice(k).includes("]")) return undefined;
  return { host, port: hostport.slice(i + 1) };
}
