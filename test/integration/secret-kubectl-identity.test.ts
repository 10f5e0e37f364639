// Byte-identity of `pullwarden secret create … --dry-run=client` with the REAL kubectl
// (`kubectl create secret docker-registry … --dry-run=client`), given the same inputs. kubectl always gets the
// password on argv (--docker-password); pullwarden gets it from an environment variable or stdin, so its
// output must not depend on how the password arrived. Every case runs kubectl and pullwarden in-process; every
// few cases (and the ones about process I/O) also run the built CLI (dist/cli/main.js) as a real process.
// Every case runs against each kubectl users run, built from k8s.io/kubernetes by scripts/build-go-tools.sh
// (its title names the version): v1.32.4, which prints `creationTimestamp: null`, and v1.37.2, which (like every
// kubectl since 1.34) omits it, matched by pullwarden's --no-creation-timestamp.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { requireGoTool, runKubectl } from "../support/index.js";
import type { GoToolName } from "../support/index.js";

/** The kubectl versions the goldens hold for, and the pullwarden flags that match each one's output. */
const KUBECTLS: readonly { version: string; tool: GoToolName; pullwardenFlags: readonly string[] }[] = [
  { version: "v1.32.4", tool: "kubectl-1.32", pullwardenFlags: [] },
  { version: "v1.37.2", tool: "kubectl", pullwardenFlags: ["--no-creation-timestamp"] },
];
import { STACK_TRACE, runPullwarden, spawnPullwarden } from "../cli/run-cli.js";

interface IdentityCase {
  /** Test title. */
  title: string;
  name?: string;
  server?: string;
  username?: string;
  password?: string;
  email?: string;
  namespace?: string;
  appendHash?: boolean;
  /** Undefined: no -o flag at all. */
  output?: "yaml" | "json" | "name";
  /** How pullwarden gets the password (default env). */
  via?: "env" | "stdin";
  /** --from-file spec with PAYLOAD standing for the payload file's path. */
  fromFile?: string;
  /** The exact secret name both must print (a kubectl test vector). */
  expectName?: string;
  /** Extra stderr lines pullwarden may print (a warning about the credential, not about the bytes). */
  stderr?: RegExp;
  /** Also run the built CLI as a real process (set for every 4th case and the stdin case below). */
  real?: boolean;
}

const SPECIALS = `&<>:"\\/`;

