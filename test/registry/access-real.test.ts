// checkAccess against real Debian docker-registry 2.8 instances from the test harness: htpasswd over TLS,
// token auth (the harness token server), and plain HTTP. Digests are cross-checked with skopeo.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkAccess, checkMany, createTokenCache } from "../../src/registry/index.js";
import type { AccessResult, CheckAccessOptions, RegistryCredential } from "../../src/registry/index.js";
import { pushImageOrThrow, skopeoInspect, startRegistry, startWorld } from "../support/index.js";
import type { Registry, World } from "../support/index.js";

let world: World;
let plain: Registry;
let plainBasic: Registry;

beforeAll(async () => {
  world = await startWorld({ containerd: false });
  const started = await Promise.allSettled([
    startRegistry({ auth: "none", tls: false }),
    startRegistry({ auth: "htpasswd", tls: false, users: [world.user] }),
  ]);
  for (const s of started) if (s.status === "rejected") throw s.reason;
  [plain, plainBasic] = started.map((s) => (s as PromiseFulfilledResult<Registry>).value) as [
    Registry,
    Registry,
  ];
  await Promise.all([
    pushImageOrThrow(world.images.app.ref, `${plain.host}/org/app:1.0`, { tlsVerify: false }),
    pushImageOrThrow(world.images.app.ref, `${plainBasic.host}/org/app:1.0`, {
      tlsVerify: false,
      creds: world.user,
    }),
  ]);
});

afterAll(async () => {
  await Promise.allSettled([plain?.stop(), plainBasic?.stop()]);
  await world?.stop();
});

const WRONG = { username: "testuser", password: "definitely-wrong-pw" };

function secretsOf(): string[] {
  return [world.user.password, WRONG.password];
}

async function check(
  registry: Registry,
  opts: Partial<CheckAccessOptions> & { path?: string; tag?: string } = {},
): Promise<AccessResult> {
  const { path = "org/app", tag = "1.0", ...rest } = opts;
  const result = await checkAccess({
    image: { domain: registry.host, path, tag },
    ...(registry.caFile ? { caFile: registry.caFile } : {}),
    plainHttp: !registry.tls,
    ...rest,
  });
  const text = JSON.stringify(result);
  for (const s of secretsOf()) expect(text).not.toContain(s);
  expect(text).not.toMatch(/eyJ[A-Za-z0-9_-]{10,}\./); // no JWT (registry tokens)
  return result;
}

const trace = (r: AccessResult): string[] =>
  r.steps.map((s) => [s.step, s.method, s.status].filter((x) => x !== undefined).join(" "));

describe("htpasswd registry over TLS", () => {
  it("ok with the right credential; the digest is skopeo's", async () => {
    const r = await check(world.basic, { credential: world.user });
    expect(r).toMatchObject({
      outcome: "ok",
      auth: "basic",
      digest: world.images.app.manifest.digest,
      mediaType: "application/vnd.oci.image.manifest.v1+json",
    });
    expect(trace(r)).toEqual(["ping GET 401", "challenge", "manifest HEAD 200"]);
    const inspect = await skopeoInspect(world.ref(world.basic), {
      creds: world.user,
      certDir: world.basic.certDir,
    });
    expect(inspect.ok, inspect.stderr).toBe(true);
    expect((JSON.parse(inspect.stdout) as { Digest: string }).Digest).toBe(
      r.outcome === "ok" ? r.digest : "",
    );
  });

  it("a wrong password is credential-rejected", async () => {
    expect(await check(world.basic, { credential: WRONG })).toMatchObject({
      outcome: "unauthorized",
      reason: "credential-rejected",
      status: 401,
    });
  });

  it("no credential is no-credential", async () => {
    expect(await check(world.basic)).toMatchObject({
      outcome: "unauthorized",
      reason: "no-credential",
      blurred: true,
    });
  });

  it("a missing tag and a missing repository", async () => {
    const tag = await check(world.basic, { credential: world.user, tag: "9.9" });
    expect(tag).toMatchObject({ outcome: "not-found", what: "tag", status: 404 });
    const repo = await check(world.basic, { credential: world.user, path: "org/missing" });
    expect(repo).toMatchObject({ outcome: "not-found", what: "repository", status: 404 });
  });

  it("without the CA the certificate is from an unknown authority", async () => {
    const r = await checkAccess({
      image: { domain: world.basic.host, path: "org/app", tag: "1.0" },
      credential: world.user,
    });
    expect(r).toMatchObject({ outcome: "tls", reason: "unknown-authority" });
  });

  it("plain HTTP to the TLS registry: the registry asks for HTTPS", async () => {
    const r = await check(world.basic, { credential: world.user, plainHttp: true });
    expect(r).toMatchObject({ outcome: "plain-http", reason: "server-requires-https" });
  });

  it("the platform of a single image comes from its config", async () => {
    const ok = await check(world.basic, {
      credential: world.user,
      platform: { os: "linux", architecture: "amd64" },
    });
    expect(ok).toMatchObject({
      outcome: "ok",
      platform: { matched: { os: "linux", architecture: "amd64" } },
    });
    const missing = await check(world.basic, {
      credential: world.user,
      platform: { os: "linux", architecture: "arm64" },
    });
    expect(missing).toMatchObject({
      outcome: "platform-missing",
      available: [{ os: "linux", architecture: "amd64" }],
    });
  });
});

