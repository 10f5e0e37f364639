import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { redactHeaders, redactText, redactUrl, safeSnippet } from "./redact.js";

describe("redactUrl", () => {
  it.each([
    [
      "https://auth.example/token?service=reg&scope=repository:a:pull&account=me",
      "https://auth.example/token",
    ],
    ["https://user:pass@reg.example:5000/v2/?x=1#frag", "https://reg.example:5000/v2/"],
    [
      "https://bucket.s3.amazonaws.com/blob?X-Amz-Signature=abc&X-Amz-Credential=def",
      "https://bucket.s3.amazonaws.com/blob",
    ],
    ["http://[::1]:5000/v2/", "http://[::1]:5000/v2/"],
    ["not a url?token=abc", "not a url"],
    ["//user:pw@host/path?q", "//host/path"],
  ])("%s -> %s", (input, expected) => {
    expect(redactUrl(input)).toBe(expected);
  });

  it("accepts URL objects", () => {
    expect(redactUrl(new URL("https://a:b@h/p?q=1"))).toBe("https://h/p");
  });
});

describe("redactText", () => {
  it.each([
    ["Authorization: Bearer abc.def.ghi", "Authorization: <redacted>"],
    ["authorization:Basic dXNlcjpwYXNz\nnext line", "authorization:<redacted>\nnext line"],
    ["sent Bearer abcdef123 to host", "sent Bearer <redacted> to host"],
    ["basic dXNlcjpwYXNzd29yZA==", "basic <redacted>"],
    [
      '{"token":"abc","expires_in":60,"access_token":"x\\"y"}',
      '{"token":"<redacted>","expires_in":60,"access_token":"<redacted>"}',
    ],
    [
      "grant_type=refresh_token&refresh_token=rt-123&service=reg",
      "grant_type=refresh_token&refresh_token=<redacted>&service=reg",
    ],
    ["password=hunter2 and more", "password=<redacted> and more"],
    ["GET https://auth/token?account=me&scope=x failed", "GET https://auth/token failed"],
    ["jwt eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln here", "jwt <redacted> here"],
    ["plain message, nothing secret", "plain message, nothing secret"],
    ["the registry asks for Basic authentication", "the registry asks for Basic authentication"],
    ['Bearer realm="https://a/t",service="s"', 'Bearer realm="https://a/t",service="s"'],
    ["the token failed", "the token failed"],
    ["", ""],
  ])("%j", (input, expected) => {
    expect(redactText(input)).toBe(expected);
  });

  // Secrets as tokens, passwords and refresh tokens look: token68 characters, at least 8 of them. After
  // `Bearer`/`Basic` a short all-lower-case word is read as prose ("Basic authentication"), never a credential.
  const secretArb = fc.stringMatching(/^[A-Za-z0-9\-._~+/]{8,64}$/).filter((s) => !/^[a-z]{1,15}$/.test(s));
  const templates: ((s: string) => string)[] = [
    (s) => `Authorization: Bearer ${s}`,
    (s) => `Authorization: Basic ${s}`,
    (s) => `proxy-authorization: ${s}`,
    (s) => `request with Bearer ${s} failed`,
    (s) => `Basic ${s}`,
    (s) => `GET https://auth.example/token?service=r&refresh_token=${encodeURIComponent(s)} -> 401`,
    (s) => `https://user:${encodeURIComponent(s)}@host.example/v2/`,
    (s) => `{"token":"${s}","expires_in":300}`,
    (s) => `{"access_token": "${s}"}`,
    (s) => `{"refresh_token":"${s}"}`,
    (s) => `{"identitytoken":"${s}"}`,
    (s) => `grant_type=refresh_token&refresh_token=${encodeURIComponent(s)}&client_id=pullwarden`,
    (s) => `password=${encodeURIComponent(s)}`,
    (s) => `https://blob.example/x?X-Amz-Signature=${encodeURIComponent(s)}&X-Amz-Date=1`,
  ];

  it("removes the secret from every shape it travels in (property)", () => {
    fc.assert(
      fc.property(
        secretArb,
        fc.constantFrom(...templates),
        fc.stringMatching(/^[a-z ]{0,20}$/),
        fc.stringMatching(/^[a-z ]{0,20}$/),
        (secret, template, before, after) => {
          const text = `${before}\n${template(secret)}\n${after}`;
          const out = redactText(text);
          expect(out).not.toContain(secret);
          expect(out).not.toContain(encodeURIComponent(secret));
        },
      ),
      { numRuns: 3000 },
    );
  });

  it("is idempotent and never throws (property)", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary" }), (text) => {
        const once = redactText(text);
        expect(redactText(once)).toBe(once);
      }),
    );
  });

  it("redactUrl never keeps a query string or user-info (property)", () => {
    fc.assert(
      fc.property(fc.webUrl({ withQueryParameters: true, withFragments: true }), secretArb, (url, secret) => {
        const u = new URL(url);
        u.username = "user";
        u.password = secret;
        u.searchParams.set("token", secret);
        const out = redactUrl(u.href);
        expect(out).not.toContain("?");
        expect(out).not.toContain(secret);
        expect(out.startsWith(`${u.protocol}//${u.host}/`)).toBe(true);
      }),
    );
  });
});

describe("redactHeaders / safeSnippet", () => {
  it("hides credential headers and redacts the rest", () => {
    expect(
      redactHeaders({
        Authorization: "Bearer abc",
        "WWW-Authenticate": ['Bearer realm="https://a/t?sig=x"'],
        Cookie: "a=b",
        accept: "application/json",
        skipped: undefined,
      }),
    ).toEqual({
      authorization: "<redacted>",
      "www-authenticate": 'Bearer realm="https://a/t"',
      cookie: "<redacted>",
      accept: "application/json",
    });
  });

  it("flattens, strips control characters and shortens", () => {
    expect(safeSnippet("a\nb\u0007c", 10)).toBe("a bc");
    expect(safeSnippet("x".repeat(50), 10)).toBe(`${"x".repeat(9)}…`);
  });
});
