// Secrets made by `pullwarden secret create` against the real consumers: skopeo (containers/image, as an
// authfile) and containerd's CRI PullImage (the call kubelet makes). The credential pulled with is the one
// `pullwarden secret match` says kubelet would try first, sent the way kubelet sends it:
// AuthConfig{username, password}, no server_address (kubelet leaves it empty; containerd 1.6 would need a
// scheme on it, see test/support/README.md).
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  CREDENTIALS_NOT_FOUND,
  imageStatus,
  makeScratchDir,
  pullImage,
  removeImage,
  skopeoInspect,
  startWorld,
  writeAuthfile,
  writeFakeCredentialHelper,
} from "../support/index.js";
import type { Registry, World } from "../support/index.js";
import { STACK_TRACE, parseJsonOutput, runPullwarden } from "../cli/run-cli.js";
import type { CliResult, RunOptions } from "../cli/run-cli.js";

let world: World;
let dir: string;
let fileCounter = 0;

beforeAll(async () => {
  world = await startWorld();
  dir = makeScratchDir("consumers");
});

afterAll(async () => {
  await world?.stop();
});

function socket(): string {
  if (!world.containerd) throw new Error("containerd not started");
  return world.containerd.socket;
}

function writeFile(name: string, content: string): string {
  const path = join(dir, `${++fileCounter}-${name}`);
  writeFileSync(path, content, { mode: 0o600 });
  return path;
}

interface SecretJson {
  metadata: { name: string };
  type: string;
  data: Record<string, string>;
}

/** The decoded `.dockerconfigjson` of a `-o json` Secret, as exact text. */
function dockerConfigJson(result: CliResult): string {
  const secret = parseJsonOutput<SecretJson>(result);
  expect(secret.type).toBe("kubernetes.io/dockerconfigjson");
  const b64 = secret.data[".dockerconfigjson"];
  if (b64 === undefined) throw new Error("no .dockerconfigjson in the secret");
  return Buffer.from(b64, "base64").toString("utf8");
}

async function ok(args: string[], opts: RunOptions = {}): Promise<CliResult> {
  const result = await runPullwarden(args, opts);
  expect(result.code, result.stderr).toBe(0);
  expect(result.stderr).not.toMatch(STACK_TRACE);
  return result;
}

/** `secret create NAME --docker-server HOST … --docker-password-stdin --dry-run=client -o json`. */
async function createSecret(name: string, registry: Registry, password: string): Promise<CliResult> {
  return ok(
    [
      "secret",
      "create",
      name,
      `--docker-server=${registry.host}`,
      `--docker-username=${world.user.username}`,
      "--docker-password-stdin",
      "--dry-run=client",
      "-o",
      "json",
    ],
    { stdin: `${password}\n` },
  );
}

interface MatchJson {
  image: string;
  normalizedImage: string;
  anonymousFallback: boolean;
  matches: {
    order: number;
    via: string;
    normalizedKey: string;
    entry: { key: string; credential?: { username: string; password: string } };
  }[];
}

/** `secret match IMAGE FILE -o json --show-secrets`: the credentials kubelet would try, in order. */
async function match(image: string, file: string): Promise<MatchJson> {
  return parseJsonOutput<MatchJson>(
    await ok(["secret", "match", image, file, "-o", "json", "--show-secrets"]),
  );
}

/** Pulls through CRI with the first credential kubelet would try, exactly as kubelet builds AuthConfig. */
async function pullWithFirstMatch(image: string, secretFile: string) {
  const matched = await match(image, secretFile);
  const first = matched.matches[0];
  if (!first?.entry.credential) throw new Error(`no credential matched ${image}`);
  const { username, password } = first.entry.credential;
  return { matched, first, pulled: await pullImage(socket(), image, { username, password }) };
}

const REGISTRIES: [string, () => Registry][] = [
  ["htpasswd TLS registry", () => world.basic],
  ["token-auth TLS registry", () => world.token],
];

