// The transport against hostile local servers: redirects, caps, stalls, TLS and protocol mismatches.
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createServer } from "node:net";
import type { AddressInfo } from "node:net";
import { InputError, UsageError } from "../../src/errors.js";
import { TransportError, createTransport } from "../../src/registry/index.js";
import type { Transport, TransportFailure } from "../../src/registry/index.js";
import { createTestCerts } from "./support/certs.js";
import type { TestCerts } from "./support/certs.js";
import { json, startTestServer } from "./support/hostile-server.js";
import type { Handler, TestServer } from "./support/hostile-server.js";

let certs: TestCerts;
const servers: TestServer[] = [];
const transports: Transport[] = [];

beforeAll(() => {
  certs = createTestCerts();
});
afterAll(() => certs.cleanup());
afterEach(async () => {
  for (const t of transports.splice(0)) t.close();
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function server(handler: Handler, tls = false): Promise<TestServer> {
  const s = await startTestServer(handler, tls ? { tls: certs.server } : {});
  servers.push(s);
  return s;
}

function transport(options: Parameters<typeof createTransport>[0] = {}): Transport {
  const t = createTransport(options);
  transports.push(t);
  return t;
}

async function failure(p: Promise<unknown>): Promise<TransportFailure> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(TransportError);
    return (e as TransportError).failure;
  }
  throw new Error("expected a TransportError");
}

describe("redirects", () => {
  it("drops Authorization when a redirect leaves the origin, keeps it on the same origin", async () => {
    const other = await server((_req, res) => json(res, 200, { ok: "other" }));
    const origin = await server((req, res) => {
      if (req.url === "/same") return void res.writeHead(307, { location: "/final" }).end();
      if (req.url === "/final") return json(res, 200, { ok: "same" });
      res.writeHead(302, { location: `${other.url}/blob?sig=abc` }).end();
    });
    const t = transport();
    const cross = await t.request({
      method: "GET",
      url: `${origin.url}/v2/x`,
      headers: { Authorization: "Bearer SECRET" },
    });
    expect(cross.status).toBe(200);
    expect(cross.redirects).toBe(1);
    expect(cross.authorizationDropped).toBe(true);
    expect(JSON.parse(cross.body.toString())).toEqual({ ok: "other" });
    expect(origin.requests[0]?.headers.authorization).toBe("Bearer SECRET");
    expect(other.requests).toHaveLength(1);
    expect(other.requests[0]?.headers.authorization).toBeUndefined();

    const same = await t.request({
      method: "GET",
      url: `${origin.url}/same`,
      headers: { authorization: "Bearer SECRET" },
    });
    expect(same.status).toBe(200);
    expect(same.authorizationDropped).toBe(false);
    expect(origin.requests.at(-1)?.url).toBe("/final");
    expect(origin.requests.at(-1)?.headers.authorization).toBe("Bearer SECRET");
  });

  it("treats another port on the same host as another origin", async () => {
    const other = await server((_req, res) => json(res, 200, {}));
    const origin = await server(
      (_req, res) => void res.writeHead(301, { location: `http://127.0.0.1:${other.port}/x` }).end(),
    );
    await transport().request({ method: "HEAD", url: origin.url, headers: { Authorization: "Basic dTpw" } });
    expect(other.requests[0]?.method).toBe("HEAD");
    expect(other.requests[0]?.headers.authorization).toBeUndefined();
  });

  it("stops after maxRedirects", async () => {
    const loop = await server(
      (req, res) => void res.writeHead(302, { location: `${req.url ?? "/"}x` }).end(),
    );
    expect(
      await failure(transport({ maxRedirects: 3 }).request({ method: "GET", url: `${loop.url}/` })),
    ).toEqual({
      kind: "redirect",
      reason: "too-many-redirects",
    });
    expect(loop.requests).toHaveLength(4);
  });

  it("refuses redirects to metadata addresses and non-HTTP schemes", async () => {
    const s = await server((req, res) => {
      const to = req.url === "/meta" ? "http://169.254.169.254/latest/meta-data/" : "file:///etc/passwd";
      res.writeHead(302, { location: to }).end();
    });
    const t = transport();
    expect(await failure(t.request({ method: "GET", url: `${s.url}/meta` }))).toMatchObject({
      kind: "redirect",
      reason: "forbidden-redirect",
    });
    expect(await failure(t.request({ method: "GET", url: `${s.url}/file` }))).toMatchObject({
      kind: "redirect",
      reason: "bad-redirect",
    });
  });

  it("never replays a request body (a refresh-token form) to another origin", async () => {
    const other = await server((_req, res) => json(res, 200, {}));
    const origin = await server((req, res) => {
      const to = req.url === "/local" ? "/token2" : `${other.url}/token`;
      if (req.url === "/token2") return json(res, 200, { ok: true });
      res.writeHead(307, { location: to }).end();
    });
    const t = transport();
    const form = {
      method: "POST" as const,
      headers: { "content-type": "application/x-www-form-urlencoded" },
    };
    expect(
      await failure(t.request({ ...form, url: `${origin.url}/token`, body: "refresh_token=rt-secret" })),
    ).toEqual({
      kind: "redirect",
      reason: "forbidden-redirect",
    });
    expect(other.requests).toHaveLength(0);
    const same = await t.request({ ...form, url: `${origin.url}/local`, body: "refresh_token=rt-secret" });
    expect(same.status).toBe(200);
    expect(origin.requests.at(-1)).toMatchObject({
      method: "POST",
      url: "/token2",
      body: "refresh_token=rt-secret",
    });
  });

  it("turns a POST into a GET without body on 303", async () => {
    const s = await server((req, res) => {
      if (req.method === "POST") return void res.writeHead(303, { location: "/after" }).end();
      json(res, 200, { method: req.method });
    });
    const res = await transport().request({
      method: "POST",
      url: `${s.url}/token`,
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "a=b",
    });
    expect(JSON.parse(res.body.toString())).toEqual({ method: "GET" });
    expect(s.requests[1]).toMatchObject({ method: "GET", url: "/after", body: "" });
    expect(s.requests[1]?.headers["content-type"]).toBeUndefined();
  });
});

