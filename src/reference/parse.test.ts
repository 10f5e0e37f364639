import { describe, expect, it } from "vitest";
import { referenceString, repositoryName } from "./format.js";
import { parseReferenceSyntax } from "./parse.js";

// Go's Parse (no Docker Hub defaulting). Tables ported from distribution/reference reference_test.go
// (https://github.com/distribution/reference/blob/main/reference_test.go), TestReferenceParse and
// TestDomainAndPath.

const F64 = "f".repeat(64);

/** Distribution's errors, matched against the problem text. */
const ErrNameEmpty = /^repository name must have at least one component$/;
const ErrReferenceInvalidFormat = /^invalid reference format$/;
const ErrNameContainsUppercase = /^invalid reference format: repository name \(.+\) must be lowercase$/;
const ErrNameTooLong = /^repository name must not be more than 255 characters/;
const ErrDigestInvalidLength = /^invalid checksum digest format/; // an alias of ErrDigestInvalidFormat in go-digest v1.0.0
const ErrDigestUnsupported = /^unsupported digest algorithm/;

interface ParseCase {
  input: string;
  err?: RegExp;
  repository?: string;
  domain?: string;
  tag?: string;
  digest?: string;
}

const cases: ParseCase[] = [
  { input: "test_com", repository: "test_com" },
  { input: "test.com:tag", repository: "test.com", tag: "tag" },
  { input: "test.com:5000", repository: "test.com", tag: "5000" },
  { input: "test.com/repo:tag", domain: "test.com", repository: "test.com/repo", tag: "tag" },
  { input: "test:5000/repo", domain: "test:5000", repository: "test:5000/repo" },
  { input: "test:5000/repo:tag", domain: "test:5000", repository: "test:5000/repo", tag: "tag" },
  {
    input: `test:5000/repo@sha256:${F64}`,
    domain: "test:5000",
    repository: "test:5000/repo",
    digest: `sha256:${F64}`,
  },
  {
    input: `test:5000/repo:tag@sha256:${F64}`,
    domain: "test:5000",
    repository: "test:5000/repo",
    tag: "tag",
    digest: `sha256:${F64}`,
  },
  { input: "test:5000/repo", domain: "test:5000", repository: "test:5000/repo" },
  { input: "", err: ErrNameEmpty },
  { input: ":justtag", err: ErrReferenceInvalidFormat },
  { input: `@sha256:${F64}`, err: ErrReferenceInvalidFormat },
  { input: `repo@sha256:${"f".repeat(34)}`, err: ErrDigestInvalidLength },
  { input: `validname@invaliddigest:${F64}`, err: ErrDigestUnsupported },
  { input: "Uppercase:tag", err: ErrNameContainsUppercase },
  // FIXME upstream: "Uppercase/lowercase:tag" is handled as a domain-name and passes (distribution#1778).
  { input: "test:5000/Uppercase/lowercase:tag", err: ErrNameContainsUppercase },
  { input: "lowercase:Uppercase", repository: "lowercase", tag: "Uppercase" },
  // The three length rows follow distribution/reference v0.6.0 (PR #9, "Exclude domain from name length
  // check"): only the path counts, so 128 × "a/" + "a" (domain "a", path of 255) is now valid.
  { input: `domain/${"a".repeat(256)}:tag`, err: ErrNameTooLong },
  { input: "a/".repeat(128) + "a:tag", domain: "a", repository: "a/".repeat(128) + "a", tag: "tag" },
  {
    input: "a/".repeat(127) + "a:tag-puts-this-over-max",
    domain: "a",
    repository: "a/".repeat(127) + "a",
    tag: "tag-puts-this-over-max",
  },
  { input: "aa/asdf$$^/aa", err: ErrReferenceInvalidFormat },
  {
    input: "sub-dom1.foo.com/bar/baz/quux",
    domain: "sub-dom1.foo.com",
    repository: "sub-dom1.foo.com/bar/baz/quux",
  },
  {
    input: "sub-dom1.foo.com/bar/baz/quux:some-long-tag",
    domain: "sub-dom1.foo.com",
    repository: "sub-dom1.foo.com/bar/baz/quux",
    tag: "some-long-tag",
  },
  {
    input: "b.gcr.io/test.example.com/my-app:test.example.com",
    domain: "b.gcr.io",
    repository: "b.gcr.io/test.example.com/my-app",
    tag: "test.example.com",
  },
  {
    input: "xn--n3h.com/myimage:xn--n3h.com", // ☃.com in punycode
    domain: "xn--n3h.com",
    repository: "xn--n3h.com/myimage",
    tag: "xn--n3h.com",
  },
  {
    input: `xn--7o8h.com/myimage:xn--7o8h.com@sha512:${"f".repeat(128)}`, // 🐳.com in punycode
    domain: "xn--7o8h.com",
    repository: "xn--7o8h.com/myimage",
    tag: "xn--7o8h.com",
    digest: `sha512:${"f".repeat(128)}`,
  },
  { input: "foo_bar.com:8080", repository: "foo_bar.com", tag: "8080" },
  { input: "foo/foo_bar.com:8080", domain: "foo", repository: "foo/foo_bar.com", tag: "8080" },
  { input: "192.168.1.1", repository: "192.168.1.1" },
  { input: "192.168.1.1:tag", repository: "192.168.1.1", tag: "tag" },
  { input: "192.168.1.1:5000", repository: "192.168.1.1", tag: "5000" },
  { input: "192.168.1.1/repo", domain: "192.168.1.1", repository: "192.168.1.1/repo" },
  { input: "192.168.1.1:5000/repo", domain: "192.168.1.1:5000", repository: "192.168.1.1:5000/repo" },
  {
    input: "192.168.1.1:5000/repo:5050",
    domain: "192.168.1.1:5000",
    repository: "192.168.1.1:5000/repo",
    tag: "5050",
  },
  { input: "[2001:db8::1]", err: ErrReferenceInvalidFormat },
  { input: "[2001:db8::1]:5000", err: ErrReferenceInvalidFormat },
  { input: "[2001:db8::1]:tag", err: ErrReferenceInvalidFormat },
  { input: "[2001:db8::1]/repo", domain: "[2001:db8::1]", repository: "[2001:db8::1]/repo" },
  {
    input: "[2001:db8:1:2:3:4:5:6]/repo:tag",
    domain: "[2001:db8:1:2:3:4:5:6]",
    repository: "[2001:db8:1:2:3:4:5:6]/repo",
    tag: "tag",
  },
  { input: "[2001:db8::1]:5000/repo", domain: "[2001:db8::1]:5000", repository: "[2001:db8::1]:5000/repo" },
  {
    input: "[2001:db8::1]:5000/repo:tag",
    domain: "[2001:db8::1]:5000",
    repository: "[2001:db8::1]:5000/repo",
    tag: "tag",
  },
  {
    input: `[2001:db8::1]:5000/repo@sha256:${F64}`,
    domain: "[2001:db8::1]:5000",
    repository: "[2001:db8::1]:5000/repo",
    digest: `sha256:${F64}`,
  },
  {
    input: `[2001:db8::1]:5000/repo:tag@sha256:${F64}`,
    domain: "[2001:db8::1]:5000",
    repository: "[2001:db8::1]:5000/repo",
    tag: "tag",
    digest: `sha256:${F64}`,
  },
  { input: "[2001:db8::]:5000/repo", domain: "[2001:db8::]:5000", repository: "[2001:db8::]:5000/repo" },
  { input: "[::1]:5000/repo", domain: "[::1]:5000", repository: "[::1]:5000/repo" },
  { input: "[fe80::1%eth0]:5000/repo", err: ErrReferenceInvalidFormat },
  { input: "[fe80::1%@invalidzone]:5000/repo", err: ErrReferenceInvalidFormat },
];

