// `pullwarden check` against real Debian docker-registry instances from the harness (htpasswd over TLS, token
// auth with the harness token server, plain HTTP), with pull secrets made by `pullwarden secret create`. Every
// run asserts that no password, auth field or registry token reaches stdout or stderr (table and -o json).
import { readFileSync, writeFileSync } from "node:fs";
import { createServer as createHttpsServer } from "node:https";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  REPO_ROOT,
  buildMultiPlatformImage,
  freePort,
  makeScratchDir,
  pushImageOrThrow,
  runCommand,
  skopeoInspect,
  startRegistry,
  startWorld,
  writeFakeCredentialHelper,
} from "../support/index.js";
import type { Registry, World } from "../support/index.js";
import { STACK_TRACE, parseJsonOutput, runPullwarden } from "../cli/run-cli.js";
import type { CliResult, RunOptions } from "../cli/run-cli.js";
import type { CheckJsonReport } from "../../src/cli/commands/check/render.js";

const USER = { username: "checkuser", password: "Chk-pw-7Yq2-never-printed" };
const WRONG_PASSWORD = "Wrong-pw-K9x4-never-printed";
const EXTRA_REPOS = ["org/extra1", "org/extra2"];

let world: World;
let plain: Registry;
let dir: string;
let counter = 0;

beforeAll(async () => {
  world = await startWorld({ containerd: false, users: [USER] });
  dir = makeScratchDir("check-real");
  plain = await startRegistry({ auth: "none", tls: false });
  await Promise.all([
    pushImageOrThrow(world.images.app.ref, `${plain.host}/org/app:1.0`, { tlsVerify: false }),
    ...EXTRA_REPOS.map((repo) =>
      pushImageOrThrow(world.images.app.ref, `${world.token.host}/${repo}:1.0`, {
        creds: USER,
        certDir: world.token.certDir,
      }),
    ),
  ]);
});

afterAll(async () => {
  await plain?.stop();
  await world?.stop();
});

function writeFile(name: string, content: string): string {
  const path = join(dir, `${++counter}-${name}`);
  writeFileSync(path, content, { mode: 0o600 });
  return path;
}

const SECRET_TEXTS = (): string[] => [
  USER.password,
  WRONG_PASSWORD,
  Buffer.from(`${USER.username}:${USER.password}`).toString("base64"),
  Buffer.from(`${USER.username}:${WRONG_PASSWORD}`).toString("base64"),
];

/** `pullwarden check ARGS`: no stack trace, and no secret in anything printed. */
async function check(args: string[], opts: RunOptions = {}): Promise<CliResult> {
  const result = await runPullwarden(["check", ...args], opts);
  const printed = result.stdout + result.stderr;
  for (const secret of SECRET_TEXTS()) expect(printed).not.toContain(secret);
  expect(printed).not.toMatch(/eyJ[A-Za-z0-9_-]{10,}\./); // no JWT (registry tokens)
  expect(result.stderr).not.toMatch(STACK_TRACE);
  return result;
}

async function checkJson(
  args: string[],
  opts: RunOptions = {},
): Promise<{ code: number; report: CheckJsonReport }> {
  const result = await check([...args, "-o", "json"], opts);
  return { code: result.code, report: parseJsonOutput<CheckJsonReport>(result) };
}

/** A pull secret made by `pullwarden secret create … -o yaml`, written to a file. */
async function createSecret(name: string, server: string, password: string): Promise<string> {
  const created = await runPullwarden(
    [
      "secret",
      "create",
      name,
      `--docker-server=${server}`,
      `--docker-username=${USER.username}`,
      "--docker-password-stdin",
      "--dry-run=client",
      "-o",
      "yaml",
    ],
    { stdin: `${password}\n` },
  );
  expect(created.code, created.stderr).toBe(0);
  return writeFile(`${name}.yaml`, created.stdout);
}

const ca = (): string[] => ["--ca-file", world.pki.caFile];

