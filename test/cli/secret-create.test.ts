// `pullwarden secret create` in-process: where the password comes from, what is refused and how (exit codes
// from docs/exit-codes.md), and that the password never leaks into messages.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { STACK_TRACE, parseJsonOutput, runPullwarden, spawnPullwarden } from "./run-cli.js";
import type { CliResult } from "./run-cli.js";
import { TOKENS, b64, dockerConfig, kubectlEntry, secretYaml } from "./secret-fixtures.js";

const KUBECTL_MISSING =
  "error: either --from-file or the combination of --docker-username, --docker-password and --docker-server is required\n";

let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "pullwarden-create-"));
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

function file(name: string, content: string | Buffer): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

/** The auths of a `-o json` Secret. */
function authsOf(result: CliResult): Record<string, Record<string, string>> {
  const secret = parseJsonOutput<{ data: Record<string, string> }>(result);
  const payload = Buffer.from(secret.data[".dockerconfigjson"] ?? "", "base64").toString("utf8");
  return (JSON.parse(payload) as { auths: Record<string, Record<string, string>> }).auths;
}

const BASE = ["secret", "create", "regcred", "--docker-server=reg.example.com", "--docker-username=bot"];
const JSON_OUT = ["--dry-run=client", "-o", "json"];

function expectCleanFailure(result: CliResult, code: number): void {
  expect(result.code, result.stderr).toBe(code);
  expect(result.stdout).toBe("");
  expect(result.stderr).not.toMatch(STACK_TRACE);
  expect(result.stderr).toMatch(/^error: /);
}

