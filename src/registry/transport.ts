/**
 * The I/O edge of the registry client: the only module that opens connections. A small HTTP(S) client over
 * node:http/node:https with keep-alive agents (connections to one host are reused across requests, which is
 * most of the speed of checking many images), and the safety rules in one place:
 *
 * - a deadline per HTTP exchange (`timeoutMs`, default 15 s) covering connect, TLS, headers and body;
 * - body reads capped at `maxBodyBytes` (default 1 MiB, as containers/image caps error bodies and tokens; a
 *   request may set its own, e.g. manifests are read as far as the runtimes read them, see runtime-limits.ts):
 *   past the cap the read is aborted and the response marked `truncated` (an endless body cannot exhaust
 *   memory);
 * - redirects followed by hand (at most `maxRedirects`, default 5), with `Authorization` sent only while the
 *   request stays on its original origin (scheme, host and port): credentials never follow a redirect to
 *   another host, and a redirect to a link-local/metadata address is refused;
 * - user-info in a URL is never turned into credentials.
 *
 * Anything else (what to request, which credential) is decided by the pure callers; tests inject their own
 * `Transport`.
 */
import { addedCaList, systemTrust } from "../extra-ca.js";
import { readFileSync } from "node:fs";
import { Agent as HttpAgent, request as httpRequest } from "node:http";
import type { IncomingHttpHeaders, IncomingMessage, OutgoingHttpHeaders } from "node:http";
import { Agent as HttpsAgent, request as httpsRequest } from "node:https";
import { createSecureContext, rootCertificates } from "node:tls";
import type { SecureContext } from "node:tls";
import { InputError, UsageError } from "../errors.js";
import { VERSION } from "../version.js";
import { isForbiddenHost } from "./realm.js";
import { redactUrl } from "./redact.js";
import { TransportError, classifyNetworkError } from "./transport-error.js";

export const DEFAULT_TIMEOUT_MS = 15_000;
export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;
export const DEFAULT_MAX_REDIRECTS = 5;
export const DEFAULT_USER_AGENT = `pullwarden/${VERSION}`;

export interface TransportOptions {
  /** PEM CA certificate(s) to trust for HTTPS, in addition to the default roots (see systemTrust). */
  ca?: string | Buffer | readonly (string | Buffer)[];
  /** A PEM file of CA certificates (read once, when the transport is created). */
  caFile?: string;
  /** Accept any server certificate (like `--tls-verify=false`). */
  insecureSkipTlsVerify?: boolean;
  /** Deadline of each HTTP exchange (connect + TLS + headers + body), default 15 000 ms. */
  timeoutMs?: number;
  /**
   * Cap on response bodies, default 1 MiB; beyond it the read is aborted and `truncated` set. Requests that
   * set their own cap keep it (checkAccess reads manifests and configs as far as the runtimes do).
   */
  maxBodyBytes?: number;
  /** Redirects followed at most, default 5. */
  maxRedirects?: number;
  userAgent?: string;
}

export type HttpMethod = "GET" | "HEAD" | "POST";

export interface TransportRequest {
  method: HttpMethod;
  /** Absolute http(s) URL. */
  url: string | URL;
  headers?: Readonly<Record<string, string>>;
  body?: string | Buffer;
  /** Overrides the transport's body cap for this request. */
  maxBodyBytes?: number;
}

export interface TransportResponse {
  status: number;
  /** Lower-cased header names, every value kept (`WWW-Authenticate` may repeat). */
  headers: Readonly<Record<string, readonly string[]>>;
  body: Buffer;
  /** The body was longer than the cap: `body` holds only its first bytes. */
  truncated: boolean;
  /** The URL that answered (after redirects). */
  url: string;
  /** Redirects followed. */
  redirects: number;
  /** Whether the `Authorization` header was withheld on the final hop because it left the original origin. */
  authorizationDropped: boolean;
}

/**
 * For a trace: the redirects a response came through, and whether the credential was withheld on the way;
 * undefined without redirects.
 */
export function describeRedirects(res: TransportResponse): string | undefined {
  if (res.redirects === 0) return undefined;
  return `after ${res.redirects} redirect(s) to ${redactUrl(res.url)}${
    res.authorizationDropped ? " (Authorization not forwarded to the other host)" : ""
  }`;
}

/** host[:port] of the redirect target a response's credential was withheld from, if it was. */
export function credentialWithheldBy(res: TransportResponse): string | undefined {
  return res.authorizationDropped ? new URL(res.url).host : undefined;
}

/** The port the registry client talks through; `createTransport` is the real one. */
export interface Transport {
  request(request: TransportRequest): Promise<TransportResponse>;
  /** Releases kept-alive connections. */
  close(): void;
}

/** First value of a response header (names are lower-case). */
export function headerValue(res: Pick<TransportResponse, "headers">, name: string): string | undefined {
  return res.headers[name.toLowerCase()]?.[0];
}

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