describe.each(REGISTRIES)("%s", (_label, registry) => {
  it("a secret from `secret create` works as a skopeo authfile", async () => {
    const r = registry();
    const created = await createSecret("regcred", r, world.user.password);
    const config = dockerConfigJson(created);
    expect(JSON.parse(config)).toEqual({
      auths: {
        [r.host]: {
          username: world.user.username,
          password: world.user.password,
          auth: Buffer.from(`${world.user.username}:${world.user.password}`).toString("base64"),
        },
      },
    });
    const res = await skopeoInspect(world.ref(r), { authfile: writeAuthfile(config), certDir: r.certDir });
    expect(res.ok, res.stderr).toBe(true);
    expect((JSON.parse(res.stdout) as { Digest: string }).Digest).toBe(world.images.app.manifest.digest);
  });

  it("the credential `secret match` puts first pulls the image through CRI PullImage", async () => {
    const r = registry();
    const created = await createSecret("regcred", r, world.user.password);
    const secretFile = writeFile("regcred.json", created.stdout);
    const image = world.ref(r);
    await removeImage(socket(), image); // a real pull, not one already in the store
    expect(await imageStatus(socket(), image)).toBeNull();
    const { matched, first, pulled } = await pullWithFirstMatch(image, secretFile);
    expect(matched.normalizedImage).toBe(`${r.host}/org/app`);
    expect(matched.anonymousFallback).toBe(false);
    expect(first).toMatchObject({ order: 1, via: "key-match", normalizedKey: r.host });
    expect(first.entry.credential).toMatchObject({
      username: world.user.username,
      password: world.user.password,
    });
    expect(pulled).toEqual({ ok: true, imageRef: world.images.app.config.digest });
    expect((await imageStatus(socket(), image))?.repo_digests).toContain(
      `${r.host}/org/app@${world.images.app.manifest.digest}`,
    );
  });

  it("a wrong password fails both skopeo and CRI, with the registry's error", async () => {
    const r = registry();
    const created = await createSecret("wrong", r, "not-the-password");
    const inspect = await skopeoInspect(world.ref(r), {
      authfile: writeAuthfile(dockerConfigJson(created)),
      certDir: r.certDir,
    });
    expect(inspect.ok).toBe(false);
    expect(inspect.stderr).toContain(
      r.auth === "token"
        ? "unable to retrieve auth token: invalid username/password: unauthorized: authentication failed"
        : "unauthorized: authentication required",
    );

    const { first, pulled } = await pullWithFirstMatch(world.ref(r), writeFile("wrong.json", created.stdout));
    expect(first.entry.credential?.password).toBe("not-the-password");
    expect(pulled.ok).toBe(false);
    if (pulled.ok) return;
    expect(pulled.details).toContain(`failed to pull and unpack image "${world.ref(r)}"`);
    expect(pulled.details).toContain(
      r.auth === "token"
        ? "failed to fetch oauth token: unexpected status: 401 Unauthorized"
        : "401 Unauthorized",
    );
  });
});

describe("several registries in one secret", () => {
  it("--merge of two single-registry secrets (JSON and YAML manifests) works with skopeo for both", async () => {
    const basicJson = (await createSecret("basic", world.basic, world.user.password)).stdout;
    const tokenYaml = (
      await ok(
        [
          "secret",
          "create",
          "token",
          `--docker-server=${world.token.host}`,
          `--docker-username=${world.user.username}`,
          "--docker-password-env=TOKEN_REGISTRY_PASSWORD",
          "--dry-run=client",
          "-o",
          "yaml",
        ],
        { env: { TOKEN_REGISTRY_PASSWORD: world.user.password } },
      )
    ).stdout;
    const a = writeFile("basic.json", basicJson);
    const b = writeFile("token.yaml", tokenYaml);
    const merged = await ok(["secret", "create", "both", "--merge", a, b, "--dry-run=client", "-o", "json"]);
    const config = dockerConfigJson(merged);
    expect(Object.keys((JSON.parse(config) as { auths: object }).auths).sort()).toEqual(
      [world.basic.host, world.token.host].sort(),
    );
    const authfile = writeAuthfile(config);
    for (const r of [world.basic, world.token]) {
      const res = await skopeoInspect(world.ref(r), { authfile, certDir: r.certDir });
      expect(res.ok, `${r.auth}: ${res.stderr}`).toBe(true);
    }
    // kubelet picks each registry's own entry, and CRI pulls with it.
    const mergedFile = writeFile("both.json", merged.stdout);
    for (const r of [world.basic, world.token]) {
      const { matched, first, pulled } = await pullWithFirstMatch(world.ref(r, "org/multi"), mergedFile);
      expect(matched.matches).toHaveLength(1);
      expect(first.normalizedKey).toBe(r.host);
      expect(pulled).toMatchObject({ ok: true });
    }
  });
});