describe("password sources", () => {
  it.each([
    ["LF", "s3cret\n"],
    ["CRLF", "s3cret\r\n"],
    ["no newline", "s3cret"],
  ])("--docker-password-stdin trims one trailing newline (%s)", async (_label, stdin) => {
    const result = await runPullwarden([...BASE, "--docker-password-stdin", ...JSON_OUT], { stdin });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toBe("");
    expect(authsOf(result)["reg.example.com"]).toEqual({
      username: "bot",
      password: "s3cret",
      auth: b64("bot:s3cret"),
    });
  });

  it("--docker-password-stdin keeps inner and leading characters verbatim", async () => {
    const password = '  a b&<>:"\\/ü🐳';
    const result = await runPullwarden([...BASE, "--docker-password-stdin", ...JSON_OUT], {
      stdin: `${password}\n`,
    });
    expect(result.code, result.stderr).toBe(0);
    expect(authsOf(result)["reg.example.com"]?.password).toBe(password);
  });

  it("only ONE newline is trimmed: a second one is part of the password, written with a warning", async () => {
    const result = await runPullwarden([...BASE, "--docker-password-stdin", ...JSON_OUT], {
      stdin: "s3cret\n\n",
    });
    expect(result.code, result.stderr).toBe(0);
    expect(authsOf(result)["reg.example.com"]?.password).toBe("s3cret\n");
    expect(result.stderr).toMatch(
      /^warning: the password in the decoded auth of "reg\.example\.com" ends with a newline/m,
    );
    expect(result.stderr).not.toContain("s3cret");
  });

  it.each([
    ["LF", "from-file\n"],
    ["CRLF", "from-file\r\n"],
  ])("--docker-password-file trims one trailing newline (%s)", async (label, content) => {
    const path = file(`password-${label}.txt`, content);
    const result = await runPullwarden([...BASE, `--docker-password-file=${path}`, ...JSON_OUT]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toBe("");
    expect(authsOf(result)["reg.example.com"]?.password).toBe("from-file");
  });

  it("--docker-password-file resolves relative paths against the working directory", async () => {
    file("relative.txt", "rel-pass\n");
    const result = await runPullwarden([...BASE, "--docker-password-file", "relative.txt", ...JSON_OUT], {
      cwd: dir,
    });
    expect(result.code, result.stderr).toBe(0);
    expect(authsOf(result)["reg.example.com"]?.password).toBe("rel-pass");
  });

  it("--docker-password-file that does not exist: exit 3, names the file", async () => {
    const result = await runPullwarden([
      ...BASE,
      `--docker-password-file=${join(dir, "missing.txt")}`,
      ...JSON_OUT,
    ]);
    expectCleanFailure(result, 3);
    expect(result.stderr).toContain("missing.txt: no such file");
  });

  it("--docker-password-env reads the variable verbatim", async () => {
    const result = await runPullwarden([...BASE, "--docker-password-env=REG_PW", ...JSON_OUT], {
      env: { REG_PW: "env-pass&<>" },
    });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toBe("");
    expect(authsOf(result)["reg.example.com"]?.password).toBe("env-pass&<>");
  });

  it.each([
    ["unset", {}, "error: no password: environment variable REG_PW is not set\n"],
    ["empty", { REG_PW: "" }, "error: no password: environment variable REG_PW is empty\n"],
  ])(
    "--docker-password-env with the variable %s: exit 3, names the variable",
    async (_label, env, message) => {
      const result = await runPullwarden([...BASE, "--docker-password-env=REG_PW", ...JSON_OUT], { env });
      expectCleanFailure(result, 3);
      expect(result.stderr.split("\n")[0] + "\n").toBe(message);
      expect(result.stderr).toMatch(/^hint: .*REG_PW/m);
    },
  );

  it("--docker-password on argv works but warns, naming --docker-password-stdin", async () => {
    const result = await runPullwarden([...BASE, "--docker-password=argv-pass", ...JSON_OUT]);
    expect(result.code).toBe(0);
    expect(authsOf(result)["reg.example.com"]?.password).toBe("argv-pass");
    const lines = result.stderr.trimEnd().split("\n");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^warning: .*process list.*--docker-password-stdin/);
    expect(result.stderr).not.toContain("argv-pass");
  });

  it.each([
    [["--docker-password=a", "--docker-password-stdin"]],
    [["--docker-password=a", "--docker-password-env=X"]],
    [["--docker-password-stdin", "--docker-password-file=/dev/null"]],
    [["--docker-password-env=X", "--docker-password-file=/dev/null"]],
    [["--docker-password-stdin", "--docker-password-env=X", "--docker-password=a"]],
  ])("two password sources are a usage error: %j", async (sources) => {
    const result = await runPullwarden([...BASE, ...sources, ...JSON_OUT], { env: { X: "x" }, stdin: "a\n" });
    expectCleanFailure(result, 2);
    expect(result.stderr).toMatch(/^error: use only one password source/);
  });

  it("no password at all: kubectl's message, exit 2", async () => {
    const result = await runPullwarden([...BASE, ...JSON_OUT]);
    expect(result).toEqual({ code: 2, stdout: "", stderr: KUBECTL_MISSING });
  });

  it("no username: kubectl's message, exit 2", async () => {
    const result = await runPullwarden(
      ["secret", "create", "regcred", "--docker-password-env=P", ...JSON_OUT],
      { env: { P: "x" } },
    );
    expect(result).toEqual({ code: 2, stdout: "", stderr: KUBECTL_MISSING });
  });

  // The README's first example with GHCR_TOKEN unset: printf '%s' "$GHCR_TOKEN" | ... --docker-password-stdin.
  it.each([
    ["empty stdin", ["--docker-password-stdin"], "", /standard input \(--docker-password-stdin\) is empty/],
    ["stdin with only a newline", ["--docker-password-stdin"], "\n", /standard input .* is empty/],
    [
      "an empty --docker-password-file",
      ["--docker-password-file=EMPTY"],
      "",
      /password file .*empty\.txt is empty/,
    ],
    ["--docker-password=''", ["--docker-password="], "", /given with --docker-password is empty/],
  ])("an empty password (%s) says so and where it was read, exit 3", async (_label, flags, stdin, why) => {
    const empty = file("empty.txt", "");
    const args = flags.map((flag) => flag.replace("EMPTY", empty));
    const result = await runPullwarden([...BASE, ...args, ...JSON_OUT], { stdin });
    expectCleanFailure(result, 3);
    expect(result.stderr).toMatch(/^error: no password: /);
    expect(result.stderr).toMatch(why);
    expect(result.stderr).not.toContain("either --from-file");
    expect(result.stderr).toMatch(/^hint: /m);
  });
});