describe("Parse (TestReferenceParse)", () => {
  it.each(cases.map((c) => [c.input.length > 60 ? `${c.input.slice(0, 57)}...` : c.input, c] as const))(
    "%s",
    (_label, c) => {
      const outcome = parseReferenceSyntax(c.input);
      if (c.err !== undefined) {
        expect(outcome.ok).toBe(false);
        if (!outcome.ok) expect(outcome.problem).toMatch(c.err);
        return;
      }
      expect(outcome.ok).toBe(true);
      if (!outcome.ok) return;
      const ref = outcome.reference;
      expect(referenceString(ref)).toBe(c.input);
      expect(repositoryName(ref)).toBe(c.repository);
      expect(ref.domain).toBe(c.domain ?? "");
      expect(ref.tag).toBe(c.tag);
      expect(ref.digest).toBe(c.digest);
    },
  );
});

describe("domain and path of a name (TestDomainAndPath)", () => {
  it.each([
    ["test.com/foo", "test.com", "foo"],
    ["test_com/foo", "", "test_com/foo"],
    ["test:8080/foo", "test:8080", "foo"],
    ["test.com:8080/foo", "test.com:8080", "foo"],
    ["test-com:8080/foo", "test-com:8080", "foo"],
    ["xn--n3h.com:18080/foo", "xn--n3h.com:18080", "foo"],
  ])("%s", (input, domain, path) => {
    const outcome = parseReferenceSyntax(input);
    expect(outcome).toEqual({ ok: true, reference: { domain, path } });
  });
});

describe("digests after the grammar (go-digest v1.0.0 with sha256, sha384 and sha512)", () => {
  it.each([
    [`a@sha256:${"0".repeat(64)}`, undefined],
    [`a@sha384:${"0".repeat(96)}`, undefined],
    [`a@sha512:${"0".repeat(128)}`, undefined],
    [
      `a@sha256:${"A".repeat(64)}`,
      /^invalid checksum digest format: sha256 digests are lowercase hexadecimal$/,
    ],
    [
      `a@sha256:${"0".repeat(65)}`,
      /^invalid checksum digest format: sha256 digests have 64 hexadecimal digits, not 65$/,
    ],
    [`a@sha512:${"0".repeat(64)}`, /^invalid checksum digest format: sha512 digests have 128/],
    [
      `a@SHA256:${"0".repeat(64)}`,
      /^invalid checksum digest format: digest algorithm "SHA256" must be lowercase$/,
    ],
    [`a@md5:${"0".repeat(32)}`, /^unsupported digest algorithm "md5" \(supported: sha256, sha384, sha512\)$/],
    [`a@sha256+b64:${"0".repeat(64)}`, /^unsupported digest algorithm "sha256\+b64"/],
  ])("%s", (input, problem) => {
    const outcome = parseReferenceSyntax(input);
    if (problem === undefined) expect(outcome.ok).toBe(true);
    else expect(outcome).toMatchObject({ ok: false, problem: expect.stringMatching(problem) });
  });
});
