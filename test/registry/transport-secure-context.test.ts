// A transport with its own CAs builds one TLS context, with the system roots from Node's default context and
// the user's CAs added to it, instead of re-parsing the ~140-certificate list on every new connection (which
// cost tens of milliseconds per connection and dominated `pullwarden check --ca-file`).
import { connect, createSecureContext, rootCertificates } from "node:tls";
import type { SecureContext } from "node:tls";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTransport, trustedSecureContext } from "../../src/registry/transport.js";
import { createTestCerts } from "./support/certs.js";
import type { TestCerts } from "./support/certs.js";
import { json, startTestServer } from "./support/hostile-server.js";
import type { TestServer } from "./support/hostile-server.js";

let certs: TestCerts;
let server: TestServer;

beforeAll(async () => {
  certs = createTestCerts();
  // `connection: close`: every request needs a new TLS connection.
  server = await startTestServer(
    (_req, res) => {
      res.setHeader("connection", "close");
      json(res, 200, {});
    },
    { tls: certs.server },
  );
});

afterAll(async () => {
  await server?.close();
  certs?.cleanup();
});

function handshake(secureContext: SecureContext): Promise<{ authorized: boolean; error?: string }> {
  return new Promise((resolve) => {
    const socket = connect({
      host: "127.0.0.1",
      port: server.port,
      secureContext,
      rejectUnauthorized: false,
    });
    socket.on("secureConnect", () => {
      resolve({
        authorized: socket.authorized,
        ...(socket.authorizationError ? { error: String(socket.authorizationError) } : {}),
      });
      socket.destroy();
    });
    socket.on("error", (e) => resolve({ authorized: false, error: e.message }));
  });
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

describe("trustedSecureContext", () => {
  it("roots plus a CA: the CA's server verifies", async () => {
    expect(await handshake(trustedSecureContext([...rootCertificates, certs.caPem]))).toEqual({
      authorized: true,
    });
  });

  it("without the roots in the list it trusts only the list (the meaning of a bare `ca`)", async () => {
    expect(await handshake(trustedSecureContext([certs.caPem]))).toEqual({ authorized: true });
    expect((await handshake(trustedSecureContext([...rootCertificates]))).authorized).toBe(false);
  });

  it("is much cheaper than passing the whole list as `ca`", () => {
    const list = [...rootCertificates, certs.caPem];
    const time = (f: () => unknown): number => {
      const start = performance.now();
      f();
      return performance.now() - start;
    };
    trustedSecureContext(list); // warm the default root store
    const fast = median(Array.from({ length: 5 }, () => time(() => trustedSecureContext(list))));
    const slow = median(Array.from({ length: 5 }, () => time(() => createSecureContext({ ca: list }))));
    expect(fast * 3).toBeLessThan(slow);
  });
});

describe("createTransport with a CA", () => {
  it("trusts the CA on every new connection; a certificate for another name still fails", async () => {
    const transport = createTransport({ ca: certs.caPem });
    try {
      for (let i = 0; i < 5; i++) {
        expect((await transport.request({ method: "GET", url: `${server.url}/v2/` })).status).toBe(200);
      }
      expect(server.connections()).toBeGreaterThanOrEqual(5);
    } finally {
      transport.close();
    }
    const mismatch = await startTestServer((_req, res) => json(res, 200, {}), { tls: certs.mismatch });
    const strict = createTransport({ caFile: certs.caFile });
    try {
      await expect(strict.request({ method: "GET", url: `${mismatch.url}/v2/` })).rejects.toMatchObject({
        failure: { kind: "tls", reason: "hostname-mismatch" },
      });
    } finally {
      strict.close();
      await mismatch.close();
    }
  });
});
