/**
 * Validation of a Bearer challenge's `realm` before any credential goes there. A registry decides where the
 * client sends its password, so a hostile or misconfigured registry could point the realm at plain HTTP
 * (credentials in clear text) or at a cloud metadata service (SSRF from inside a cluster: the response may
 * hold node credentials). Only literal IPs are checked: DNS is never resolved here (a name that resolves to
 * a metadata address is the resolver's business; the check must stay pure and fast).
 */

export type RealmProblem = "missing" | "invalid-url" | "insecure-scheme" | "forbidden-address";

export type RealmCheck = { ok: true; url: URL } | { ok: false; problem: RealmProblem };

/** Host names of instance metadata services (GCP; `metadata` is its short alias). */
const FORBIDDEN_NAMES = new Set(["metadata.google.internal", "metadata"]);

function ipv4Octets(host: string): number[] | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(host);
  if (!m) return undefined;
  const octets = m.slice(1).map(Number);
  return octets.every((o) => o <= 255) ? octets : undefined;
}

function isForbiddenIpv4(o: readonly number[]): boolean {
  const [a, b, c, d] = o;
  if (a === 169 && b === 254) return true; // link-local, AWS/Azure/GCP/OpenStack metadata, ECS task metadata
  if (a === 0) return true; // 0.0.0.0/8 "this network": 0.0.0.0 reaches the local host
  if (a === 100 && b === 100 && c === 100 && d === 200) return true; // Alibaba Cloud metadata
  return false;
}

/** Expands an IPv6 literal (no brackets, no zone) to 8 hextets; undefined when it is not one. */
function ipv6Hextets(host: string): number[] | undefined {
  if (!host.includes(":") || !/^[0-9a-f:.]+$/i.test(host)) return undefined;
  let text = host;
  const tail: number[] = [];
  const v4 = /(\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3})$/.exec(text);
  if (v4?.[1]) {
    const o = ipv4Octets(v4[1]);
    if (!o) return undefined;
    tail.push(((o[0] ?? 0) << 8) | (o[1] ?? 0), ((o[2] ?? 0) << 8) | (o[3] ?? 0));
    text = text.slice(0, -v4[1].length);
    if (text.endsWith(":") && !text.endsWith("::")) text = text.slice(0, -1);
  }
  const halves = text.split("::");
  if (halves.length > 2) return undefined;
  const parse = (part: string | undefined): number[] | undefined => {
    if (part === undefined || part === "") return [];
    const groups = part.split(":");
    if (groups.some((g) => !/^[0-9a-f]{1,4}$/i.test(g))) return undefined;
    return groups.map((g) => parseInt(g, 16));
  };
  const head = parse(halves[0]);
  const rest = parse(halves[1]);
  if (!head || !rest) return undefined;
  const known = head.length + rest.length + tail.length;
  if (halves.length === 1) return known === 8 ? [...head, ...tail] : undefined;
  if (known > 7) return undefined;
  return [...head, ...new Array<number>(8 - known).fill(0), ...rest, ...tail];
}

function isForbiddenIpv6(h: readonly number[]): boolean {
  if (h.every((x) => x === 0)) return true; // "::" unspecified
  if (((h[0] ?? 0) & 0xffc0) === 0xfe80) return true; // fe80::/10 link-local
  // fd00:ec2::254, the AWS IMDS IPv6 endpoint
  if (h[0] === 0xfd00 && h[1] === 0x0ec2 && h.slice(2, 7).every((x) => x === 0) && h[7] === 0x254)
    return true;
  // IPv4-mapped (::ffff:a.b.c.d) and IPv4-compatible (::a.b.c.d) forms of a forbidden IPv4 address
  if (h.slice(0, 5).every((x) => x === 0) && (h[5] === 0xffff || h[5] === 0)) {
    const hi = h[6] ?? 0;
    const lo = h[7] ?? 0;
    if (h[5] === 0 && hi === 0) return false; // ::1 and friends are not mapped addresses
    return isForbiddenIpv4([hi >> 8, hi & 0xff, lo >> 8, lo & 0xff]);
  }
  return false;
}

/**
 * Whether `hostname` (as in `URL.hostname`: IPv6 in brackets allowed) is a link-local, metadata or unspecified
 * address, or a metadata host name. Literal addresses only; no DNS.
 */
export function isForbiddenHost(hostname: string): boolean {
  let host = hostname.trim().toLowerCase();
  if (host.startsWith("[") && host.endsWith("]")) host = host.slice(1, -1);
  const zone = host.indexOf("%");
  if (zone >= 0) host = host.slice(0, zone);
  while (host.endsWith(".")) host = host.slice(0, -1);
  if (FORBIDDEN_NAMES.has(host)) return true;
  const v4 = ipv4Octets(host);
  if (v4) return isForbiddenIpv4(v4);
  const v6 = ipv6Hextets(host);
  if (v6) return isForbiddenIpv6(v6);
  return false;
}

/**
 * Checks a realm: an absolute http(s) URL; https unless the registry itself was reached over plain HTTP
 * (`--plain-http`, where the realm may be http too); never on a forbidden host. The WHATWG URL parser
 * normalises numeric host forms (`http://0xa9fea9fe/` → `169.254.169.254`), so those are caught too.
 */
export function checkRealm(realm: string | undefined, options: { plainHttp?: boolean } = {}): RealmCheck {
  if (realm === undefined || realm.trim() === "") return { ok: false, problem: "missing" };
  let url: URL;
  try {
    url = new URL(realm);
  } catch {
    return { ok: false, problem: "invalid-url" };
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") return { ok: false, problem: "invalid-url" };
  if (url.hostname === "") return { ok: false, problem: "invalid-url" };
  if (isForbiddenHost(url.hostname)) return { ok: false, problem: "forbidden-address" };
  if (url.protocol === "http:" && !options.plainHttp) return { ok: false, problem: "insecure-scheme" };
  // User-info in a realm would become a Basic header in some clients; a registry does not get to choose it.
  url.username = "";
  url.password = "";
  url.hash = "";
  return { ok: true, url };
}
