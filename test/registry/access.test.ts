// checkAccess against scripted local registries: every outcome of the taxonomy, the token flows, the
// security rules (realm validation, no credentials across redirects, caps, deadlines) and no secrets in results.
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { checkAccess, createTokenCache, createTransport } from "../../src/registry/index.js";
import type { AccessResult, CheckAccessOptions, RegistryCredential } from "../../src/registry/index.js";
import { createTestCerts } from "./support/certs.js";
import type { TestCerts } from "./support/certs.js";
import { digestOf, imageFor, indexFor, startFakeRegistry } from "./support/fake-registry.js";
import type { FakeRegistry, FakeRegistryOptions } from "./support/fake-registry.js";
import { json, registryError, startTestServer } from "./support/hostile-server.js";
import type { TestServer } from "./support/hostile-server.js";
import { spyTransport } from "./support/spy-transport.js";

const USER = { username: "testuser", password: "Pa55-word+/secret" };
const ECR = { username: "AWS", password: "eyJwYXlsb2FkIjoiZWNyIHRva2VuIn0=.ecr-token-value" };
const REFRESH = "rt-0123456789abcdef-refresh";

const amd64 = imageFor({ os: "linux", architecture: "amd64" });
const APP = amd64.image;
const MULTI = indexFor([
  { os: "linux", architecture: "amd64" },
  { os: "linux", architecture: "arm64", variant: "v8" },
  { os: "unknown", architecture: "unknown" },
]);
const REPOS = {
  "org/app": { "1.0": APP, [digestOf(APP.body)]: APP },
  "org/multi": { "1.0": MULTI },
  "denied/app": { "1.0": APP },
};

let certs: TestCerts;
const closers: (() => Promise<void> | void)[] = [];
const secrets = [USER.password, ECR.password, REFRESH, "wrong-password-value"];
let issuedTokens: string[] = [];

beforeAll(() => {
  certs = createTestCerts();
});
afterAll(() => certs.cleanup());
afterEach(async () => {
  for (const c of closers.splice(0).reverse()) await c();
  issuedTokens = [];
});

async function registry(
  opts: Partial<FakeRegistryOptions> & Pick<FakeRegistryOptions, "auth">,
): Promise<FakeRegistry> {
  const r = await startFakeRegistry({
    users: [USER, ECR],
    refreshTokens: { [REFRESH]: USER.username },
    repositories: REPOS,
    blobs: amd64.blobs,
    ...opts,
  });
  closers.push(() => r.close());
  issuedTokens = r.issued;
  return r;
}

async function server(handler: Parameters<typeof startTestServer>[0], tls = false): Promise<TestServer> {
  const s = await startTestServer(handler, tls ? { tls: certs.server } : {});
  closers.push(() => s.close());
  return s;
}

/** No password, identity token or issued token in anything the result says. */
function expectNoSecrets(result: AccessResult): void {
  const text = JSON.stringify(result);
  for (const s of [...secrets, ...issuedTokens]) expect(text).not.toContain(s);
  expect(text).not.toContain("Bearer tok-");
  for (const c of [USER, ECR])
    expect(text).not.toContain(Buffer.from(`${c.username}:${c.password}`).toString("base64"));
  for (const step of result.steps) if (step.url) expect(step.url).not.toContain("?");
}

async function check(
  reg: { host: string },
  opts: Partial<CheckAccessOptions> & { path?: string; tag?: string; digest?: string } = {},
): Promise<AccessResult> {
  const { path = "org/app", tag = "1.0", digest, ...rest } = opts;
  const result = await checkAccess({
    image: { domain: reg.host, path, ...(digest ? { digest } : { tag }) },
    plainHttp: true,
    timeoutMs: 5_000,
    ...rest,
  });
  expectNoSecrets(result);
  expect(result.fix).not.toBe("");
  expect(result.message).not.toBe("");
  return result;
}

const steps = (r: AccessResult): string[] =>
  r.steps.map((s) => [s.step, s.method, s.status].filter((x) => x !== undefined).join(" "));