/** The CAs the transport adds to the default trust: `ca`, `caFile` and the deferred NODE_EXTRA_CA_CERTS. */
function loadAddedCa(options: TransportOptions): (string | Buffer)[] | undefined {
  const list: (string | Buffer)[] = [];
  if (options.ca !== undefined) {
    if (typeof options.ca === "string" || Buffer.isBuffer(options.ca)) list.push(options.ca);
    else list.push(...(options.ca as readonly (string | Buffer)[]));
  }
  if (options.caFile !== undefined) {
    try {
      list.push(readFileSync(options.caFile));
    } catch (cause) {
      throw new InputError("E_CA_FILE", `cannot read the CA file ${options.caFile}`, {
        cause,
        source: options.caFile,
        hint: "pass a readable PEM file with --ca-file",
      });
    }
  }
  return addedCaList(list);
}

/**
 * The TLS context of a transport, or undefined for Node's default one: the process's default trust (see
 * systemTrust: the OS store, or Node's bundled roots) plus `added`. The default trust is never listed as `ca`
 * (tls.rootCertificates costs tens of milliseconds to build) unless the OS store it should come from is missing.
 */
function transportSecureContext(added: readonly (string | Buffer)[] | undefined): SecureContext | undefined {
  if (systemTrust() === "os-store-missing")
    return createSecureContext({ ca: [...rootCertificates, ...(added ?? [])] });
  if (added === undefined) return undefined;
  const context = createSecureContext();
  const native = (context as { context?: { addCACert?: (pem: string | Buffer) => void } }).context;
  if (typeof native?.addCACert !== "function") return trustedSecureContext([...rootCertificates, ...added]);
  for (const pem of added) native.addCACert(pem);
  return context;
}

/**
 * One TLS context for every connection of a transport. Given as `ca`, the list (Node's ~140 roots plus the
 * user's CAs, see trustedCaList) would be parsed again for each new connection, tens of milliseconds each;
 * here the roots come from Node's default context (parsed once per process, natively) and only the other
 * certificates are added to it.
 */
export function trustedSecureContext(ca: readonly (string | Buffer)[]): SecureContext {
  const roots = new Set<string>(rootCertificates);
  const extra = ca.filter((pem) => !(typeof pem === "string" && roots.has(pem)));
  // Without the roots in the list, `ca` means "only these": keep that meaning.
  if (extra.length === ca.length) return createSecureContext({ ca: [...ca] });
  const context = createSecureContext();
  const native = (context as { context?: { addCACert?: (pem: string | Buffer) => void } }).context;
  if (typeof native?.addCACert !== "function") return createSecureContext({ ca: [...ca] });
  for (const pem of extra) native.addCACert(pem);
  return context;
}

function distinctHeaders(res: IncomingMessage): Record<string, string[]> {
  const distinct = (res as IncomingMessage & { headersDistinct?: Record<string, string[]> }).headersDistinct;
  if (distinct) return { ...distinct };
  // Node < 18.3 fallback: repeated headers other than set-cookie arrive joined with ", ".
  const out: Record<string, string[]> = {};
  const raw: IncomingHttpHeaders = res.headers;
  for (const [k, v] of Object.entries(raw)) {
    if (v === undefined) continue;
    out[k] = Array.isArray(v) ? v : [v];
  }
  return out;
}

function withoutAuthorization(headers: Readonly<Record<string, string>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) {
    if (k.toLowerCase() !== "authorization") out[k] = v;
  }
  return out;
}

interface Exchange {
  status: number;
  headers: Record<string, string[]>;
  body: Buffer;
  truncated: boolean;
}

/**
 * Creates the real transport. Throws InputError if `caFile` cannot be read, and UsageError for CA certificates
 * together with `insecureSkipTlsVerify`, which would silently ignore them (client-go refuses the same pair).
 */
