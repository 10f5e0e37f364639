/**
 * Property tests across the module: build → parse round-trips, total functions that never throw on hostile
 * input (or throw only InputError), and secrets never leaking into problems or error messages.
 */
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { InputError } from "../errors.js";
import { buildDockerConfigFromAuths, buildDockerConfigJson } from "./build.js";
import type { PullCredentialInput } from "./build.js";
import { encodeStdBase64 } from "./go-base64.js";
import { hasControlCharacter, utf8Encode } from "./go-strings.js";
import { explainUrlsMatch, lookupCredentials, normalizeKeyringKey, urlsMatch } from "./keyring.js";
import { mergeDockerConfigs } from "./merge.js";
import { parseDockerConfigText } from "./parse.js";
import { dockerConfigFromSecret } from "./secret.js";

const b64 = (s: string) => encodeStdBase64(utf8Encode(s));

// --- generators ------------------------------------------------------------------------------------------

const label = fc.stringMatching(/^[a-z0-9](?:[a-z0-9-]{0,8}[a-z0-9])?$/);
const hostname = fc
  .tuple(
    fc.array(label, { minLength: 1, maxLength: 3 }),
    fc.constantFrom("io", "com", "example", "azurecr.io"),
  )
  .map(([labels, tld]) => [...labels, tld].join("."));
const server: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    "https://index.docker.io/v1/",
    "docker.io",
    "ghcr.io",
    "myreg.azurecr.io",
    "123456789012.dkr.ecr.us-east-1.amazonaws.com",
    "localhost:5000",
    "[::1]:5000",
    "registry.example.com:8443",
  ),
  hostname,
  fc
    .tuple(
      hostname,
      fc.integer({ min: 1, max: 65535 }).filter((p) => p !== 443 && p !== 80),
    )
    .map(([h, p]) => `${h}:${p}`),
);

/** Characters that stress the encoders: HTML-escaped, JSON-escaped, separators, non-ASCII, astral. */
const tricky = fc.constantFrom(
  "&",
  "<",
  ">",
  ":",
  '"',
  "\\",
  "/",
  "'",
  "=",
  "+",
  "%",
  "@",
  "ü",
  "ß",
  "😀",
  "\u2028",
  "\u2029",
  "中",
);
const plain = fc.string({ unit: "grapheme", minLength: 1, maxLength: 16 });
/** Well-formed, no control characters, no surrounding whitespace. */
const credentialText = (forbidColon: boolean) =>
  fc
    .array(fc.oneof(plain, tricky), { minLength: 1, maxLength: 6 })
    .map((parts) => parts.join(""))
    .map((s) =>
      [...s]
        .filter((c) => !hasControlCharacter(c))
        .join("")
        .trim(),
    )
    .map((s) => (forbidColon ? s.replace(/:/g, "") : s))
    .filter((s) => s.length > 0 && s.trim() === s);

const credential: fc.Arbitrary<PullCredentialInput> = fc.record(
  {
    server,
    username: credentialText(true),
    password: credentialText(false),
    email: fc.oneof(fc.constant(""), fc.emailAddress()),
  },
  { requiredKeys: ["server", "username", "password"] },
);

/** A secret-looking value: letters of both cases and digits, 8–24 characters. */
const secretValue = fc
  .stringMatching(/^[A-Za-z0-9]{8,24}$/)
  .filter((s) => /[a-z]/.test(s) && /[A-Z]/.test(s) && /[0-9]/.test(s));

const hostileChars = fc.constantFrom(
  ...'{}[]":,\\ \n\t\r/?#@*[]%:.-_aA0ü😀\u0000\u2028\ufeff'.split(""),
  "\ud800",
);

// --- build → parse -----------------------------------------------------------------------------------------

