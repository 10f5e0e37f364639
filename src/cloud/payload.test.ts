import { describe, expect, it } from "vitest";
import { buildDockerConfigJson } from "../dockerconfig/index.js";
import { InputError } from "../errors.js";
import { buildPullSecretPayload } from "./payload.js";
import type { SourcePorts } from "./source.js";

const NOW = new Date("2026-06-01T00:00:00Z");

function ports(files: Record<string, string> = {}, over: Partial<SourcePorts> = {}) {
  const warnings: string[] = [];
  const fake: SourcePorts = {
    env: { TOKEN: "ghp_payloadpayloadpayloadpayloadpayload1" },
    cwd: "/work",
    now: () => NOW,
    async readFile(path) {
      const text = files[path];
      if (text === undefined) throw new InputError("E_INPUT_UNREADABLE", `${path}: no such file`);
      return text;
    },
    readStdin: async () => "",
    exec: async () => {
      throw new Error("no program runs here");
    },
    // Offline: the minter a cloud SDK would run, answering as ECR does.
    mintCloudToken: async (source) => ({
      server: source.server,
      username: "AWS",
      password: "ecr-token",
      source: "ECR GetAuthorizationToken (eu-west-1)",
      identity: "test",
    }),
    dockerConfig: async () => ({
      path: "/home/u/.docker/config.json",
      credentials: [{ server: "quay.io", username: "robot", password: "quay-pw", origin: "file" }],
    }),
    displayLine: (text) => text,
    warn: (message, fix) => warnings.push(fix ? `${message} (fix: ${fix})` : message),
    ...over,
  };
  return Object.assign(fake, { warnings });
}

const GHCR = { server: "ghcr.io", username: "bot" };

describe("one registry: exactly kubectl's bytes", () => {
  it("from a password source, named 'flags' in problems", async () => {
    const payload = await buildPullSecretPayload(
      {
        kind: "sources",
        sources: [{ kind: "env", ...GHCR, passwordEnv: "TOKEN", email: "bot@example.com" }],
      },
      ports(),
    );
    expect(payload).toEqual({
      text: buildDockerConfigJson([
        {
          server: "ghcr.io",
          username: "bot",
          password: "ghp_payloadpayloadpayloadpayloadpayload1",
          email: "bot@example.com",
        },
      ]),
      source: "flags",
    });
  });

  it("from a cloud token, named by the secret", async () => {
    const payload = await buildPullSecretPayload(
      {
        kind: "sources",
        sources: [
          {
            kind: "cloud-token",
            provider: "ecr",
            server: "123456789012.dkr.ecr.eu-west-1.amazonaws.com",
            region: "eu-west-1",
            rotateEverySeconds: 1,
          },
        ],
        secretName: "ecr-pull",
      },
      ports(),
    );
    expect(payload.source).toBe("ecr-pull (cloud token)");
    expect(JSON.parse(payload.text).auths["123456789012.dkr.ecr.eu-west-1.amazonaws.com"]).toMatchObject({
      username: "AWS",
      password: "ecr-token",
    });
  });
});

describe("several sources are merged, later ones replacing earlier ones per registry", () => {
  it("flags, a docker config and pull secret files together (keys in Go's order, as kubectl writes them)", async () => {
    const harbor = JSON.stringify({
      auths: {
        "harbor.example.com": { username: "h", password: "hp", auth: Buffer.from("h:hp").toString("base64") },
      },
    });
    const world = ports({ "harbor.json": harbor });
    const payload = await buildPullSecretPayload(
      {
        kind: "sources",
        sources: [
          { kind: "password", ...GHCR, password: "ghp_payloadpayloadpayloadpayloadpayload1" },
          { kind: "docker-config", registries: [] },
          { kind: "file", path: "harbor.json" },
        ],
      },
      world,
    );
    expect(payload.source).toBe("merged credentials");
    const auths = JSON.parse(payload.text).auths as Record<string, { username: string }>;
    expect(Object.entries(auths).map(([key, entry]) => `${key} ${entry.username}`)).toEqual([
      "ghcr.io bot",
      "harbor.example.com h",
      "quay.io robot",
    ]);
    expect(world.warnings).toEqual([]);
  });

  it("a later, different credential for a registry replaces the earlier one, with a warning", async () => {
    const other = JSON.stringify({
      auths: { "quay.io": { auth: Buffer.from("other:pw").toString("base64") } },
    });
    const world = ports({ "o.json": other });
    const payload = await buildPullSecretPayload(
      {
        kind: "sources",
        sources: [
          { kind: "docker-config", registries: [] },
          { kind: "file", path: "o.json" },
        ],
      },
      world,
    );
    expect(JSON.parse(payload.text).auths).toEqual({
      "quay.io": { auth: Buffer.from("other:pw").toString("base64") },
    });
    expect(world.warnings).toEqual([
      'registry "quay.io": "quay.io" from o.json replaces "quay.io" from /home/u/.docker/config.json (different credentials)',
    ]);
  });
});

describe("--from-file: the user's payload as it is", () => {
  it("is copied byte for byte", async () => {
    const text = ` ${buildDockerConfigJson([{ server: "ghcr.io", username: "bot", password: "pw-pw-pw" }])}\n`;
    expect(
      await buildPullSecretPayload({ kind: "verbatim", path: "p.json" }, ports({ "p.json": text })),
    ).toEqual({
      text,
      source: "p.json",
      fromUserFile: true,
    });
  });

  it("a manifest is refused with the flag that reads one", async () => {
    await expect(
      buildPullSecretPayload(
        { kind: "verbatim", path: "s.yaml" },
        ports({ "s.yaml": "apiVersion: v1\nkind: Secret\n" }),
      ),
    ).rejects.toMatchObject({ code: "E_NOT_A_PAYLOAD", hint: expect.stringContaining("--merge s.yaml") });
  });

  it("an entry consumers reject is refused, with its line in the user's file", async () => {
    const unpadded = '{\n  "auths": {\n    "ghcr.io": {"auth": "Ym90OnB3"}\n  }\n}\n'.replace(
      "Ym90OnB3",
      "Ym90OnB3cA",
    );
    await expect(
      buildPullSecretPayload({ kind: "verbatim", path: "p.json" }, ports({ "p.json": unpadded })),
    ).rejects.toThrow(/^refusing to write this secret: .*\(line 3\)/);
  });
});

it("credential findings (an expired token) are warnings, never the value", async () => {
  const part = (value: object) => Buffer.from(JSON.stringify(value)).toString("base64url");
  const expired = `${part({ alg: "RS256" })}.${part({ exp: Math.floor(NOW.getTime() / 1000) - 60 })}.c2ln`;
  const world = ports();
  await buildPullSecretPayload(
    {
      kind: "sources",
      sources: [{ kind: "password", server: "registry.example.com", username: "u", password: expired }],
    },
    world,
  );
  expect(world.warnings.length).toBeGreaterThan(0);
  expect(world.warnings.join("\n")).toMatch(/^registry\.example\.com: JSON Web Token \(JWT\) expire/m);
  expect(world.warnings.join("\n")).not.toContain(expired);
});
