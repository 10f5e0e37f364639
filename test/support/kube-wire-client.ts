// A small raw HTTPS client for tests that need to see the Kubernetes wire (status codes, headers, exact bodies)
// rather than what a client library makes of it. Authenticates as a cluster user by bearer token.
import type { IncomingHttpHeaders, IncomingMessage } from "node:http";
import { request as httpsRequest } from "node:https";

/** What a raw request needs of a cluster (test/kube/real-cluster.ts's TestCluster has it). */
export interface RawTarget {
  url: string;
  caPem: string;
  token(user: string): string;
}

export interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
  json<T = Record<string, unknown>>(): T;
}

export interface RawRequestOptions {
  /** A cluster user (default "admin"); `null` sends no Authorization header. */
  user?: string | null;
  body?: unknown;
  contentType?: string;
  accept?: string;
  timeoutMs?: number;
}

/** One request, whole response. */
export function rawRequest(
  target: RawTarget,
  method: string,
  path: string,
  opts: RawRequestOptions = {},
): Promise<RawResponse> {
  const url = new URL(path, target.url);
  const headers: Record<string, string> = {};
  const user = opts.user === undefined ? "admin" : opts.user;
  if (user !== null) headers.Authorization = `Bearer ${target.token(user)}`;
  if (opts.accept) headers.Accept = opts.accept;
  let payload: Buffer | undefined;
  if (opts.body !== undefined) {
    payload = Buffer.isBuffer(opts.body)
      ? opts.body
      : Buffer.from(typeof opts.body === "string" ? opts.body : JSON.stringify(opts.body));
    headers["Content-Type"] = opts.contentType ?? "application/json";
    headers["Content-Length"] = String(payload.length);
  }
  return new Promise((resolve, reject) => {
    const req = httpsRequest(url, { method, headers, ca: target.caPem, timeout: opts.timeoutMs ?? 10_000 });
    req.on("timeout", () => req.destroy(new Error(`timeout ${method} ${path}`)));
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
    req.end(payload);
  });
}
