// API servers that accept a connection and never answer, for the request bounds of the Kubernetes client
// (src/kube/http.ts): plain TCP that never starts TLS, TLS that never answers a request, HTTPS that sends a
// response's headers and stops mid-body (a real cluster that stalls chosen requests: test/support/kube-proxy.ts's
// "stall").
// Each listens on 127.0.0.1 port 0 and comes with a kubeconfig pointing at it.
import { readFileSync } from "node:fs";
import type { IncomingMessage, ServerResponse } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import { createServer as createNetServer } from "node:net";
import type { AddressInfo, Server, Socket } from "node:net";
import { join } from "node:path";
import { createServer as createTlsServer } from "node:tls";
import { createPki, makeScratchDir, removeScratchDir } from "../support/index.js";
import type { Pki } from "../support/index.js";
import { writeKubeconfig } from "../support/kubeconfig.js";

export type HostileKind = "tcp-silent" | "tls-silent" | "headers-then-stall";

export interface HostileServer {
  readonly url: string;
  /** PEM of the CA that signed its certificate. */
  readonly caPem: string;
  /** A kubeconfig (context `admin`, namespace `default`) whose cluster is this server, its CA trusted. */
  readonly kubeconfigPath: string;
  /** Connections accepted so far. */
  connections(): number;
  stop(): Promise<void>;
}

let pki: Promise<{ pki: Pki; dir: string }> | undefined;

/** One CA and 127.0.0.1 certificate per test file (openssl takes a moment). */
function testPki(): Promise<{ pki: Pki; dir: string }> {
  pki ??= (async () => {
    const dir = makeScratchDir("hostile-pki");
    return { pki: await createPki(dir), dir };
  })();
  return pki;
}

/** A body start that looks like the beginning of a real list response. */
export const PARTIAL_LIST =
  '{"kind":"PodList","apiVersion":"v1","metadata":{"resourceVersion":"1"},"items":[';

async function listen(server: Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return (server.address() as AddressInfo).port;
}

function tracked(server: Server): { sockets: Set<Socket>; count: () => number } {
  const sockets = new Set<Socket>();
  let count = 0;
  server.on("connection", (socket: Socket) => {
    count++;
    sockets.add(socket);
    socket.on("error", () => undefined);
    socket.on("close", () => sockets.delete(socket));
  });
  return { sockets, count: () => count };
}

async function serve(
  server: Server,
  scheme: "https",
  caPem: string,
  scratch: string,
): Promise<HostileServer> {
  const { sockets, count } = tracked(server);
  const port = await listen(server);
  const url = `${scheme}://127.0.0.1:${port}`;
  const kubeconfigPath = writeKubeconfig(join(scratch, "kubeconfig"), {
    server: url,
    caPem,
    users: [{ name: "admin", token: "hostile-test-token" }],
    currentUser: "admin",
    namespace: "default",
  });
  return {
    url,
    caPem,
    kubeconfigPath,
    connections: count,
    stop: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      removeScratchDir(scratch);
    },
  };
}

/** Starts a server of one hostile kind. */
export async function startHostileServer(kind: HostileKind): Promise<HostileServer> {
  const { pki: certs } = await testPki();
  const caPem = readFileSync(certs.caFile, "utf8");
  const tlsOptions = { cert: readFileSync(certs.serverCertFile), key: readFileSync(certs.serverKeyFile) };
  const scratch = makeScratchDir(`hostile-${kind}`);
  switch (kind) {
    case "tcp-silent":
      // Accepts and reads, never writes: the client's TLS handshake never finishes.
      return serve(
        createNetServer((socket) => socket.resume()),
        "https",
        caPem,
        scratch,
      );
    case "tls-silent":
      // Completes the handshake, reads the request, never answers.
      return serve(
        createTlsServer(tlsOptions, (socket) => socket.resume()),
        "https",
        caPem,
        scratch,
      );
    case "headers-then-stall":
      // Answers 200 with JSON headers and the start of a list, then sends nothing more.
      return serve(
        createHttpsServer(tlsOptions, (req: IncomingMessage, res: ServerResponse) => {
          req.resume();
          res.writeHead(200, { "Content-Type": "application/json" });
          res.write(PARTIAL_LIST);
        }),
        "https",
        caPem,
        scratch,
      );
  }
}
