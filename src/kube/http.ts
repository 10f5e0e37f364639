/**
 * The HTTP edge of the Kubernetes client: client-node's `HttpLibrary` (its extension point,
 * `createConfiguration({ httpApi })`) over node:http/node:https, so that every request is bounded as kubectl
 * bounds it. client-node's own library (node-fetch with no signal and no timeout) waits forever on a server
 * that accepts the connection and never answers.
 *
 * Bounds, each its own timer (DEFAULT_KUBE_TIMEOUTS; docs/apply.md, docs/doctor.md):
 * - the whole request, from the first byte sent to the last byte read: kubectl's `--request-timeout`
 *   (client-go's `http.Client.Timeout`); 0 means none, as in kubectl;
 * - opening the TCP connection (30 s, client-go's dialer) and the TLS handshake (10 s, client-go's
 *   `TLSHandshakeTimeout`), whatever the request bound says;
 * - silence in the middle of a response body (idle): long lists and watches stream, so they are bounded by
 *   progress, not by their length; this one holds even with a request bound of 0.
 *
 * Agents (TLS settings, client certificates, proxies) come from client-node's authentication as before; bodies
 * are read whole (gzip accepted, as kubectl) before the response is handed back, so the bounds cover them.
 */
import type { ClientRequest, IncomingMessage, OutgoingHttpHeaders } from "node:http";
import { request as httpRequest } from "node:http";
import { request as httpsRequest } from "node:https";
import type { Socket } from "node:net";
import { TLSSocket } from "node:tls";
import { gunzip } from "node:zlib";
import { ResponseContext, SelfDecodingBody, wrapHttpLibrary } from "@kubernetes/client-node";
import type { HttpLibrary, RequestContext } from "@kubernetes/client-node";
import { DEFAULT_USER_AGENT } from "../registry/index.js";
import type { KubeRequestPhase, KubeTimeoutBound, KubeTimeoutDetail } from "./errors.js";

/** Bounds on each request to the API server, in milliseconds; 0 turns a bound off. */
export interface KubeTimeouts {
  /** The whole request: connect, TLS, headers and body (kubectl's `--request-timeout`). */
  readonly requestMs?: number;
  /** Opening the TCP connection. */
  readonly connectMs?: number;
  /** The TLS handshake. */
  readonly tlsHandshakeMs?: number;
  /** No byte of a response body for this long (long lists, watches), whatever `requestMs` says. */
  readonly idleMs?: number;
}

/**
 * 60 s per request: the API server itself ends a request it has not answered after 60 s (kube-apiserver
 * `--request-timeout`), so a request a healthy server would still complete is never cut. Connect and TLS
 * handshake as client-go's transport; idle 30 s, which a body that is streaming never reaches.
 */
export const DEFAULT_KUBE_TIMEOUTS: Readonly<Required<KubeTimeouts>> = {
  requestMs: 60_000,
  connectMs: 30_000,
  tlsHandshakeMs: 10_000,
  idleMs: 30_000,
};

/** A bound fired (thrown by the library; `toKubeError` turns it into a KubeTimeoutError naming the server). */
export class KubeRequestTimeout extends Error implements KubeTimeoutDetail {
  readonly phase: KubeRequestPhase;
  readonly bound: KubeTimeoutBound;
  readonly limitMs: number;
  readonly bytes: number;

  constructor(detail: KubeTimeoutDetail) {
    super(`${detail.bound} bound of ${detail.limitMs} ms reached during ${detail.phase}`);
    this.name = "KubeRequestTimeout";
    this.phase = detail.phase;
    this.bound = detail.bound;
    this.limitMs = detail.limitMs;
    this.bytes = detail.bytes;
  }
}

/** The bound that governs a phase besides the whole-request one. */
function phaseBound(phase: KubeRequestPhase, timeouts: Required<KubeTimeouts>): [KubeTimeoutBound, number] {
  switch (phase) {
    case "connect":
      return ["connect", timeouts.connectMs];
    case "tls-handshake":
      return ["tls-handshake", timeouts.tlsHandshakeMs];
    case "body":
      return ["idle", timeouts.idleMs];
    case "response":
      // Waiting for the server to decide: only the request bound applies (none with 0, as kubectl).
      return ["request", 0];
  }
}

function handshakePending(socket: Socket): boolean {
  return socket instanceof TLSSocket && !socket.authorized && !socket.authorizationError;
}

function hasHeader(headers: Record<string, string>, name: string): boolean {
  return Object.keys(headers).some((key) => key.toLowerCase() === name);
}

function bodyBytes(body: ReturnType<RequestContext["getBody"]>): Buffer | undefined {
  if (body === undefined) return undefined;
  if (typeof body === "string") return Buffer.from(body, "utf8");
  if (body instanceof URLSearchParams) return Buffer.from(body.toString(), "utf8");
  throw new TypeError("multipart request bodies are not supported by pullwarden's Kubernetes client");
}

