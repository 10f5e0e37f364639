import { describe, expect, it } from "vitest";
import { InputError } from "../errors.js";
import {
  buildDockerConfigFromAuths,
  buildDockerConfigJson,
  encodeAuthField,
  validatePullCredential,
  validatePullCredentials,
} from "./build.js";
import { parseDockerConfigText } from "./parse.js";

function inputError(run: () => unknown): InputError {
  try {
    run();
  } catch (error) {
    if (error instanceof InputError) return error;
    throw error;
  }
  throw new Error("expected an InputError");
}

describe("buildDockerConfigJson: byte-identical to kubectl", () => {
  // Each expected string is the decoded .dockerconfigjson of
  // `kubectl create secret docker-registry … --dry-run=client` (kubectl v1.32.4).
  it.each([
    [
      {
        server: "https://index.docker.io/v1/",
        username: "test-user",
        password: "test-password",
        email: "test-user@example.org",
      },
      '{"auths":{"https://index.docker.io/v1/":{"username":"test-user","password":"test-password","email":"test-user@example.org","auth":"dGVzdC11c2VyOnRlc3QtcGFzc3dvcmQ="}}}',
    ],
    [
      { server: "https://index.docker.io/v1/", username: "test-user", password: "test-password" },
      '{"auths":{"https://index.docker.io/v1/":{"username":"test-user","password":"test-password","auth":"dGVzdC11c2VyOnRlc3QtcGFzc3dvcmQ="}}}',
    ],
    [
      { server: "ghcr.io", username: "u@x", password: "a&b<c>d" },
      String.raw`{"auths":{"ghcr.io":{"username":"u@x","password":"a\u0026b\u003cc\u003ed","auth":"dUB4OmEmYjxjPmQ="}}}`,
    ],
    [
      { server: "ghcr.io", username: "u@x", password: "ünï😀" },
      '{"auths":{"ghcr.io":{"username":"u@x","password":"ünï😀","auth":"dUB4OsO8bsOv8J+YgA=="}}}',
    ],
    [
      { server: "myreg.azurecr.io", username: "ü$er", password: 'p:w"\\/<>&x', email: "a<b>@c" },
      String.raw`{"auths":{"myreg.azurecr.io":{"username":"ü$er","password":"p:w\"\\/\u003c\u003e\u0026x","email":"a\u003cb\u003e@c","auth":"w7wkZXI6cDp3IlwvPD4meA=="}}}`,
    ],
    [
      { server: "localhost:5000", username: "u", password: "p", email: "" },
      '{"auths":{"localhost:5000":{"username":"u","password":"p","auth":"dTpw"}}}',
    ],
  ])("%j", (input, expected) => {
    expect(buildDockerConfigJson([input])).toBe(expected);
    expect(parseDockerConfigText(expected, { source: "t" }).problems).toEqual([]);
  });

  it("writes several servers in Go map order (bytes)", () => {
    const json = buildDockerConfigJson([
      { server: "quay.io", username: "a", password: "1" },
      { server: "Ghcr.io", username: "b", password: "2" },
      { server: "ghcr.io", username: "c", password: "3" },
    ]);
    expect(json).toBe(
      '{"auths":{"Ghcr.io":{"username":"b","password":"2","auth":"Yjoy"},"ghcr.io":{"username":"c","password":"3","auth":"Yzoz"},"quay.io":{"username":"a","password":"1","auth":"YTox"}}}',
    );
  });

  it("encodes auth as padded base64 of UTF-8 user:password", () => {
    expect(encodeAuthField("u", "p")).toBe("dTpw");
    expect(encodeAuthField("ü", "p:w")).toBe(Buffer.from("ü:p:w").toString("base64"));
  });
});