describe("htpasswd registry over TLS", () => {
  it("ok with a secret from `secret create` (--ca-file); the table names the secret, key and user", async () => {
    const secret = await createSecret("pull", world.basic.host, USER.password);
    const result = await check([world.ref(world.basic), "--secret", secret, ...ca()]);
    expect(result.code, result.stdout + result.stderr).toBe(0);
    const lines = result.stdout.split("\n");
    expect(lines[0]).toMatch(/^IMAGE\s+OUTCOME\s+DETAIL\s+CREDENTIAL$/);
    expect(lines[1]).toContain(world.ref(world.basic));
    expect(lines[1]).toMatch(/\bok\b/);
    expect(lines[1]).toContain(world.images.app.manifest.digest.slice(0, 19));
    expect(lines[1]).toContain(`secret pull (${secret}:1), key ${world.basic.host}, user ${USER.username}`);
    expect(result.stdout).not.toContain("fix:");
    expect(result.stdout).toContain("1 image(s): 1 ok, 0 not ok");

    const { code, report } = await checkJson([world.ref(world.basic), "--secret", secret, ...ca()]);
    expect(code).toBe(0);
    expect(report).toMatchObject({ schemaVersion: 1, ok: true, summary: { images: 1, ok: 1, notOk: 0 } });
    expect(report.images[0]).toMatchObject({
      image: world.ref(world.basic),
      outcome: "ok",
      reason: null,
      digest: world.images.app.manifest.digest,
      credential: { kind: "secret", key: world.basic.host, username: USER.username, via: "key-match" },
      attempt: 1,
      attempts: [{ attempt: 1, tried: true, result: { outcome: "ok", auth: "basic" } }],
    });
    expect(report.images[0]?.attempts[0]?.result?.steps.map((s) => s.step)).toEqual([
      "ping",
      "challenge",
      "manifest",
    ]);
  });

  it("the bundled CLI (dist/bin/main.js) as a real process: exit 0, and exit 1 with a wrong password", async () => {
    const main = join(REPO_ROOT, "dist", "bin", "main.js");
    const env = { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: dir };
    const args = [
      main,
      "check",
      world.ref(world.basic),
      "--username",
      USER.username,
      "--password-stdin",
      ...ca(),
    ];
    const good = await runCommand(process.execPath, args, { env, input: `${USER.password}\n`, cwd: dir });
    expect(good.exitCode, good.stderr).toBe(0);
    const bad = await runCommand(process.execPath, [...args, "-o", "json"], {
      env,
      input: WRONG_PASSWORD,
      cwd: dir,
    });
    expect(bad.exitCode).toBe(1);
    for (const secret of SECRET_TEXTS()) expect(bad.stdout + bad.stderr + good.stdout).not.toContain(secret);
    expect(JSON.parse(bad.stdout)).toMatchObject({
      images: [{ outcome: "unauthorized", reason: "credential-rejected" }],
    });
  });

  it("a wrong password is unauthorized/credential-rejected, with its fix", async () => {
    const secret = await createSecret("wrong", world.basic.host, WRONG_PASSWORD);
    const table = await check([world.ref(world.basic), "--secret", secret, ...ca()]);
    expect(table.code).toBe(1);
    expect(table.stdout).toMatch(/unauthorized\s+credential-rejected \(HTTP 401\)/);
    expect(table.stdout).toContain("  fix: The registry rejected the credential");
    const { code, report } = await checkJson([world.ref(world.basic), "--secret", secret, ...ca()]);
    expect(code).toBe(1);
    expect(report.images[0]).toMatchObject({ outcome: "unauthorized", reason: "credential-rejected" });
  });

  it("no credential is unauthorized/no-credential (blurred); a secret without a matching key is anonymous", async () => {
    const { code, report } = await checkJson([world.ref(world.basic), ...ca()]);
    expect(code).toBe(1);
    expect(report.images[0]).toMatchObject({
      outcome: "unauthorized",
      reason: "no-credential",
      blurred: true,
      credential: { kind: "anonymous", anonymous: "no-credential-given" },
    });
    expect(report.images[0]?.note).toEqual(expect.any(String));

    const other = await createSecret("other", "ghcr.io", USER.password);
    const viaSecret = await checkJson([world.ref(world.basic), "--secret", other, ...ca()]);
    expect(viaSecret.code).toBe(1);
    expect(viaSecret.report.images[0]).toMatchObject({
      outcome: "unauthorized",
      reason: "no-credential",
      credential: { kind: "anonymous", anonymous: "no-key-matches" },
    });
  });

  it("a missing tag is not-found/tag", async () => {
    const secret = await createSecret("pull", world.basic.host, USER.password);
    const { code, report } = await checkJson([
      world.ref(world.basic, "org/app", "9.9"),
      "--secret",
      secret,
      ...ca(),
    ]);
    expect(code).toBe(1);
    expect(report.images[0]).toMatchObject({ outcome: "not-found", reason: "tag" });
    expect(report.images[0]?.fix).toContain("The tag does not exist");
  });

  it("without --ca-file the certificate is from an unknown authority", async () => {
    const { code, report } = await checkJson([world.ref(world.basic)]);
    expect(code).toBe(1);
    expect(report.images[0]).toMatchObject({ outcome: "tls", reason: "unknown-authority" });
    expect(report.images[0]?.fix).toContain("--ca-file");
  });

  it("--insecure-skip-tls-verify reaches the registry, with a warning on stderr", async () => {
    const result = await check([world.ref(world.basic), "--insecure-skip-tls-verify", "-o", "json"]);
    expect(result.stderr).toContain("warning: --insecure-skip-tls-verify");
    expect(parseJsonOutput<CheckJsonReport>(result).images[0]).toMatchObject({
      outcome: "unauthorized",
      reason: "no-credential",
    });
  });
});