describe("caps and deadlines", () => {
  it("caps a huge body and aborts the read", async () => {
    const big = Buffer.alloc(5 * 1024 * 1024, 0x61);
    const s = await server((_req, res) => {
      res.writeHead(200, { "content-length": big.length });
      res.end(big);
    });
    const res = await transport({ maxBodyBytes: 1024 }).request({ method: "GET", url: s.url });
    expect(res.truncated).toBe(true);
    expect(res.body.length).toBe(1024);
  });

  it("caps an endless body", async () => {
    let writes = 0;
    const s = await server((_req, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      const chunk = Buffer.alloc(16 * 1024, 0x7b);
      const pump = (): void => {
        while (!res.destroyed) {
          writes++;
          if (!res.write(chunk)) break;
        }
        if (!res.destroyed) res.once("drain", pump);
      };
      pump();
    });
    const started = Date.now();
    const res = await transport({ maxBodyBytes: 64 * 1024, timeoutMs: 5_000 }).request({
      method: "GET",
      url: s.url,
    });
    expect(res.truncated).toBe(true);
    expect(res.body.length).toBe(64 * 1024);
    expect(Date.now() - started).toBeLessThan(4_000);
    expect(writes).toBeGreaterThan(0);
  });

  it("times out a stalled response (no headers)", async () => {
    const s = await server(() => {
      /* never answers */
    });
    const started = Date.now();
    expect(await failure(transport({ timeoutMs: 200 }).request({ method: "GET", url: s.url }))).toEqual({
      kind: "network",
      reason: "timeout",
    });
    expect(Date.now() - started).toBeLessThan(3_000);
  });

  it("times out a body that stalls after the headers", async () => {
    const s = await server((_req, res) => {
      res.writeHead(200, { "content-length": "100" });
      res.write("{");
    });
    expect(await failure(transport({ timeoutMs: 200 }).request({ method: "GET", url: s.url }))).toMatchObject(
      {
        kind: "network",
        reason: "timeout",
      },
    );
  });

  it("reports a refused connection", async () => {
    const port = await new Promise<number>((resolve) => {
      const srv = createServer().listen(0, "127.0.0.1", () => {
        const p = (srv.address() as AddressInfo).port;
        srv.close(() => resolve(p));
      });
    });
    expect(
      await failure(transport().request({ method: "GET", url: `http://127.0.0.1:${port}/v2/` })),
    ).toMatchObject({
      kind: "network",
      reason: "refused",
      code: "ECONNREFUSED",
    });
  });
});