describe("build → parse round-trips", () => {
  it("one credential: kubelet decodes exactly the input, and nothing is reported", () => {
    fc.assert(
      fc.property(credential, (input) => {
        const text = buildDockerConfigJson([input]);
        const parsed = parseDockerConfigText(text, { source: "built" });
        expect(parsed.problems).toEqual([]);
        expect(parsed.entries).toHaveLength(1);
        const entry = parsed.entries[0];
        expect(entry?.key).toBe(input.server);
        expect(entry?.decoded).toEqual({ username: input.username, password: input.password });
        expect(entry?.username).toBe(input.username);
        expect(entry?.password).toBe(input.password);
        expect(entry?.email).toBe(input.email === "" ? undefined : input.email);
        // Same bytes as JSON.stringify would give, modulo Go's HTML-safe escapes.
        expect(JSON.parse(text)).toEqual(JSON.parse(text.replace(/\\u003c/g, "<")));
      }),
      { numRuns: 300 },
    );
  });

  it("several credentials on distinct registries round-trip in Go map order", () => {
    const distinct = fc.uniqueArray(credential, {
      minLength: 1,
      maxLength: 5,
      selector: (c) => normalizeKeyringKey(c.server) ?? c.server,
    });
    fc.assert(
      fc.property(distinct, (inputs) => {
        const parsed = parseDockerConfigText(buildDockerConfigJson(inputs), { source: "built" });
        expect(parsed.problems).toEqual([]);
        const byKey = new Map(parsed.entries.map((e) => [e.key, e.decoded]));
        for (const input of inputs) {
          expect(byKey.get(input.server)).toEqual({ username: input.username, password: input.password });
        }
        // merge + rebuild keeps every credential
        const merged = mergeDockerConfigs([{ source: "built", config: parsed }]);
        const rebuilt = parseDockerConfigText(buildDockerConfigFromAuths(merged.auths), {
          source: "rebuilt",
        });
        expect(rebuilt.entries.map((e) => [e.key, e.decoded])).toEqual(
          parsed.entries.map((e) => [e.key, e.decoded]),
        );
      }),
      { numRuns: 150 },
    );
  });

  it("kubelet finds a built credential for an image on that registry", () => {
    fc.assert(
      fc.property(credential, fc.stringMatching(/^[a-z0-9]+(?:\/[a-z0-9]+){0,2}$/), (input, repo) => {
        const parsed = parseDockerConfigText(buildDockerConfigJson([input]), { source: "built" });
        const host = input.server === "https://index.docker.io/v1/" ? "docker.io" : input.server;
        const result = lookupCredentials(parsed.entries, `${host}/${repo}:1`);
        expect(result.ok).toBe(true);
        expect(result.matches.map((m) => m.entry.decoded)).toEqual([
          { username: input.username, password: input.password },
        ]);
      }),
      { numRuns: 200 },
    );
  });
});

// --- totality ------------------------------------------------------------------------------------------------

