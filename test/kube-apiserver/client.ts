// A small raw HTTP(S) client for tests that need to see the wire (status codes, headers, exact bodies, watch
// lines) rather than what a client library makes of it. Authenticates as a server user by bearer token.
import { request as httpRequest } from "node:http";
import type { IncomingHttpHeaders, IncomingMessage } from "node:http";
import { request as httpsRequest } from "node:https";
import type { ApiServer } from "./index.js";

/** What a raw request needs of a server: the test API server, or a real cluster behind its proxy. */
export type RawTarget = Pick<ApiServer, "url" | "token" | "caPem">;

export interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
  json<T = Record<string, unknown>>(): T;
}

export interface RawRequestOptions {
  /** A server user (default "admin"); `null` sends no Authorization header. */
  user?: string | null;
  body?: unknown;
  contentType?: string;
  accept?: string;
  headers?: Record<string, string>;
  timeoutMs?: number;
}

function send(
  server: RawTarget,
  method: string,
  path: string,
  opts: RawRequestOptions,
): { req: ReturnType<typeof httpRequest> } {
  const url = new URL(path, server.url);
  const headers: Record<string, string> = { ...opts.headers };
  const user = opts.user === undefined ? "admin" : opts.user;
  if (user !== null) headers.Authorization = `Bearer ${server.token(user)}`;
  if (opts.accept) headers.Accept = opts.accept;
  let payload: Buffer | undefined;
  if (opts.body !== undefined) {
    payload = Buffer.isBuffer(opts.body)
      ? opts.body
      : Buffer.from(typeof opts.body === "string" ? opts.body : JSON.stringify(opts.body));
    headers["Content-Type"] = opts.contentType ?? "application/json";
    headers["Content-Length"] = String(payload.length);
  }
  const req =
    url.protocol === "https:"
      ? httpsRequest(url, { method, headers, ca: server.caPem, timeout: opts.timeoutMs ?? 10_000 })
      : httpRequest(url, { method, headers, timeout: opts.timeoutMs ?? 10_000 });
  req.on("timeout", () => req.destroy(new Error(`timeout ${method} ${path}`)));
  req.end(payload);
  return { req };
}

/** One request, whole response. */
export function rawRequest(
  server: RawTarget,
  method: string,
  path: string,
  opts: RawRequestOptions = {},
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const { req } = send(server, method, path, opts);
    req.on("error", reject);
    req.on("response", (res: IncomingMessage) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => {
        const text = Buffer.concat(chunks).toString("utf8");
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          text,
          json: <T>() => JSON.parse(text) as T,
        });
      });
      res.on("error", reject);
    });
  });
}

export interface RawWatch {
  status: Promise<number>;
  /** Parsed events so far. */
  events: { type: string; object: Record<string, unknown> }[];
  /** Resolves when the server ends the stream. */
  ended: Promise<void>;
  close(): void;
}

/** Opens a watch and collects its newline-delimited events. */
export function rawWatch(server: RawTarget, path: string, opts: RawRequestOptions = {}): RawWatch {
  const events: RawWatch["events"] = [];
  const { req } = send(server, "GET", path, { timeoutMs: 60_000, ...opts });
  let buffered = "";
  let resolveEnded: () => void = () => {};
  const ended = new Promise<void>((r) => (resolveEnded = r));
  const status = new Promise<number>((resolve, reject) => {
    req.on("error", (e) => {
      resolveEnded();
      reject(e);
    });
    req.on("response", (res: IncomingMessage) => {
      resolve(res.statusCode ?? 0);
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => {
        buffered += chunk;
        let nl: number;
        while ((nl = buffered.indexOf("\n")) >= 0) {
          const line = buffered.slice(0, nl);
          buffered = buffered.slice(nl + 1);
          if (line.trim()) events.push(JSON.parse(line) as RawWatch["events"][number]);
        }
      });
      res.on("end", resolveEnded);
      res.on("close", resolveEnded);
    });
  });
  status.catch(() => {});
  return { status, events, ended, close: () => req.destroy() };
}
