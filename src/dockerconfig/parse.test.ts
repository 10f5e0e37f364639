import { describe, expect, it } from "vitest";
import { InputError } from "../errors.js";
import { MAX_CONFIG_BYTES, parseDockerConfigText } from "./parse.js";
import type { ParseDockerConfigOptions } from "./parse.js";

const parse = (text: string | Uint8Array, format: ParseDockerConfigOptions["format"] = "auto") =>
  parseDockerConfigText(text, { source: "cfg.json", format });
const codes = (text: string, format: ParseDockerConfigOptions["format"] = "auto") =>
  parse(text, format).problems.map((p) => `${p.severity}:${p.code}`);
const b64 = (s: string) => Buffer.from(s, "utf8").toString("base64");

function inputError(run: () => unknown): InputError {
  try {
    run();
  } catch (error) {
    if (error instanceof InputError) return error;
    throw error;
  }
  throw new Error("expected an InputError");
}

/** The message with the position it carries, as LINE:COLUMN: message (the CLI adds the source in front). */
function located(error: InputError): string {
  const { line, column } = error.position ?? {};
  return line === undefined ? error.message : `${line}:${column}: ${error.message}`;
}

// kubectl v1.32.4 output for the same inputs (see build.test.ts).
const KUBECTL =
  '{"auths":{"https://index.docker.io/v1/":{"username":"test-user","password":"test-password","email":"test-user@example.org","auth":"dGVzdC11c2VyOnRlc3QtcGFzc3dvcmQ="}}}';

describe("parseDockerConfigText: formats", () => {
  it("reads kubectl's payload without problems", () => {
    const parsed = parse(KUBECTL);
    expect(parsed.format).toBe("dockerconfigjson");
    expect(parsed.problems).toEqual([]);
    expect(parsed.entries).toEqual([
      {
        key: "https://index.docker.io/v1/",
        username: "test-user",
        password: "test-password",
        email: "test-user@example.org",
        auth: "dGVzdC11c2VyOnRlc3QtcGFzc3dvcmQ=",
        decoded: { username: "test-user", password: "test-password" },
        position: { line: 1, column: 11, offset: 10 },
      },
    ]);
  });

  // kubernetes pkg/credentialprovider/config_test.go TestDockerConfigJSONDecode / TestDockerConfigJsonJSONDecode.
  it("reads the legacy .dockercfg bare map (kubelet's TestDockerConfigJSONDecode)", () => {
    const text =
      '{"http://foo.example.com":{"username": "foo", "password": "bar", "email": "foo@example.com"}, "http://bar.example.com":{"username": "bar", "password": "baz", "email": "bar@example.com"}}';
    const parsed = parse(text);
    expect(parsed.format).toBe("dockercfg");
    expect(parsed.entries.map((e) => [e.key, e.decoded, e.email])).toEqual([
      ["http://foo.example.com", { username: "foo", password: "bar" }, "foo@example.com"],
      ["http://bar.example.com", { username: "bar", password: "baz" }, "bar@example.com"],
    ]);
    expect(codes(text)).toEqual([
      "info:legacy-dockercfg-format",
      "warning:key-http-scheme",
      "warning:auth-missing",
      "warning:key-http-scheme",
      "warning:auth-missing",
    ]);
    expect(parse(`{"auths": ${text}}`).entries.map((e) => e.decoded?.username)).toEqual(["foo", "bar"]);
  });

  it("reads docker config.json with credsStore and credHelpers", () => {
    const parsed = parse(
      '{"auths":{"ghcr.io":{},"https://index.docker.io/v1/":{"auth":"dTpw"}},"credsStore":"desktop","credHelpers":{"123.dkr.ecr.us-east-1.amazonaws.com":"ecr-login"},"currentContext":"default"}',
    );
    expect(parsed.format).toBe("config.json");
    expect(parsed.credsStore).toBe("desktop");
    expect(parsed.credHelpers).toEqual({ "123.dkr.ecr.us-east-1.amazonaws.com": "ecr-login" });
    expect(parsed.entries.map((e) => [e.key, e.decoded])).toEqual([
      ["ghcr.io", undefined],
      ["https://index.docker.io/v1/", { username: "u", password: "p" }],
    ]);
    expect(parsed.problems.map((p) => `${p.severity}:${p.code}`)).toEqual([
      "info:credential-helpers-ignored",
      "info:entry-no-credentials",
    ]);
  });

  it("reports credsStore / credHelpers of the wrong type (docker fails to load the file)", () => {
    expect(codes('{"auths":{"a.io":{"auth":"dTpw"}},"credsStore":1,"credHelpers":{"b.io":2}}')).toEqual([
      "warning:cred-helper-invalid",
      "warning:cred-helper-invalid",
      "info:credential-helpers-ignored",
    ]);
    expect(codes('{"auths":{"a.io":{"auth":"dTpw"}},"credHelpers":[]}')).toEqual([
      "warning:cred-helper-invalid",
    ]);
  });

  it("warns about credential helpers in a pull secret", () => {
    expect(codes('{"auths":{"ghcr.io":{"auth":"dTpw"}},"credsStore":"desktop"}', "dockerconfigjson")).toEqual(
      ["warning:credential-helpers-ignored"],
    );
  });

  it("reports legacy content under .dockerconfigjson: kubelet finds no credentials", () => {
    const parsed = parse('{"ghcr.io":{"auth":"dTpw"}}', "dockerconfigjson");
    expect(parsed.entries).toEqual([]);
    expect(parsed.problems.map((p) => p.code)).toEqual(["missing-auths-wrapper", "no-entries"]);
  });

  it("reports .dockerconfigjson content under .dockercfg: kubelet sees a registry named auths", () => {
    const parsed = parse('{"auths":{"ghcr.io":{"auth":"dTpw"}}}', "dockercfg");
    expect(parsed.entries.map((e) => [e.key, e.decoded])).toEqual([["auths", undefined]]);
    expect(parsed.problems.map((p) => p.code)).toEqual([
      "legacy-dockercfg-format",
      "dockercfg-has-auths-wrapper",
      "entry-no-credentials",
    ]);
  });

  it("handles null, {} and null auths like Go", () => {
    expect(parse("null")).toMatchObject({ format: "dockerconfigjson", entries: [] });
    expect(codes("{}")).toEqual(["warning:no-entries"]);
    expect(codes('{"auths":null}')).toEqual(["warning:no-entries"]);
    // A later null auths clears what an earlier auths set; a repeated auths object merges (Go reuses the map).
    expect(parse('{"auths":{"a.io":{"auth":"dTpw"}},"auths":null}').entries).toEqual([]);
    expect(
      parse('{"auths":{"a.io":{"auth":"dTpw"}},"auths":{"b.io":{"auth":"dTpw"}}}').entries.map((e) => e.key),
    ).toEqual(["a.io", "b.io"]);
  });
});

