import { describe, expect, it } from "vitest";
import { InvalidReferenceError } from "../errors.js";
import { familiarName, familiarString, referenceString } from "./format.js";
import {
  isDockerHubDomain,
  normalizeImageName,
  parseNormalizedReference,
  splitDockerDomain,
} from "./normalize.js";

// Tables ported from distribution/reference normalize_test.go
// (https://github.com/distribution/reference/blob/main/normalize_test.go).

describe("ParseNormalizedNamed accepts and rejects (TestValidateReferenceName)", () => {
  it.each([
    "docker/docker",
    "library/debian",
    "debian",
    "docker.io/docker/docker",
    "docker.io/library/debian",
    "docker.io/debian",
    "index.docker.io/docker/docker",
    "index.docker.io/library/debian",
    "index.docker.io/debian",
    "127.0.0.1:5000/docker/docker",
    "127.0.0.1:5000/library/debian",
    "127.0.0.1:5000/debian",
    "192.168.0.1",
    "192.168.0.1:80",
    "192.168.0.1:8/debian",
    "192.168.0.2:25000/debian",
    "thisisthesongthatneverendsitgoesonandonandonthisisthesongthatnev",
    "[fc00::1]:5000/docker",
    "[fc00::1]:5000/docker/docker",
    "[fc00:1:2:3:4:5:6:7]:5000/library/debian",
    // Valid with a hostname: that removes the ambiguity between an identifier and a repository name.
    "docker.io/1a3f5e7d9c1b3a5f7e9d1c3b5a7f9e1d3c5b7a9f1e3d5d7c9b1a3f5e7d9c1b3a",
    "Docker/docker",
    "DOCKER/docker",
  ])("valid: %s", (name) => {
    expect(() => parseNormalizedReference(name)).not.toThrow();
  });

  it.each([
    "https://github.com/docker/docker",
    "docker/Docker",
    "-docker",
    "-docker/docker",
    "-docker.io/docker/docker",
    "docker///docker",
    "docker.io/docker/Docker",
    "docker.io/docker///docker",
    "[fc00::1]",
    "[fc00::1]:5000",
    "fc00::1:5000/debian",
    "[fe80::1%eth0]:5000/debian",
    "[2001:db8:3:4::192.0.2.33]:5000/debian",
    "1a3f5e7d9c1b3a5f7e9d1c3b5a7f9e1d3c5b7a9f1e3d5d7c9b1a3f5e7d9c1b3a",
  ])("invalid: %s", (name) => {
    expect(() => parseNormalizedReference(name)).toThrow(InvalidReferenceError);
  });
});

describe("remote names (TestValidateRemoteName)", () => {
  it.each([
    "docker/docker", // sanity check
    "thisisthesongthatneverendsitgoesonandonandonthisisthesongthatnev", // 64 characters, not hexadecimal
    "docker-rules/docker", // embedded hyphens
    "docker---rules/docker", // multiple hyphens
    "doc/docker", // user "doc", image "docker"
    "d/docker", // single-character names
    "jess/t",
    "dock__er/docker", // consecutive underscores
  ])("valid: %s", (name) => {
    expect(() => parseNormalizedReference(name)).not.toThrow();
  });

  it.each([
    "docker/Docker", // capital letters
    "docker///docker", // only one slash
    "1a3f5e7d9c1b3a5f7e9d1c3b5a7f9e1d3c5b7a9f1e3d5d7c9b1a3f5e7d9c1b3a", // 64-character hexadecimal
    "-docker/docker", // leading and trailing hyphens in the namespace
    "docker-/docker",
    "-docker-/docker",
    "____/____", // underscores are not allowed everywhere
    "_docker/_docker",
    "dock..er/docker", // consecutive periods
    "dock_.er/docker",
    "dock-.er/docker",
    "docker/", // no repository
    // namespace too long
    "this_is_not_a_valid_namespace_because_its_lenth_is_greater_than_255_this_is_not_a_valid_namespace_because_its_lenth_is_greater_than_255_this_is_not_a_valid_namespace_because_its_lenth_is_greater_than_255_this_is_not_a_valid_namespace_because_its_lenth_is_greater_than_255/docker",
  ])("invalid: %s", (name) => {
    expect(() => parseNormalizedReference(name)).toThrow(InvalidReferenceError);
  });
});