function responseHeaders(res: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(res.headers)) {
    if (value !== undefined) out[name] = Array.isArray(value) ? value.join(", ") : value;
  }
  return out;
}

function decode(res: IncomingMessage, body: Buffer): Promise<Buffer> {
  if (!/^\s*gzip\s*$/i.test(String(res.headers["content-encoding"] ?? ""))) return Promise.resolve(body);
  return new Promise((resolve, reject) =>
    gunzip(body, (error, out) => (error ? reject(error) : resolve(out))),
  );
}

/** Sends one request with every bound armed; resolves once the whole body is read. */
function send(request: RequestContext, timeouts: Required<KubeTimeouts>): Promise<ResponseContext> {
  return new Promise<ResponseContext>((resolve, reject) => {
    const url = new URL(request.getUrl());
    const headers: Record<string, string> = { ...request.getHeaders() };
    if (!hasHeader(headers, "accept-encoding")) headers["Accept-Encoding"] = "gzip";
    if (!hasHeader(headers, "user-agent")) headers["User-Agent"] = DEFAULT_USER_AGENT;
    const body = bodyBytes(request.getBody());
    const outgoing: OutgoingHttpHeaders = { ...headers };
    if (body !== undefined) outgoing["Content-Length"] = body.length;

    let phase: KubeRequestPhase = "connect";
    let bytes = 0;
    let settled = false;
    let phaseTimer: NodeJS.Timeout | undefined;
    let requestTimer: NodeJS.Timeout | undefined;
    let req: ClientRequest | undefined;

    const finish = (): boolean => {
      if (settled) return false;
      settled = true;
      clearTimeout(phaseTimer);
      clearTimeout(requestTimer);
      return true;
    };
    const fail = (error: unknown): void => {
      if (!finish()) return;
      req?.destroy();
      reject(error);
    };
    const expire = (bound: KubeTimeoutBound, limitMs: number): void => {
      const error = new KubeRequestTimeout({ phase, bound, limitMs, bytes });
      fail(error);
    };
    const enter = (next: KubeRequestPhase): void => {
      if (settled) return;
      phase = next;
      clearTimeout(phaseTimer);
      phaseTimer = undefined;
      const [bound, limitMs] = phaseBound(next, timeouts);
      if (limitMs > 0) phaseTimer = setTimeout(() => expire(bound, limitMs), limitMs);
    };

    if (timeouts.requestMs > 0) {
      requestTimer = setTimeout(() => expire("request", timeouts.requestMs), timeouts.requestMs);
    }
    const signal = request.getSignal();
    if (signal?.aborted) return reject(signal.reason ?? new Error("request aborted"));
    signal?.addEventListener("abort", () => fail(signal.reason ?? new Error("request aborted")), {
      once: true,
    });

    try {
      req = (url.protocol === "https:" ? httpsRequest : httpRequest)(url, {
        method: request.getHttpMethod(),
        headers: outgoing,
        ...(request.getAgent() ? { agent: request.getAgent() } : {}),
      });
    } catch (error) {
      fail(error);
      return;
    }
    req.on("error", fail);
    req.on("socket", (socket: Socket) => {
      if (socket.connecting) {
        enter("connect");
        socket.once("connect", () => {
          if (socket instanceof TLSSocket) {
            enter("tls-handshake");
            socket.once("secureConnect", () => enter("response"));
          } else enter("response");
        });
      } else if (handshakePending(socket)) {
        // A socket a proxy agent tunnelled: connected, not yet secured.
        enter("tls-handshake");
        socket.once("secureConnect", () => enter("response"));
      } else enter("response");
    });
    req.on("response", (res: IncomingMessage) => {
      enter("body");
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => {
        bytes += chunk.length;
        chunks.push(chunk);
        phaseTimer?.refresh();
      });
      res.on("error", fail);
      res.on("close", () => {
        if (!res.complete) fail(Object.assign(new Error("the response was cut off"), { code: "ECONNRESET" }));
      });
      res.on("end", () => {
        if (!finish()) return;
        const status = res.statusCode ?? 0;
        const data = decode(res, Buffer.concat(chunks));
        // A body that fails to decode rejects when read, as client-node reads it.
        data.catch(() => undefined);
        resolve(new ResponseContext(status, responseHeaders(res), new SelfDecodingBody(data)));
      });
    });
    req.end(body);
  });
}

/** The HTTP library for a client: every request it sends is bounded by `timeouts` (defaults for the rest). */
export function boundedHttpLibrary(timeouts: KubeTimeouts = {}): HttpLibrary {
  const bounds: Required<KubeTimeouts> = { ...DEFAULT_KUBE_TIMEOUTS, ...definedOnly(timeouts) };
  return wrapHttpLibrary({ send: (request) => send(request, bounds) });
}

function definedOnly(timeouts: KubeTimeouts): KubeTimeouts {
  return Object.fromEntries(Object.entries(timeouts).filter(([, value]) => value !== undefined));
}