describe("parseDockerConfigText: Go decoding details", () => {
  it("matches field names case-insensitively, as Go does, and says so", () => {
    const parsed = parse('{"Auths":{"ghcr.io":{"Auth":"dTpw","USERNAME":"u","passworD":"p"}}}');
    expect(parsed.entries[0]?.decoded).toEqual({ username: "u", password: "p" });
    expect(parsed.problems.map((p) => p.code)).toEqual([
      "field-name-case",
      "field-name-case",
      "field-name-case",
      "field-name-case",
    ]);
    // U+212A KELVIN SIGN folds to k in Go; U+017F LONG S folds to s.
    expect(parse('{"auths":{"r.io":{"u\u017fername":"u","password":"p"}}}').entries[0]?.username).toBe("u");
  });

  it("keeps the last of duplicate keys and reports each duplicate with its position", () => {
    const text = '{"auths":{\n"ghcr.io":{"auth":"eDp5"},\n"ghcr.io":{"auth":"dTpw","auth":"dTpx"}}}';
    const parsed = parse(text);
    expect(parsed.entries).toHaveLength(1);
    expect(parsed.entries[0]?.decoded).toEqual({ username: "u", password: "q" });
    expect(parsed.problems.map((p) => [p.code, p.position?.line, p.position?.column])).toEqual([
      ["duplicate-key", 3, 1],
      ["duplicate-key", 3, 26],
    ]);
    expect(parsed.problems[0]?.message).toContain("first at line 2");
  });

  it("leaves a field unset on null and refuses non-string credentials as kubelet does", () => {
    expect(parse('{"auths":{"r.io":{"auth":"dTpw","auth":null}}}').entries[0]?.auth).toBe("dTpw");
    expect(codes('{"auths":{"r.io":{"auth":"dTpw","email":false}}}')).toEqual(["error:field-not-string"]);
    expect(codes('{"auths":{"r.io":{"auth":"dTpw","identitytoken":1}}}')).toEqual([
      "warning:field-not-string",
    ]);
  });

  it("reports unknown fields and a null entry", () => {
    expect(codes('{"auths":{"r.io":{"auth":"dTpw","token":"x"}}}')).toEqual(["info:unknown-field"]);
    expect(codes('{"auths":{"r.io":null}}')).toEqual(["warning:entry-null", "warning:entry-no-credentials"]);
  });

  it("refuses a byte order mark as kubelet does, but still reads the document", () => {
    const parsed = parse("\ufeff" + KUBECTL);
    expect(parsed.entries).toHaveLength(1);
    expect(parsed.problems.map((p) => p.code)).toEqual(["utf8-bom"]);
    expect(parse(Buffer.from("\ufeff" + KUBECTL)).problems.map((p) => p.code)).toEqual(["utf8-bom"]);
  });

  it("checks HttpHeaders as kubelet decodes it", () => {
    expect(codes('{"auths":{},"HttpHeaders":{"User-Agent":"x"}}')).toEqual(["warning:no-entries"]);
    expect(codes('{"auths":{},"HttpHeaders":{"X":1}}')).toEqual([
      "error:http-headers-invalid",
      "warning:no-entries",
    ]);
  });

  it("reports keys that kubelet normalises to the same registry", () => {
    const parsed = parse('{"auths":{"ghcr.io":{"auth":"dTpw"},"https://ghcr.io/v2/":{"auth":"eDp5"}}}');
    expect(parsed.problems.map((p) => `${p.severity}:${p.code}`)).toEqual([
      "warning:key-duplicate-normalized",
    ]);
    const same = parse('{"auths":{"ghcr.io":{"auth":"dTpw"},"https://ghcr.io":{"auth":"dTpw"}}}');
    expect(same.problems.map((p) => `${p.severity}:${p.code}`)).toEqual(["info:key-duplicate-normalized"]);
  });
});

