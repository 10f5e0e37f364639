import { describe, expect, it } from "vitest";
import fc from "fast-check";
import {
  buildKeyringIndex,
  explainUrlsMatch,
  isDefaultRegistryMatch,
  keyringLookup,
  lookupCredentials,
  normalizeKeyringKey,
  urlsMatch,
} from "./keyring.js";
import { parseDockerConfigText } from "./parse.js";

/** A legacy .dockercfg document, as kubelet's tests build them (ReadDockerConfigFileFromBytes). */
function dockercfg(keys: string[], auth = "Zm9vOmJhcg==" /* foo:bar */) {
  const doc = Object.fromEntries(keys.map((k) => [k, { email: "foo@bar.baz", auth }]));
  return parseDockerConfigText(JSON.stringify(doc), { source: "test", format: "dockercfg" }).entries;
}

const entry = (key: string, username: string) => ({ key, username });

// kubernetes/kubernetes pkg/credentialprovider/keyring_test.go TestURLsMatch.
describe("urlsMatch (kubelet URLsMatchStr)", () => {
  it.each([
    // match when there is no path component
    ["*.kubernetes.io", "prefix.kubernetes.io", true],
    ["prefix.*.io", "prefix.kubernetes.io", true],
    ["prefix.kubernetes.*", "prefix.kubernetes.io", true],
    ["*-good.kubernetes.io", "prefix-good.kubernetes.io", true],
    // match with path components
    ["*.kubernetes.io/blah", "prefix.kubernetes.io/blah", true],
    ["prefix.*.io/foo", "prefix.kubernetes.io/foo/bar", true],
    // match with path components and ports
    ["*.kubernetes.io:1111/blah", "prefix.kubernetes.io:1111/blah", true],
    ["prefix.*.io:1111/foo", "prefix.kubernetes.io:1111/foo/bar", true],
    // no match when number of parts mismatch
    ["*.kubernetes.io", "kubernetes.io", false],
    ["*.*.kubernetes.io", "prefix.kubernetes.io", false],
    ["*.*.kubernetes.io", "kubernetes.io", false],
    ["*kubernetes.io", "a.kubernetes.io", false],
    // match when number of parts match
    ["*kubernetes.io", "kubernetes.io", true],
    ["*.*.*.kubernetes.io", "a.b.c.kubernetes.io", true],
    // no match when some parts mismatch
    ["kubernetes.io", "kubernetes.com", false],
    ["k*.io", "quay.io", false],
    // no match when ports mismatch
    ["*.kubernetes.io:1234/blah", "prefix.kubernetes.io:1111/blah", false],
    ["prefix.*.io/foo", "prefix.kubernetes.io:1111/foo/bar", false],
  ])("URLsMatch(%j, %j) = %s", (glob, target, expected) => {
    expect(urlsMatch(glob, target)).toBe(expected);
  });

  it.each([
    ["*.azurecr.io", "x.azurecr.io/app", true, "matched"],
    ["*.azurecr.io", "azurecr.io/app", false, "label-count-mismatch"],
    ["*.azurecr.io", "a.b.azurecr.io/app", false, "label-count-mismatch"],
    ["app*.k8s.io", "app1.k8s.io/x", true, "matched"],
    ["reg.io", "reg.io:443/x", false, "port-mismatch"],
    ["reg.io:443", "reg.io/x", false, "port-mismatch"],
    ["reg.io/foo", "reg.io/foobar/x", true, "matched"],
    ["reg.io/foo/", "reg.io/foobar/x", false, "path-not-prefix"],
    ["reg.io/foo", "reg.io/fo", false, "path-not-prefix"],
    ["reg[.io", "reg[.io/x", false, "key-unparseable"], // modern Go rejects '[' inside a host
    ["[::1]", "[::1]/x", false, "label-mismatch"], // no port: the label "[::1]" is read as a class
    ["[::1]:5000", "[::1]:5000/x", true, "matched"],
    ["reg .io", "reg.io/x", false, "key-unparseable"],
    ["reg.io", "reg .io", false, "target-unparseable"],
    ["Reg.io", "reg.io/x", false, "label-mismatch"],
    ["registry-1.docker.io", "docker.io/library/nginx", false, "label-count-mismatch"],
  ])("explainUrlsMatch(%j, %j) = %s (%s)", (glob, target, matched, reason) => {
    expect(explainUrlsMatch(glob, target)).toEqual({ matched, reason });
  });

  it("never throws on arbitrary strings", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary" }), fc.string({ unit: "binary" }), (a, b) => {
        expect(typeof urlsMatch(a, b)).toBe("boolean");
      }),
      { numRuns: 500 },
    );
  });
});

