import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { describeChallenge, parseChallenges, preferredChallenge } from "./challenge.js";
import type { Challenge } from "./challenge.js";

describe("parseChallenges", () => {
  it.each<[string, string | string[] | undefined, Challenge[]]>([
    ["nothing", undefined, []],
    ["empty", "", []],
    [
      "ECR Basic",
      'Basic realm="https://1.dkr.ecr.us-east-1.amazonaws.com/",service="ecr.amazonaws.com"',
      [
        {
          scheme: "basic",
          params: { realm: "https://1.dkr.ecr.us-east-1.amazonaws.com/", service: "ecr.amazonaws.com" },
        },
      ],
    ],
    [
      "htpasswd registry",
      'Basic realm="basic-realm"',
      [{ scheme: "basic", params: { realm: "basic-realm" } }],
    ],
    [
      "Docker Hub bearer with a comma inside the scope",
      'Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/busybox:pull,push"',
      [
        {
          scheme: "bearer",
          params: {
            realm: "https://auth.docker.io/token",
            service: "registry.docker.io",
            scope: "repository:library/busybox:pull,push",
          },
        },
      ],
    ],
    [
      "insufficient_scope error",
      'Bearer realm="https://r/token",service="reg",scope="repository:denied/app:pull",error="insufficient_scope"',
      [
        {
          scheme: "bearer",
          params: {
            realm: "https://r/token",
            service: "reg",
            scope: "repository:denied/app:pull",
            error: "insufficient_scope",
          },
        },
      ],
    ],
    [
      "case-insensitive scheme and names",
      'BEARER Realm="x",SERVICE=svc',
      [{ scheme: "bearer", params: { realm: "x", service: "svc" } }],
    ],
    [
      "token (unquoted) values and spaces around =",
      "Bearer realm = https://r/token , service=reg",
      [{ scheme: "bearer", params: { realm: "https://r/token", service: "reg" } }],
    ],
    [
      "escaped quotes and backslashes",
      'Bearer realm="a\\"b\\\\c",service="s"',
      [{ scheme: "bearer", params: { realm: 'a"b\\c', service: "s" } }],
    ],
    [
      "two challenges in one value",
      'Basic realm="b", Bearer realm="https://r/token",service="s"',
      [
        { scheme: "basic", params: { realm: "b" } },
        { scheme: "bearer", params: { realm: "https://r/token", service: "s" } },
      ],
    ],
    [
      "challenges across header values",
      ['Basic realm="b"', 'Bearer realm="https://r/t"'],
      [
        { scheme: "basic", params: { realm: "b" } },
        { scheme: "bearer", params: { realm: "https://r/t" } },
      ],
    ],
    [
      "token68",
      "Negotiate abc+/=, Basic realm=x",
      [
        { scheme: "negotiate", params: {}, token68: "abc+/=" },
        { scheme: "basic", params: { realm: "x" } },
      ],
    ],
    [
      "bare schemes",
      "Basic, Bearer",
      [
        { scheme: "basic", params: {} },
        { scheme: "bearer", params: {} },
      ],
    ],
    [
      "empty quoted value is kept",
      'Bearer realm="",service=s',
      [{ scheme: "bearer", params: { realm: "", service: "s" } }],
    ],
    [
      "unterminated quote drops the rest",
      'Bearer realm="https://r/token,service=s',
      [{ scheme: "bearer", params: {} }],
    ],
    [
      "parameter without a scheme is skipped",
      'realm="x", Basic realm="y"',
      [{ scheme: "basic", params: { realm: "y" } }],
    ],
    [
      "garbage between items is skipped",
      'Bearer realm="r" ;;; junk, service="s"',
      [{ scheme: "bearer", params: { realm: "r", service: "s" } }],
    ],
    [
      "quote right after the scheme",
      'Bearer"x", Basic realm=y',
      [{ scheme: "basic", params: { realm: "y" } }],
    ],
  ])("%s", (_name, header, expected) => {
    expect(parseChallenges(header)).toEqual(expected);
  });

  it("never throws and returns well-formed challenges for any input", () => {
    const tchar = /^[!#$%&'*+\-.^_`|~0-9a-z]+$/;
    fc.assert(
      fc.property(
        fc.oneof(fc.string(), fc.string({ unit: "binary" }), fc.array(fc.string(), { maxLength: 4 })),
        (input) => {
          const out = parseChallenges(input);
          for (const c of out) {
            expect(c.scheme).toMatch(tchar);
            for (const [k, v] of Object.entries(c.params)) {
              expect(k).toMatch(tchar);
              expect(typeof v).toBe("string");
            }
          }
        },
      ),
      { numRuns: 2000 },
    );
  });

  it("parses back what a server would write (round trip)", () => {
    const tokenArb = fc.stringMatching(/^[A-Za-z][A-Za-z0-9_.-]{0,10}$/);
    const valueArb = fc.string({ maxLength: 30 }).filter((s) => !/[\r\n\t]/.test(s));
    const challengeArb = fc.record({
      scheme: tokenArb,
      params: fc.dictionary(tokenArb, valueArb, { maxKeys: 4 }),
    });
    fc.assert(
      fc.property(
        fc.array(challengeArb, { minLength: 1, maxLength: 3 }),
        fc.boolean(),
        (challenges, oneHeader) => {
          const serialize = (c: { scheme: string; params: Record<string, string> }): string =>
            `${c.scheme} ${Object.entries(c.params)
              .map(([k, v]) => `${k}="${v.replace(/["\\]/g, (m) => `\\${m}`)}"`)
              .join(", ")}`;
          const header = oneHeader ? challenges.map(serialize).join(", ") : challenges.map(serialize);
          const lower = (p: Record<string, string>): Record<string, string> => {
            const out: Record<string, string> = {};
            for (const [k, v] of Object.entries(p)) out[k.toLowerCase()] = v;
            return out;
          };
          const parsed = parseChallenges(header);
          // A challenge without params followed by another one is still its own challenge.
          expect(parsed.map((c) => c.scheme)).toEqual(challenges.map((c) => c.scheme.toLowerCase()));
          expect(parsed.map((c) => c.params)).toEqual(challenges.map((c) => lower(c.params)));
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe("preferredChallenge", () => {
  it("prefers Bearer over Basic, ignores other schemes", () => {
    const c = parseChallenges(['Basic realm="b"', 'Digest realm="d"', 'Bearer realm="https://r/t"']);
    expect(preferredChallenge(c)?.scheme).toBe("bearer");
    expect(preferredChallenge(parseChallenges('Digest realm="d", Basic realm="b"'))?.scheme).toBe("basic");
    expect(preferredChallenge(parseChallenges("Negotiate abc"))).toBeUndefined();
  });
});

describe("describeChallenge", () => {
  it("shows scheme, realm without query, service, scope and error", () => {
    const [c] = parseChallenges(
      'Bearer realm="https://auth.example/token?sig=s3cr3t",service="reg",scope="repository:a:pull",error="insufficient_scope"',
    );
    expect(describeChallenge(c as Challenge)).toBe(
      "bearer realm=https://auth.example/token service=reg scope=repository:a:pull error=insufficient_scope",
    );
  });
});