describe("Basic registries (htpasswd, ECR)", () => {
  it("ECR-style user AWS with its token as password: ok", async () => {
    const reg = await registry({ auth: "basic" });
    const r = await check(reg, { credential: ECR });
    expect(r).toMatchObject({
      outcome: "ok",
      auth: "basic",
      digest: digestOf(APP.body),
      mediaType: "application/vnd.oci.image.manifest.v1+json",
      blurred: false,
      registry: reg.host,
      image: `${reg.host}/org/app:1.0`,
    });
    expect(steps(r)).toEqual(["ping GET 401", "challenge", "manifest HEAD 200"]);
    const head = reg.server.requests.find((q) => q.method === "HEAD");
    expect(head?.headers.authorization).toBe(
      `Basic ${Buffer.from(`AWS:${ECR.password}`).toString("base64")}`,
    );
    expect(head?.headers.accept).toContain("application/vnd.oci.image.index.v1+json");
    expect(head?.headers.accept).toContain("application/vnd.docker.distribution.manifest.v2+json");
  });

  it("a wrong password is credential-rejected", async () => {
    const reg = await registry({ auth: "basic" });
    const r = await check(reg, { credential: { username: "testuser", password: "wrong-password-value" } });
    expect(r).toMatchObject({
      outcome: "unauthorized",
      reason: "credential-rejected",
      status: 401,
      blurred: false,
    });
  });

  it("no credential is no-credential (blurred: private or missing)", async () => {
    const reg = await registry({ auth: "basic" });
    const r = await check(reg);
    expect(r).toMatchObject({ outcome: "unauthorized", reason: "no-credential", blurred: true });
    expect(r.note).toMatch(/private repository from a missing one/);
  });

  it("an identity token cannot answer Basic: credential-unsupported, nothing sent", async () => {
    const reg = await registry({ auth: "basic" });
    const r = await check(reg, { credential: { identityToken: REFRESH } });
    expect(r).toMatchObject({ outcome: "unauthorized", reason: "credential-unsupported" });
    expect(reg.server.requests.map((q) => q.method)).toEqual(["GET"]);
  });

  it("a missing tag and a missing repository are told apart", async () => {
    const reg = await registry({ auth: "basic" });
    const tag = await check(reg, { credential: USER, tag: "nope" });
    expect(tag).toMatchObject({ outcome: "not-found", what: "tag", status: 404 });
    const repo = await check(reg, { credential: USER, path: "org/missing" });
    expect(repo).toMatchObject({ outcome: "not-found", what: "repository" });
    expect(steps(repo)).toContain("tags GET 404");
  });
});