export function createTransport(options: TransportOptions = {}): Transport {
  if (options.insecureSkipTlsVerify === true && (options.ca !== undefined || options.caFile !== undefined)) {
    throw new UsageError(
      "insecureSkipTlsVerify contradicts ca/caFile: specifying root certificates with the insecure option is not allowed",
    );
  }
  const secureContext = transportSecureContext(loadAddedCa(options));
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const maxBody = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const maxRedirects = options.maxRedirects ?? DEFAULT_MAX_REDIRECTS;
  const userAgent = options.userAgent ?? DEFAULT_USER_AGENT;
  const httpAgent = new HttpAgent({ keepAlive: true, maxSockets: 32 });
  const httpsAgent = new HttpsAgent({
    keepAlive: true,
    maxSockets: 32,
    ...(secureContext ? { secureContext } : {}),
    rejectUnauthorized: options.insecureSkipTlsVerify !== true,
  });

  function exchange(
    url: URL,
    method: HttpMethod,
    headers: Record<string, string>,
    body: Buffer | undefined,
    cap: number,
  ): Promise<Exchange> {
    return new Promise<Exchange>((resolve, reject) => {
      const secure = url.protocol === "https:";
      const host = url.hostname.startsWith("[") ? url.hostname.slice(1, -1) : url.hostname;
      const outgoing: OutgoingHttpHeaders = { "user-agent": userAgent, ...headers };
      if (body !== undefined) outgoing["content-length"] = body.length;
      let settled = false;
      const fail = (error: unknown): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        reject(
          error instanceof TransportError
            ? error
            : new TransportError(classifyNetworkError(error), method, url, { cause: error }),
        );
      };
      const req = (secure ? httpsRequest : httpRequest)({
        method,
        host,
        port: url.port === "" ? (secure ? 443 : 80) : Number(url.port),
        path: `${url.pathname}${url.search}`,
        headers: outgoing,
        agent: secure ? httpsAgent : httpAgent,
      });
      const timer = setTimeout(() => {
        req.destroy(new TransportError({ kind: "network", reason: "timeout" }, method, url));
      }, timeoutMs);
      req.on("error", fail);
      req.on("response", (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        let truncated = false;
        const finish = (): void => {
          if (settled) return;
          settled = true;
          clearTimeout(timer);
          resolve({
            status: res.statusCode ?? 0,
            headers: distinctHeaders(res),
            body: Buffer.concat(chunks),
            truncated,
          });
        };
        res.on("data", (chunk: Buffer) => {
          if (settled) return;
          const room = cap - size;
          if (chunk.length > room) {
            if (room > 0) chunks.push(chunk.subarray(0, room));
            size = cap;
            truncated = true;
            finish();
            // Abort the rest of the body: the socket is not reused.
            res.destroy();
            req.destroy();
            return;
          }
          chunks.push(chunk);
          size += chunk.length;
        });
        res.on("end", finish);
        res.on("error", fail);
        res.on("aborted", () => fail(Object.assign(new Error("response aborted"), { code: "ECONNRESET" })));
        res.on("close", () => {
          if (!settled && !res.complete)
            fail(Object.assign(new Error("response closed"), { code: "ECONNRESET" }));
        });
      });
      req.end(body);
    });
  }

  async function request(r: TransportRequest): Promise<TransportResponse> {
    const original = new URL(r.url);
    let url = original;
    let method = r.method;
    let body =
      r.body === undefined ? undefined : Buffer.isBuffer(r.body) ? r.body : Buffer.from(r.body, "utf8");
    let headers: Record<string, string> = { ...(r.headers ?? {}) };
    const cap = r.maxBodyBytes ?? maxBody;
    for (let redirects = 0; ; redirects++) {
      if (url.protocol !== "http:" && url.protocol !== "https:") {
        throw new TransportError({ kind: "redirect", reason: "bad-redirect" }, method, url);
      }
      if (url.username !== "" || url.password !== "") {
        url = new URL(url.href);
        url.username = "";
        url.password = "";
      }
      // Credentials stay on the origin they were meant for (like Go's net/http and curl).
      const sameOrigin = url.origin === original.origin;
      const sent = sameOrigin ? headers : withoutAuthorization(headers);
      const res = await exchange(url, method, sent, body, cap);
      const location = res.headers.location?.[0];
      if (!REDIRECT_STATUSES.has(res.status) || location === undefined) {
        return {
          ...res,
          url: url.href,
          redirects,
          authorizationDropped:
            !sameOrigin && Object.keys(headers).some((k) => k.toLowerCase() === "authorization"),
        };
      }
      if (redirects >= maxRedirects) {
        throw new TransportError({ kind: "redirect", reason: "too-many-redirects" }, method, original);
      }
      let next: URL;
      try {
        next = new URL(location, url);
      } catch (cause) {
        throw new TransportError({ kind: "redirect", reason: "bad-redirect" }, method, url, { cause });
      }
      if (next.protocol !== "http:" && next.protocol !== "https:") {
        throw new TransportError({ kind: "redirect", reason: "bad-redirect" }, method, url);
      }
      if (isForbiddenHost(next.hostname)) {
        throw new TransportError({ kind: "redirect", reason: "forbidden-redirect" }, method, url);
      }
      // 303 always, and 301/302 for POST, turn into GET without a body (as browsers and Go do).
      const keepsBody = !(
        res.status === 303 ||
        ((res.status === 301 || res.status === 302) && method === "POST")
      );
      // A body (an OAuth2 form with a refresh token) is a credential too: it is never replayed to another origin.
      if (keepsBody && body !== undefined && next.origin !== original.origin) {
        throw new TransportError({ kind: "redirect", reason: "forbidden-redirect" }, method, url);
      }
      if (!keepsBody) {
        method = method === "HEAD" ? "HEAD" : "GET";
        body = undefined;
        headers = Object.fromEntries(
          Object.entries(headers).filter(
            ([k]) => !["content-type", "content-length"].includes(k.toLowerCase()),
          ),
        );
      }
      url = next;
    }
  }

  return {
    request,
    close() {
      httpAgent.destroy();
      httpsAgent.destroy();
    },
  };
}