describe("written with a warning: what every consumer reads as meant, as kubectl writes it", () => {
  /** `secret create` for `registry` with this user's password from the environment, as -o json. */
  async function createFor(registry: Registry, username: string, password: string, server = registry.host) {
    return runPullwarden(
      [
        "secret",
        "create",
        "regcred",
        `--docker-server=${server}`,
        `--docker-username=${username}`,
        "--docker-password-env=P",
        "--dry-run=client",
        "-o",
        "json",
      ],
      { env: { P: password } },
    );
  }

  it.each([
    ["a tab", "tab-user", "pa\tss-word"],
    ["DEL", "del-user", "pass-word\u007f"],
    ["a carriage return", "cr-user", "pa\rss-word"],
    ["a trailing newline", "nl-user", "pass-word\n"],
  ])(
    "a password with %s pulls through skopeo and CRI on both registries",
    async (_label, username, password) => {
      await world.basic.addUser({ username, password });
      world.tokenServer.setUser({ username, password });
      for (const r of [world.basic, world.token]) {
        const created = await createFor(r, username, password);
        expect(created.code, created.stderr).toBe(0);
        expect(created.stderr).toMatch(
          /^warning: the password in the decoded auth of .*(contains|ends with)/,
        );
        const inspect = await skopeoInspect(world.ref(r), {
          authfile: writeAuthfile(dockerConfigJson(created)),
          certDir: r.certDir,
        });
        expect(inspect.ok, `${r.auth}: ${inspect.stderr}`).toBe(true);
        await removeImage(socket(), world.ref(r));
        const { first, pulled } = await pullWithFirstMatch(
          world.ref(r),
          writeFile("ctl.json", created.stdout),
        );
        expect(first.entry.credential?.password).toBe(password);
        expect(pulled, r.auth).toMatchObject({ ok: true });
      }
    },
  );

  it("an http:// key: kubelet's match and skopeo drop the scheme, CRI pulls with the credential", async () => {
    for (const r of [world.basic, world.token]) {
      const created = await createFor(r, world.user.username, world.user.password, `http://${r.host}`);
      expect(created.code, created.stderr).toBe(0);
      expect(created.stderr).toMatch(/^warning: registry key "http:\/\/.*" has an http:\/\/ scheme/);
      const config = JSON.parse(dockerConfigJson(created)) as { auths: Record<string, unknown> };
      expect(Object.keys(config.auths)).toEqual([`http://${r.host}`]);
      const inspect = await skopeoInspect(world.ref(r), {
        authfile: writeAuthfile(dockerConfigJson(created)),
        certDir: r.certDir,
      });
      expect(inspect.ok, `${r.auth}: ${inspect.stderr}`).toBe(true);
      await removeImage(socket(), world.ref(r));
      const { first, pulled } = await pullWithFirstMatch(
        world.ref(r),
        writeFile("http-key.json", created.stdout),
      );
      expect(first).toMatchObject({ via: "key-match", normalizedKey: r.host });
      expect(pulled).toMatchObject({ ok: true });
    }
  });
});