const CASES: IdentityCase[] = (
  [
    // Characters Go's encoder escapes or that need JSON escaping, in the password.
    { title: "password with & < > (Go's HTML escaping)", password: "a&b<c>d", output: "yaml" },
    { title: "password with ':' (split on the first ':')", password: "x:y:z", output: "yaml" },
    { title: 'password with " quotes', password: 'q"uo"te', output: "json" },
    { title: "password with a backslash", password: "back\\slash", output: "yaml" },
    { title: "password with a slash", password: "sl/ash", output: "yaml" },
    { title: "password with every special character", password: `p${SPECIALS}w`, output: "yaml" },
    { title: "password with non-ASCII letters", password: "päss密码", output: "yaml" },
    { title: "password with emoji", password: "🔑🐳x", output: "json" },
    { title: "password with U+2028 and U+2029", password: "a\u2028b\u2029c", output: "yaml" },
    { title: "password of 2000 characters", password: "x".repeat(2000), output: "yaml" },
    { title: "password looking like JSON", password: '{"auths":{}}', output: "json" },
    {
      title: "password from stdin (trailing newline trimmed)",
      password: "a&b<c>\u2028d",
      via: "stdin",
      real: true,
    },
    // Control characters every consumer sends as they are: written as kubectl writes them, with a warning that
    // names the character and its position (never a refusal, never a "trailing newline?" guess).
    {
      title: "password with a tab",
      password: "pa\tss-word",
      output: "yaml",
      stderr: /^warning: .*contains a tab \(U\+0009\) at character 3 of 10;/,
    },
    {
      title: "password with DEL",
      password: "pass-word\u007f",
      output: "json",
      stderr: /^warning: .*contains DEL \(U\+007F\) at character 10 of 10;/,
    },
    {
      title: "password ending with a newline",
      password: "pass-word\n",
      output: "yaml",
      stderr: /^warning: .*ends with a newline/,
    },
    // Email: present, with specials and unicode, empty.
    { title: "email with & < >", email: "a&b@<x>.io", output: "yaml" },
    { title: 'email with " \\ / :', email: 'q"\\/:@x.io', output: "json" },
    { title: "email with unicode and emoji", email: "ü@ß.de🐳", output: "yaml" },
    { title: "email with U+2028", email: "a\u2028@b.io", output: "json" },
    { title: "empty email is omitted", email: "", output: "yaml" },
    { title: "specials in password and email together", password: SPECIALS, email: SPECIALS, output: "yaml" },
    // Username: specials and unicode, but no ':' (refused on purpose, see below).
    { title: 'username with & < > " \\ / and unicode', username: 'a&b<c>"d\\e/ü🐳', output: "yaml" },
    // Servers.
    { title: "default server (no --docker-server)", output: "json" },
    { title: "explicit https://index.docker.io/v1/", server: "https://index.docker.io/v1/", output: "yaml" },
    { title: "bare host", server: "ghcr.io", password: "ghp_" + "a".repeat(36), output: "yaml" },
    {
      title: "host with scheme",
      server: "https://ghcr.io",
      password: "ghp_" + "b".repeat(36),
      output: "json",
    },
    { title: "host with port", server: "reg.example.com:5000", output: "yaml" },
    { title: "scheme, port and /v2/", server: "https://reg.example.com:5000/v2/", output: "json" },
    { title: "host with a repository path", server: "reg.example.com/team/app", output: "yaml" },
    { title: "scheme, port and path", server: "https://reg.example.com:8443/team/", output: "yaml" },
    { title: "IPv6 literal with port", server: "[::1]:5000", output: "yaml" },
    { title: "localhost with port", server: "localhost:5000", output: "json" },
    { title: "wildcard host", server: "*.azurecr.io", output: "yaml" },
    {
      title: "http:// scheme (kubelet drops it)",
      server: "http://reg.example.com:5000",
      output: "json",
      stderr: /^warning: registry key "http:\/\/reg\.example\.com:5000" has an http:\/\/ scheme/,
    },
    // --append-hash: kubectl's own test vector and one from a local run (wire-specs §1).
    {
      title: "--append-hash: kubectl's test vector foo-548cm7fgdh",
      name: "foo",
      username: "test-user",
      password: "test-password",
      email: "test-user@example.org",
      appendHash: true,
      output: "yaml",
      expectName: "foo-548cm7fgdh",
    },
    {
      title: "--append-hash: ghcr.io vector foo-d24t2f7kf9",
      name: "foo",
      server: "ghcr.io",
      username: "test-user",
      password: "test-password",
      email: "a@b.c",
      appendHash: true,
      output: "json",
      expectName: "foo-d24t2f7kf9",
      stderr: /^warning: ghcr\.io: .*no GitHub token prefix/,
    },
    { title: "--append-hash with -n and -o name", appendHash: true, namespace: "team-a", output: "name" },
    { title: "--append-hash with specials", password: SPECIALS, appendHash: true, output: "yaml" },
    // Namespace and output formats.
    { title: "-n prints the namespace (yaml)", namespace: "payments", output: "yaml" },
    { title: "-n prints the namespace (json)", namespace: "payments", output: "json" },
    { title: "-n with a name go-yaml quotes", namespace: "123", output: "yaml" },
    { title: "-o name", output: "name" },
    { title: "no -o: 'created (dry run)'", output: undefined },
    // Names go-yaml quotes (they would read back as bool/int/float/date/null).
    ...["y", "on", "123", "1e3", "2001-12-14", "null", "true", "0x1f", "no", "0o17", "1.0"].map(
      (name): IdentityCase => ({ title: `name ${JSON.stringify(name)}`, name, output: "yaml" }),
    ),
    { title: "name 12e (go-yaml does not quote it)", name: "12e", output: "yaml" },
    // --from-file with a valid payload (copied verbatim, trailing newline included).
    { title: "--from-file=PATH", fromFile: "PAYLOAD", output: "yaml" },
    { title: "--from-file=.dockerconfigjson=PATH", fromFile: ".dockerconfigjson=PAYLOAD", output: "json" },
    { title: "--from-file with --append-hash", fromFile: "PAYLOAD", appendHash: true, output: "yaml" },
  ] satisfies IdentityCase[]
).map((c, index): IdentityCase => (index % 4 === 0 ? { ...c, real: true } : c));

const PAYLOAD =
  JSON.stringify({
    auths: {
      "reg.example.com:5000": {
        username: "deploy",
        password: "s3cr&t<>",
        auth: Buffer.from("deploy:s3cr&t<>").toString("base64"),
      },
    },
  }) + "\n";

let dir: string;
let payloadFile: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "pullwarden-identity-"));
  payloadFile = join(dir, "payload.json");
  writeFileSync(payloadFile, PAYLOAD);
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

interface Invocation {
  kubectl: string[];
  pullwarden: string[];
  env: Record<string, string>;
  stdin?: string;
}

function invocation(c: IdentityCase): Invocation {
  const name = c.name ?? "regcred";
  const common: string[] = [];
  if (c.namespace !== undefined) common.push("-n", c.namespace);
  if (c.fromFile !== undefined) {
    common.push(`--from-file=${c.fromFile.replace("PAYLOAD", payloadFile)}`);
  } else {
    if (c.server !== undefined) common.push(`--docker-server=${c.server}`);
    common.push(`--docker-username=${c.username ?? "test-user"}`);
    if (c.email !== undefined) common.push(`--docker-email=${c.email}`);
  }
  if (c.appendHash) common.push("--append-hash");
  common.push("--dry-run=client");
  if (c.output !== undefined) common.push("-o", c.output);

  const password = c.password ?? "test-password";
  const kubectl = ["create", "secret", "docker-registry", name, ...common];
  const pullwarden = ["secret", "create", name, ...common];
  if (c.fromFile !== undefined) return { kubectl, pullwarden, env: {} };
  kubectl.push(`--docker-password=${password}`);
  if (c.via === "stdin") {
    pullwarden.push("--docker-password-stdin");
    return { kubectl, pullwarden, env: {}, stdin: `${password}\n` };
  }
  pullwarden.push("--docker-password-env=PULL_PASSWORD");
  return { kubectl, pullwarden, env: { PULL_PASSWORD: password } };
}