describe("Bearer token flows", () => {
  it("username/password: GET with Basic and account, scope repository:<path>:pull", async () => {
    const reg = await registry({ auth: "bearer", service: "svc", expiresIn: 300 });
    const r = await check(reg, { credential: USER });
    expect(r).toMatchObject({ outcome: "ok", auth: "token", digest: digestOf(APP.body) });
    expect(steps(r)).toEqual(["ping GET 401", "challenge", "token GET 200", "manifest HEAD 200"]);
    expect(reg.tokenRequests).toHaveLength(1);
    const q = reg.tokenRequests[0];
    expect(q?.method).toBe("GET");
    expect(q?.params.get("account")).toBe("testuser");
    expect(q?.params.get("service")).toBe("svc");
    expect(q?.params.getAll("scope")).toEqual(["repository:org/app:pull"]);
    expect(q?.authorization).toBe(`Basic ${Buffer.from(`testuser:${USER.password}`).toString("base64")}`);
    expect(r.steps.find((s) => s.step === "challenge")?.detail).toBe(
      `bearer realm=${reg.url}/token service=svc`,
    );
  });

  it("anonymous: GET without Authorization or account", async () => {
    const reg = await registry({ auth: "bearer", grant: (_repo, _subject, actions) => actions });
    const r = await check(reg);
    expect(r).toMatchObject({ outcome: "ok", auth: "anonymous-token" });
    expect(r.fix).toMatch(/public/);
    expect(reg.tokenRequests[0]?.authorization).toBeUndefined();
    expect(reg.tokenRequests[0]?.params.has("account")).toBe(false);
  });

  it("anonymous without pull access: no-credential, blurred", async () => {
    const reg = await registry({ auth: "bearer" });
    const r = await check(reg);
    expect(r).toMatchObject({ outcome: "unauthorized", reason: "no-credential", blurred: true, status: 401 });
  });

  it("a wrong password is rejected at the token endpoint: credential-rejected", async () => {
    const reg = await registry({ auth: "bearer" });
    const r = await check(reg, { credential: { username: "testuser", password: "wrong-password-value" } });
    expect(r).toMatchObject({
      outcome: "unauthorized",
      reason: "credential-rejected",
      status: 401,
      blurred: false,
    });
    expect(steps(r)).toEqual(["ping GET 401", "challenge", "token GET 401"]);
  });

  it("identity token: OAuth2 POST refresh_token with client_id=pullwarden", async () => {
    const reg = await registry({ auth: "bearer", service: "svc" });
    const r = await check(reg, { credential: { identityToken: REFRESH } });
    expect(r).toMatchObject({ outcome: "ok", auth: "token" });
    const q = reg.tokenRequests[0];
    expect(q?.method).toBe("POST");
    expect(Object.fromEntries(q?.params ?? [])).toEqual({
      grant_type: "refresh_token",
      refresh_token: REFRESH,
      service: "svc",
      scope: "repository:org/app:pull",
      client_id: "pullwarden",
    });
    const post = reg.server.requests.find((x) => x.method === "POST");
    expect(post?.headers["content-type"]).toBe("application/x-www-form-urlencoded");
  });

  it.each([404, 405])("identity token: POST %i falls back to GET with Basic", async (status) => {
    const reg = await registry({ auth: "bearer", tokenPostStatus: status });
    const credential: RegistryCredential = {
      identityToken: REFRESH,
      username: "00000000-0000-0000-0000-000000000000",
    };
    const r = await check(reg, { credential });
    expect(r).toMatchObject({ outcome: "ok" });
    expect(steps(r)).toEqual([
      "ping GET 401",
      "challenge",
      `token POST ${status}`,
      "token GET 200",
      "manifest HEAD 200",
    ]);
    expect(reg.tokenRequests[1]?.params.get("account")).toBe("00000000-0000-0000-0000-000000000000");
  });

  it("an unknown identity token is credential-rejected (400 invalid_grant)", async () => {
    const reg = await registry({ auth: "bearer" });
    const r = await check(reg, { credential: { identityToken: "rt-not-issued-by-this-server" } });
    expect(r).toMatchObject({ outcome: "unauthorized", reason: "credential-rejected", status: 400 });
    expect(r.message).toContain("invalid_grant");
  });

  it("a token without pull access: denied, blurred (insufficient_scope)", async () => {
    const reg = await registry({ auth: "bearer" });
    const r = await check(reg, { credential: USER, path: "denied/app" });
    expect(r).toMatchObject({ outcome: "denied", blurred: true, status: 401 });
    expect(r.note).toMatch(/denied or not found/);
    expect(r.message).toContain("insufficient_scope");
  });

  it("a 401 invalid_token after a fresh token is a registry-side problem", async () => {
    const reg = await registry({
      auth: "bearer",
      hook: (req, res) => {
        if (req.method !== "HEAD") return false;
        registryError(res, 401, "UNAUTHORIZED", {
          "www-authenticate": 'Bearer realm="x",error="invalid_token"',
        });
        return true;
      },
    });
    expect(await check(reg, { credential: USER })).toMatchObject({
      outcome: "registry-error",
      reason: "token-rejected",
    });
  });

  it("missing repository and missing tag behind a token", async () => {
    const reg = await registry({ auth: "bearer" });
    expect(await check(reg, { credential: USER, path: "org/nothing" })).toMatchObject({
      outcome: "not-found",
      what: "repository",
    });
    expect(await check(reg, { credential: USER, tag: "2.0" })).toMatchObject({
      outcome: "not-found",
      what: "tag",
    });
  });

  it("a registry whose /v2/ is open but the repository asks for a token", async () => {
    const reg = await registry({
      auth: "bearer",
      hook: (req, res) => {
        if (req.url !== "/v2/") return false;
        json(res, 200, {});
        return true;
      },
    });
    const r = await check(reg, { credential: USER });
    expect(r).toMatchObject({ outcome: "ok", auth: "token" });
    expect(steps(r)).toEqual([
      "ping GET 200",
      "manifest HEAD 401",
      "challenge",
      "token GET 200",
      "manifest HEAD 200",
    ]);
  });

  it("an open registry: ok without auth, and says the credential was not tested", async () => {
    const reg = await registry({ auth: "none" });
    const r = await check(reg, { credential: USER });
    expect(r).toMatchObject({ outcome: "ok", auth: "none" });
    expect(r.note).toMatch(/not tested/);
  });
});