describe("normalizeKeyringKey (kubelet BasicDockerKeyring.Add)", () => {
  it.each([
    ["https://index.docker.io/v1/", "index.docker.io"],
    ["index.docker.io", "index.docker.io"],
    ["https://ghcr.io", "ghcr.io"],
    ["http://foo.example.com", "foo.example.com"],
    ["ghcr.io/", "ghcr.io"],
    ["quay.io/v2/", "quay.io"],
    ["quay.io/v2/coreos", "quay.io/coreos"],
    ["https://quay.io/v1/", "quay.io"],
    ["index.docker.io/v1", "index.docker.io/v1"],
    ["reg.io:5000/org", "reg.io:5000/org"],
    ["user:pw@reg.io", "reg.io"],
    ["reg.io#frag", "reg.io"],
    ["app?.k8s.io", "app"],
    ["*.azurecr.io", "*.azurecr.io"],
    ["", ""],
    ["HTTPS://reg.io:x", "HTTPS://reg.io:x"], // host "HTTPS:", path "//reg.io:x": never matches, but parses
  ])("%j → %j", (key, normalized) => {
    expect(normalizeKeyringKey(key)).toBe(normalized);
  });
  it.each(["reg .io", "reg.io:abc", "reg.io:x/app", "re%41g.io"])("%j is ignored by kubelet", (key) => {
    expect(normalizeKeyringKey(key)).toBeUndefined();
  });
});

// keyring_test.go TestDockerKeyringForGlob: kubelet.Lookup(target + "/foo/bar") finds the entry.
describe("keyringLookup: TestDockerKeyringForGlob", () => {
  it.each([
    ["https://hello.kubernetes.io", "hello.kubernetes.io"],
    ["https://*.docker.io", "prefix.docker.io"],
    ["https://prefix.*.io", "prefix.docker.io"],
    ["https://prefix.docker.*", "prefix.docker.io"],
    ["https://*.docker.io/path", "prefix.docker.io/path"],
    ["https://prefix.*.io/path", "prefix.docker.io/path/subpath"],
    ["https://prefix.docker.*/path", "prefix.docker.io/path"],
    ["https://*.docker.io:8888", "prefix.docker.io:8888"],
    ["https://prefix.*.io:8888", "prefix.docker.io:8888"],
    ["https://prefix.docker.*:8888", "prefix.docker.io:8888"],
    ["https://*.docker.io/path:1111", "prefix.docker.io/path:1111"],
    ["https://*.docker.io/v1/", "prefix.docker.io/path:1111"],
    ["https://*.docker.io/v2/", "prefix.docker.io/path:1111"],
    ["https://prefix.docker.*/path:1111", "prefix.docker.io/path:1111"],
    ["prefix.docker.io:1111", "prefix.docker.io:1111/path"],
    ["*.docker.io:1111", "prefix.docker.io:1111/path"],
  ])("%j finds %j", (key, target) => {
    const matches = keyringLookup(dockercfg([key]), target + "/foo/bar");
    expect(matches).toHaveLength(1);
    expect(matches[0]?.entry.decoded).toEqual({ username: "foo", password: "bar" });
    expect(matches[0]?.entry.email).toBe("foo@bar.baz");
  });
});

