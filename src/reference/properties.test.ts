import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { InvalidReferenceError } from "../errors.js";
import { parseCanonicalReference } from "./canonical.js";
import { familiarName, familiarString, referenceString, repositoryName } from "./format.js";
import { referenceRegexp } from "./grammar.js";
import { normalizeImageName, parseNormalizedReference } from "./normalize.js";
import { parseReferenceSyntax } from "./parse.js";
import { scanReferencePrefix } from "./reference-automaton.js";

// Generators for valid references, built from the grammar's productions.

const hexDigits = (length: number) =>
  fc.string({ unit: fc.constantFrom(..."0123456789abcdef"), minLength: length, maxLength: length });

const label = fc.stringMatching(/^[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,8}[a-zA-Z0-9])?$/);
const port = fc.integer({ min: 1, max: 99999 }).map(String);
const withOptionalPort = (host: fc.Arbitrary<string>) =>
  fc.tuple(host, fc.option(port, { nil: undefined })).map(([h, p]) => (p === undefined ? h : `${h}:${p}`));

const domainArb = fc.oneof(
  fc.constantFrom(
    "docker.io",
    "index.docker.io",
    "localhost",
    "localhost:5000",
    "ghcr.io",
    "registry-1.docker.io",
  ),
  withOptionalPort(fc.array(label, { minLength: 2, maxLength: 4 }).map((labels) => labels.join("."))),
  withOptionalPort(
    fc.array(fc.integer({ min: 0, max: 255 }), { minLength: 4, maxLength: 4 }).map((o) => o.join(".")),
  ),
  withOptionalPort(
    fc.constantFrom("[::1]", "[fd00:1:2::3]", "[2001:db8::1]", "[2001:0db8:85a3:0000:0000:8a2e:0370:7334]"),
  ),
  withOptionalPort(fc.stringMatching(/^[A-Z][A-Za-z0-9]{0,6}$/)), // a domain by the uppercase rule
);

const pathComponent = fc
  .stringMatching(/^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/)
  .filter((component) => component.length <= 30);
const pathArb = fc.array(pathComponent, { minLength: 1, maxLength: 4 }).map((parts) => parts.join("/"));
const tagArb = fc.stringMatching(/^[\w][\w.-]{0,127}$/).filter((tag) => tag.length <= 128);
const digestArb = fc.oneof(
  hexDigits(64).map((hex) => `sha256:${hex}`),
  hexDigits(96).map((hex) => `sha384:${hex}`),
  hexDigits(128).map((hex) => `sha512:${hex}`),
);

/** Valid ParseNormalizedNamed input: optional domain, path, optional tag and digest. */
const validInput = fc
  .record({
    domain: fc.option(domainArb, { nil: undefined }),
    path: pathArb,
    tag: fc.option(tagArb, { nil: undefined }),
    digest: fc.option(digestArb, { nil: undefined }),
  })
  .map(
    ({ domain, path, tag, digest }) =>
      (domain === undefined ? "" : `${domain}/`) +
      path +
      (tag === undefined ? "" : `:${tag}`) +
      (digest === undefined ? "" : `@${digest}`),
  )
  .filter((input) => !/^[a-f0-9]{64}$/.test(input)); // a bare identifier is refused by design

/** Characters that are never part of a reference. */
const neverValid = fc.constantFrom("!", " ", "%", "\n", "\u0000", "é", "\u{1f433}", "\u202e", "#", "*");

/** Strings over the grammar's own alphabet reach far more of its paths than random Unicode does. */
const grammarish = fc.string({
  unit: fc.constantFrom(..."aAzZ09fF._-/:@[]", "__", "--", "sha256:", "localhost", "docker.io", "library/"),
  maxLength: 40,
});

const anyString = fc.oneof(
  fc.string(),
  fc.string({ unit: "binary" }), // what fullUnicodeString was before fast-check 4
  fc.string({ unit: "binary-ascii" }),
  fc.string({ unit: "grapheme" }),
  fc.string({ unit: fc.integer({ min: 0xd800, max: 0xdfff }).map((code) => String.fromCharCode(code)) }),
  grammarish,
  validInput,
  fc
    .tuple(validInput, fc.nat(), fc.nat(), grammarish)
    .map(
      ([input, at, drop, junk]) =>
        input.slice(0, at % (input.length + 1)) + junk + input.slice((at + drop) % (input.length + 1)),
    ),
);

