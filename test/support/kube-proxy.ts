// A recording, fault-injecting HTTPS proxy in front of a real kube-apiserver (control-plane.ts).
//
// Clients talk to the proxy with a bearer token (kubeconfigs written by the harness); the proxy forwards each
// request unchanged (method, path, query, headers, body) over its own TLS connection that presents the user's
// client certificate, so the real API server authenticates the same user it would without the proxy (x509), and
// authorizes, admits and answers for real. The proxy records what was asked (a RequestRecord: verb, resource,
// namespace, name, user, content type, status) and lets a test answer a request itself (an error Status, or any
// object: e.g. one with fields from a server newer than the client), drop the connection or never answer
// (a stall), before the real server sees it: deterministic fault injection in front of the real thing. Watches and other streams are piped
// through as they come.
import type { IncomingMessage, ServerResponse } from "node:http";
import { Agent, createServer, request as httpsRequest } from "node:https";
import type { Server } from "node:https";
import type { AddressInfo, Socket } from "node:net";
import { readFileSync } from "node:fs";
import { parseRequest } from "./kube-request-info.js";
import { StatusError } from "./kube-status.js";
import { LOOPBACK } from "./net.js";
import type { ClientCert, Pki } from "./tls.js";

/** One request the proxy saw. */
export interface RequestRecord {
  method: string;
  path: string;
  query: Record<string, string>;
  /** get, list, watch, create, update, patch, delete, deletecollection; the lower-cased method otherwise. */
  verb: string;
  resource?: string;
  subresource?: string;
  namespace?: string;
  name?: string;
  user: string;
  contentType?: string;
  /** HTTP status of the response (set when it is sent). */
  status?: number;
}

/** An answer of the proxy's own: `body` as JSON with `code` (default 200). */
export interface ProxyReply {
  reply: unknown;
  code?: number;
}

/**
 * What an interceptor may do: answer with an error Status or a reply of its own, drop the connection ("close"),
 * read the request and never answer ("stall": the client's own timeout must end it), or let the request through
 * (undefined).
 */
export type ProxyAction = StatusError | ProxyReply | "close" | "stall" | undefined;
/** May be async (e.g. it writes to the real server first, to make a race happen at a chosen point). */
export type ProxyInterceptor = (request: RequestRecord, body: Buffer) => ProxyAction | Promise<ProxyAction>;

export interface ProxyIdentity {
  user: string;
  cert: ClientCert;
}

export interface KubeProxyOptions {
  /** `https://127.0.0.1:PORT` of the real kube-apiserver. */
  upstream: string;
  /** Serves TLS with this PKI's server certificate (the same CA verifies the real server). */
  pki: Pki;
  /** Bearer token → the identity to present upstream. Unknown tokens are forwarded as they are (→ 401). */
  identity(token: string): ProxyIdentity | undefined;
  /** Listen on this port (default: a free one). */
  port?: number;
}

export interface KubeProxy {
  url: string;
  port: number;
  requestLog(): readonly RequestRecord[];
  clearRequestLog(): void;
  intercept(fn: ProxyInterceptor): () => void;
  close(): Promise<void>;
}

const HOP_BY_HOP = new Set([
  "connection",
  "keep-alive",
  "proxy-connection",
  "transfer-encoding",
  "upgrade",
  "host",
  "authorization",
]);