describe("a secret with two keys matching the image", () => {
  it("kubelet's order: the more specific (wrong) key first, then the host key (right); the image is ok", async () => {
    const specific = await createSecret("specific", `${world.basic.host}/org/app`, WRONG_PASSWORD);
    const host = await createSecret("host", world.basic.host, USER.password);
    // Listed host-first in the file: kubelet's order comes from the keys, not from the file.
    const both = writeFile(
      "both.yaml",
      `${readFileSync(host, "utf8")}---\n${readFileSync(specific, "utf8")}`,
    );

    const { code, report } = await checkJson([world.ref(world.basic), "--secret", both, ...ca()]);
    expect(code).toBe(0);
    const image = report.images[0];
    expect(image).toMatchObject({ outcome: "ok", attempt: 2 });
    expect(
      image?.attempts.map((a) => [
        a.credential.key,
        a.result?.outcome,
        a.result && "reason" in a.result ? a.result.reason : undefined,
      ]),
    ).toEqual([
      [`${world.basic.host}/org/app`, "unauthorized", "credential-rejected"],
      [world.basic.host, "ok", undefined],
    ]);
    expect(image?.credential).toMatchObject({
      kind: "secret",
      key: world.basic.host,
      source: expect.stringContaining("secret host"),
    });

    const table = await check([world.ref(world.basic), "--secret", both, ...ca()]);
    expect(table.code).toBe(0);
    expect(table.stdout).toContain(
      `attempt 1/2 unauthorized: credential-rejected (HTTP 401), with secret specific (${both}:`,
    );
    expect(table.stdout).toMatch(/attempt 2\/2 ok: sha256:[0-9a-f]{12}… \(basic\), with secret host/);
  });

  it("the first credential ok: the second is listed as not tried", async () => {
    const specific = await createSecret("specific-ok", `${world.basic.host}/org/app`, USER.password);
    const host = await createSecret("host-wrong", world.basic.host, WRONG_PASSWORD);
    const both = writeFile(
      "both.yaml",
      `${readFileSync(specific, "utf8")}---\n${readFileSync(host, "utf8")}`,
    );
    const { code, report } = await checkJson([world.ref(world.basic), "--secret", both, ...ca()]);
    expect(code).toBe(0);
    expect(report.images[0]?.attempts).toMatchObject([
      { attempt: 1, tried: true, result: { outcome: "ok" } },
      { attempt: 2, tried: false, skipped: "earlier-attempt-ok", result: null },
    ]);
  });
});

