import { describe, expect, it } from "vitest";
import { InputError } from "../errors.js";
import { detectInputKind, dockerConfigFromSecret } from "./secret.js";

const CONFIG = '{"auths":{"ghcr.io":{"username":"u","password":"p","auth":"dTpw"}}}';
const b64 = (s: string) => Buffer.from(s, "utf8").toString("base64");
const secret = (
  type: string | undefined,
  data: Record<string, string>,
  extra: Record<string, unknown> = {},
) => ({
  apiVersion: "v1",
  kind: "Secret",
  metadata: { name: "regcred", namespace: "apps" },
  ...(type === undefined ? {} : { type }),
  data,
  ...extra,
});
const codes = (obj: unknown) =>
  dockerConfigFromSecret(obj, "secret.yaml").problems.map((p) => `${p.severity}:${p.code}`);

function inputError(run: () => unknown): InputError {
  try {
    run();
  } catch (error) {
    if (error instanceof InputError) return error;
    throw error;
  }
  throw new Error("expected an InputError");
}

describe("dockerConfigFromSecret", () => {
  it("reads a kubernetes.io/dockerconfigjson secret", () => {
    const result = dockerConfigFromSecret(
      secret("kubernetes.io/dockerconfigjson", { ".dockerconfigjson": b64(CONFIG) }),
      "secret.yaml",
    );
    expect(result).toMatchObject({
      name: "regcred",
      namespace: "apps",
      type: "kubernetes.io/dockerconfigjson",
      key: ".dockerconfigjson",
    });
    expect(result.config.entries.map((e) => [e.key, e.decoded])).toEqual([
      ["ghcr.io", { username: "u", password: "p" }],
    ]);
    expect(result.problems).toEqual([]);
  });

  it("reads a kubernetes.io/dockercfg secret", () => {
    const result = dockerConfigFromSecret(
      secret("kubernetes.io/dockercfg", { ".dockercfg": b64('{"ghcr.io":{"auth":"dTpw"}}') }),
      "s",
    );
    expect(result.config.format).toBe("dockercfg");
    expect(result.config.entries[0]?.decoded).toEqual({ username: "u", password: "p" });
    expect(result.problems.map((p) => p.code)).toEqual(["legacy-dockercfg-format"]);
  });

  it("reads stringData, which overrides data", () => {
    const obj = secret(
      "kubernetes.io/dockerconfigjson",
      { ".dockerconfigjson": b64("{}") },
      {
        stringData: { ".dockerconfigjson": CONFIG },
      },
    );
    const result = dockerConfigFromSecret(obj, "s");
    expect(result.config.entries).toHaveLength(1);
    expect(result.problems.map((p) => p.code)).toEqual(["secret-stringdata-overrides-data"]);
    expect(result.config.problems).toEqual([]);
  });

  it("defaults the type to Opaque, which kubelet ignores", () => {
    expect(codes(secret(undefined, { ".dockerconfigjson": b64(CONFIG) }))).toEqual([
      "error:secret-type-mismatch",
    ]);
    expect(codes(secret("Opaque", { ".dockercfg": b64('{"ghcr.io":{"auth":"dTpw"}}') }))).toEqual([
      "error:secret-type-mismatch",
      "info:legacy-dockercfg-format",
    ]);
  });

  it("reports a key that does not match the type", () => {
    expect(codes(secret("kubernetes.io/dockercfg", { ".dockerconfigjson": b64(CONFIG) }))).toEqual([
      "error:secret-key-type-mismatch",
    ]);
    expect(
      codes(secret("kubernetes.io/dockerconfigjson", { ".dockercfg": b64('{"ghcr.io":{"auth":"dTpw"}}') })),
    ).toEqual(["error:secret-key-type-mismatch", "info:legacy-dockercfg-format"]);
    expect(
      codes(
        secret("kubernetes.io/dockerconfigjson", {
          ".dockerconfigjson": b64(CONFIG),
          ".dockercfg": b64("{}"),
        }),
      ),
    ).toEqual(["info:secret-extra-key"]);
  });

  it("reports data that the API server would reject but that can still be read", () => {
    const unpadded = b64(CONFIG).replace(/=+$/, "");
    const wrapped = b64(CONFIG).replace(/(.{20})/g, "$1 ");
    for (const value of [unpadded, wrapped]) {
      const result = dockerConfigFromSecret(
        secret("kubernetes.io/dockerconfigjson", { ".dockerconfigjson": value }),
        "s",
      );
      expect(result.problems.map((p) => p.code)).toEqual(["secret-data-invalid-base64"]);
      expect(result.config.entries).toHaveLength(1);
    }
    // Go's decoder (and so the API server) skips line breaks.
    const folded = b64(CONFIG).replace(/(.{20})/g, "$1\n");
    expect(codes(secret("kubernetes.io/dockerconfigjson", { ".dockerconfigjson": folded }))).toEqual([]);
  });

  it("reports an empty value", () => {
    const result = dockerConfigFromSecret(
      secret("kubernetes.io/dockerconfigjson", { ".dockerconfigjson": "" }),
      "s",
    );
    expect(result.problems.map((p) => p.code)).toEqual(["secret-empty-value"]);
    expect(result.config.entries).toEqual([]);
  });

  it("passes config problems through with the data key in their source", () => {
    const result = dockerConfigFromSecret(
      secret("kubernetes.io/dockerconfigjson", {
        ".dockerconfigjson": b64('{"auths":{"registry-1.docker.io":{"auth":"dTpw"}}}'),
      }),
      "ns/regcred",
    );
    expect(result.problems).toMatchObject([
      {
        code: "key-registry-1-docker-io",
        source: "ns/regcred data[.dockerconfigjson]",
        position: { line: 1, column: 11 },
      },
    ]);
  });

  it.each([
    [null, "expected a Kubernetes Secret object"],
    [[], "expected a Kubernetes Secret object"],
    [{ kind: "ConfigMap", data: {} }, 'expected kind Secret, found "ConfigMap"'],
    [{ kind: "Secret", type: 3 }, "the Secret's type must be a string"],
    [{ kind: "Secret", data: [] }, "the Secret's data must be a map"],
    [
      { kind: "Secret", type: "kubernetes.io/dockerconfigjson", data: {} },
      "the Secret has no .dockerconfigjson or .dockercfg key",
    ],
    [{ kind: "Secret", data: { ".dockerconfigjson": 5 } }, "data[.dockerconfigjson] must be a base64 string"],
    [{ kind: "Secret", data: { ".dockerconfigjson": "!!!" } }, "data[.dockerconfigjson] is not base64"],
    [
      { kind: "Secret", stringData: { ".dockerconfigjson": {} } },
      "stringData[.dockerconfigjson] must be a string",
    ],
  ])("refuses %j", (obj, message) => {
    const error = inputError(() => dockerConfigFromSecret(obj, "s"));
    expect(error.message).toBe(message);
    expect(error.source).toBe("s");
  });

  it("lets parse errors of the value through as InputError of the Secret, naming the field and the position in it", () => {
    const error = inputError(() =>
      dockerConfigFromSecret(
        secret("kubernetes.io/dockerconfigjson", { ".dockerconfigjson": b64("{nope") }),
        "s",
      ),
    );
    expect(error.code).toBe("E_DOCKERCONFIG_JSON");
    expect(error.source).toBe("s");
    expect(error.position).toBeUndefined();
    expect(error.message).toBe(
      "data[.dockerconfigjson] (line 1, column 2 of the value): malformed JSON: expected a double-quoted object key but found a letter or digit",
    );
  });
});

describe("detectInputKind", () => {
  it.each([
    [secret("kubernetes.io/dockerconfigjson", {}), "secret"],
    [{ type: "kubernetes.io/dockerconfigjson", data: {} }, "secret"],
    [{ apiVersion: "v1", kind: "List", items: [] }, "list"],
    [{ apiVersion: "v1", kind: "SecretList", items: [] }, "list"],
    [{ kind: "ConfigMap" }, "unknown"],
    [{ auths: {} }, "dockerconfigjson"],
    [{ auths: {}, credsStore: "desktop" }, "config.json"],
    [{ credHelpers: {} }, "config.json"],
    [{ "ghcr.io": { auth: "dTpw" } }, "dockercfg"],
    [{ "ghcr.io": { foo: 1 } }, "unknown"],
    [{}, "unknown"],
    [[], "unknown"],
    ["text", "unknown"],
    [null, "unknown"],
  ])("%j → %s", (obj, kind) => {
    expect(detectInputKind(obj)).toBe(kind);
  });
});