describe("names, namespaces and --dry-run", () => {
  const withPassword = { env: { P: "pw" } };

  it.each(["Foo", "trailing-dash-", "under_score", "a..b", "spaces here", "ünï", "a".repeat(254)])(
    "secret name %j is refused with exit 2",
    async (name) => {
      const result = await runPullwarden(
        ["secret", "create", name, "--docker-username=u", "--docker-password-env=P", ...JSON_OUT],
        withPassword,
      );
      expectCleanFailure(result, 2);
      expect(result.stderr).toMatch(/^error: invalid secret name .*RFC 1123/);
    },
  );

  it("a name starting with '-' (after --) is refused with exit 2", async () => {
    const result = await runPullwarden(
      ["secret", "create", "--docker-username=u", "--docker-password-env=P", ...JSON_OUT, "--", "-dash"],
      withPassword,
    );
    expectCleanFailure(result, 2);
    expect(result.stderr).toMatch(/^error: invalid secret name "-dash"/);
  });

  it("an empty secret name is refused with exit 2", async () => {
    const result = await runPullwarden(
      ["secret", "create", "", "--docker-username=u", "--docker-password-env=P", ...JSON_OUT],
      withPassword,
    );
    expectCleanFailure(result, 2);
  });

  it("a name that only --append-hash pushes over 253 characters is refused", async () => {
    const name = "a".repeat(250);
    const ok = await runPullwarden(
      ["secret", "create", name, "--docker-username=u", "--docker-password-env=P", ...JSON_OUT],
      withPassword,
    );
    expect(ok.code).toBe(0);
    const hashed = await runPullwarden(
      [
        "secret",
        "create",
        name,
        "--docker-username=u",
        "--docker-password-env=P",
        "--append-hash",
        ...JSON_OUT,
      ],
      withPassword,
    );
    expectCleanFailure(hashed, 2);
    expect(hashed.stderr).toContain("hash suffix");
  });

  it.each(["Team", "a.b", "a_b", "a".repeat(64), ""])("namespace %j is refused with exit 2", async (ns) => {
    const result = await runPullwarden(
      [...BASE, "--docker-password-env=P", "-n", ns, ...JSON_OUT],
      withPassword,
    );
    expectCleanFailure(result, 2);
    expect(result.stderr).toMatch(/^error: invalid namespace/);
  });

  it("--dry-run=server is a usage error with a hint", async () => {
    const result = await runPullwarden(
      [...BASE, "--docker-password-env=P", "--dry-run=server", "-o", "yaml"],
      withPassword,
    );
    expectCleanFailure(result, 2);
    expect(result.stderr).toMatch(/^error: --dry-run=server .*\nhint: .*--dry-run=client.*\n$/);
  });

  it.each([[[]], [["--dry-run=none"]]])(
    "without --dry-run=client (%j) it is a usage error with a hint",
    async (flags) => {
      const result = await runPullwarden(
        [...BASE, "--docker-password-env=P", ...flags, "-o", "yaml"],
        withPassword,
      );
      expectCleanFailure(result, 2);
      expect(result.stderr).toMatch(/^error: .*--dry-run=client\nhint: .*--dry-run=client/);
    },
  );

  it("a bare --dry-run means client, with kubectl's deprecation warning", async () => {
    const result = await runPullwarden(
      [...BASE, "--docker-password-env=P", "--dry-run", "-o", "name"],
      withPassword,
    );
    expect(result).toEqual({
      code: 0,
      stdout: "secret/regcred\n",
      stderr: "warning: --dry-run is deprecated and can be replaced with --dry-run=client.\n",
    });
  });

  it.each([
    [["--dry-run=sometimes"]],
    [["--dry-run=client", "-o", "wide"]],
    [["--dry-run=client", "--no-such-flag"]],
  ])("bad flag values are usage errors on one line: %j", async (flags) => {
    const result = await runPullwarden([...BASE, "--docker-password-env=P", ...flags], withPassword);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe("");
    expect(result.stderr).not.toMatch(STACK_TRACE);
    expect(result.stderr.trimEnd().split("\n")[0]).toMatch(/^error: /);
  });

  it("--help (of the built CLI) names --docker-server's default once and only --dry-run=client", async () => {
    const help = await spawnPullwarden(["secret", "create", "--help"]);
    expect(help.code, help.stderr).toBe(0);
    const text = help.stdout.replace(/\s+/g, " ");
    expect(text).toContain(
      '--docker-server <server> registry server (default: "https://index.docker.io/v1/")',
    );
    expect(text.match(/index\.docker\.io|Docker Hub/g)).toEqual(["index.docker.io"]);
    const dryRun = /--dry-run \[strategy\] (.*?) -o, --output/.exec(text)?.[1];
    expect(dryRun).toBe("client (required): print the Secret instead of sending it");
  });

  it("--no-creation-timestamp drops creationTimestamp as kubectl >= 1.34 does", async () => {
    const result = await runPullwarden(
      [...BASE, "--docker-password-env=P", "--dry-run=client", "-o", "yaml", "--no-creation-timestamp"],
      withPassword,
    );
    expect(result.code).toBe(0);
    expect(result.stdout).not.toContain("creationTimestamp");
    expect(result.stdout).toContain("metadata:\n  name: regcred\n");
  });
});