describe("parseDockerConfigText: per-entry problems", () => {
  const entry = (fields: Record<string, unknown>, key = "ghcr.io") =>
    JSON.stringify({ auths: { [key]: fields } });

  it.each([
    ["unpadded auth (kubelet ok, skopeo fails)", { auth: "Zm9vOmJhcg" }, ["warning:auth-unpadded-base64"]],
    ["URL-safe alphabet", { auth: "Zm9v-mJhcg==" }, ["error:auth-url-safe-base64"]],
    ["not base64", { auth: "pants!" }, ["error:auth-not-base64"]],
    ["bad length", { auth: "pants" }, ["error:auth-not-base64"]],
    ["no colon", { auth: "cGFudHM=" }, ["error:auth-no-colon"]],
    ["line breaks", { auth: "Zm9v\nOmJhcg==" }, ["info:auth-line-breaks"]],
    ["trailing newline in password", { auth: b64("u:p\n") }, ["warning:auth-password-trailing-newline"]],
    ["control characters", { auth: b64("u\u0001:p") }, ["warning:credential-control-characters"]],
    [
      "control characters in username and password",
      { auth: b64("u\t:p\u007f") },
      ["warning:credential-control-characters", "warning:credential-control-characters"],
    ],
    [
      "NUL at the end of the password (skopeo strips it)",
      { auth: b64("u:p\u0000") },
      ["warning:credential-control-characters", "warning:credential-nul-padding"],
    ],
    ["empty username", { auth: b64(":p") }, ["info:auth-empty-username"]],
    ["empty password", { auth: b64("u:") }, ["warning:auth-empty-password"]],
    [
      "not UTF-8",
      { auth: Buffer.from([0x75, 0x3a, 0xff]).toString("base64") },
      ["warning:auth-decoded-not-utf8"],
    ],
    [
      "auth disagrees",
      { username: "foo", password: "bar", auth: "cGluZzpwb25n" },
      ["warning:auth-disagrees"],
    ],
    ["auth agrees", { username: "ping", password: "pong", auth: "cGluZzpwb25n" }, []],
    ["username/password without auth", { username: "u", password: "p" }, ["warning:auth-missing"]],
    [
      "username with ':'",
      { username: "a:b", password: "p" },
      ["warning:auth-missing", "error:username-contains-colon"],
    ],
    ["identitytoken only", { identitytoken: "tok" }, ["error:identitytoken-without-auth"]],
    [
      "ACR-style identitytoken with 00000000 user",
      { auth: b64("00000000-0000-0000-0000-000000000000:"), identitytoken: "tok" },
      ["error:identitytoken-ignored-by-kubelet"],
    ],
    [
      "identitytoken next to a password",
      { auth: "dTpw", identitytoken: "tok" },
      ["warning:identitytoken-ignored-by-kubelet"],
    ],
    ["registrytoken only", { registrytoken: "tok" }, ["error:registrytoken-ignored"]],
    ["registrytoken next to auth", { auth: "dTpw", registrytoken: "tok" }, ["warning:registrytoken-ignored"]],
    ["empty entry", {}, ["warning:entry-no-credentials"]],
    ["email only", { email: "a@b.c" }, ["warning:entry-no-credentials"]],
  ])("%s", (_name, fields, expected) => {
    expect(codes(entry(fields))).toEqual(expected);
  });

  // config_test.go TestDockerConfigEntryJSONDecode.
  it.each([
    [
      { username: "foo", password: "bar", email: "foo@example.com" },
      { username: "foo", password: "bar" },
    ],
    [
      { auth: "Zm9vOmJhcg==", email: "foo@example.com" },
      { username: "foo", password: "bar" },
    ],
    [
      { username: "foo", password: "bar", auth: "cGluZzpwb25n", email: "foo@example.com" },
      { username: "ping", password: "pong" },
    ],
    [{ auth: "pants", email: "foo@example.com" }, undefined],
  ])("kubelet decodes %j as %j", (fields, decoded) => {
    expect(parse(entry(fields)).entries[0]?.decoded).toEqual(decoded);
  });
});

