// Every request of the Kubernetes client is bounded (src/kube/http.ts): against servers that accept a connection
// and never answer, each bound fires in its phase with a KubeTimeoutError naming the server and what was asked,
// and a timeout is not retried. Plus what client-node's own library did that the bounded one keeps: gzip bodies,
// request bodies, keep-alive.
import { Agent } from "node:https";
import { Socket } from "node:net";
import { createServer as createHttpsServer } from "node:https";
import type { AddressInfo } from "node:net";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { HttpMethod, RequestContext } from "@kubernetes/client-node";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  DEFAULT_KUBE_TIMEOUTS,
  KubeClient,
  KubeTimeoutError,
  KubeUnreachableError,
  isTransient,
} from "../../src/kube/index.js";
import type { KubeTimeouts } from "../../src/kube/index.js";
import { KubeRequestTimeout, boundedHttpLibrary } from "../../src/kube/http.js";
import { createPki, makeScratchDir, removeScratchDir } from "../support/index.js";
import { writeKubeconfig } from "../support/kubeconfig.js";
import { PARTIAL_LIST, startHostileServer } from "./hostile-servers.js";
import type { HostileKind, HostileServer } from "./hostile-servers.js";
import { startCluster } from "./harness.js";
import type { TestCluster } from "./harness.js";

const servers: HostileServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.stop()));
});

async function hostile(kind: HostileKind): Promise<HostileServer> {
  const server = await startHostileServer(kind);
  servers.push(server);
  return server;
}