describe("token cache", () => {
  it("reuses a token across checks until it expires", async () => {
    const reg = await registry({ auth: "bearer", expiresIn: 120 });
    const cache = createTokenCache();
    let now = new Date();
    const at = (): Date => now;
    const transport = createTransport();
    closers.push(() => transport.close());
    const run = (): Promise<AccessResult> =>
      check(reg, { credential: USER, tokenCache: cache, now: at, transport });
    expect((await run()).outcome).toBe("ok");
    const second = await run();
    expect(second.outcome).toBe("ok");
    expect(second.steps.find((s) => s.step === "token")?.detail).toBe("cached token");
    expect(reg.tokenRequests).toHaveLength(1);
    now = new Date(now.getTime() + 200_000);
    expect((await run()).outcome).toBe("ok");
    expect(reg.tokenRequests).toHaveLength(2);
  });

  it("concurrent checks of one repository share one token request; other credentials do not", async () => {
    const reg = await registry({ auth: "bearer" });
    const cache = createTokenCache();
    const transport = createTransport();
    closers.push(() => transport.close());
    const results = await Promise.all(
      Array.from({ length: 6 }, () => check(reg, { credential: USER, tokenCache: cache, transport })),
    );
    expect(results.every((r) => r.outcome === "ok")).toBe(true);
    expect(reg.tokenRequests).toHaveLength(1);
    await check(reg, { credential: ECR, tokenCache: cache, transport });
    expect(reg.tokenRequests).toHaveLength(2);
    await check(reg, { credential: USER, tokenCache: cache, transport, path: "org/multi" });
    expect(reg.tokenRequests).toHaveLength(3);
  });
});

describe("realm validation", () => {
  it("refuses an http:// realm from an HTTPS registry, without asking it", async () => {
    const realmServer = await server((_req, res) => json(res, 200, { token: "x" }));
    const reg = await registry({
      auth: "bearer",
      tls: certs.server,
      realm: () => `${realmServer.url}/token?x=1`,
    });
    const r = await check(reg, { credential: USER, plainHttp: false, ca: certs.caPem });
    expect(r).toMatchObject({
      outcome: "bad-realm",
      reason: "insecure-scheme",
      realm: `${realmServer.url}/token`,
    });
    expect(realmServer.requests).toHaveLength(0);
    expect(steps(r)).toEqual(["ping GET 401", "challenge", "token"]);
  });

  it.each([
    ["http://169.254.169.254/latest/meta-data/iam/security-credentials/", "forbidden-address"],
    ["https://0.0.0.0/token", "forbidden-address"],
    ["https://[fd00:ec2::254]/token", "forbidden-address"],
    ["http://metadata.google.internal/computeMetadata/v1/token", "forbidden-address"],
  ])("refuses realm %s without any request to it", async (realm, reason) => {
    const reg = await registry({ auth: "bearer", realm: () => realm });
    const transport = spyTransport(createTransport({ timeoutMs: 2_000 }));
    closers.push(() => transport.close());
    const r = await check(reg, { credential: USER, transport });
    expect(r).toMatchObject({ outcome: "bad-realm", reason });
    expect(transport.calls.map((c) => new URL(c.url).host)).toEqual([reg.host]);
    expect(r.fix).toMatch(/metadata/);
  });

  it("refuses a challenge without realm", async () => {
    const reg = await registry({
      auth: "bearer",
      hook: (req, res) => {
        registryError(res, 401, "UNAUTHORIZED", { "www-authenticate": 'Bearer service="x"' });
        return true;
      },
    });
    expect(await check(reg, { credential: USER })).toMatchObject({ outcome: "bad-realm", reason: "missing" });
  });
});