it("names a control character and its position, never the value around it", () => {
  const messages = parse(
    JSON.stringify({ auths: { "ghcr.io": { auth: b64("bot:s3cr\u007fet") } } }),
  ).problems.map((p) => p.message);
  expect(messages).toEqual([
    'the password in the decoded auth of "ghcr.io" contains DEL (U+007F) at character 5 of 7; kubelet, containerd and skopeo send it as it is',
  ]);
});

describe("parseDockerConfigText: registry key problems", () => {
  const keyCodes = (key: string) => codes(JSON.stringify({ auths: { [key]: { auth: "dTpw" } } }));
  it.each([
    ["ghcr.io", []],
    ["https://index.docker.io/v1/", []],
    ["docker.io", []],
    ["localhost:5000", []],
    ["[::1]:5000", []],
    ["", ["error:key-empty"]],
    [" ghcr.io", ["error:key-whitespace"]],
    ["ghcr.io\t", ["error:key-whitespace"]],
    ["http://ghcr.io", ["warning:key-http-scheme"]],
    ["docker://ghcr.io", ["error:key-unsupported-scheme"]],
    ["HTTPS://ghcr.io", ["error:key-unsupported-scheme"]],
    ["reg.io:abc", ["error:key-unparseable"]],
    ["re%41g.io", ["error:key-unparseable"]],
    ["user@ghcr.io", ["warning:key-userinfo"]],
    ["app?.k8s.io", ["error:key-query-or-fragment"]],
    ["ghcr.io#x", ["error:key-query-or-fragment"]],
    ["/foo", ["error:key-no-host"]],
    ["registry-1.docker.io", ["error:key-registry-1-docker-io"]],
    ["https://registry-1.docker.io/v2/", ["error:key-registry-1-docker-io"]],
    ["https://index.docker.io/v1/myorg", ["error:key-docker-hub-with-path", "info:key-path-scoped"]],
    ["index.docker.io/v1", ["error:key-version-path-without-slash"]],
    ["reg.io/v2", ["error:key-version-path-without-slash"]],
    ["reg.io/Org", ["error:key-path-never-matches"]],
    ["reg.io/org/app:1.0", ["error:key-path-never-matches"]],
    ["reg.io/org//app", ["error:key-path-never-matches"]],
    ["reg.io/org", ["info:key-path-scoped"]],
    ["reg.io/org/", ["info:key-path-scoped"]],
    ["GHCR.io", ["warning:key-host-uppercase"]],
    ["ghcr.io.", ["error:key-trailing-dot"]],
    ["reg.io:443", ["warning:key-default-port"]],
    ["*.azurecr.io", ["info:key-glob"]],
    ["reg[0-9].io", ["error:key-unparseable"]],
    ["[::1]", ["error:key-self-mismatch"]],
  ])("%j → %j", (key, expected) => {
    expect(keyCodes(key)).toEqual(expected);
  });

  it("redacts user info from keys in problems", () => {
    const parsed = parse(JSON.stringify({ auths: { "bob:hunter2hunter2@ghcr.io": { auth: "dTpw" } } }));
    expect(JSON.stringify(parsed.problems)).not.toContain("hunter2");
    expect(parsed.problems[0]?.key).toBe("***@ghcr.io");
  });

  it.each(["https://bob:hu/nter2@ghcr.io", "bob:123?hunter2@ghcr.io", "https://bob:hunter2#x@ghcr.io"])(
    "redacts a password with '/', '?' or '#' in user info, also from the URL parser's reason: %j",
    (key) => {
      const parsed = parse(JSON.stringify({ auths: { [key]: { auth: "dTpw" } } }));
      expect(parsed.problems.length).toBeGreaterThan(0);
      expect(JSON.stringify(parsed.problems)).not.toMatch(/hu\/?nter2|123/);
    },
  );
});