describe("secret create is byte-identical to kubectl create secret docker-registry --dry-run=client", () => {
  it("covers at least 30 cases", () => {
    expect(CASES.length).toBeGreaterThanOrEqual(30);
  });

  // Concurrent (vitest's maxConcurrency, 5 by default): a kubectl spawn, an in-process run and, for every
  // 4th case, a spawn of the built CLI per case.
  it.concurrent.for(
    KUBECTLS.flatMap((k) => CASES.map((c) => [`kubectl ${k.version}: ${c.title}`, c, k] as const)),
  )("%s", async ([, c, k], { expect }) => {
    const inv = invocation(c);
    const input = { env: inv.env, ...(inv.stdin ? { stdin: inv.stdin } : {}) };
    const pullwarden = [...inv.pullwarden, ...k.pullwardenFlags];
    const [kubectl, ...ours] = await Promise.all([
      runKubectl(inv.kubectl, { bin: requireGoTool(k.tool) }),
      runPullwarden(pullwarden, input),
      ...(c.real ? [spawnPullwarden(pullwarden, input)] : []),
    ]);
    expect(kubectl.stderr, "kubectl stderr").toBe("");
    expect(kubectl.exitCode, "kubectl exit code").toBe(0);
    expect(kubectl.stdout.length).toBeGreaterThan(0);

    for (const result of ours) {
      expect(result.code, result.stderr).toBe(0);
      expect(result.stdout).toBe(kubectl.stdout);
    }

    // Nothing on stderr unless the case expects a credential warning; never the password.
    for (const { stderr } of ours) {
      expect(stderr).not.toMatch(STACK_TRACE);
      if (c.stderr) expect(stderr).toMatch(c.stderr);
      else expect(stderr).toBe("");
      if (c.password && c.password.length > 3) expect(stderr).not.toContain(c.password);
    }

    if (c.expectName) {
      const line = c.output === "json" ? `"name": "${c.expectName}"` : `name: ${c.expectName}\n`;
      expect(kubectl.stdout).toContain(line);
    }
    if (c.output === undefined) {
      expect(kubectl.stdout).toBe(`secret/${c.name ?? "regcred"} created (dry run)\n`);
    }
  });
});

describe("deliberate differences from kubectl", () => {
  it("refuses a username with ':' that kubectl writes (every consumer would split it wrongly)", async () => {
    const kubectl = await runKubectl([
      "create",
      "secret",
      "docker-registry",
      "regcred",
      "--docker-username=team:bot",
      "--docker-password=pw",
      "--dry-run=client",
      "-o",
      "json",
    ]);
    expect(kubectl.exitCode).toBe(0);
    const secret = JSON.parse(kubectl.stdout) as { data: Record<string, string> };
    const payload = JSON.parse(
      Buffer.from(secret.data[".dockerconfigjson"] ?? "", "base64").toString("utf8"),
    ) as { auths: Record<string, { auth: string }> };
    // kubelet splits auth on the FIRST ':' → user "team", password "bot:pw": not what was meant.
    const auth = Buffer.from(payload.auths["https://index.docker.io/v1/"]?.auth ?? "", "base64").toString();
    expect(auth).toBe("team:bot:pw");

    const args = ["secret", "create", "regcred", "--docker-username=team:bot", "--docker-password-env=PW"];
    for (const result of [
      await spawnPullwarden([...args, "--dry-run=client", "-o", "json"], { env: { PW: "pw" } }),
      await runPullwarden([...args, "--dry-run=client", "-o", "json"], { env: { PW: "pw" } }),
    ]) {
      expect(result.code).toBe(3);
      expect(result.stdout).toBe("");
      expect(result.stderr).toMatch(/^error: .*username .*contains ':'/m);
      expect(result.stderr).not.toMatch(STACK_TRACE);
      expect(result.stderr).not.toContain("pw\n");
    }
  });

  it("refuses --from-file with a key other than .dockerconfigjson (the API server would reject it)", async () => {
    const kubectl = await runKubectl([
      "create",
      "secret",
      "docker-registry",
      "regcred",
      `--from-file=other=${payloadFile}`,
      "--dry-run=client",
      "-o",
      "yaml",
    ]);
    expect(kubectl.exitCode).toBe(0);
    expect(kubectl.stdout).toContain("  other: ");
    const ours = await runPullwarden([
      "secret",
      "create",
      "regcred",
      `--from-file=other=${payloadFile}`,
      "--dry-run=client",
    ]);
    expect(ours.code).toBe(2);
    expect(ours.stdout).toBe("");
    expect(ours.stderr).toMatch(/^error: --from-file key "other": .*\.dockerconfigjson/);
  });
});