describe("malformed challenges", () => {
  it.each([
    ['"""garbage ,,, =', "none"],
    [undefined, "none"],
    ["Negotiate abc==", "negotiate"],
    ['Digest realm="x", nonce="y"', "digest"],
  ])("WWW-Authenticate %j is an unsupported challenge", async (header, offered) => {
    const s = await server((_req, res) => {
      res.writeHead(401, header === undefined ? {} : { "www-authenticate": header });
      res.end();
    });
    const r = await check(s, { credential: USER });
    expect(r).toMatchObject({ outcome: "registry-error", reason: "unsupported-challenge", status: 401 });
    expect(r.message).toContain(`offered: ${offered}`);
  });
});

describe("rate limits and server errors", () => {
  it("429 with Retry-After on the manifest", async () => {
    const reg = await registry({
      auth: "basic",
      hook: (req, res) => {
        if (req.method !== "HEAD") return false;
        registryError(res, 429, "TOOMANYREQUESTS", { "retry-after": "30" });
        return true;
      },
    });
    expect(await check(reg, { credential: USER })).toMatchObject({
      outcome: "rate-limited",
      retryAfterSeconds: 30,
      status: 429,
    });
  });

  it("429 with an HTTP-date Retry-After on the token endpoint", async () => {
    const now = new Date("2030-01-01T00:00:00Z");
    const reg = await registry({
      auth: "bearer",
      hook: (req, res) => {
        if (!req.url?.startsWith("/token")) return false;
        json(
          res,
          429,
          { errors: [{ code: "TOOMANYREQUESTS", message: "slow down" }] },
          {
            "retry-after": new Date(now.getTime() + 90_000).toUTCString(),
          },
        );
        return true;
      },
    });
    expect(await check(reg, { credential: USER, now: () => now })).toMatchObject({
      outcome: "rate-limited",
      retryAfterSeconds: 90,
    });
  });

  it.each([500, 503])("%i on the ping or the manifest is a registry error", async (status) => {
    const down = await server((_req, res) => registryError(res, status, "UNAVAILABLE"));
    expect(await check(down)).toMatchObject({ outcome: "registry-error", reason: "server-error", status });
    const reg = await registry({
      auth: "basic",
      hook: (req, res) => {
        if (!req.url?.includes("/manifests/")) return false;
        registryError(res, status, "UNAVAILABLE");
        return true;
      },
    });
    expect(await check(reg, { credential: USER })).toMatchObject({
      outcome: "registry-error",
      reason: "server-error",
      code: "UNAVAILABLE",
    });
  });

  it("a ping answered 404 is not a registry", async () => {
    const s = await server((_req, res) => void res.writeHead(404).end("not here"));
    expect(await check(s)).toMatchObject({
      outcome: "registry-error",
      reason: "unexpected-status",
      status: 404,
    });
  });
});

describe("transport outcomes", () => {
  it("HTTPS to a plain-HTTP registry: plain-http", async () => {
    const reg = await registry({ auth: "basic" });
    const r = await check(reg, { credential: USER, plainHttp: false });
    expect(r).toMatchObject({ outcome: "plain-http", reason: "server-speaks-http" });
    expect(r.fix).toMatch(/--plain-http/);
  });

  it("plain HTTP to an HTTPS server is not ok", async () => {
    const reg = await registry({ auth: "basic", tls: certs.server });
    const r = await check(reg, { credential: USER, plainHttp: true });
    expect(["plain-http", "network"]).toContain(r.outcome);
  });

  it("unknown CA, hostname mismatch, and the CA fixing it", async () => {
    const reg = await registry({ auth: "basic", tls: certs.server });
    expect(await check(reg, { credential: USER, plainHttp: false })).toMatchObject({
      outcome: "tls",
      reason: "unknown-authority",
      code: "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
    });
    expect(await check(reg, { credential: USER, plainHttp: false, caFile: certs.caFile })).toMatchObject({
      outcome: "ok",
    });
    const other = await registry({ auth: "basic", tls: certs.mismatch });
    expect(await check(other, { credential: USER, plainHttp: false, caFile: certs.caFile })).toMatchObject({
      outcome: "tls",
      reason: "hostname-mismatch",
    });
  });

  it("a stalled registry times out fast", async () => {
    const s = await server(() => {
      /* never answers */
    });
    const started = Date.now();
    const r = await check(s, { timeoutMs: 150 });
    expect(r).toMatchObject({ outcome: "network", reason: "timeout" });
    expect(Date.now() - started).toBeLessThan(3_000);
  });
});