describe("familiar, full and ambiguous spellings (TestParseRepositoryInfo)", () => {
  const table = [
    {
      remote: "fooo/bar",
      familiar: "fooo/bar",
      full: "docker.io/fooo/bar",
      ambiguous: "index.docker.io/fooo/bar",
      domain: "docker.io",
    },
    {
      remote: "library/ubuntu",
      familiar: "ubuntu",
      full: "docker.io/library/ubuntu",
      ambiguous: "library/ubuntu",
      domain: "docker.io",
    },
    {
      remote: "nonlibrary/ubuntu",
      familiar: "nonlibrary/ubuntu",
      full: "docker.io/nonlibrary/ubuntu",
      domain: "docker.io",
    },
    {
      remote: "other/library",
      familiar: "other/library",
      full: "docker.io/other/library",
      domain: "docker.io",
    },
    {
      remote: "private/moonbase",
      familiar: "127.0.0.1:8000/private/moonbase",
      full: "127.0.0.1:8000/private/moonbase",
      domain: "127.0.0.1:8000",
    },
    {
      remote: "privatebase",
      familiar: "127.0.0.1:8000/privatebase",
      full: "127.0.0.1:8000/privatebase",
      domain: "127.0.0.1:8000",
    },
    {
      remote: "private/moonbase",
      familiar: "example.com/private/moonbase",
      full: "example.com/private/moonbase",
      domain: "example.com",
    },
    {
      remote: "privatebase",
      familiar: "example.com/privatebase",
      full: "example.com/privatebase",
      domain: "example.com",
    },
    {
      remote: "private/moonbase",
      familiar: "example.com:8000/private/moonbase",
      full: "example.com:8000/private/moonbase",
      domain: "example.com:8000",
    },
    {
      remote: "privatebasee",
      familiar: "example.com:8000/privatebasee",
      full: "example.com:8000/privatebasee",
      domain: "example.com:8000",
    },
    {
      remote: "library/ubuntu-12.04-base",
      familiar: "ubuntu-12.04-base",
      full: "docker.io/library/ubuntu-12.04-base",
      ambiguous: "index.docker.io/library/ubuntu-12.04-base",
      domain: "docker.io",
    },
    {
      remote: "library/foo",
      familiar: "foo",
      full: "docker.io/library/foo",
      ambiguous: "docker.io/foo",
      domain: "docker.io",
    },
    {
      remote: "library/foo/bar",
      familiar: "library/foo/bar",
      full: "docker.io/library/foo/bar",
      domain: "docker.io",
    },
    {
      remote: "store/foo/bar",
      familiar: "store/foo/bar",
      full: "docker.io/store/foo/bar",
      domain: "docker.io",
    },
    { remote: "bar", familiar: "Foo/bar", full: "Foo/bar", domain: "Foo" },
    { remote: "bar", familiar: "FOO/bar", full: "FOO/bar", domain: "FOO" },
  ];
  const rows = table.flatMap((tc, index) =>
    [tc.familiar, tc.full, ...(tc.ambiguous === undefined ? [] : [tc.ambiguous])].map(
      (input) => [`${index}/${input}`, input, tc] as const,
    ),
  );
  it.each(rows)("%s", (_label, input, tc) => {
    const ref = parseNormalizedReference(input);
    expect(familiarName(ref)).toBe(tc.familiar);
    expect(referenceString(ref)).toBe(tc.full);
    expect(ref.domain).toBe(tc.domain);
    expect(ref.path).toBe(tc.remote);
  });
});

describe("tag and digest together (TestParseReferenceWithTagAndDigest)", () => {
  it("keeps both and familiarises back to the input", () => {
    const shortRef = "busybox:latest@sha256:86e0e091d0da6bde2456dbb48306f3956bbeb2eae1b5b9a43045843f69fe4aaa";
    const ref = parseNormalizedReference(shortRef);
    expect(referenceString(ref)).toBe(`docker.io/library/${shortRef}`);
    expect(ref.tag).toBe("latest");
    expect(ref.digest).toBe("sha256:86e0e091d0da6bde2456dbb48306f3956bbeb2eae1b5b9a43045843f69fe4aaa");
    expect(familiarString(ref)).toBe(shortRef);
  });
});