describe("refusals: entries real consumers would reject or misread", () => {
  it.each([
    ["registry-1.docker.io", /registry-1\.docker\.io.*never matches/],
    ["https://user:pw@reg.example.com", /user info/],
    ["reg.example.com/v1", /without '\/'/],
    ["reg.example.com/Upper", /path no normalised image name can start with/],
  ])("--docker-server %s: exit 3, says why", async (server, why) => {
    const result = await runPullwarden(
      [
        "secret",
        "create",
        "regcred",
        `--docker-server=${server}`,
        "--docker-username=u",
        "--docker-password-env=P",
        ...JSON_OUT,
      ],
      { env: { P: "pw-value" } },
    );
    expectCleanFailure(result, 3);
    expect(result.stderr).toMatch(why);
    expect(result.stderr).not.toContain("pw-value");
  });

  it("a password starting or ending with NUL is refused (exit 3): skopeo strips it", async () => {
    for (const stdin of ["\u0000pw-value\n", "pw-value\u0000\n"]) {
      const result = await runPullwarden([...BASE, "--docker-password-stdin", ...JSON_OUT], { stdin });
      expectCleanFailure(result, 3);
      expect(result.stderr).toMatch(/starts or ends with NUL \(U\+0000\), which skopeo and podman strip/);
      expect(result.stderr).not.toContain("pw-value");
    }
  });

  it("a username with ':' is refused (exit 3); the password stays out of the message", async () => {
    const result = await runPullwarden(
      ["secret", "create", "regcred", "--docker-username=team:bot", "--docker-password-env=P", ...JSON_OUT],
      { env: { P: "pw-value" } },
    );
    expectCleanFailure(result, 3);
    expect(result.stderr).toMatch(/username .*contains ':'/);
    expect(result.stderr).not.toContain("pw-value");
  });

  it("credential findings warn without blocking, and never print the token", async () => {
    const result = await runPullwarden(
      [
        "secret",
        "create",
        "ghcr",
        "--docker-server=ghcr.io",
        "--docker-username=bot",
        "--docker-password-env=P",
        ...JSON_OUT,
      ],
      { env: { P: TOKENS.fineGrainedPat } },
    );
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/^warning: ghcr\.io: .*fine-grained/m);
    expect(result.stderr).not.toContain(TOKENS.fineGrainedPat);
    expect(authsOf(result)["ghcr.io"]?.password).toBe(TOKENS.fineGrainedPat);
  });
});

describe("written as kubectl writes them, with a warning: inputs every consumer reads as meant", () => {
  it.each([
    [
      "a tab",
      "pw\tvalue",
      /the password in the decoded auth of "reg\.example\.com" contains a tab \(U\+0009\) at character 3 of 8;/,
    ],
    ["DEL", "pw-value\u007f", /contains DEL \(U\+007F\) at character 9 of 9;/],
    ["a carriage return", "pw\rvalue", /contains a carriage return \(U\+000D\) at character 3 of 8;/],
  ])("a password with %s", async (_label, password, warning) => {
    const result = await runPullwarden([...BASE, "--docker-password-env=P", ...JSON_OUT], {
      env: { P: password },
    });
    expect(result.code, result.stderr).toBe(0);
    expect(authsOf(result)["reg.example.com"]).toEqual(kubectlEntry("bot", password));
    expect(result.stderr).toMatch(warning);
    expect(result.stderr.trimEnd().split("\n")).toHaveLength(1);
    expect(result.stderr).not.toContain("newline?");
    expect(result.stderr).not.toContain("value");
  });

  it("an http:// server (kubelet and the runtimes drop the scheme)", async () => {
    const result = await runPullwarden(
      [
        "secret",
        "create",
        "regcred",
        "--docker-server=http://reg.example.com",
        "--docker-username=bot",
        "--docker-password-env=P",
        ...JSON_OUT,
      ],
      { env: { P: "pw-value" } },
    );
    expect(result.code, result.stderr).toBe(0);
    expect(authsOf(result)).toEqual({ "http://reg.example.com": kubectlEntry("bot", "pw-value") });
    expect(result.stderr).toBe(
      'warning: registry key "http://reg.example.com" has an http:// scheme, which kubelet and the runtimes drop (it does not make them use plain HTTP); write host[:port]\n',
    );
  });
});