describe("manifest requests", () => {
  it("HEAD 405 falls back to GET", async () => {
    const reg = await registry({ auth: "basic", headNotAllowed: true });
    const r = await check(reg, { credential: USER });
    expect(r).toMatchObject({ outcome: "ok", digest: digestOf(APP.body) });
    expect(steps(r)).toEqual(["ping GET 401", "challenge", "manifest HEAD 405", "manifest GET 200"]);
  });

  it("computes the digest when the registry sends none", async () => {
    const reg = await registry({ auth: "basic", noDigestHeader: true });
    const r = await check(reg, { credential: USER });
    expect(r).toMatchObject({ outcome: "ok", digest: digestOf(APP.body) });
    expect(steps(r)).toEqual(["ping GET 401", "challenge", "manifest HEAD 200", "manifest GET 200"]);
  });

  it("checks by digest", async () => {
    const reg = await registry({ auth: "basic" });
    const r = await check(reg, { credential: USER, digest: digestOf(APP.body) });
    expect(r).toMatchObject({ outcome: "ok", digest: digestOf(APP.body) });
    expect(r.image).toBe(`${reg.host}/org/app@${digestOf(APP.body)}`);
    expect(await check(reg, { credential: USER, digest: digestOf("nope") })).toMatchObject({
      outcome: "not-found",
      what: "digest",
    });
  });

  it("follows a manifest redirect to another host without the credentials", async () => {
    const mirror = await server((req, res) => {
      res.writeHead(200, {
        "content-type": APP.mediaType,
        "docker-content-digest": digestOf(APP.body),
        "content-length": Buffer.byteLength(APP.body),
      });
      res.end(req.method === "HEAD" ? undefined : APP.body);
    });
    const reg = await registry({
      auth: "basic",
      hook: (req, res) => {
        if (!req.url?.includes("/manifests/")) return false;
        res.writeHead(307, { location: `${mirror.url}/signed/manifest?X-Amz-Signature=abc` }).end();
        return true;
      },
    });
    const r = await check(reg, { credential: USER });
    expect(r).toMatchObject({ outcome: "ok", digest: digestOf(APP.body) });
    expect(reg.server.requests.find((q) => q.method === "HEAD")?.headers.authorization).toMatch(/^Basic /);
    expect(mirror.requests).toHaveLength(1);
    expect(mirror.requests[0]?.headers.authorization).toBeUndefined();
    const manifestStep = r.steps.find((s) => s.step === "manifest");
    expect(manifestStep?.detail).toBe(
      `after 1 redirect(s) to ${mirror.url}/signed/manifest (Authorization not forwarded to the other host)`,
    );
  });

  it("a 401 from a manifest redirect target is credential-withheld-on-redirect, not credential-rejected", async () => {
    const mirror = await server((_req, res) => {
      res.writeHead(401, { "www-authenticate": 'Basic realm="mirror"' }).end();
    });
    const reg = await registry({
      auth: "basic",
      hook: (req, res) => {
        if (!req.url?.includes("/manifests/")) return false;
        res.writeHead(307, { location: `${mirror.url}${req.url}` }).end();
        return true;
      },
    });
    const r = await check(reg, { credential: USER });
    expect(r).toMatchObject({
      outcome: "unauthorized",
      reason: "credential-withheld-on-redirect",
      status: 401,
      blurred: false,
      message: `the registry redirected the request to ${mirror.host}, which answered HTTP 401 without having received the credential (credentials are never sent to another host); the credential itself was not tested`,
    });
    expect(r.fix).toContain("never sends a credential to another host");
    expect(r.fix).not.toContain("rejected");
    expect(mirror.requests.every((q) => q.headers.authorization === undefined)).toBe(true);
  });

  it("a 401 from a token endpoint redirect target is credential-withheld-on-redirect too", async () => {
    const elsewhere = await server((_req, res) => registryError(res, 401, "UNAUTHORIZED"));
    const reg = await registry({
      auth: "bearer",
      hook: (req, res) => {
        if (!req.url?.startsWith("/token")) return false;
        res.writeHead(302, { location: `${elsewhere.url}${req.url}` }).end();
        return true;
      },
    });
    const r = await check(reg, { credential: USER });
    expect(r).toMatchObject({ outcome: "unauthorized", reason: "credential-withheld-on-redirect" });
    expect(r.message).toContain(`the token service redirected the request to ${elsewhere.host}`);
    expect(r.steps.find((s) => s.step === "token" && s.status === 401)?.detail).toBe(
      `Basic; after 1 redirect(s) to ${elsewhere.url}/token (Authorization not forwarded to the other host)`,
    );
    expect(elsewhere.requests[0]?.headers.authorization).toBeUndefined();
  });

  it("caps an endless manifest at the largest size a runtime accepts (containerd's), whatever the transport's cap", async () => {
    const reg = await registry({
      auth: "basic",
      hook: (req, res) => {
        if (!req.url?.includes("/manifests/")) return false;
        res.writeHead(200, { "content-type": MULTI.mediaType, "docker-content-digest": digestOf("x") });
        if (req.method === "HEAD") return (void res.end(), true);
        const chunk = Buffer.alloc(8192, 0x20);
        const pump = (): void => {
          while (!res.destroyed && res.write(chunk));
          if (!res.destroyed) res.once("drain", pump);
        };
        pump();
        return true;
      },
    });
    const r = await check(reg, {
      credential: USER,
      platform: { os: "linux", architecture: "amd64" },
      maxBodyBytes: 32 * 1024,
    });
    expect(r).toMatchObject({
      outcome: "registry-error",
      reason: "body-too-large",
      message:
        "the manifest is more than 4,393,216 bytes: containerd refuses manifests over 4,393,216 bytes, CRI-O over 4,194,304 bytes",
    });
    expect(r.fix).toContain("larger than container runtimes read");
    expect(r.fix).not.toMatch(/--max-body-bytes/);
  });
});