function outcome(run: () => unknown): "ok" | InvalidReferenceError {
  try {
    run();
    return "ok";
  } catch (error) {
    if (error instanceof InvalidReferenceError) return error;
    throw error;
  }
}

describe("properties", () => {
  it("parse → referenceString → parse is the identity, and referenceString is canonical", () => {
    fc.assert(
      fc.property(validInput, (input) => {
        const ref = parseNormalizedReference(input);
        const canonical = referenceString(ref);
        expect(parseNormalizedReference(canonical)).toEqual(ref);
        expect(parseCanonicalReference(canonical)).toEqual(ref);
        expect(normalizeImageName(input)).toBe(repositoryName(ref));
        expect(normalizeImageName(canonical)).toBe(repositoryName(ref));
      }),
      { numRuns: 500 },
    );
  });

  it("familiarString → parseNormalizedReference round-trips", () => {
    fc.assert(
      fc.property(validInput, (input) => {
        const ref = parseNormalizedReference(input);
        // Known distribution quirk: a Docker Hub namespace that looks like a domain ("docker.io/a.b/c")
        // familiarises to "a.b/c", which reads back as domain "a.b". Skip exactly those.
        const firstSegment = familiarName(ref).split("/", 2);
        fc.pre(
          !(
            ref.domain === "docker.io" &&
            firstSegment.length === 2 &&
            looksLikeDomain(firstSegment[0] ?? "")
          ),
        );
        expect(parseNormalizedReference(familiarString(ref))).toEqual(ref);
      }),
      { numRuns: 500 },
    );
  });

  it("never throws anything but InvalidReferenceError, with a one-line message and an offset in range", () => {
    fc.assert(
      fc.property(anyString, (input) => {
        for (const parse of [parseNormalizedReference, parseCanonicalReference, normalizeImageName]) {
          const result = outcome(() => parse(input));
          if (result === "ok") continue;
          expect(result.message).not.toMatch(/[\n\r\u2028\u2029]/);
          expect(result.message.startsWith("parsing image reference ")).toBe(true);
          const offset = result.position?.offset;
          if (offset !== undefined) {
            expect(offset).toBeGreaterThanOrEqual(0);
            expect(offset).toBeLessThanOrEqual(input.length);
          }
        }
      }),
      { numRuns: 2000 },
    );
  });

  it("points at a character that can never appear in a reference, wherever it is inserted", () => {
    fc.assert(
      fc.property(validInput, fc.nat(), neverValid, (input, at, bad) => {
        const offset = at % (input.length + 1);
        const broken = input.slice(0, offset) + bad + input.slice(offset);
        const result = outcome(() => parseNormalizedReference(broken));
        expect(result).toBeInstanceOf(InvalidReferenceError);
        expect((result as InvalidReferenceError).position).toEqual({ offset });
      }),
      { numRuns: 1000 },
    );
  });

  it("reports an invalid format with an offset for every string the grammar rejects", () => {
    fc.assert(
      fc.property(grammarish, (text) => {
        const parsed = parseReferenceSyntax(text);
        if (!parsed.ok && parsed.problem === "invalid reference format") expect(parsed.offset).toBeDefined();
      }),
      { numRuns: 1000 },
    );
  });

  it("the automaton accepts exactly what referenceRegexp matches", () => {
    const candidates = fc.oneof(
      grammarish,
      validInput,
      fc.tuple(validInput, fc.nat(), grammarish).map(([input, at, junk]) => {
        const offset = at % (input.length + 1);
        return input.slice(0, offset) + junk + input.slice(offset);
      }),
    );
    fc.assert(
      fc.property(candidates, (text) => {
        expect(scanReferencePrefix(text).complete).toBe(referenceRegexp.test(text));
      }),
      { numRuns: 3000 },
    );
  });
});

function looksLikeDomain(segment: string): boolean {
  return segment === "localhost" || /[.:]/.test(segment);
}