describe("--from-file, --merge", () => {
  it("--from-file copies a valid payload verbatim", async () => {
    const payload = dockerConfig({ "reg.example.com": kubectlEntry("u", "p&<>") }) + "\n";
    const path = file("valid.json", payload);
    const result = await runPullwarden(["secret", "create", "regcred", `--from-file=${path}`, ...JSON_OUT]);
    expect(result.code, result.stderr).toBe(0);
    const secret = parseJsonOutput<{ data: Record<string, string> }>(result);
    expect(Buffer.from(secret.data[".dockerconfigjson"] ?? "", "base64").toString("utf8")).toBe(payload);
  });

  it.each([
    [["--docker-username=u"]],
    [["--docker-password-env=P"]],
    [["--merge", "/dev/null"]],
    [["--from-docker-config", "/dev/null"]],
  ])("--from-file with %j is a usage error", async (extra) => {
    const path = file("combo.json", dockerConfig({ "reg.example.com": kubectlEntry("u", "p") }));
    const result = await runPullwarden(
      ["secret", "create", "regcred", `--from-file=${path}`, ...extra, ...JSON_OUT],
      { env: { P: "x" } },
    );
    expectCleanFailure(result, 2);
  });

  it("--from-file twice is a usage error that points to --merge", async () => {
    const path = file("twice.json", dockerConfig({ "reg.example.com": kubectlEntry("u", "p") }));
    const result = await runPullwarden([
      "secret",
      "create",
      "regcred",
      `--from-file=${path}`,
      `--from-file=${path}`,
      ...JSON_OUT,
    ]);
    expectCleanFailure(result, 2);
    expect(result.stderr).toContain("--merge");
  });

  it("--registry without --from-docker-config is a usage error", async () => {
    const result = await runPullwarden(
      [...BASE, "--docker-password-env=P", "--registry", "ghcr.io", ...JSON_OUT],
      {
        env: { P: "x" },
      },
    );
    expectCleanFailure(result, 2);
  });

  it("--merge combines a Secret manifest, a raw payload and the --docker-* flags", async () => {
    const manifest = file(
      "merge-a.yaml",
      secretYaml({ payload: dockerConfig({ "ghcr.io": kubectlEntry("bot", TOKENS.classicPat) }) }),
    );
    const raw = file("merge-b.json", dockerConfig({ "quay.io": kubectlEntry("robot", "quay-pass") }));
    const result = await runPullwarden(
      [...BASE, "--docker-password-env=P", "--merge", manifest, raw, ...JSON_OUT],
      { env: { P: "flag-pass" } },
    );
    expect(result.code, result.stderr).toBe(0);
    const auths = authsOf(result);
    expect(Object.keys(auths).sort()).toEqual(["ghcr.io", "quay.io", "reg.example.com"]);
    expect(auths["ghcr.io"]).toEqual(kubectlEntry("bot", TOKENS.classicPat));
    expect(auths["reg.example.com"]?.password).toBe("flag-pass");
    expect(result.stderr).not.toContain("flag-pass");
    expect(result.stderr).not.toContain("quay-pass");
  });

  it("--merge of two different credentials for the same registry: the later wins, with a warning", async () => {
    const a = file("conflict-a.json", dockerConfig({ "reg.example.com": kubectlEntry("a", "pass-a") }));
    const b = file(
      "conflict-b.json",
      dockerConfig({ "https://reg.example.com": kubectlEntry("b", "pass-b") }),
    );
    const result = await runPullwarden(["secret", "create", "regcred", "--merge", a, b, ...JSON_OUT]);
    expect(result.code, result.stderr).toBe(0);
    expect(authsOf(result)).toEqual({ "https://reg.example.com": kubectlEntry("b", "pass-b") });
    expect(result.stderr).toMatch(
      /^warning: .*reg\.example\.com.*conflict-b\.json.*replaces.*conflict-a\.json/m,
    );
    expect(result.stderr).not.toContain("pass-a");
    expect(result.stderr).not.toContain("pass-b");
  });

  it("--merge of an entry it refuses names the file (and the Secret) the entry came from", async () => {
    const payload = file(
      "userinfo-key.json",
      dockerConfig({ "https://robot:canary-pass@reg.example.com": kubectlEntry("a", "pass-a") }),
    );
    const manifest = file(
      "userinfo-key.yaml",
      `apiVersion: v1\nkind: Secret\nmetadata:\n  name: ref\ntype: kubernetes.io/dockerconfigjson\nstringData:\n  .dockerconfigjson: '${dockerConfig({ "https://robot:canary-pass@reg.example.com": kubectlEntry("a", "pass-a") })}'\n`,
    );
    for (const [input, named] of [
      [payload, `error: ${payload}: registry key`],
      [manifest, `error: secret ref (${manifest}:1): registry key`],
    ] as const) {
      const result = await runPullwarden(["secret", "create", "regcred", "--merge", input, ...JSON_OUT]);
      expect(result.code, result.stderr).toBe(3);
      expect(result.stderr).toContain(named);
      expect(result.stderr).not.toContain("canary-pass");
    }
  });
});