describe("total functions", () => {
  it("urlsMatch, explainUrlsMatch, normalizeKeyringKey and lookupCredentials never throw", () => {
    const nasty = fc.oneof(fc.string({ unit: "binary" }), fc.string({ unit: hostileChars, maxLength: 30 }));
    fc.assert(
      fc.property(nasty, nasty, (a, b) => {
        expect(typeof urlsMatch(a, b)).toBe("boolean");
        expect(explainUrlsMatch(a, b).reason).toEqual(expect.any(String));
        normalizeKeyringKey(a);
        const result = lookupCredentials(
          [{ key: a }, { key: "*" }, { key: "https://index.docker.io/v1/" }],
          b,
        );
        expect(Array.isArray(result.matches)).toBe(true);
      }),
      { numRuns: 1000 },
    );
  });

  const onlyInputError = (run: () => unknown) => {
    try {
      run();
    } catch (error) {
      expect(error).toBeInstanceOf(InputError);
      expect((error as Error).message).not.toMatch(/\n/);
    }
  };

  it("parseDockerConfigText throws nothing but one-line InputErrors on arbitrary strings and bytes", () => {
    const format = fc.constantFrom("auto", "dockerconfigjson", "dockercfg", "config.json") as fc.Arbitrary<
      "auto" | "dockerconfigjson" | "dockercfg" | "config.json"
    >;
    fc.assert(
      fc.property(
        fc.oneof(fc.string({ unit: "binary" }), fc.string({ unit: hostileChars })),
        format,
        (text, f) => {
          onlyInputError(() => parseDockerConfigText(text, { source: "fuzz", format: f }));
        },
      ),
      { numRuns: 1000 },
    );
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), format, (bytes, f) => {
        onlyInputError(() => parseDockerConfigText(bytes, { source: "fuzz", format: f }));
      }),
      { numRuns: 500 },
    );
  });

  it("parseDockerConfigText throws nothing but InputError on arbitrary JSON, including config-shaped JSON", () => {
    const fieldName = fc.constantFrom(
      "auth",
      "Auth",
      "username",
      "password",
      "email",
      "identitytoken",
      "registrytoken",
      "x",
    );
    const anyJson = fc.jsonValue({ maxDepth: 3 });
    const entry = fc.dictionary(fieldName, fc.oneof(fc.string({ unit: hostileChars }), anyJson), {
      maxKeys: 5,
    });
    const key = fc.oneof(server, fc.string({ unit: hostileChars, maxLength: 20 }));
    const doc = fc.oneof(
      anyJson,
      fc.record({ auths: fc.dictionary(key, fc.oneof(entry, anyJson), { maxKeys: 4 }) }),
      fc.dictionary(key, fc.oneof(entry, anyJson), { maxKeys: 4 }),
      fc.record({
        auths: fc.dictionary(key, entry),
        credsStore: anyJson,
        credHelpers: anyJson,
        HttpHeaders: anyJson,
      }),
    );
    fc.assert(
      fc.property(doc, fc.boolean(), (value, pretty) => {
        const text = JSON.stringify(value, null, pretty ? 2 : undefined) ?? "null";
        onlyInputError(() => parseDockerConfigText(text, { source: "fuzz" }));
      }),
      { numRuns: 1000 },
    );
  });

  it("dockerConfigFromSecret throws nothing but InputError on arbitrary objects", () => {
    const value = fc.oneof(
      fc.string({ unit: hostileChars }),
      fc.base64String(),
      fc.jsonValue({ maxDepth: 2 }),
    );
    const obj = fc.oneof(
      fc.jsonValue({ maxDepth: 3 }),
      fc.record(
        {
          kind: fc.constantFrom("Secret", "List", undefined),
          type: fc.constantFrom(
            "kubernetes.io/dockerconfigjson",
            "kubernetes.io/dockercfg",
            "Opaque",
            undefined,
          ),
          data: fc.dictionary(fc.constantFrom(".dockerconfigjson", ".dockercfg", "x"), value),
          stringData: fc.dictionary(fc.constantFrom(".dockerconfigjson", ".dockercfg"), value),
        },
        { requiredKeys: [] },
      ),
    );
    fc.assert(
      fc.property(obj, (o) => {
        onlyInputError(() => dockerConfigFromSecret(o, "fuzz"));
      }),
      { numRuns: 1000 },
    );
  });
});

// --- secrecy ------------------------------------------------------------------------------------------------