describe("parseDockerConfigText: hostile input", () => {
  it.each([
    ["[]", "E_DOCKERCONFIG_SHAPE", "1:1: expected a JSON object at the top level, found an array"],
    ['"x"', "E_DOCKERCONFIG_SHAPE", "1:1: expected a JSON object at the top level, found a string"],
    ['{"auths":[]}', "E_DOCKERCONFIG_SHAPE", '1:10: "auths" must be a JSON object, found an array'],
    [
      '{"auths":{"r.io":"secret"}}',
      "E_DOCKERCONFIG_SHAPE",
      '1:18: entry "r.io" must be a JSON object, found a string',
    ],
    [
      '{"auths":{"r.io":{"auth":"x",}}}',
      "E_DOCKERCONFIG_JSON",
      "1:30: malformed JSON: trailing comma before '}'",
    ],
    [
      "eyJhdXRocyI6e319",
      "E_DOCKERCONFIG_BASE64",
      "1:1: input looks base64-encoded (a Secret data value?), not JSON; decode it first",
    ],
    ["{\u0000}", "E_DOCKERCONFIG_BINARY", "input is not JSON text: a NUL character at offset 1"],
    ["[".repeat(40), "E_DOCKERCONFIG_TOO_DEEP", "1:33: refusing JSON: nesting is deeper than 32 levels"],
  ])("%j → %s", (text, code, message) => {
    const error = inputError(() => parse(text));
    expect(error.code).toBe(code);
    expect(located(error)).toBe(message);
    expect(error.source).toBe("cfg.json");
    expect(error.message).not.toMatch(/\n/);
  });

  it("refuses a non-object entry in a legacy .dockercfg", () => {
    const error = inputError(() => parse('{"r.io":"secret"}', "dockercfg"));
    expect(located(error)).toBe('1:9: entry "r.io" must be a JSON object, found a string');
  });

  it("refuses binary bytes: gzip, NUL, invalid UTF-8", () => {
    expect(inputError(() => parse(Uint8Array.from([0x1f, 0x8b, 8, 0]))).message).toMatch(/gzip/);
    expect(inputError(() => parse(Uint8Array.from([0x7b, 0x00, 0x7d]))).message).toMatch(
      /NUL byte at byte offset 1/,
    );
    const bad = inputError(() => parse(Uint8Array.from([0x7b, 0x22, 0xff, 0x22]))).message;
    expect(bad).toBe("input is not JSON text: bytes that are not UTF-8 at byte offset 2");
  });

  it("hints at Kubernetes manifests", () => {
    const error = inputError(() => parse("apiVersion: v1\nkind: Secret\n"));
    expect(error.hint).toMatch(/Kubernetes manifest/);
  });

  it("refuses oversized input quickly, without parsing", () => {
    const huge = " ".repeat(50 * 1024 * 1024);
    const started = performance.now();
    const error = inputError(() => parse(huge));
    expect(performance.now() - started).toBeLessThan(100);
    expect(error.code).toBe("E_DOCKERCONFIG_TOO_LARGE");
    expect(inputError(() => parse(new Uint8Array(50 * 1024 * 1024))).code).toBe("E_DOCKERCONFIG_TOO_LARGE");
    // The cap is in UTF-8 bytes: 600k two-byte characters are 1.2 MB.
    expect(inputError(() => parse(`"${"é".repeat(600_000)}"`)).code).toBe("E_DOCKERCONFIG_TOO_LARGE");
    expect(() => parse(`{"auths":{},"x":"${"a".repeat(MAX_CONFIG_BYTES - 30)}"}`)).not.toThrow();
  });

  it("never quotes a secret in errors", () => {
    const error = inputError(() => parse('{"auths":{"r.io":{"auth":hunter2hunter2}}}'));
    expect(error.message).not.toContain("hunter2");
  });
});