describe("--from-docker-config without helpers", () => {
  function dockerConfigDir(config: unknown): string {
    const configDir = mkdtempSync(join(dir, "docker-"));
    writeFileSync(join(configDir, "config.json"), JSON.stringify(config));
    return configDir;
  }

  it("re-encodes each entry as kubectl would (username, password, email, auth), $DOCKER_CONFIG as default", async () => {
    const configDir = dockerConfigDir({
      auths: {
        "ghcr.io": { auth: b64(`bot:${TOKENS.classicPat}`) },
        "https://index.docker.io/v1/": { auth: b64("me:hub-pass"), email: "me@example.com" },
      },
      HttpHeaders: { "User-Agent": "Docker-Client" },
    });
    const result = await runPullwarden(["secret", "create", "regcred", "--from-docker-config", ...JSON_OUT], {
      env: { DOCKER_CONFIG: configDir, HOME: "/nonexistent" },
    });
    expect(result.code, result.stderr).toBe(0);
    expect(authsOf(result)).toEqual({
      "ghcr.io": kubectlEntry("bot", TOKENS.classicPat),
      "https://index.docker.io/v1/": kubectlEntry("me", "hub-pass", "me@example.com"),
    });
    expect(result.stderr).not.toContain("hub-pass");
  });

  it("--registry docker.io selects Docker Hub's https://index.docker.io/v1/ entry", async () => {
    const configDir = dockerConfigDir({
      auths: {
        "ghcr.io": { auth: b64(`bot:${TOKENS.classicPat}`) },
        "https://index.docker.io/v1/": { auth: b64("me:hub-pass") },
      },
    });
    const result = await runPullwarden([
      "secret",
      "create",
      "regcred",
      "--from-docker-config",
      join(configDir, "config.json"),
      "--registry",
      "docker.io",
      ...JSON_OUT,
    ]);
    expect(result.code, result.stderr).toBe(0);
    expect(Object.keys(authsOf(result))).toEqual(["https://index.docker.io/v1/"]);
  });

  it("an entry holding only an identity token (which kubelet never sends) is refused with a reason", async () => {
    const configDir = dockerConfigDir({ auths: { "quay.io": { identitytoken: "refresh-token-value" } } });
    const result = await runPullwarden([
      "secret",
      "create",
      "regcred",
      "--from-docker-config",
      join(configDir, "config.json"),
      ...JSON_OUT,
    ]);
    expectCleanFailure(result, 3);
    expect(result.stderr).toMatch(/quay\.io holds only an identity token/);
    expect(result.stderr).not.toContain("refresh-token-value");
  });

  it("a config.json without credentials is invalid input", async () => {
    const configDir = dockerConfigDir({ auths: {} });
    const result = await runPullwarden([
      "secret",
      "create",
      "regcred",
      "--from-docker-config",
      join(configDir, "config.json"),
      ...JSON_OUT,
    ]);
    expectCleanFailure(result, 3);
    expect(result.stderr).toMatch(/holds no registry credentials/);
  });
});