describe("secrets never reach problems or error messages", () => {
  /** Runs `run`, returning everything user-visible it produced: problems (as JSON) or the error message. */
  const visible = (run: () => { problems: unknown[] }): string => {
    try {
      return JSON.stringify(run().problems);
    } catch (error) {
      expect(error).toBeInstanceOf(InputError);
      const e = error as InputError;
      return `${e.message} ${e.hint ?? ""} ${JSON.stringify(e.position ?? {})}`;
    }
  };

  it("in parsed configs, whatever the mistake", () => {
    const templates: ((pw: string) => string)[] = [
      (pw) => JSON.stringify({ auths: { "r.io": { auth: b64(`u:${pw}`).replace(/=+$/, "") } } }),
      (pw) => JSON.stringify({ auths: { "r.io": { auth: b64(`u:${pw}`).replace(/\+/g, "-") + "-" } } }),
      (pw) => JSON.stringify({ auths: { "r.io": { auth: b64(pw) } } }),
      (pw) => JSON.stringify({ auths: { "r.io": { auth: b64(`u:${pw}\n`) } } }),
      (pw) => JSON.stringify({ auths: { "r.io": { auth: b64("u:x"), username: "u", password: pw } } }),
      (pw) => JSON.stringify({ auths: { "r.io": { username: `a:${pw}`, password: pw } } }),
      (pw) =>
        JSON.stringify({ auths: { "r.io": { auth: b64("u:"), identitytoken: pw, registrytoken: pw } } }),
      (pw) => JSON.stringify({ auths: { "r.io": { auth: pw + "!" } } }),
      (pw) => JSON.stringify({ auths: { [`user:${pw}@r.io`]: { auth: b64("u:p") } } }),
      (pw) => JSON.stringify({ auths: { "r.io": { auth: b64("u:p"), password: 5, [pw]: pw } } }),
      (pw) => JSON.stringify({ auths: { "r.io": pw } }),
      (pw) => JSON.stringify({ [`r.io`]: pw }),
      (pw) => `{"auths":{"r.io":{"auth":${pw}}}}`,
      (pw) => `{"auths":{"r.io":{"auth":"${pw}",}}}`,
      (pw) => `{"auths":{"r.io":{"password":"${pw}\n"}}}`,
      (pw) => `${pw}`,
      (pw) => `{${pw}}`,
      (pw) => b64(JSON.stringify({ auths: { "r.io": { password: pw } } })),
    ];
    fc.assert(
      fc.property(secretValue, fc.nat({ max: templates.length - 1 }), (pw, i) => {
        const text = templates[i]?.(pw) ?? "";
        const out = visible(() => parseDockerConfigText(text, { source: "t" }));
        expect(out).not.toContain(pw);
        const auth = /"auth":"([^"]{8,})"/.exec(text)?.[1];
        if (auth !== undefined) expect(out).not.toContain(auth);
      }),
      { numRuns: 600 },
    );
  });

  it("in build refusals", () => {
    fc.assert(
      fc.property(
        secretValue,
        fc.constantFrom("http://r.io", "r.io", "user@r.io", "registry-1.docker.io"),
        (pw, srv) => {
          const out = visible(() => {
            buildDockerConfigJson([{ server: srv, username: `a:${pw}`, password: `${pw}\n` }]);
            return { problems: [] };
          });
          expect(out).not.toContain(pw);
          const fromAuths = visible(() => {
            buildDockerConfigFromAuths([{ key: srv, auth: b64(pw), identityToken: pw }]);
            return { problems: [] };
          });
          expect(fromAuths).not.toContain(pw);
        },
      ),
      { numRuns: 200 },
    );
  });

  it("in secrets and merges", () => {
    fc.assert(
      fc.property(secretValue, (pw) => {
        const bad = JSON.stringify({
          auths: { "r.io": { auth: b64(`u:${pw}`).replace(/=+$/, ""), password: pw } },
        });
        const secret = {
          kind: "Secret",
          type: "Opaque",
          data: { ".dockerconfigjson": b64(bad).replace(/=+$/, "") },
          stringData: {},
        };
        const out = visible(() => dockerConfigFromSecret(secret, "s"));
        expect(out).not.toContain(pw);
        const a = parseDockerConfigText(bad, { source: "a" });
        const b = parseDockerConfigText(
          JSON.stringify({ auths: { "https://r.io": { auth: b64(`v:${pw}`) } } }),
          {
            source: "b",
          },
        );
        expect(
          JSON.stringify(
            mergeDockerConfigs([
              { source: "a", config: a },
              { source: "b", config: b },
            ]).problems,
          ),
        ).not.toContain(pw);
      }),
      { numRuns: 200 },
    );
  });
});