describe("connections", () => {
  it("reuses one kept-alive connection for sequential requests to a host", async () => {
    const s = await server((_req, res) => json(res, 200, {}));
    const t = transport();
    for (let i = 0; i < 5; i++) await t.request({ method: i % 2 ? "HEAD" : "GET", url: `${s.url}/v2/` });
    expect(s.requests).toHaveLength(5);
    expect(s.connections()).toBe(1);
  });

  it("keeps repeated WWW-Authenticate headers apart", async () => {
    const s = await server((_req, res) => {
      res.writeHead(401, {
        "www-authenticate": ['Basic realm="a"', 'Bearer realm="https://r/t",service="s"'],
      });
      res.end();
    });
    const res = await transport().request({ method: "GET", url: s.url });
    expect(res.headers["www-authenticate"]).toEqual([
      'Basic realm="a"',
      'Bearer realm="https://r/t",service="s"',
    ]);
  });

  it("sends a User-Agent and never turns URL user-info into credentials", async () => {
    const s = await server((_req, res) => json(res, 200, {}));
    await transport({ userAgent: "pullwarden-test/1" }).request({
      method: "GET",
      url: `http://user:pw@127.0.0.1:${s.port}/v2/`,
    });
    expect(s.requests[0]?.headers["user-agent"]).toBe("pullwarden-test/1");
    expect(s.requests[0]?.headers.authorization).toBeUndefined();
  });
});

describe("TLS and protocol mismatches", () => {
  it("an HTTPS request to a plain-HTTP server is plain-http", async () => {
    const s = await server((_req, res) => json(res, 200, {}));
    expect(
      await failure(transport().request({ method: "GET", url: `https://127.0.0.1:${s.port}/v2/` })),
    ).toMatchObject({
      kind: "plain-http",
      reason: "server-speaks-http",
      code: "EPROTO",
    });
  });

  it("an unknown CA is unknown-authority; the CA (file or PEM) or skip-verify fixes it", async () => {
    const s = await server((_req, res) => json(res, 200, {}), true);
    expect(await failure(transport().request({ method: "GET", url: `${s.url}/v2/` }))).toMatchObject({
      kind: "tls",
      reason: "unknown-authority",
      code: "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
    });
    expect(
      (await transport({ caFile: certs.caFile }).request({ method: "GET", url: `${s.url}/v2/` })).status,
    ).toBe(200);
    expect(
      (await transport({ ca: certs.caPem }).request({ method: "GET", url: `${s.url}/v2/` })).status,
    ).toBe(200);
    expect(
      (await transport({ insecureSkipTlsVerify: true }).request({ method: "GET", url: `${s.url}/v2/` }))
        .status,
    ).toBe(200);
  });

  it("CA certificates with insecureSkipTlsVerify are refused (they would be ignored), as client-go does", () => {
    for (const ca of [{ ca: certs.caPem }, { caFile: certs.caFile }]) {
      expect(() => createTransport({ ...ca, insecureSkipTlsVerify: true })).toThrow(UsageError);
      expect(() => createTransport({ ...ca, insecureSkipTlsVerify: true })).toThrow(
        /specifying root certificates with the insecure option is not allowed/,
      );
    }
  });

  it("a certificate for another name is hostname-mismatch", async () => {
    const s = await startTestServer((_req, res) => json(res, 200, {}), { tls: certs.mismatch });
    servers.push(s);
    expect(
      await failure(transport({ ca: certs.caPem }).request({ method: "GET", url: `${s.url}/v2/` })),
    ).toMatchObject({
      kind: "tls",
      reason: "hostname-mismatch",
      code: "ERR_TLS_CERT_ALTNAME_INVALID",
    });
  });

  it("an unreadable CA file is an input error", () => {
    expect(() => createTransport({ caFile: "/nonexistent/ca.pem" })).toThrow(InputError);
  });
});
