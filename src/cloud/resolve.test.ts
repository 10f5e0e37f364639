import { describe, expect, it } from "vitest";
import { InputError } from "../errors.js";
import type { ProcessRun } from "../process/bounded-exec.js";
import { resolveCredentials } from "./resolve.js";
import type { AnyCredentialSource, SourcePorts } from "./source.js";

const NOW = new Date("2026-06-01T00:00:00Z");
const ECR = "123456789012.dkr.ecr.eu-west-1.amazonaws.com";

interface FakeWorld {
  files?: Record<string, string>;
  stdin?: string;
  env?: Record<string, string>;
  exec?: SourcePorts["exec"];
  dockerConfig?: SourcePorts["dockerConfig"];
}

/** Ports over an in-memory world; `reads` records what was read, `warnings` what was said. */
function ports(world: FakeWorld = {}) {
  const reads: string[] = [];
  const warnings: string[] = [];
  const fake: SourcePorts = {
    env: world.env ?? {},
    cwd: "/work",
    now: () => NOW,
    async readFile(path, size) {
      reads.push(`file ${path} (${size})`);
      const text = world.files?.[path];
      if (text === undefined) throw new InputError("E_INPUT_UNREADABLE", `${path}: no such file`);
      return text;
    },
    async readStdin(size, purpose) {
      reads.push(`stdin (${size}, ${purpose})`);
      return world.stdin ?? "";
    },
    exec:
      world.exec ??
      (async () => {
        throw new Error("no program runs here");
      }),
    dockerConfig:
      world.dockerConfig ??
      (async () => {
        throw new Error("no docker config here");
      }),
    // What the CLI's redactor does with a password=... pair, on one line.
    displayLine: (text) =>
      text
        .replace(/password=\S+/g, "password=***")
        .replace(/\s+/g, " ")
        .trim(),
    warn: (message, fix) => warnings.push(fix ? `${message} (fix: ${fix})` : message),
  };
  return Object.assign(fake, { reads, warnings });
}

interface Failure {
  code: string;
  message: string;
  hint?: string;
  exitCode?: number;
}

async function failure(promise: Promise<unknown>): Promise<Failure> {
  const error = (await promise.then(
    () => undefined,
    (e: unknown) => e,
  )) as Failure | undefined;
  if (!error) throw new Error("expected a failure");
  return error;
}

function exited(stdout: string, exitCode = 0, stderr = ""): ProcessRun {
  return { outcome: "exited", exitCode, stdout, stderr };
}

/** A JWT (unsigned: only its claims matter offline) expiring at `exp` seconds. */
function jwt(claims: Record<string, unknown>): string {
  const part = (value: object) => Buffer.from(JSON.stringify(value)).toString("base64url");
  return `${part({ alg: "RS256", typ: "JWT" })}.${part(claims)}.c2lnbmF0dXJl`;
}

const REGISTRY = { server: "ghcr.io", username: "bot" };

