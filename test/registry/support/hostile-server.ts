// Small local HTTP(S) servers for registry-client tests: 127.0.0.1, port 0, every request recorded, every
// socket tracked so close() never waits for a stalled or endless response.
import { createServer as createHttpServer } from "node:http";
import type { IncomingMessage, Server, ServerResponse } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import type { AddressInfo, Socket } from "node:net";

export interface RecordedRequest {
  method: string;
  /** Path and query as sent. */
  url: string;
  headers: IncomingMessage["headers"];
  body: string;
  /** Index of the TCP connection this request came on (0-based), to observe keep-alive. */
  connection: number;
}

export type Handler = (req: IncomingMessage, res: ServerResponse, body: string) => void | Promise<void>;

export interface TestServer {
  /** `http(s)://127.0.0.1:PORT` */
  url: string;
  /** `127.0.0.1:PORT` */
  host: string;
  port: number;
  requests: RecordedRequest[];
  /** TCP connections accepted so far. */
  connections(): number;
  setHandler(handler: Handler): void;
  close(): Promise<void>;
}

export interface TestServerOptions {
  tls?: { cert: string | Buffer; key: string | Buffer };
}

export async function startTestServer(handler: Handler, opts: TestServerOptions = {}): Promise<TestServer> {
  let current = handler;
  const requests: RecordedRequest[] = [];
  const sockets = new Set<Socket>();
  const socketIds = new WeakMap<Socket, number>();
  let connectionCount = 0;

  const onRequest = (req: IncomingMessage, res: ServerResponse): void => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8");
      requests.push({
        method: req.method ?? "",
        url: req.url ?? "",
        headers: req.headers,
        body,
        connection: socketIds.get(req.socket) ?? -1,
      });
      Promise.resolve(current(req, res, body)).catch((e: unknown) => {
        if (!res.headersSent) {
          res.writeHead(500, { "content-type": "text/plain" });
          res.end(String(e));
        } else {
          res.destroy();
        }
      });
    });
  };

  const server: Server = opts.tls
    ? createHttpsServer({ cert: opts.tls.cert, key: opts.tls.key }, onRequest)
    : createHttpServer(onRequest);
  const track = (socket: Socket): void => {
    socketIds.set(socket, connectionCount++);
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  };
  server.on(opts.tls ? "secureConnection" : "connection", track);
  if (opts.tls)
    server.on("connection", (s: Socket) => {
      sockets.add(s);
      s.on("close", () => sockets.delete(s));
    });
  // Garbage from a client (e.g. a TLS ClientHello on the plain-HTTP port) gets the 400 that Node's default
  // handler (and most servers) send; TLS alerts and resets are expected in hostile tests.
  server.on("clientError", (_e, socket: Socket) => {
    if (socket.writable) socket.end("HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n");
    else socket.destroy();
  });
  server.on("tlsClientError", () => {});

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const scheme = opts.tls ? "https" : "http";
  return {
    url: `${scheme}://127.0.0.1:${port}`,
    host: `127.0.0.1:${port}`,
    port,
    requests,
    connections: () => connectionCount,
    setHandler(h) {
      current = h;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/** Sends a JSON answer. */
export function json(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string | string[]> = {},
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    "content-type": "application/json",
    "content-length": Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

/** A distribution error body. */
export function registryError(
  res: ServerResponse,
  status: number,
  code: string,
  headers: Record<string, string | string[]> = {},
): void {
  json(res, status, { errors: [{ code, message: code.toLowerCase().replace(/_/g, " ") }] }, headers);
}

/** Decodes a Basic Authorization header (test assertions only). */
export function decodeBasic(header: string | undefined): { username: string; password: string } | undefined {
  if (!header || !/^basic /i.test(header)) return undefined;
  const text = Buffer.from(header.slice(6), "base64").toString("utf8");
  const i = text.indexOf(":");
  return { username: text.slice(0, i), password: text.slice(i + 1) };
}