export async function startKubeProxy(options: KubeProxyOptions): Promise<KubeProxy> {
  const log: RequestRecord[] = [];
  const interceptors: ProxyInterceptor[] = [];
  const ca = readFileSync(options.pki.caFile, "utf8");
  const agents = new Map<string, Agent>();
  const anonymousAgent = new Agent({ ca, keepAlive: true });
  const agentFor = (identity: ProxyIdentity | undefined): Agent => {
    if (!identity) return anonymousAgent;
    let agent = agents.get(identity.user);
    if (!agent) {
      agent = new Agent({ ca, cert: identity.cert.certPem, key: identity.cert.keyPem, keepAlive: true });
      agents.set(identity.user, agent);
    }
    return agent;
  };
  const sockets = new Set<Socket>();
  const upstream = new URL(options.upstream);

  const handle = async (req: IncomingMessage, res: ServerResponse, body: Buffer): Promise<void> => {
    const method = req.method ?? "GET";
    const url = new URL(req.url ?? "/", "https://proxy.invalid");
    const auth = /^Bearer\s+(.+)$/i.exec((req.headers.authorization ?? "").trim());
    const identity = auth ? options.identity((auth[1] as string).trim()) : undefined;
    const record: RequestRecord = {
      method,
      path: url.pathname,
      query: Object.fromEntries(url.searchParams.entries()),
      verb: method.toLowerCase(),
      user: identity?.user ?? (auth ? "<unknown token>" : "system:anonymous"),
      contentType: req.headers["content-type"],
    };
    const info = parseRequest(method, url);
    record.verb = info.verb;
    if (info.resourceRequest) {
      record.resource = info.resource;
      record.subresource = info.subresource;
      record.namespace = info.namespace;
      record.name = info.name;
    }
    log.push(record);
    res.on("finish", () => {
      record.status = res.statusCode;
    });
    for (const fn of [...interceptors]) {
      const action = await fn(record, body);
      if (action === "close") {
        req.socket.destroy();
        return;
      }
      if (action === "stall") return;
      if (action instanceof StatusError || (action !== undefined && "reply" in action)) {
        const [code, body] =
          action instanceof StatusError ? [action.code, action.status()] : [action.code ?? 200, action.reply];
        res.writeHead(code, { "content-type": "application/json", "cache-control": "no-cache, private" });
        res.end(JSON.stringify(body));
        return;
      }
    }
    const headers: Record<string, string | string[]> = {};
    for (const [k, v] of Object.entries(req.headers)) {
      if (v === undefined || HOP_BY_HOP.has(k)) continue;
      headers[k] = v;
    }
    // An unknown token goes through as it is: the real server answers 401 as it would.
    if (auth && !identity && req.headers.authorization) headers.authorization = req.headers.authorization;
    if (body.length > 0) headers["content-length"] = String(body.length);
    const up = httpsRequest({
      host: upstream.hostname,
      port: upstream.port,
      method,
      path: req.url,
      headers,
      agent: agentFor(identity),
    });
    up.on("response", (upRes) => {
      const out: Record<string, string | string[]> = {};
      for (const [k, v] of Object.entries(upRes.headers)) {
        if (v === undefined || k === "connection" || k === "keep-alive" || k === "transfer-encoding")
          continue;
        out[k] = v;
      }
      res.writeHead(upRes.statusCode ?? 502, out);
      // Node sends the head with the first body byte; a watch on a quiet resource has none for minutes, and
      // its client (client-node's Watch) waits for the head before it counts the watch as started.
      res.flushHeaders();
      upRes.pipe(res);
      upRes.on("error", () => res.destroy());
      res.on("close", () => upRes.destroy());
    });
    // The real server is down or dropped the connection: so does the proxy (the client sees a reset).
    up.on("error", () => req.socket.destroy());
    up.end(body);
  };

  const server: Server = createServer(
    {
      cert: readFileSync(options.pki.serverCertFile),
      key: readFileSync(options.pki.serverKeyFile),
    },
    (req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        handle(req, res, Buffer.concat(chunks)).catch((e: unknown) => {
          const error = e instanceof StatusError ? e : new StatusError(500, "InternalError", String(e));
          if (!res.headersSent) {
            res.writeHead(error.code, { "content-type": "application/json" });
            res.end(JSON.stringify(error.status()));
          } else res.destroy();
        });
      });
    },
  );
  server.on("connection", (s: Socket) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, LOOPBACK, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  let closed = false;
  return {
    url: `https://${LOOPBACK}:${port}`,
    port,
    requestLog: () => log,
    clearRequestLog: () => {
      log.length = 0;
    },
    intercept(fn) {
      interceptors.push(fn);
      return () => {
        const i = interceptors.indexOf(fn);
        if (i >= 0) interceptors.splice(i, 1);
      };
    },
    async close() {
      if (closed) return;
      closed = true;
      const done = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const s of sockets) s.destroy();
      for (const a of agents.values()) a.destroy();
      anonymousAgent.destroy();
      await done;
    },
  };
}