describe("token-auth registry", () => {
  it("an allowed repository is ok; a denied/ repository is denied", async () => {
    const secret = await createSecret("token", world.token.host, USER.password);
    const { code, report } = await checkJson([
      world.ref(world.token),
      world.ref(world.token, "denied/app"),
      "--secret",
      secret,
      ...ca(),
    ]);
    expect(code).toBe(1);
    expect(report.images.map((i) => [i.outcome, i.blurred])).toEqual([
      ["ok", false],
      ["denied", true],
    ]);
    expect(report.images[0]?.attempts[0]?.result).toMatchObject({ auth: "token" });
    expect(report.summary).toEqual({ images: 2, ok: 1, notOk: 1, outcomes: { ok: 1, denied: 1 } });
  });

  it("--username with --password-stdin; the multi-platform index has linux/arm64 but not linux/s390x", async () => {
    const image = world.ref(world.token, "org/multi");
    const args = [image, "--username", USER.username, "--password-stdin", ...ca()];
    const arm = await checkJson([...args, "--platform", "linux/arm64"], { stdin: `${USER.password}\n` });
    expect(arm.code).toBe(0);
    expect(arm.report.platform).toBe("linux/arm64");
    expect(arm.report.images[0]).toMatchObject({
      outcome: "ok",
      digest: world.images.multi.index.digest,
      credential: { kind: "flags", username: USER.username },
    });
    expect(arm.report.images[0]?.attempts[0]?.result).toMatchObject({
      platform: { matched: { os: "linux", architecture: "arm64" } },
    });

    const s390x = await check([...args, "--platform", "linux/s390x"], { stdin: USER.password });
    expect(s390x.code).toBe(1);
    expect(s390x.stdout).toMatch(/platform-missing\s+no linux\/s390x; has linux\/amd64, linux\/arm64\/v8/);
    expect(s390x.stdout).toContain("  fix: The image has no manifest for this platform");
  });

  it("-f: many images across repositories share one token per repository", async () => {
    const secret = await createSecret("token", world.token.host, USER.password);
    const repos = ["org/app", "org/multi", ...EXTRA_REPOS];
    const lines = ["# images of the token registry", ""];
    for (const repo of repos) {
      lines.push(`${world.ref(world.token, repo)}   # exists`);
      for (let i = 0; i < 7; i++) lines.push(world.ref(world.token, repo, `missing-${i}`));
    }
    const list = writeFile("images.txt", `${lines.join("\n")}\n`);
    world.tokenServer.clearRequests();
    const { code, report } = await checkJson(["-f", list, "--secret", secret, ...ca(), "--concurrency", "8"]);
    expect(code).toBe(1);
    expect(report.images).toHaveLength(32);
    expect(report.summary.outcomes).toEqual({ ok: 4, "not-found": 28 });
    expect(report.images[0]).toMatchObject({ file: list, line: 3, outcome: "ok" });
    expect(report.images[1]).toMatchObject({ line: 4, outcome: "not-found", reason: "tag" });
    const tokenRequests = world.tokenServer.requests();
    expect(tokenRequests.length).toBeLessThanOrEqual(repos.length);
    expect(new Set(tokenRequests.map((q) => q.scopes.join(" ")))).toEqual(
      new Set(repos.map((repo) => `repository:${repo}:pull`)),
    );
  });
});

describe("--docker-config", () => {
  it("credentials through a credential helper; a registry without an entry is anonymous", async () => {
    const helper = writeFakeCredentialHelper({
      suffix: "pwcheck",
      credentials: { [world.basic.host]: { username: USER.username, secret: USER.password } },
    });
    const config = writeFile(
      "config.json",
      JSON.stringify({ auths: { [world.basic.host]: {} }, credHelpers: { [world.basic.host]: "pwcheck" } }),
    );
    const env = { PATH: `${helper.dir}:${process.env.PATH ?? "/usr/bin:/bin"}`, HOME: dir };
    const { code, report } = await checkJson(
      [world.ref(world.basic), world.ref(world.token), `--docker-config=${config}`, ...ca()],
      { env },
    );
    expect(code).toBe(1);
    expect(report.images[0]).toMatchObject({
      outcome: "ok",
      credential: {
        kind: "docker-config",
        source: config,
        key: world.basic.host,
        username: USER.username,
        origin: "helper docker-credential-pwcheck",
      },
    });
    expect(report.images[1]).toMatchObject({
      outcome: "unauthorized",
      reason: "no-credential",
      credential: { kind: "anonymous", anonymous: "no-docker-config-entry" },
    });
  });
});

