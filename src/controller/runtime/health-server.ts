/**
 * `/healthz` (the process is alive and not shutting down), `/readyz` (every informer has listed once: a
 * follower is ready too, warm and silent), `/metrics` (Prometheus text format). One small node:http server; it
 * serves nothing else and reads no request body.
 */
import { createServer } from "node:http";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Registry } from "prom-client";

export interface HealthServer {
  readonly port: number;
  close(): Promise<void>;
}

export async function startHealthServer(options: {
  readonly host: string;
  readonly port: number;
  readonly healthy: () => boolean;
  readonly ready: () => boolean;
  readonly registry: Registry;
}): Promise<HealthServer> {
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? "/").split("?")[0];
    const answer = (ok: boolean) => {
      res.writeHead(ok ? 200 : 503, { "content-type": "text/plain; charset=utf-8" });
      res.end(ok ? "ok\n" : "not ready\n");
    };
    if (req.method !== "GET" && req.method !== "HEAD") {
      res.writeHead(405, { allow: "GET, HEAD" }).end();
      return;
    }
    if (path === "/healthz" || path === "/livez") return answer(options.healthy());
    if (path === "/readyz") return answer(options.ready());
    if (path === "/metrics") {
      options.registry.metrics().then(
        (text) => {
          res.writeHead(200, { "content-type": options.registry.contentType });
          res.end(text);
        },
        () => res.writeHead(500).end(),
      );
      return;
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.host, () => resolve());
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