describe("invalid components (TestInvalidReferenceComponents)", () => {
  it("rejects -foo", () => {
    expect(() => parseNormalizedReference("-foo")).toThrow(InvalidReferenceError);
  });
});

describe("named references of TestParseAnyReference", () => {
  const DIGEST = "sha256:dbcc1c35ac38df41fd2f5e4130b32ffdb93ebae8b3dbe638c23575912276fc9c";
  it.each([
    ["redis", "docker.io/library/redis"],
    ["redis:latest", "docker.io/library/redis:latest"],
    ["docker.io/library/redis:latest", "docker.io/library/redis:latest"],
    [`redis@${DIGEST}`, `docker.io/library/redis@${DIGEST}`],
    [`docker.io/library/redis@${DIGEST}`, `docker.io/library/redis@${DIGEST}`],
    ["dmcgowan/myapp", "docker.io/dmcgowan/myapp"],
    ["dmcgowan/myapp:latest", "docker.io/dmcgowan/myapp:latest"],
    ["docker.io/mcgowan/myapp:latest", "docker.io/mcgowan/myapp:latest"],
    [`dmcgowan/myapp@${DIGEST}`, `docker.io/dmcgowan/myapp@${DIGEST}`],
    [`docker.io/dmcgowan/myapp@${DIGEST}`, `docker.io/dmcgowan/myapp@${DIGEST}`],
    // 63 hex digits are no identifier, so this is an ordinary official image name.
    [
      "dbcc1c35ac38df41fd2f5e4130b32ffdb93ebae8b3dbe638c23575912276fc9",
      "docker.io/library/dbcc1c35ac38df41fd2f5e4130b32ffdb93ebae8b3dbe638c23575912276fc9",
    ],
    ["dbcc1", "docker.io/library/dbcc1"],
    // ParseAnyReference reads this as a digest; ParseNormalizedNamed, as ported here, reads repository
    // "sha256" with a 64-character tag.
    [DIGEST, `docker.io/library/${DIGEST}`],
  ])("%s", (input, equivalent) => {
    expect(referenceString(parseNormalizedReference(input))).toBe(equivalent);
  });

  it("rejects the bare identifier that ParseAnyReference would read as a digest", () => {
    expect(() => parseNormalizedReference(DIGEST.slice("sha256:".length))).toThrow(
      /cannot specify 64-byte hexadecimal strings/,
    );
  });
});

describe("domain and path after normalisation (TestNormalizedSplitHostname)", () => {
  it.each([
    ["test.com/foo", "test.com", "foo"],
    ["test_com/foo", "docker.io", "test_com/foo"],
    ["docker/migrator", "docker.io", "docker/migrator"],
    ["test.com:8080/foo", "test.com:8080", "foo"],
    ["test-com:8080/foo", "test-com:8080", "foo"],
    ["foo", "docker.io", "library/foo"],
    ["xn--n3h.com/foo", "xn--n3h.com", "foo"],
    ["xn--n3h.com:18080/foo", "xn--n3h.com:18080", "foo"],
    ["docker.io/foo", "docker.io", "library/foo"],
    ["docker.io/library/foo", "docker.io", "library/foo"],
    ["docker.io/library/foo/bar", "docker.io", "library/foo/bar"],
  ])("%s", (input, domain, path) => {
    expect(parseNormalizedReference(input)).toEqual({ domain, path });
  });
});