describe("a registry reached through a redirect to another host:port", () => {
  it("the registry's 401 to the withheld credential is credential-withheld-on-redirect, not credential-rejected", async () => {
    // A loopback HTTPS front (same certificate: 127.0.0.1) that sends every request on to the real registry.
    const front = createHttpsServer(
      { cert: readFileSync(world.pki.serverCertFile), key: readFileSync(world.pki.serverKeyFile) },
      (req, res) => {
        res.writeHead(307, { location: `https://${world.basic.host}${req.url ?? "/"}` }).end();
      },
    );
    await new Promise<void>((resolve) => front.listen(0, "127.0.0.1", resolve));
    try {
      const frontHost = `127.0.0.1:${(front.address() as AddressInfo).port}`;
      const image = `${frontHost}/org/app:1.0`;
      const secret = await createSecret("front", frontHost, USER.password);
      const { code, report } = await checkJson([image, "--secret", secret, ...ca()]);
      expect(code).toBe(1);
      const result = report.images[0];
      expect(result).toMatchObject({
        outcome: "unauthorized",
        reason: "credential-withheld-on-redirect",
        credential: { kind: "secret", key: frontHost },
      });
      expect(result?.message).toContain(
        `redirected the request to ${world.basic.host}, which answered HTTP 401`,
      );
      expect(result?.fix).not.toContain("rejected the credential");
      const manifest = result?.attempts[0]?.result?.steps.find((s) => s.step === "manifest");
      expect(manifest).toMatchObject({
        method: "HEAD",
        status: 401,
        detail: `after 1 redirect(s) to https://${world.basic.host}/v2/org/app/manifests/1.0 (Authorization not forwarded to the other host)`,
      });

      const table = await check([image, "--secret", secret, ...ca()]);
      expect(table.stdout).toMatch(/unauthorized\s+credential-withheld-on-redirect \(HTTP 401\)/);
      expect(table.stdout).toContain("  fix: The registry redirected the request to another host");

      // The credential itself is good: the same password straight to the registry pulls.
      const direct = await createSecret("direct", world.basic.host, USER.password);
      expect((await checkJson([world.ref(world.basic), "--secret", direct, ...ca()])).code).toBe(0);
    } finally {
      await new Promise<void>((resolve) => front.close(() => resolve()));
    }
  });
});

describe("a large index (2 MiB, over the transport's 1 MiB default cap)", () => {
  it("is read as containerd and skopeo read it (up to 4 MiB): ok, and skopeo accepts it too", async () => {
    const built = buildMultiPlatformImage(join(dir, "big-index"), {
      annotations: { "org.example.padding": "x".repeat(2 * 1024 * 1024) },
    });
    expect(built.index.size).toBeGreaterThan(2 * 1024 * 1024);
    const image = world.ref(world.basic, "org/big-index");
    await pushImageOrThrow(built.ref, image, { creds: USER, certDir: world.basic.certDir });
    const inspected = await skopeoInspect(image, { creds: USER, certDir: world.basic.certDir, raw: true });
    expect(inspected.ok, inspected.stderr).toBe(true);
    expect(inspected.stdout.length).toBe(built.index.size);

    const args = [image, "--username", USER.username, "--password-stdin", ...ca()];
    const arm = await checkJson([...args, "--platform", "linux/arm64"], { stdin: USER.password });
    expect(arm.code, JSON.stringify(arm.report.images[0])).toBe(0);
    expect(arm.report.images[0]).toMatchObject({ outcome: "ok", digest: built.index.digest, note: null });
    const plain = await check(args, { stdin: USER.password });
    expect(plain.code, plain.stdout).toBe(0);
    expect(plain.stdout).not.toContain("body-too-large");
  });
});

describe("plain HTTP and unreachable registries", () => {
  it("--plain-http against a plain registry is ok; without it the outcome is plain-http", async () => {
    const ok = await checkJson([world.ref(plain), "--plain-http"]);
    expect(ok.code).toBe(0);
    expect(ok.report.images[0]).toMatchObject({ outcome: "ok", digest: world.images.app.manifest.digest });
    const https = await checkJson([world.ref(plain)]);
    expect(https.code).toBe(1);
    expect(https.report.images[0]).toMatchObject({ outcome: "plain-http", reason: "server-speaks-http" });
  });

  it("a closed port is network/refused", async () => {
    const port = await freePort();
    const result = await check([`127.0.0.1:${port}/org/app:1.0`, "--timeout", "5"]);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/network\s+refused \(ECONNREFUSED\)/);
    expect(result.stdout).toContain("  fix: Nothing accepts connections at the registry's address");
  });
});