describe("why secret create refuses some payloads kubectl copies verbatim (the consumers' side)", () => {
  it("skopeo strips NUL from both ends of a password (containerd does not): another password is sent", async () => {
    const r = world.token;
    for (const [username, password] of [
      ["nul-end", "pass-word\u0000"],
      ["nul-start", "\u0000pass-word"],
    ] as const) {
      world.tokenServer.setUser({ username, password });
      const auth = Buffer.from(`${username}:${password}`).toString("base64");
      const inspect = await skopeoInspect(world.ref(r), {
        authfile: writeAuthfile({ auths: { [r.host]: { auth } } }),
        certDir: r.certDir,
      });
      expect(inspect.ok).toBe(false);
      expect(inspect.stderr).toContain("invalid username/password");
      await removeImage(socket(), world.ref(r));
      expect(await pullImage(socket(), world.ref(r), { username, password })).toMatchObject({ ok: true });
    }
  });

  // pullwarden's refusals are tested in test/cli/bad-input.test.ts; these pin the real consumers' behaviour.
  it("skopeo and containerd reject an auth without '=' padding", async () => {
    const r = world.basic;
    const auth = Buffer.from(`${world.user.username}:${world.user.password}`).toString("base64");
    expect(auth).toMatch(/=$/);
    const unpadded = auth.replace(/=+$/, "");
    const inspect = await skopeoInspect(world.ref(r), {
      authfile: writeAuthfile({ auths: { [r.host]: { auth: unpadded } } }),
      certDir: r.certDir,
    });
    expect(inspect.ok).toBe(false);
    expect(inspect.stderr).toContain("illegal base64 data at input byte");
    const pulled = await pullImage(socket(), world.ref(r), { auth: unpadded });
    expect(pulled).toMatchObject({ ok: false });
    if (!pulled.ok) expect(pulled.details).toContain("illegal base64 data at input byte");
  });

  it("skopeo rejects a payload that starts with a UTF-8 byte order mark", async () => {
    const r = world.basic;
    const config = JSON.stringify({
      auths: {
        [r.host]: { auth: Buffer.from(`${world.user.username}:${world.user.password}`).toString("base64") },
      },
    });
    const inspect = await skopeoInspect(world.ref(r), {
      authfile: writeAuthfile(`\ufeff${config}`),
      certDir: r.certDir,
    });
    expect(inspect.ok).toBe(false);
    expect(inspect.stderr).toContain("reading JSON file");
  });
});