describe("passwords from the command line, stdin, files and the environment", () => {
  it("each is one credential naming where it was read; the username is who the registry sees", async () => {
    const world = ports({
      files: { "pw.txt": "from-file\n" },
      stdin: "from-stdin\r\n",
      env: { TOKEN: "env" },
    });
    const cases: [AnyCredentialSource, string, string][] = [
      [{ kind: "password", ...REGISTRY, password: "literal" }, "literal", "--docker-password"],
      [{ kind: "password-stdin", ...REGISTRY }, "from-stdin", "standard input"],
      [
        { kind: "password-file", ...REGISTRY, passwordFile: "pw.txt" },
        "from-file",
        "the password file pw.txt",
      ],
      [{ kind: "env", ...REGISTRY, passwordEnv: "TOKEN" }, "env", "environment variable TOKEN"],
    ];
    for (const [source, password, from] of cases) {
      expect(await resolveCredentials(source, world)).toEqual([
        { server: "ghcr.io", username: "bot", password, source: from, identity: "bot" },
      ]);
    }
    expect(world.reads).toEqual(["stdin (secret, password)", "file pw.txt (secret)"]);
  });

  it("only one trailing newline is dropped; - as a password file is stdin; the email is kept", async () => {
    const world = ports({ stdin: "two\n\n" });
    const [credential] = await resolveCredentials(
      { kind: "password-file", ...REGISTRY, passwordFile: "-", email: "bot@example.com" },
      world,
    );
    expect(credential).toMatchObject({ password: "two\n", email: "bot@example.com" });
    expect(world.reads).toEqual(["stdin (secret, input)"]);
  });

  it.each<[string, AnyCredentialSource, FakeWorld, RegExp]>([
    [
      "an empty --docker-password",
      { kind: "password", ...REGISTRY, password: "" },
      {},
      /^no password: the password given with --docker-password is empty$/,
    ],
    [
      "empty stdin, named by the flag that asked",
      { kind: "password-stdin", ...REGISTRY, flag: "--password-stdin" },
      { stdin: "\n" },
      /^no password: the password read from standard input \(--password-stdin\) is empty$/,
    ],
    [
      "an empty password file",
      { kind: "password-file", ...REGISTRY, passwordFile: "pw.txt" },
      { files: { "pw.txt": "" } },
      /^no password: the password file pw.txt is empty$/,
    ],
    [
      "an unset variable",
      { kind: "env", ...REGISTRY, passwordEnv: "TOKEN" },
      {},
      /^no password: environment variable TOKEN is not set$/,
    ],
    [
      "an empty variable",
      { kind: "env", ...REGISTRY, passwordEnv: "TOKEN" },
      { env: { TOKEN: "" } },
      /^no password: environment variable TOKEN is empty$/,
    ],
  ])("%s is refused where it was read (exit 3, with a hint)", async (_label, source, world, message) => {
    const error = await failure(resolveCredentials(source, ports(world)));
    expect(error).toBeInstanceOf(InputError);
    expect(error.code).toBe("E_EMPTY_PASSWORD");
    expect(error.message).toMatch(message);
    expect(error.hint).toBeTruthy();
  });

  it("a credential without a username or server is refused after its password was read", async () => {
    const incomplete = await failure(
      resolveCredentials(
        { kind: "env", server: "ghcr.io", username: "", passwordEnv: "T" },
        ports({ env: { T: "x" } }),
      ),
    );
    expect(incomplete).toMatchObject({ code: "E_CREDENTIAL_INCOMPLETE" });
    expect(incomplete.message).toBe("the credential from environment variable T needs a username");
    // The password problem comes first: it is what the user must fix before anything else.
    const unset = await failure(
      resolveCredentials({ kind: "env", server: "", username: "", passwordEnv: "T" }, ports()),
    );
    expect(unset.code).toBe("E_EMPTY_PASSWORD");
  });

  it("a password that is a JWT carries its expiry", async () => {
    const exp = Math.floor(NOW.getTime() / 1000) + 3600;
    const [credential] = await resolveCredentials(
      { kind: "password", ...REGISTRY, password: jwt({ exp, iss: "someone" }) },
      ports(),
    );
    expect(credential?.expiresAt).toEqual(new Date(exp * 1000));
  });
});

