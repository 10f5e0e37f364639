// The doctor's one redaction module: what it removes from a message and from a whole pasted input (by the
// input's structure), what it keeps (runtime prose, references the diagnosis reads), and that it keeps a
// pasted document parseable and stays idempotent.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { isCredentialName, REDACTED, redactMessage, redactPastedText } from "./redact.js";

const SECRET = "pw7canary9hunter";

describe("isCredentialName", () => {
  it.each([
    "password",
    "DB_PASSWORD",
    "dbPassword",
    "tls.key",
    "ssh-privatekey",
    "apiKey",
    "API_KEY",
    "x-registry-auth",
    ".dockerconfigjson",
    ".dockercfg",
    "credentials.json",
    "client_secret",
    "GITHUB_TOKEN",
    "credentials",
    "identitytoken",
  ])("%s is a credential", (name) => expect(isCredentialName(name)).toBe(true));

  it.each([
    "imagePullSecrets",
    "secretName",
    "secretKeyRef",
    "automountServiceAccountToken",
    "TokenExpirationSeconds",
    "name",
    "image",
    "monkey",
    "author",
    "unauthorized",
    "insufficient_scope",
    "auth.docker.io",
    "token.actions.githubusercontent.com",
  ])("%s is not", (name) => expect(isCredentialName(name)).toBe(false));
});

describe("redactMessage", () => {
  it.each([
    ["key=value", `failed: DB_PASSWORD=${SECRET} and more`],
    ["a flag", `run with --docker-password=${SECRET}`],
    ["a quoted flag", `run with --docker-password="${SECRET}"`],
    ["a key inside a kept value", `kubectl create secret generic x --from-literal=password=${SECRET}`],
    ["key: value mid-line", `image pull failed: client_secret: ${SECRET}`],
    ["a second key after a kept one", `image pull failed: api_key: ${SECRET}`],
    ["a lone token: with a value that is no word", `the registry said no; token: ${SECRET}`],
    ["password: at the start of a line", `password: ${SECRET}`],
    ["an env line", `      DB_PASSWORD:   ${SECRET}`],
    ["JSON field", `{"password":"${SECRET}"}`],
    ["JSON field with a dotted key", `{"tls.key": "${SECRET}"}`],
    ["escaped JSON field", `"{\\"password\\":\\"${SECRET}\\"}"`],
    ["JSON data of any key", `{"data":{"username":"${SECRET}"}}`],
    ["escaped JSON env", `"{\\"env\\":[{\\"name\\":\\"PLAIN\\",\\"value\\":\\"${SECRET}\\"}]}"`],
    ["Authorization: token", `GET / Authorization: token ${SECRET}`],
    ["a header line", `Authorization: Bearer ${SECRET}`],
    ["user info without a scheme", `pull robot:${SECRET}@registry.example.com/shop/web:1 failed`],
    ["user info of a host with a port", `"robot:${SECRET}@localhost:5000/app"`],
    ["a PEM block", `key:\n-----BEGIN PRIVATE KEY-----\n${SECRET}\n-----END PRIVATE KEY-----\nafter`],
    [
      "a PEM block with escaped line breaks",
      `"-----BEGIN EC PRIVATE KEY-----\\n${SECRET}\\n-----END EC PRIVATE KEY-----"`,
    ],
    ["a truncated PEM block", `-----BEGIN OPENSSH PRIVATE KEY-----\n${SECRET}\n${SECRET}`],
  ])("removes %s", (_name, text) => {
    const out = redactMessage(text);
    expect(out).not.toContain(SECRET);
    expect(out).toContain(REDACTED);
  });

  it("removes a URL's user info", () => {
    expect(redactMessage(`at https://robot:${SECRET}@registry.example.com/v2/ now`)).toBe(
      "at https://registry.example.com/v2/ now",
    );
  });

  it.each([
    "failed to authorize: failed to fetch anonymous token: unexpected status from GET request to https://ghcr.io/token?scope=repository%3Aacme%2Fweb%3Apull&service=ghcr.io: 401 Unauthorized",
    "pull access denied, repository does not exist or may require authorization: server message: insufficient_scope: authorization failed",
    'failed to fetch oauth token: Post "https://auth.docker.io/token": dial tcp: lookup auth.docker.io: no such host',
    "no basic auth credentials",
    'Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/nginx:pull"',
    'Failed to pull image "ghcr.io/acme/web:1@sha256:4f4fb700ef54461cfa02571ae0db9a0dc1e0cdb5577484a6d75e68dc38e8acc1": not found',
    "nginx:1.27@sha256:4f4fb700ef54461cfa02571ae0db9a0dc1e0cdb5577484a6d75e68dc38e8acc1",
    "x509: certificate signed by unknown authority",
    "Unable to retrieve some image pull secrets (regcred); attempting to pull the image may not succeed.",
  ])("keeps runtime prose: %s", (text) => expect(redactMessage(text)).toBe(text));
});