/** Lists Pods in `default` against `server` with these bounds; returns the error and how long it took. */
async function listPods(
  server: HostileServer,
  timeouts: KubeTimeouts,
): Promise<{ error: KubeTimeoutError; ms: number }> {
  const client = KubeClient.connect({ kubeconfig: server.kubeconfigPath, env: {}, timeouts });
  const started = performance.now();
  const error = await client.list("Pod", { namespace: "default" }).then(
    () => {
      throw new Error("the list succeeded");
    },
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(KubeTimeoutError);
  return { error: error as KubeTimeoutError, ms: performance.now() - started };
}

describe("bounds, phase by phase", () => {
  it("TCP accepted, TLS never answered: the handshake bound fires, whatever the request bound", async () => {
    const server = await hostile("tcp-silent");
    const { error, ms } = await listPods(server, { requestMs: 0, tlsHandshakeMs: 300 });
    expect(error.message).toBe(
      `the Kubernetes API server ${server.url} did not answer within 300ms (the TLS handshake did not finish)`,
    );
    expect(error.hint).toBe(
      "check the cluster's server address and port in the kubeconfig (kubectl config view --minify) and that it is up (kubectl cluster-info)",
    );
    expect([error.phase, error.bound, error.limitMs, error.code]).toEqual([
      "tls-handshake",
      "tls-handshake",
      300,
      "E_KUBE_TIMEOUT",
    ]);
    expect(error.exitCode).toBe(4);
    expect(ms).toBeLessThan(5000);
  });

  it("the request bound covers the handshake too when it is shorter", async () => {
    const server = await hostile("tcp-silent");
    const { error } = await listPods(server, { requestMs: 200 });
    expect(error.message).toBe(
      `the Kubernetes API server ${server.url} did not answer within 200ms (the TLS handshake did not finish)`,
    );
    expect(error.bound).toBe("request");
    expect(error.hint).toMatch(/; if it is only slow, allow more time with --request-timeout/);
  });

  it("TLS done, no response: the request bound fires, naming the request", async () => {
    const server = await hostile("tls-silent");
    const { error, ms } = await listPods(server, { requestMs: 400 });
    expect(error.message).toBe(
      `the Kubernetes API server ${server.url} did not answer within 400ms (list pods in default: no response)`,
    );
    expect(error.hint).toBe(
      "the API server or a proxy in front of it is stuck: check its health with kubectl get --raw='/readyz?verbose'; if it is only slow, allow more time with --request-timeout (e.g. 2m; 0: no limit)",
    );
    expect([error.phase, error.bound]).toEqual(["response", "request"]);
    expect(ms).toBeLessThan(5000);
  });

  it("headers, then the body stalls: the request bound fires, with the bytes received", async () => {
    const server = await hostile("headers-then-stall");
    const { error } = await listPods(server, { requestMs: 400 });
    expect(error.message).toBe(
      `the Kubernetes API server ${server.url} did not answer within 400ms (list pods in default: the response stopped after ${PARTIAL_LIST.length} bytes)`,
    );
    expect([error.phase, error.bound]).toEqual(["body", "request"]);
  });

  it("no request bound (0, as kubectl): a body that stalls still ends at the idle bound", async () => {
    const server = await hostile("headers-then-stall");
    const { error } = await listPods(server, { requestMs: 0, idleMs: 300 });
    expect(error.message).toBe(
      `the Kubernetes API server ${server.url} sent nothing for 300ms in the middle of a response (list pods in default: the response stopped after ${PARTIAL_LIST.length} bytes)`,
    );
    expect(error.hint).toBe(
      "the API server or a proxy in front of it is stuck: check its health with kubectl get --raw='/readyz?verbose'",
    );
    expect([error.phase, error.bound]).toEqual(["body", "idle"]);
  });

  it("a TCP connection that never opens: the connect bound fires", async () => {
    // A socket that stays `connecting` forever, as one to an address that drops SYNs (no network needed).
    class NeverConnects extends Agent {
      override createConnection(): Socket {
        const socket = new Socket();
        (socket as { connecting: boolean }).connecting = true;
        return socket;
      }
    }
    const context = new RequestContext("https://192.0.2.1:6443/version", HttpMethod.GET);
    context.setAgent(new NeverConnects());
    const error = await boundedHttpLibrary({ requestMs: 0, connectMs: 200 })
      .send(context)
      .toPromise()
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(error).toBeInstanceOf(KubeRequestTimeout);
    expect(error).toMatchObject({ phase: "connect", bound: "connect", limitMs: 200, bytes: 0 });
  });

  it("the defaults: 60s per request, connect 30s and TLS handshake 10s as client-go, idle 30s", () => {
    expect(DEFAULT_KUBE_TIMEOUTS).toEqual({
      requestMs: 60_000,
      connectMs: 30_000,
      tlsHandshakeMs: 10_000,
      idleMs: 30_000,
    });
  });

  it("a timeout is an unreachable server (fatal for reads) but not transient (no retry doubles the wait)", async () => {
    const server = await hostile("tls-silent");
    const { error } = await listPods(server, { requestMs: 200 });
    expect(error).toBeInstanceOf(KubeUnreachableError);
    expect(isTransient(error)).toBe(false);
    expect(server.connections()).toBe(1);
  });

  it("a server URL with user-info is shown without it", async () => {
    const server = await hostile("tls-silent");
    const scratch = makeScratchDir("userinfo");
    try {
      const url = server.url.replace("https://", "https://admin:S3CRET-CANARY@");
      const kubeconfig = writeKubeconfig(join(scratch, "kubeconfig"), {
        server: url,
        caPem: server.caPem,
        users: [{ name: "admin", token: "t" }],
        currentUser: "admin",
      });
      const client = KubeClient.connect({ kubeconfig, env: {}, timeouts: { requestMs: 200 } });
      const error = (await client.serverVersion().catch((e: unknown) => e)) as KubeTimeoutError;
      expect(error.message).toContain(`the Kubernetes API server ${server.url} did not answer`);
      expect(error.message).not.toContain("S3CRET-CANARY");
    } finally {
      removeScratchDir(scratch);
    }
  });
});

describe("what the bounded library keeps doing", () => {
  let api: TestCluster;
  beforeAll(async () => {
    api = await startCluster({ namespaces: ["team-a"] });
  });
  afterAll(async () => {
    await api?.stop();
  });

  it("reads and writes through a real kube-apiserver, reusing connections", async () => {
    const client = KubeClient.connect({ kubeconfig: api.kubeconfigPath, env: {} });
    expect(await client.serverVersion()).toBe("v1.37.2");
    await client.createSecret("team-a", {
      apiVersion: "v1",
      kind: "Secret",
      metadata: { name: "s", namespace: "team-a" },
      stringData: { k: "v" },
    } as never);
    await client.mergePatchSecret("team-a", "s", { metadata: { labels: { x: "y" } } });
    const secret = await client.getSecret("team-a", "s");
    expect(secret?.metadata.labels).toEqual({ x: "y" });
    expect(secret?.data).toEqual({ k: Buffer.from("v").toString("base64") });
  });

  it("accepts a gzip body as kubectl does (the API server compresses large lists)", async () => {
    const scratch = makeScratchDir("gzip");
    const certs = await createPki(scratch);
    const seen: { encoding?: string; agent?: string }[] = [];
    const server = createHttpsServer(
      { cert: readFileSync(certs.serverCertFile), key: readFileSync(certs.serverKeyFile) },
      (req, res) => {
        seen.push({
          ...(req.headers["accept-encoding"] ? { encoding: req.headers["accept-encoding"] } : {}),
          ...(req.headers["user-agent"] ? { agent: req.headers["user-agent"] } : {}),
        });
        res.writeHead(200, { "Content-Type": "application/json", "Content-Encoding": "gzip" });
        res.end(gzipSync(JSON.stringify({ major: "1", minor: "32", gitVersion: "v1.32.9" })));
      },
    );
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const kubeconfig = writeKubeconfig(join(scratch, "kubeconfig"), {
        server: `https://127.0.0.1:${(server.address() as AddressInfo).port}`,
        caPem: readFileSync(certs.caFile, "utf8"),
        users: [{ name: "admin", token: "t" }],
        currentUser: "admin",
      });
      const client = KubeClient.connect({ kubeconfig, env: {} });
      expect(await client.serverVersion()).toBe("v1.32.9");
      expect(seen).toEqual([{ encoding: "gzip", agent: expect.stringMatching(/^pullwarden\//) }]);
    } finally {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      removeScratchDir(scratch);
    }
  });
});