describe("docker config and pull secret files", () => {
  it("a docker config's credentials, each naming the config and where its value came from", async () => {
    const asked: string[] = [];
    const world = ports({
      async dockerConfig(path, registries) {
        asked.push(`${path ?? "(default)"} ${registries.join(",")}`);
        return {
          path: "/home/u/.docker/config.json",
          credentials: [
            { server: "ghcr.io", username: "bot", password: "p", origin: "helper docker-credential-pass" },
          ],
        };
      },
    });
    expect(await resolveCredentials({ kind: "docker-config", registries: ["ghcr.io"] }, world)).toEqual([
      {
        server: "ghcr.io",
        username: "bot",
        password: "p",
        source: "/home/u/.docker/config.json (helper docker-credential-pass)",
        identity: "bot",
      },
    ]);
    expect(asked).toEqual(["(default) ghcr.io"]);
  });

  it("a docker config without credentials is an input error naming it", async () => {
    const world = ports({ dockerConfig: async () => ({ path: "/c.json", credentials: [] }) });
    const error = await failure(
      resolveCredentials({ kind: "docker-config", path: "/c.json", registries: [] }, world),
    );
    expect(error).toMatchObject({
      code: "E_NO_CREDENTIALS",
      message: "/c.json: holds no registry credentials",
    });
  });

  it("a pull secret file yields every registry it holds, auth decoded as docker does", async () => {
    const auth = Buffer.from("robot:r0b0t").toString("base64");
    const text = JSON.stringify({
      auths: {
        "harbor.example.com": { auth },
        "ghcr.io": { username: "bot", password: "ghp", auth: Buffer.from("bot:ghp").toString("base64") },
      },
    });
    const credentials = await resolveCredentials(
      { kind: "file", path: "pull.json" },
      ports({ files: { "pull.json": text } }),
    );
    expect(credentials.map((c) => [c.server, c.username, c.password, c.source])).toEqual([
      ["harbor.example.com", "robot", "r0b0t", "pull.json"],
      ["ghcr.io", "bot", "ghp", "pull.json"],
    ]);
  });
});

describe("cloud tokens: ECR through the AWS SDK, ACR through @azure/identity and ACR's exchange", () => {
  const ecr = {
    kind: "cloud-token",
    provider: "ecr",
    server: ECR,
    region: "eu-west-1",
    rotateEverySeconds: 21600,
  } as const;
  const acr = {
    kind: "cloud-token",
    provider: "acr",
    server: "contoso.azurecr.io",
    registryName: "contoso",
    rotateEverySeconds: 3600,
  } as const;

  it("ECR mints through the AWS SDK, never a CLI: a host that is not ECR's own needs a region, checked before anything is sent", async () => {
    const ran: string[] = [];
    const world = ports({
      async exec(command) {
        ran.push(command);
        return exited("never");
      },
    });
    const error = await failure(
      resolveCredentials({ ...ecr, server: "mirror.example.com", region: undefined } as never, world),
    );
    expect(error).toMatchObject({
      code: "E_ECR_HOST",
      exitCode: 3,
      message:
        "mirror.example.com is not an ECR host (<account>.dkr.ecr.<region>.amazonaws.com), and its source names no region",
    });
    const mismatch = await failure(resolveCredentials({ ...ecr, region: "us-east-1" }, world));
    expect(mismatch.message).toBe(
      `${ECR} is an ECR registry in eu-west-1, but its source says region us-east-1`,
    );
    const ecrPublic = await failure(resolveCredentials({ ...ecr, server: "public.ecr.aws" }, world));
    expect(ecrPublic.code).toBe("E_ECR_PUBLIC_UNSUPPORTED");
    expect(ran).toEqual([]);
  });

  it("ACR mints through @azure/identity, never a CLI of its own: a registry in a closed cloud is refused before anything is sent (the minting itself: test/cloud/acr-apply.test.ts)", async () => {
    const ran: string[] = [];
    const world = ports({
      async exec(command) {
        ran.push(command);
        return exited("never");
      },
    });
    const error = await failure(resolveCredentials({ ...acr, server: "legacy.azurecr.de" }, world));
    expect(error).toMatchObject({
      code: "E_ACR_CLOUD_UNSUPPORTED",
      exitCode: 3,
      message:
        "legacy.azurecr.de is in Azure Germany, which closed in October 2021: no token can be minted for it",
    });
    expect(ran).toEqual([]);
  });
});

it("a source kind this version does not know is refused", async () => {
  const error = await failure(resolveCredentials({ kind: "vault" } as never, ports()));
  expect(error).toMatchObject({
    code: "E_SOURCE_UNSUPPORTED",
    message: 'credential source kind "vault" is not supported by this version of pullwarden',
  });
});
