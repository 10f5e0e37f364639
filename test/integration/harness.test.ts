// Proves the real-component harness (no pullwarden code): the registries, token server, skopeo, containerd's
// CRI and kubectl behave as shared/reference/test-infra.md records, so later suites can trust them.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  authEntry,
  basicAuth,
  buildImage,
  dockerConfigJsonFromSecret,
  imageStatus,
  kubectlCreateDockerRegistrySecret,
  libtrustKeyId,
  pullImage,
  requireTool,
  skopeoInspect,
  startWorld,
  writeAuthfile,
} from "../support/index.js";
import type { Registry, ToolName, World } from "../support/index.js";

let world: World;

beforeAll(async () => {
  world = await startWorld();
});

afterAll(async () => {
  await world?.stop();
});

function registries(): [string, () => Registry][] {
  return [
    ["htpasswd registry", () => world.basic],
    ["token registry", () => world.token],
  ];
}

function socket(): string {
  if (!world.containerd) throw new Error("containerd not started");
  return world.containerd.socket;
}

describe("harness basics", () => {
  it("requireTool fails loudly (never skips) when a tool is missing", () => {
    expect(() => requireTool("no-such-tool" as ToolName)).toThrow(
      "no-such-tool not found: run scripts/install-test-deps.sh",
    );
    expect(requireTool("docker-registry")).toMatch(/^\//);
  });

  it("builds reproducible OCI layouts", () => {
    const base = mkdtempSync(join(tmpdir(), "pullwarden-repro-"));
    try {
      const a = buildImage(join(base, "a"), { files: { "x/y.txt": "same\n" } });
      const b = buildImage(join(base, "b"), { files: { "x/y.txt": "same\n" } });
      expect(a.manifest.digest).toBe(b.manifest.digest);
      expect(a.diffId).not.toBe(a.layer.digest);
    } finally {
      rmSync(base, { recursive: true, force: true });
    }
  });

  it("the signing key id is a libtrust fingerprint", () => {
    expect(world.signing.kid).toMatch(/^([A-Z2-7]{4}:){11}[A-Z2-7]{4}$/);
    expect(libtrustKeyId(world.signing.certPem)).toBe(world.signing.kid);
  });
});

describe.each(registries())("%s", (_name, reg) => {
  it("an authfile with username/password/auth works with skopeo inspect", async () => {
    const r = reg();
    const authfile = writeAuthfile({ auths: { [r.host]: authEntry(world.user) } });
    const res = await skopeoInspect(world.ref(r), { authfile, certDir: r.certDir });
    expect(res.stderr).toBe("");
    expect(res.ok).toBe(true);
    const info = JSON.parse(res.stdout) as { Digest: string; Created: string | null };
    expect(info.Digest).toBe(world.images.app.manifest.digest);
    expect(info.Created).toBe("2020-01-01T00:00:00Z");
  });

  it("a wrong password fails in skopeo with the registry's error", async () => {
    const r = reg();
    const authfile = writeAuthfile({
      auths: { [r.host]: authEntry({ username: "testuser", password: "wrong" }) },
    });
    const res = await skopeoInspect(world.ref(r), { authfile, certDir: r.certDir });
    expect(res.ok).toBe(false);
    expect(res.stderr).toContain(
      r.auth === "token"
        ? "unable to retrieve auth token: invalid username/password: unauthorized: authentication failed"
        : "unauthorized: authentication required",
    );
  });

  it("CRI PullImage with username/password succeeds", async () => {
    const r = reg();
    // kubelet-style server_address; containerd 1.6 needs a scheme on it (see the quirk test below).
    const res = await pullImage(socket(), world.ref(r), {
      ...world.user,
      server_address: `https://${r.host}`,
    });
    expect(res).toEqual({ ok: true, imageRef: world.images.app.config.digest });
    if (!res.ok) return;
    expect(res.imageRef).toBe(world.images.app.config.digest);
    const status = await imageStatus(socket(), world.ref(r));
    expect(status?.repo_digests).toContain(`${r.host}/org/app@${world.images.app.manifest.digest}`);
  });

  it("CRI PullImage with a wrong password fails", async () => {
    const r = reg();
    const res = await pullImage(socket(), world.ref(r), { username: "testuser", password: "wrong" });
    expect(res.ok).toBe(false);
    if (res.ok) return;
    expect(res.codeName).toBe("UNKNOWN");
    expect(res.details).toContain(`failed to pull and unpack image "${world.ref(r)}"`);
    if (r.auth === "token") {
      expect(res.details).toContain("failed to fetch oauth token: unexpected status: 401 Unauthorized");
    } else {
      expect(res.details).toContain("401 Unauthorized");
    }
  });

  it("kubectl's dry-run pull secret, decoded, works as a skopeo authfile", async () => {
    const r = reg();
    const out = await kubectlCreateDockerRegistrySecret({ server: r.host, ...world.user });
    expect(out.stderr).toBe("");
    expect(out.exitCode).toBe(0);
    const config = dockerConfigJsonFromSecret(out.stdout);
    expect(JSON.parse(config)).toEqual({ auths: { [r.host]: authEntry(world.user) } });
    const res = await skopeoInspect(world.ref(r), { authfile: writeAuthfile(config), certDir: r.certDir });
    expect(res.ok, res.stderr).toBe(true);
  });

  it("serves the multi-platform index, and CRI picks this node's platform", async () => {
    const r = reg();
    const ref = world.ref(r, "org/multi");
    const raw = await skopeoInspect(ref, { creds: world.user, certDir: r.certDir, raw: true });
    expect(raw.ok, raw.stderr).toBe(true);
    const index = JSON.parse(raw.stdout) as { manifests: { platform: { architecture: string } }[] };
    expect(index.manifests.map((m) => m.platform.architecture)).toEqual(["amd64", "arm64"]);
    const pulled = await pullImage(socket(), ref, { auth: basicAuth(world.user) });
    expect(pulled).toMatchObject({ ok: true });
  });
});

describe("containerd CRI quirks", () => {
  it("AuthConfig.server_address must carry a scheme and match the image's host, else the pull fails", async () => {
    const r = world.basic;
    const noScheme = await pullImage(socket(), world.ref(r), { ...world.user, server_address: r.host });
    expect(noScheme).toMatchObject({ ok: false });
    if (!noScheme.ok) expect(noScheme.details).toContain("first path segment in URL cannot contain colon");
    // A server_address for another host makes containerd drop the credentials silently: anonymous → 401.
    const other = await pullImage(socket(), world.ref(r), {
      ...world.user,
      server_address: "https://127.0.0.1",
    });
    expect(other).toMatchObject({ ok: false });
    if (!other.ok) expect(other.details).toContain("401 Unauthorized");
  });

  it("a missing tag is NOT_FOUND", async () => {
    const res = await pullImage(socket(), world.ref(world.basic, "org/app", "nope"), world.user);
    expect(res).toMatchObject({ ok: false, codeName: "NOT_FOUND" });
  });
});

describe("token registry specifics", () => {
  it("identity tokens (refresh tokens) work with skopeo and with CRI", async () => {
    const r = world.token;
    const rt = world.tokenServer.issueRefreshToken(world.user.username);
    world.tokenServer.clearRequests();

    const authfile = writeAuthfile({
      auths: {
        [r.host]: {
          auth: basicAuth({ username: "00000000-0000-0000-0000-000000000000", password: "" }),
          identitytoken: rt,
        },
      },
    });
    const inspect = await skopeoInspect(world.ref(r), { authfile, certDir: r.certDir });
    expect(inspect.ok, inspect.stderr).toBe(true);

    const pulled = await pullImage(socket(), world.ref(r), { identity_token: rt });
    expect(pulled).toMatchObject({ ok: true });

    const refreshes = world.tokenServer
      .requests()
      .filter((q) => q.method === "POST" && q.grantType === "refresh_token" && q.status === 200);
    expect(new Set(refreshes.map((q) => q.clientId))).toEqual(
      new Set(["containerd-client", "containers/image"]),
    );
  });

  it("an unknown identity token is refused", async () => {
    const res = await pullImage(socket(), world.ref(world.token), { identity_token: "rt-not-issued" });
    expect(res.ok).toBe(false);
  });

  it("a denied/ repository gives insufficient_scope / access denied", async () => {
    const r = world.token;
    const ref = world.ref(r, "denied/app");
    const inspect = await skopeoInspect(ref, { creds: world.user, certDir: r.certDir });
    expect(inspect.ok).toBe(false);
    expect(inspect.stderr).toMatch(/denied|insufficient_scope|authentication required/);

    const res = await pullImage(socket(), ref, world.user);
    expect(res.ok).toBe(false);
    if (res.ok) return;
    expect(res.details).toContain(
      "pull access denied, repository does not exist or may require authorization",
    );
    expect(res.details).toContain("insufficient_scope");
  });

  it("containerd sends a password grant, then falls back to GET+Basic on 401", async () => {
    world.tokenServer.clearRequests();
    await pullImage(socket(), world.ref(world.token), { username: "testuser", password: "wrong" });
    const seen = world.tokenServer.requests().map((q) => `${q.method} ${q.credential} ${q.status}`);
    expect(seen).toContain("POST password 401");
    expect(seen).toContain("GET basic 401");
  });
});