describe("redactPastedText", () => {
  it("replaces every value of a Secret's data and stringData, whatever the key, and keeps the keys", () => {
    const text = [
      "apiVersion: v1",
      "kind: Secret",
      "metadata:",
      "  name: db",
      "data:",
      `  username: ${SECRET}`,
      `  config.yaml: ${SECRET}`,
      "stringData:",
      "  tls.key: |",
      "    -----BEGIN PRIVATE KEY-----",
      `    ${SECRET}`,
      "    -----END PRIVATE KEY-----",
      "",
      `  note: ${SECRET}`,
      "type: Opaque",
    ].join("\n");
    const out = redactPastedText(text);
    expect(out).not.toContain(SECRET);
    expect(out).toContain(`  username: ${REDACTED}`);
    expect(out).toContain("  tls.key: |");
    expect(out).toContain("type: Opaque");
    expect(out).toContain("  name: db");
  });

  it("replaces env values of a Pod spec (list items at the key's indentation) and keeps the rest", () => {
    const text = [
      "spec:",
      "  containers:",
      "  - env:",
      "    - name: PLAIN",
      `      value: ${SECRET}`,
      "    image: ghcr.io/acme/web:1",
      "    name: web",
      "  imagePullSecrets:",
      "  - name: ghcr-pull",
    ].join("\n");
    const out = redactPastedText(text);
    expect(out).not.toContain(SECRET);
    expect(out).toContain("    image: ghcr.io/acme/web:1");
    expect(out).toContain("  - name: ghcr-pull");
  });

  it("replaces describe's Environment values, and a container named data is still a container", () => {
    const text = [
      "Containers:",
      "  data:",
      "    Container ID:   ",
      "    Image:          ghcr.io/acme/data:1",
      "    Environment:",
      `      PLAIN:        ${SECRET}`,
      `      URL:          https://u:${SECRET}@db`,
      "    Mounts:         <none>",
      "  web:",
      "    Container ID:   ",
      "    Image:          ghcr.io/acme/web:1",
      "    Environment:    <none>",
    ].join("\n");
    const out = redactPastedText(text);
    expect(out).not.toContain(SECRET);
    expect(out).toContain("    Image:          ghcr.io/acme/data:1");
    expect(out).toContain("    Environment:    <none>");
    expect(out).toContain("    Mounts:         <none>");
  });

  it("keeps JSON valid: every value under data, stringData and env becomes <redacted>", () => {
    const list = {
      apiVersion: "v1",
      kind: "List",
      items: [
        { kind: "Secret", data: { a: SECRET, b: SECRET }, stringData: { "x.json": `{"k":"${SECRET}"}` } },
        {
          kind: "Pod",
          metadata: {
            annotations: {
              last: JSON.stringify({ spec: { containers: [{ env: [{ name: "A", value: SECRET }] }] } }),
            },
          },
          spec: {
            containers: [{ name: "web", env: [{ name: "A", value: SECRET }] }],
            imagePullSecrets: [{ name: "p" }],
          },
        },
      ],
    };
    for (const text of [JSON.stringify(list), JSON.stringify(list, null, 4)]) {
      const out = redactPastedText(text);
      expect(out).not.toContain(SECRET);
      const parsed = JSON.parse(out) as typeof list;
      expect(parsed.items[0]?.data).toEqual({ a: REDACTED, b: REDACTED });
      expect(parsed.items[1]?.spec?.imagePullSecrets).toEqual([{ name: "p" }]);
      expect(parsed.items[1]?.spec?.containers[0]?.name).toBe("web");
    }
  });

  it("is total, and redactMessage is idempotent on anything, pasted or not", () => {
    const parts = fc.constantFrom(
      "\n",
      "  ",
      "- ",
      "data:",
      "env:",
      "password: ",
      "tls.key: |",
      '"data": {',
      '\\"env\\":[',
      '"',
      "\\",
      "{",
      "}",
      "[",
      "]",
      ":",
      "-----BEGIN A-----",
      "-----END A-----",
      "abc",
      SECRET,
    );
    fc.assert(
      fc.property(fc.array(parts, { maxLength: 40 }), (chunks) => {
        const pasted = redactPastedText(chunks.join(""));
        const once = redactMessage(pasted);
        expect(redactMessage(once)).toBe(once);
        const direct = redactMessage(chunks.join(""));
        expect(redactMessage(direct)).toBe(direct);
      }),
      { numRuns: 500 },
    );
  });
});