describe("manifest sizes: the runtimes' limits (containerd 4 * 1048 * 1048 bytes, CRI-O/skopeo 4 MiB)", () => {
  it("a token response over 1 MiB (containers/image MaxAuthTokenBodySize) is a bad token response", async () => {
    const reg = await registry({
      auth: "bearer",
      hook: (req, res) => {
        if (!req.url?.startsWith("/token")) return false;
        json(res, 200, { token: "t".repeat(1024 * 1024 + 1) });
        return true;
      },
    });
    const r = await check(reg, { credential: USER, maxBodyBytes: 16 * 1024 * 1024 });
    expect(r).toMatchObject({
      outcome: "registry-error",
      reason: "bad-token-response",
      message: "the token response is larger than 1 MiB, the most CRI-O and skopeo read",
    });
  });

  /** MULTI padded with an annotation to exactly `size` bytes. */
  function paddedIndex(size: number): { mediaType: string; body: string } {
    const base = JSON.parse(MULTI.body) as Record<string, unknown>;
    const empty = JSON.stringify({ ...base, annotations: { "org.example.padding": "" } });
    const body = JSON.stringify({
      ...base,
      annotations: { "org.example.padding": "x".repeat(size - empty.length) },
    });
    expect(body.length).toBe(size);
    return { mediaType: MULTI.mediaType, body };
  }
  const sized = (size: number): Partial<FakeRegistryOptions> => ({
    repositories: { ...REPOS, "org/big": { "1.0": paddedIndex(size) } },
  });
  const arm64 = { os: "linux", architecture: "arm64" };

  it("a 2 MiB index (over the transport's 1 MiB default cap) is read whole: ok, no note", async () => {
    const reg = await registry({ auth: "basic", ...sized(2 * 1024 * 1024) });
    const r = await check(reg, { credential: USER, path: "org/big", platform: arm64 });
    expect(r).toMatchObject({ outcome: "ok", platform: { matched: { architecture: "arm64" } } });
    expect(r.note).toBeUndefined();
  });

  it("over 4 MiB but within containerd's limit: ok, with a note that CRI-O and skopeo refuse it", async () => {
    const reg = await registry({ auth: "basic", ...sized(4 * 1024 * 1024 + 100) });
    for (const platform of [undefined, arm64]) {
      const r = await check(reg, { credential: USER, path: "org/big", ...(platform ? { platform } : {}) });
      expect(r).toMatchObject({ outcome: "ok" });
      expect(r.note).toBe(
        "The manifest is 4,194,404 bytes: containerd pulls it (up to 4,393,216 bytes), but CRI-O, podman and skopeo refuse manifests over 4,194,304 bytes.",
      );
    }
  });

  it("over containerd's limit: body-too-large from the HEAD's Content-Length, as containerd decides, without reading it", async () => {
    const reg = await registry({ auth: "basic", ...sized(4 * 1048 * 1048 + 1) });
    const r = await check(reg, { credential: USER, path: "org/big" });
    expect(r).toMatchObject({
      outcome: "registry-error",
      reason: "body-too-large",
      message:
        "the manifest is 4,393,217 bytes: containerd refuses manifests over 4,393,216 bytes, CRI-O over 4,194,304 bytes",
    });
    expect(steps(r)).toEqual(["ping GET 401", "challenge", "manifest HEAD 200"]);
  });

  it("a registry that sends no digest and no HEAD: the size of the GET decides", async () => {
    const reg = await registry({
      auth: "basic",
      headNotAllowed: true,
      noDigestHeader: true,
      ...sized(2 * 1024 * 1024),
    });
    const r = await check(reg, { credential: USER, path: "org/big" });
    expect(r).toMatchObject({ outcome: "ok", digest: digestOf(paddedIndex(2 * 1024 * 1024).body) });
  });
});