// keyring_test.go TestKeyringMiss.
describe("keyringLookup: TestKeyringMiss", () => {
  it.each([
    ["https://hello.kubernetes.io", "world.mesos.org/foo/bar"],
    ["https://*.docker.com", "prefix.docker.io"],
    ["https://suffix.*.io", "prefix.docker.io"],
    ["https://prefix.docker.c*", "prefix.docker.io"],
    ["https://prefix.*.io/path:1111", "prefix.docker.io/path/subpath:1111"],
    ["suffix.*.io", "prefix.docker.io"],
  ])("%j misses %j", (key, target) => {
    expect(keyringLookup(dockercfg([key]), target + "/foo/bar")).toEqual([]);
  });
});

// keyring_test.go TestKeyringMissWithDockerHubCredentials and the TestKeyringHitWith*DockerHub tests.
describe("keyringLookup: Docker Hub credentials under https://index.docker.io/v1/", () => {
  const hub = dockercfg(["https://index.docker.io/v1/"]);
  it("misses a non-Docker-Hub image", () => {
    expect(keyringLookup(hub, "world.mesos.org/foo/bar")).toEqual([]);
  });
  it.each(["google/docker-registry", "jenkins"])("falls back for unqualified %j", (target) => {
    const matches = keyringLookup(hub, target);
    expect(matches).toHaveLength(1);
    expect(matches[0]).toMatchObject({ via: "docker-hub-fallback", normalizedKey: "index.docker.io" });
    expect(matches[0]?.entry.decoded).toEqual({ username: "foo", password: "bar" });
  });
  it("matches index.docker.io/v1//google/docker-registry directly", () => {
    const matches = keyringLookup(hub, "index.docker.io/v1//google/docker-registry");
    expect(matches).toHaveLength(1);
    expect(matches[0]?.via).toBe("key-match");
  });
});

// keyring_test.go TestIsDefaultRegistryMatch.
describe("isDefaultRegistryMatch", () => {
  it.each([
    ["foo/bar", true],
    ["docker.io/foo/bar", true],
    ["index.docker.io/foo/bar", true],
    ["foo", true],
    ["", false],
    ["registry.tld/foo/bar", false],
    ["registry:5000/foo/bar", false],
    ["myhostdocker.io/foo/bar", false],
    ["localhost/foo", true],
    ["/foo", false],
  ])("%j → %s", (image, expected) => {
    expect(isDefaultRegistryMatch(image)).toBe(expected);
  });
});

// keyring_test.go TestDockerKeyringLookup.
describe("keyringLookup: TestDockerKeyringLookup", () => {
  const entries = [entry("bar.example.com/pong", "grace"), entry("bar.example.com", "ada")];
  it.each([
    ["bar.example.com", ["ada"]], // direct match
    ["bar.example.com/pong", ["grace", "ada"]], // direct match deeper than other possible matches
    ["bar.example.com/ping", ["ada"]], // no direct match, deeper path ignored
    ["bar.example.com/pongz", ["grace", "ada"]], // match first part of path token
    ["bar.example.com/pong/pang", ["grace", "ada"]], // match regardless of sub-path
    ["example.com", []], // no host match
    ["foo.example.com", []],
  ])("%j → %j", (image, users) => {
    expect(keyringLookup(entries, image).map((m) => m.entry.username)).toEqual(users);
  });
});

// keyring_test.go TestIssue3797: a key with a scheme and /v1/ path matches images on its host.
describe("keyringLookup: TestIssue3797", () => {
  it.each(["quay.io", "quay.io/foo", "quay.io/foo/bar"])("%j", (image) => {
    expect(keyringLookup([entry("https://quay.io/v1/", "rex")], image).map((m) => m.entry.username)).toEqual([
      "rex",
    ]);
  });
});