describe("--from-docker-config with credential helpers", () => {
  function helperWorld(failWith?: string) {
    const home = makeScratchDir("dockerhome");
    mkdirSync(join(home, ".docker"), { recursive: true });
    const helper = writeFakeCredentialHelper({
      suffix: "test",
      credentials: {
        [world.basic.host]: { username: world.user.username, secret: world.user.password },
        [world.token.host]: { username: world.user.username, secret: world.user.password },
      },
      ...(failWith ? { failWith } : {}),
    });
    const env = { PATH: `${helper.dir}:${process.env.PATH ?? "/usr/bin:/bin"}`, HOME: home };
    return { home, helper, env };
  }

  const unknownHost = "127.0.0.1:9";

  function credHelpersConfig(home: string): string {
    const path = join(home, ".docker", "config.json");
    writeFileSync(
      path,
      JSON.stringify({
        auths: {},
        credHelpers: { [world.basic.host]: "test", [world.token.host]: "test", [unknownHost]: "test" },
      }),
    );
    return path;
  }

  it("credHelpers: every host the helper knows ends up in the secret and works with skopeo", async () => {
    const { home, helper, env } = helperWorld();
    credHelpersConfig(home);
    // No PATH argument: the default ~/.docker/config.json under HOME.
    const created = await ok(
      ["secret", "create", "from-helper", "--from-docker-config", "--dry-run=client", "-o", "json"],
      { env },
    );
    const payload = JSON.parse(dockerConfigJson(created)) as { auths: Record<string, unknown> };
    // The helper answered "credentials not found in native keychain" for the third host: it is left out.
    expect(Object.keys(payload.auths).sort()).toEqual([world.basic.host, world.token.host].sort());
    expect(helper.calls()).toEqual(
      expect.arrayContaining([`get ${world.basic.host}`, `get ${world.token.host}`, `get ${unknownHost}`]),
    );
    const authfile = writeAuthfile(dockerConfigJson(created));
    for (const r of [world.basic, world.token]) {
      const res = await skopeoInspect(world.ref(r), { authfile, certDir: r.certDir });
      expect(res.ok, `${r.auth}: ${res.stderr}`).toBe(true);
    }
  });

  it("--registry keeps only the named host; a host the helper does not know is an error", async () => {
    const { home, env } = helperWorld();
    const config = credHelpersConfig(home);
    const one = await ok(
      [
        "secret",
        "create",
        "one",
        "--from-docker-config",
        config,
        "--registry",
        world.token.host,
        "--dry-run=client",
        "-o",
        "json",
      ],
      { env },
    );
    const payload = JSON.parse(dockerConfigJson(one)) as { auths: Record<string, unknown> };
    expect(Object.keys(payload.auths)).toEqual([world.token.host]);
    const res = await skopeoInspect(world.ref(world.token), {
      authfile: writeAuthfile(dockerConfigJson(one)),
      certDir: world.token.certDir,
    });
    expect(res.ok, res.stderr).toBe(true);

    const missing = await runPullwarden(
      [
        "secret",
        "create",
        "x",
        "--from-docker-config",
        config,
        "--registry",
        unknownHost,
        "--dry-run=client",
      ],
      { env },
    );
    expect(missing.code).toBe(3);
    expect(missing.stdout).toBe("");
    expect(missing.stderr).toMatch(new RegExp(`^error: .*no credentials for registry ${unknownHost}`));
  });

  it("credsStore: the helper's list names the registries", async () => {
    const { home, helper, env } = helperWorld();
    const path = join(home, ".docker", "config.json");
    writeFileSync(path, JSON.stringify({ auths: {}, credsStore: "test" }));
    const created = await ok(
      ["secret", "create", "store", "--from-docker-config", path, "--dry-run=client", "-o", "json"],
      { env },
    );
    const payload = JSON.parse(dockerConfigJson(created)) as { auths: Record<string, unknown> };
    expect(Object.keys(payload.auths).sort()).toEqual([world.basic.host, world.token.host].sort());
    expect(helper.calls()[0]).toBe("list ");
    const authfile = writeAuthfile(dockerConfigJson(created));
    const res = await skopeoInspect(world.ref(world.basic), { authfile, certDir: world.basic.certDir });
    expect(res.ok, res.stderr).toBe(true);
  });

  it("the fake helper speaks the protocol's not-found message", async () => {
    const { helper } = helperWorld();
    const { runCommand } = await import("../support/index.js");
    const res = await runCommand(helper.path, ["get"], { input: "nowhere.example\n" });
    expect(res.exitCode).toBe(1);
    expect(res.stdout.trim()).toBe(CREDENTIALS_NOT_FOUND);
    const found = await runCommand(helper.path, ["get"], { input: world.basic.host });
    expect(JSON.parse(found.stdout)).toEqual({
      ServerURL: world.basic.host,
      Username: world.user.username,
      Secret: world.user.password,
    });
  });

  it("a failing helper is an environment error (exit 4); its stdout is never shown (it may be the secret)", async () => {
    const { home, env } = helperWorld("error talking to the keychain: locked");
    const config = credHelpersConfig(home);
    const res = await runPullwarden(
      ["secret", "create", "x", "--from-docker-config", config, "--dry-run=client", "-o", "json"],
      { env },
    );
    expect(res.stdout).toBe("");
    expect(res.stderr).toMatch(
      /^error: .*docker-credential-test failed for .*: exit code 1 \(its output is not shown/m,
    );
    expect(res.stderr).not.toContain("keychain");
    expect(res.stderr).not.toMatch(STACK_TRACE);
    expect(res.code).toBe(4);
  });

  it("a helper missing from PATH is an environment error (exit 4)", async () => {
    const { home } = helperWorld();
    const config = credHelpersConfig(home);
    const res = await runPullwarden(
      ["secret", "create", "x", "--from-docker-config", config, "--dry-run=client"],
      { env: { PATH: "/nonexistent", HOME: home } },
    );
    expect(res.code).toBe(4);
    expect(res.stdout).toBe("");
    expect(res.stderr).toMatch(/^error: cannot run docker-credential-test: not found on PATH/m);
  });
});