describe("validatePullCredential / buildDockerConfigJson refusals", () => {
  const base = { server: "ghcr.io", username: "u", password: "p" };
  it.each([
    [{ ...base }, []],
    [{ ...base, username: "a:b" }, ["error:username-contains-colon"]],
    [{ ...base, username: "" }, ["error:username-empty"]],
    [{ ...base, password: "" }, ["error:password-empty"]],
    // Control characters: every consumer sends them as they are, so they warn (test/integration proves it).
    [{ ...base, password: "p\n" }, ["warning:credential-control-characters"]],
    [{ ...base, password: "p\tw" }, ["warning:credential-control-characters"]],
    [{ ...base, password: "p\u007f" }, ["warning:credential-control-characters"]],
    [{ ...base, email: "a\tb" }, ["warning:credential-control-characters"]],
    // ... except NUL at either end of the password, which skopeo strips.
    [
      { ...base, password: "\u0000p" },
      ["warning:credential-control-characters", "error:credential-nul-padding"],
    ],
    [
      { ...base, password: "p\u0000" },
      ["warning:credential-control-characters", "error:credential-nul-padding"],
    ],
    [{ ...base, password: "p\u0000w" }, ["warning:credential-control-characters"]],
    [{ ...base, password: " p" }, ["warning:credential-surrounding-whitespace"]],
    [{ ...base, password: "p\ud800" }, ["error:invalid-unicode"]],
    [{ ...base, server: "http://ghcr.io" }, ["warning:key-http-scheme"]],
    [{ ...base, server: "user@ghcr.io" }, ["error:key-userinfo"]],
    [{ ...base, server: "registry-1.docker.io" }, ["error:key-registry-1-docker-io"]],
    [{ ...base, server: "ghcr.io " }, ["error:key-whitespace"]],
    [{ ...base, server: "" }, ["error:key-empty"]],
    [{ ...base, server: "ghcr.io/org" }, ["info:key-path-scoped"]],
    [{ ...base, server: "*.azurecr.io" }, ["info:key-glob"]],
  ])("%j → %j", (input, expected) => {
    expect(validatePullCredential(input).map((p) => `${p.severity}:${p.code}`)).toEqual(expected);
  });

  it("throws a one-line InputError naming the first error and counting the rest, without secrets", () => {
    const error = inputError(() =>
      buildDockerConfigJson([{ server: "user@ghcr.io", username: "a:b", password: "hunter2hunter2\u0000" }]),
    );
    expect(error.code).toBe("E_DOCKERCONFIG_INVALID");
    expect(error.message).toBe(
      `registry key "***@ghcr.io" contains user info before '@'; kubelet drops it, remove it (and 2 more problems)`,
    );
    expect(error.message).not.toContain("hunter2");
    expect(error.source).toBe("pull credential");
  });

  it("refuses an empty list and duplicate servers; warns about servers kubelet treats as one", () => {
    expect(inputError(() => buildDockerConfigJson([])).message).toMatch(/no credentials/);
    const dup = [base, { ...base, password: "q" }];
    expect(validatePullCredentials(dup).map((p) => p.code)).toEqual(["duplicate-server"]);
    expect(() => buildDockerConfigJson(dup)).toThrow(InputError);
    const same = [base, { ...base, server: "https://ghcr.io/v2/" }];
    expect(validatePullCredentials(same).map((p) => `${p.severity}:${p.code}`)).toEqual([
      "warning:key-duplicate-normalized",
    ]);
    expect(() => buildDockerConfigJson(same)).not.toThrow();
  });

  it("builds with warnings", () => {
    expect(buildDockerConfigJson([{ ...base, password: " p" }])).toContain('"password":" p"');
  });
});

describe("buildDockerConfigFromAuths", () => {
  it("writes the fixed field order, omits empty fields, computes a missing auth, sorts keys", () => {
    const json = buildDockerConfigFromAuths([
      { key: "z.io", auth: "dTpw", identityToken: "", email: "e@x" },
      { key: "a.io", username: "u", password: "p", identityToken: "tok", registryToken: "rt", email: "" },
    ]);
    expect(json).toBe(
      '{"auths":{"a.io":{"username":"u","password":"p","auth":"dTpw","identitytoken":"tok","registrytoken":"rt"},"z.io":{"email":"e@x","auth":"dTpw"}}}',
    );
  });

  it("accepts parsed entries and round-trips them", () => {
    const parsed = parseDockerConfigText(
      '{"auths":{"ghcr.io":{"auth":"dTpw"},"quay.io":{"username":"a","password":"b"}}}',
      {
        source: "t",
      },
    );
    const rebuilt = parseDockerConfigText(buildDockerConfigFromAuths(parsed.entries), { source: "t" });
    expect(rebuilt.entries.map((e) => [e.key, e.decoded])).toEqual(
      parsed.entries.map((e) => [e.key, e.decoded]),
    );
    expect(rebuilt.problems).toEqual([]);
  });

  it("refuses duplicate keys and entries consumers reject; writes what they read as meant", () => {
    expect(() =>
      buildDockerConfigFromAuths([
        { key: "a.io", auth: "dTpw" },
        { key: "a.io", auth: "dTpw" },
      ]),
    ).toThrow(/more than once/);
    expect(inputError(() => buildDockerConfigFromAuths([{ key: "a.io", auth: "cGFudHM=" }])).message).toMatch(
      /no ':'/,
    );
    expect(buildDockerConfigFromAuths([{ key: "http://a.io", auth: "dTpw" }])).toBe(
      '{"auths":{"http://a.io":{"auth":"dTpw"}}}',
    );
    expect(() => buildDockerConfigFromAuths([{ key: "a.io", username: "u", password: "p\u0000" }])).toThrow(
      /starts or ends with NUL/,
    );
    expect(() => buildDockerConfigFromAuths([{ key: "a.io", identityToken: "t" }])).toThrow(/identitytoken/);
  });
});