describe("buildKeyringIndex", () => {
  it("de-duplicates normalised keys, reverse-sorts them, keeps input order within a key, lists ignored keys", () => {
    const index = buildKeyringIndex([
      entry("ghcr.io", "a"),
      entry("quay.io/coreos", "b"),
      entry("https://ghcr.io/", "c"),
      entry("quay.io", "d"),
      entry("reg .io", "e"),
    ]);
    expect(index.keys.map((k) => [k.normalizedKey, k.entries.map((e) => e.entry.username)])).toEqual([
      ["quay.io/coreos", ["b"]],
      ["quay.io", ["d"]],
      ["ghcr.io", ["a", "c"]],
    ]);
    expect(index.ignored.map((i) => i.entry.username)).toEqual(["e"]);
  });
});

describe("lookupCredentials (normalises the image like kubelet)", () => {
  const lookup = (keys: string[], image: string) => {
    const result = lookupCredentials(
      keys.map((k) => entry(k, k)),
      image,
    );
    return result.ok ? result.matches.map((m) => `${m.key} (${m.via})`) : result.reason;
  };

  it.each([
    [["*.azurecr.io"], "x.azurecr.io/app:1", ["*.azurecr.io (key-match)"]],
    [["*.azurecr.io"], "azurecr.io/app", []],
    [["*.azurecr.io"], "a.b.azurecr.io/app", []],
    [["reg.io"], "reg.io:443/app", []],
    [["reg.io:443"], "reg.io/app", []],
    [["reg.io:443"], "reg.io:443/app", ["reg.io:443 (key-match)"]],
    [["reg.io/foo"], "reg.io/foobar/x", ["reg.io/foo (key-match)"]],
    [["https://index.docker.io/v1/"], "nginx", ["https://index.docker.io/v1/ (docker-hub-fallback)"]],
    [
      ["https://index.docker.io/v1/"],
      "docker.io/library/nginx:1.27",
      ["https://index.docker.io/v1/ (docker-hub-fallback)"],
    ],
    [["https://index.docker.io/v1/"], "ghcr.io/org/app", []],
    [["docker.io"], "nginx", ["docker.io (key-match)"]],
    [["docker.io"], "index.docker.io/org/app", ["docker.io (key-match)"]],
    [["registry-1.docker.io"], "nginx", []],
    [["registry-1.docker.io"], "registry-1.docker.io/library/nginx", ["registry-1.docker.io (key-match)"]],
    [["index.docker.io/v1"], "nginx", []],
    [["docker.io", "https://index.docker.io/v1/"], "nginx", ["docker.io (key-match)"]],
    [["localhost:5000"], "localhost:5000/app@sha256:" + "a".repeat(64), ["localhost:5000 (key-match)"]],
    [
      ["ghcr.io", "ghcr.io/org", "*.io"],
      "ghcr.io/org/app",
      ["ghcr.io/org (key-match)", "ghcr.io (key-match)", "*.io (key-match)"],
    ],
  ])("keys %j, image %j → %j", (keys, image, expected) => {
    expect(lookup(keys, image)).toEqual(expected);
  });

  it("returns ok: false with distribution's reason for an invalid image", () => {
    const result = lookupCredentials([entry("docker.io", "u")], "NGINX");
    expect(result.ok).toBe(false);
    expect(result.matches).toEqual([]);
    expect(result.ok ? "" : result.reason).toMatch(/./);
  });

  it("accepts an injected normaliser and survives one that throws anything", () => {
    expect(
      lookupCredentials([entry("x.io", "u")], "img", { normalizeImageName: () => "x.io/img" }).matches,
    ).toHaveLength(1);
    const throwing = lookupCredentials([entry("x.io", "u")], "img", {
      normalizeImageName: () => {
        throw "not an Error";
      },
    });
    expect(throwing).toMatchObject({ ok: false, reason: "invalid image reference" });
  });

  it("never throws on arbitrary keys and images", () => {
    fc.assert(
      fc.property(
        fc.array(fc.string({ unit: "binary" }), { maxLength: 4 }),
        fc.string({ unit: "binary" }),
        (keys, image) => {
          const result = lookupCredentials(
            keys.map((k) => ({ key: k })),
            image,
          );
          expect(Array.isArray(result.matches)).toBe(true);
        },
      ),
      { numRuns: 300 },
    );
  });
});