describe("platforms", () => {
  it("finds a platform in an index (arm64 matches arm64/v8)", async () => {
    const reg = await registry({ auth: "bearer" });
    const r = await check(reg, {
      credential: USER,
      path: "org/multi",
      platform: { os: "linux", architecture: "arm64" },
    });
    expect(r).toMatchObject({
      outcome: "ok",
      mediaType: "application/vnd.oci.image.index.v1+json",
      platform: {
        requested: { os: "linux", architecture: "arm64" },
        matched: { os: "linux", architecture: "arm64", variant: "v8" },
        digest: digestOf("child-1"),
      },
    });
    expect(steps(r)).toEqual([
      "ping GET 401",
      "challenge",
      "token GET 200",
      "manifest HEAD 200",
      "platform GET 200",
      "platform",
    ]);
  });

  it("reports a missing platform with the ones available (attestations left out)", async () => {
    const reg = await registry({ auth: "bearer" });
    const r = await check(reg, {
      credential: USER,
      path: "org/multi",
      platform: { os: "linux", architecture: "s390x" },
    });
    expect(r).toMatchObject({
      outcome: "platform-missing",
      platform: { os: "linux", architecture: "s390x" },
      available: [
        { os: "linux", architecture: "amd64" },
        { os: "linux", architecture: "arm64", variant: "v8" },
      ],
    });
  });

  it("reads a single image's platform from its config blob", async () => {
    const reg = await registry({ auth: "basic" });
    const ok = await check(reg, {
      credential: USER,
      platform: { os: "linux", architecture: "amd64", variant: "v3" },
    });
    expect(ok).toMatchObject({
      outcome: "ok",
      platform: { matched: { os: "linux", architecture: "amd64" } },
    });
    expect(steps(ok).slice(-2)).toEqual(["platform GET 200", "config GET 200"]);
    const missing = await check(reg, { credential: USER, platform: { os: "linux", architecture: "arm64" } });
    expect(missing).toMatchObject({
      outcome: "platform-missing",
      available: [{ os: "linux", architecture: "amd64" }],
    });
  });
});