describe("plain HTTP registries", () => {
  it("ok with plainHttp (no auth), plain-http without it", async () => {
    const ok = await check(plain);
    expect(ok).toMatchObject({ outcome: "ok", auth: "none", digest: world.images.app.manifest.digest });
    const https = await check(plain, { plainHttp: false });
    expect(https).toMatchObject({ outcome: "plain-http", reason: "server-speaks-http" });
  });

  it("htpasswd over plain HTTP", async () => {
    expect(await check(plainBasic, { credential: world.user })).toMatchObject({
      outcome: "ok",
      auth: "basic",
    });
    expect(await check(plainBasic, { credential: WRONG })).toMatchObject({
      outcome: "unauthorized",
      reason: "credential-rejected",
    });
  });
});

describe("token-auth registry", () => {
  it("an allowed repository is ok; the token request is what docker sends", async () => {
    world.tokenServer.clearRequests();
    const r = await check(world.token, { credential: world.user });
    expect(r).toMatchObject({ outcome: "ok", auth: "token", digest: world.images.app.manifest.digest });
    expect(trace(r)).toEqual(["ping GET 401", "challenge", "token GET 200", "manifest HEAD 200"]);
    const [q] = world.tokenServer.requests();
    expect(q).toMatchObject({
      method: "GET",
      credential: "basic",
      account: "testuser",
      service: world.tokenServer.service,
      scopes: ["repository:org/app:pull"],
      status: 200,
    });
  });

  it("a denied/ repository is denied (blurred: denied or not found)", async () => {
    const r = await check(world.token, { credential: world.user, path: "denied/app" });
    expect(r).toMatchObject({ outcome: "denied", blurred: true, status: 401 });
    expect(r.message).toContain("insufficient_scope");
  });

  it("a wrong password is credential-rejected at the token service", async () => {
    const r = await check(world.token, { credential: WRONG });
    expect(r).toMatchObject({ outcome: "unauthorized", reason: "credential-rejected", status: 401 });
    expect(trace(r)).toEqual(["ping GET 401", "challenge", "token GET 401"]);
  });

  it("no credential: an anonymous token without access is no-credential", async () => {
    const r = await check(world.token);
    expect(r).toMatchObject({ outcome: "unauthorized", reason: "no-credential", blurred: true });
    expect(trace(r)).toEqual(["ping GET 401", "challenge", "token GET 200", "manifest HEAD 401"]);
  });

  it("an identity token works through the OAuth2 refresh grant", async () => {
    const rt = world.tokenServer.issueRefreshToken(world.user.username);
    world.tokenServer.clearRequests();
    const credential: RegistryCredential = { identityToken: rt };
    const r = await check(world.token, { credential });
    expect(JSON.stringify(r)).not.toContain(rt);
    expect(r).toMatchObject({ outcome: "ok", auth: "token" });
    expect(world.tokenServer.requests()).toEqual([
      expect.objectContaining({
        method: "POST",
        grantType: "refresh_token",
        clientId: "pullwarden",
        status: 200,
      }),
    ]);
    const bad = await check(world.token, { credential: { identityToken: "rt-not-issued" } });
    expect(bad).toMatchObject({ outcome: "unauthorized", reason: "credential-rejected" });
  });

  it("a missing tag and a missing repository", async () => {
    expect(await check(world.token, { credential: world.user, tag: "9.9" })).toMatchObject({
      outcome: "not-found",
      what: "tag",
    });
    expect(await check(world.token, { credential: world.user, path: "org/missing" })).toMatchObject({
      outcome: "not-found",
      what: "repository",
    });
  });

  it("a multi-platform index: platform present and missing", async () => {
    const arm = await check(world.token, {
      credential: world.user,
      path: "org/multi",
      platform: { os: "linux", architecture: "arm64" },
    });
    const armImage = world.images.multi.images.find((i) => i.platform.architecture === "arm64");
    expect(arm).toMatchObject({
      outcome: "ok",
      digest: world.images.multi.index.digest,
      mediaType: "application/vnd.oci.image.index.v1+json",
      platform: {
        matched: { os: "linux", architecture: "arm64", variant: "v8" },
        digest: armImage?.manifest.digest,
      },
    });
    const s390x = await check(world.token, {
      credential: world.user,
      path: "org/multi",
      platform: { os: "linux", architecture: "s390x" },
    });
    expect(s390x).toMatchObject({
      outcome: "platform-missing",
      available: [
        { os: "linux", architecture: "amd64" },
        { os: "linux", architecture: "arm64", variant: "v8" },
      ],
    });
  });

  it("checkMany shares one token request per repository", async () => {
    world.tokenServer.clearRequests();
    const tokenCache = createTokenCache();
    const item = (
      path: string,
      tag = "1.0",
    ): { image: { domain: string; path: string; tag: string }; credential: typeof world.user } => ({
      image: { domain: world.token.host, path, tag },
      credential: world.user,
    });
    const results = await checkMany(
      [item("org/app"), item("org/app"), item("org/multi"), item("org/app", "9.9"), item("org/multi")],
      { caFile: world.pki.caFile, tokenCache, concurrency: 5 },
    );
    expect(results.map((r) => r.outcome)).toEqual(["ok", "ok", "ok", "not-found", "ok"]);
    expect(
      world.tokenServer
        .requests()
        .map((q) => q.scopes.join(" "))
        .sort(),
    ).toEqual(["repository:org/app:pull", "repository:org/multi:pull"]);
  });
});