describe("Docker Hub defaulting and domain detection", () => {
  it.each([
    // [input, domain, path]
    ["nginx", "docker.io", "library/nginx"],
    ["nginx:1.25", "docker.io", "library/nginx"],
    ["user/app:1", "docker.io", "user/app"],
    ["index.docker.io/nginx", "docker.io", "library/nginx"],
    ["index.docker.io/user/app", "docker.io", "user/app"],
    ["localhost/app", "localhost", "app"],
    ["localhost:5000/app", "localhost:5000", "app"],
    ["localhost", "docker.io", "library/localhost"], // a single segment is always an official image
    ["localhost:5000", "docker.io", "library/localhost"], // ...so ":5000" is its tag
    ["example.com", "docker.io", "library/example.com"],
    ["registry:5000/app", "registry:5000", "app"],
    ["[::1]:5000/app", "[::1]:5000", "app"],
    ["[::1]/app", "[::1]", "app"],
    ["ghcr.io/org/app", "ghcr.io", "org/app"],
    ["Registry.Example.COM/app", "Registry.Example.COM", "app"], // domain case is kept
    ["Foo/bar", "Foo", "bar"], // uppercase first segment is a domain (and a valid one)
    ["docker.io/library/a/b", "docker.io", "library/a/b"],
    ["registry-1.docker.io/library/nginx", "registry-1.docker.io", "library/nginx"], // not aliased
    // distribution quirk: "foo_bar.com" contains "." so it is split off as a domain, but it is not a valid
    // host, so Parse reads the whole name as a path with no domain.
    ["foo_bar.com/app", "", "foo_bar.com/app"],
  ])("%s", (input, domain, path) => {
    expect(parseNormalizedReference(input)).toMatchObject({ domain, path });
  });

  it.each([
    ["Foo_bar/app", /repository name \(Foo_bar\/app\) must be lowercase/], // uppercase domain that is no host
    ["docker.io/Foo", /repository name \(library\/Foo\) must be lowercase/],
    ["ghcr.io/Org/app", /repository name \(Org\/app\) must be lowercase/],
    ["Nginx", /repository name \(library\/Nginx\) must be lowercase/],
    ["[fe80::1%eth0]/app", /: invalid reference format \(/], // zone identifiers are excluded
    ["[::1]:http/app", /: invalid reference format \(/],
    ["::1/app", /: invalid reference format \(/], // IPv6 needs brackets
  ])("%s is rejected", (input, message) => {
    expect(() => parseNormalizedReference(input)).toThrow(message);
  });

  it("splitDockerDomain hands Parse the normalised string", () => {
    expect(splitDockerDomain("nginx")).toMatchObject({ domain: "docker.io", remainder: "library/nginx" });
    expect(splitDockerDomain("docker.io/nginx").text).toBe("docker.io/library/nginx");
    expect(splitDockerDomain("index.docker.io/nginx:1").text).toBe("docker.io/library/nginx:1");
    expect(splitDockerDomain("a/b").text).toBe("docker.io/a/b");
    expect(splitDockerDomain("ghcr.io/a").text).toBe("ghcr.io/a");
  });
});

describe("normalizeImageName (what the kubelet looks up in its keyring)", () => {
  it.each([
    ["nginx", "docker.io/library/nginx"],
    ["nginx:1.25@sha256:" + "a".repeat(64), "docker.io/library/nginx"],
    ["index.docker.io/user/app:1", "docker.io/user/app"],
    [
      "123456789012.dkr.ecr.eu-west-1.amazonaws.com/team/app:v1",
      "123456789012.dkr.ecr.eu-west-1.amazonaws.com/team/app",
    ],
    ["myregistry.azurecr.io/app", "myregistry.azurecr.io/app"],
    ["localhost:5000/app:dev", "localhost:5000/app"],
  ])("%s → %s", (image, name) => {
    expect(normalizeImageName(image)).toBe(name);
  });

  it("throws InvalidReferenceError", () => {
    expect(() => normalizeImageName("UPPER")).toThrow(InvalidReferenceError);
  });
});

describe("isDockerHubDomain", () => {
  it.each([
    ["docker.io", true],
    ["index.docker.io", false], // not a normalised domain
    ["registry-1.docker.io", false],
    ["Docker.io", false],
    ["ghcr.io", false],
    ["", false],
  ])("%s → %s", (domain, expected) => {
    expect(isDockerHubDomain(domain)).toBe(expected);
  });
});
