import { describe, expect, it } from "vitest";
import {
  anchoredDigestRegexp,
  anchoredDomainRegexp,
  anchoredIdentifierRegexp,
  anchoredNameRegexp,
  anchoredTagRegexp,
  referenceRegexp,
} from "./grammar.js";
import { scanReferencePrefix } from "./reference-automaton.js";

// Tables ported from distribution/reference regexp_test.go
// (https://github.com/distribution/reference/blob/main/regexp_test.go).

const DIGEST = "sha256:be178c0543eb17f5f3043021c9e5fcf30285e557a4fc309cce97ff9ca6182912";

describe("domainAndPort (TestDomainRegexp)", () => {
  it.each([
    ["test.com", true],
    ["test.com:10304", true],
    ["test.com:http", false],
    ["localhost", true],
    ["localhost:8080", true],
    ["a", true],
    ["a.b", true],
    ["ab.cd.com", true],
    ["a-b.com", true],
    ["-ab.com", false],
    ["ab-.com", false],
    ["ab.c-om", true],
    ["ab.-com", false],
    ["ab.com-", false],
    ["0101.com", true],
    ["001a.com", true],
    ["b.gbc.io:443", true],
    ["b.gbc.io", true],
    ["xn--n3h.com", true], // ☃.com in punycode
    ["Asdf.com", true], // uppercase character
    ["192.168.1.1:75050", true], // ipv4
    ["192.168.1.1:750050", true], // port with more than 5 digits, it will fail on validation
    ["[fd00:1:2::3]:75050", true], // ipv6 compressed
    ["[fd00:1:2::3]75050", false], // ipv6 wrong port separator
    ["[fd00:1:2::3]::75050", false], // ipv6 wrong port separator
    ["[fd00:1:2::3%eth0]:75050", false], // ipv6 with zone
    ["[fd00123123123]:75050", true], // ipv6 wrong format, will fail in validation
    ["[2001:0db8:85a3:0000:0000:8a2e:0370:7334]:75050", true], // ipv6 long format
    ["[2001:0db8:85a3:0000:0000:8a2e:0370:7334]:750505", true], // ipv6 long format and invalid port
    ["fd00:1:2::3:75050", false], // bad ipv6 without square brackets
  ])("%s matches: %s", (input, match) => {
    expect(anchoredDomainRegexp.test(input)).toBe(match);
  });
});

describe("anchoredNameRegexp (TestFullNameRegexp)", () => {
  it.each<[string, [string, string] | null]>([
    ["", null],
    ["short", ["", "short"]],
    ["simple/name", ["simple", "name"]],
    ["library/ubuntu", ["library", "ubuntu"]],
    ["docker/stevvooe/app", ["docker", "stevvooe/app"]],
    ["aa/aa/aa/aa/aa/aa/aa/aa/aa/bb/bb/bb/bb/bb/bb", ["aa", "aa/aa/aa/aa/aa/aa/aa/aa/bb/bb/bb/bb/bb/bb"]],
    ["aa/aa/bb/bb/bb", ["aa", "aa/bb/bb/bb"]],
    ["a/a/a/a", ["a", "a/a/a"]],
    ["a/a/a/a/", null],
    ["a//a/a", null],
    ["a", ["", "a"]],
    ["a/aa", ["a", "aa"]],
    ["a/aa/a", ["a", "aa/a"]],
    ["foo.com", ["", "foo.com"]],
    ["foo.com/", null],
    ["foo.com:8080/bar", ["foo.com:8080", "bar"]],
    ["foo.com:http/bar", null],
    ["foo.com/bar", ["foo.com", "bar"]],
    ["foo.com/bar/baz", ["foo.com", "bar/baz"]],
    ["localhost:8080/bar", ["localhost:8080", "bar"]],
    ["sub-dom1.foo.com/bar/baz/quux", ["sub-dom1.foo.com", "bar/baz/quux"]],
    ["blog.foo.com/bar/baz", ["blog.foo.com", "bar/baz"]],
    ["a^a", null],
    ["aa/asdf$$^/aa", null],
    ["asdf$$^/aa", null],
    ["aa-a/a", ["aa-a", "a"]],
    ["a/".repeat(128) + "a", ["a", "a/".repeat(127) + "a"]],
    ["a-/a/a/a", null],
    ["foo.com/a-/a/a", null],
    ["-foo/bar", null],
    ["foo/bar-", null],
    ["foo-/bar", null],
    ["foo/-bar", null],
    ["_foo/bar", null],
    ["foo_bar", ["", "foo_bar"]],
    ["foo_bar.com", ["", "foo_bar.com"]],
    ["foo_bar.com:8080", null],
    ["foo_bar.com:8080/app", null],
    ["foo.com/foo_bar", ["foo.com", "foo_bar"]],
    ["____/____", null],
    ["_docker/_docker", null],
    ["docker_/docker_", null],
    ["b.gcr.io/test.example.com/my-app", ["b.gcr.io", "test.example.com/my-app"]],
    ["xn--n3h.com/myimage", ["xn--n3h.com", "myimage"]], // ☃.com in punycode
    ["xn--7o8h.com/myimage", ["xn--7o8h.com", "myimage"]], // 🐳.com in punycode
    ["example.com/xn--7o8h.com/myimage", ["example.com", "xn--7o8h.com/myimage"]],
    ["example.com/some_separator__underscore/myimage", ["example.com", "some_separator__underscore/myimage"]],
    ["example.com/__underscore/myimage", null],
    ["example.com/..dots/myimage", null],
    ["example.com/.dots/myimage", null],
    ["example.com/nodouble..dots/myimage", null],
    ["docker./docker", null],
    [".docker/docker", null],
    ["docker-/docker", null],
    ["-docker/docker", null],
    ["do..cker/docker", null],
    ["do__cker:8080/docker", null],
    ["do__cker/docker", ["", "do__cker/docker"]],
    [
      "registry.io/foo/project--id.module--name.ver---sion--name",
      ["registry.io", "foo/project--id.module--name.ver---sion--name"],
    ],
    ["Asdf.com/foo/bar", ["Asdf.com", "foo/bar"]], // uppercase character in hostname
    ["Foo/FarB", null], // uppercase characters in remote name
  ])("%s", (input, expected) => {
    const match = anchoredNameRegexp.exec(input);
    expect(match === null ? null : [match[1] ?? "", match[2]]).toEqual(expected);
  });
});

describe("referenceRegexp (TestReferenceRegexp)", () => {
  it.each<[string, [string, string, string] | null]>([
    ["registry.com:8080/myapp:tag", ["registry.com:8080/myapp", "tag", ""]],
    [`registry.com:8080/myapp@${DIGEST}`, ["registry.com:8080/myapp", "", DIGEST]],
    [`registry.com:8080/myapp:tag2@${DIGEST}`, ["registry.com:8080/myapp", "tag2", DIGEST]],
    ["registry.com:8080/myapp@sha256:badbadbadbad", null],
    ["registry.com:8080/myapp:invalid~tag", null],
    ["bad_hostname.com:8080/myapp:tag", null],
    // localhost treated as name, missing tag with 8080 as tag
    [`localhost:8080@${DIGEST}`, ["localhost", "8080", DIGEST]],
    [`localhost:8080/name@${DIGEST}`, ["localhost:8080/name", "", DIGEST]],
    [`localhost:http/name@${DIGEST}`, null],
    // localhost will be treated as an image name without a host
    [`localhost@${DIGEST}`, ["localhost", "", DIGEST]],
    ["registry.com:8080/myapp@bad", null],
    ["registry.com:8080/myapp@2bad", null],
  ])("%s", (input, expected) => {
    const match = referenceRegexp.exec(input);
    expect(match === null ? null : [match[1], match[2] ?? "", match[3] ?? ""]).toEqual(expected);
  });
});

describe("anchoredIdentifierRegexp (TestIdentifierRegexp)", () => {
  it.each([
    ["da304e823d8ca2b9d863a3c897baeb852ba21ea9a9f1414736394ae7fcaf9821", true],
    ["7EC43B381E5AEFE6E04EFB0B3F0693FF2A4A50652D64AEC573905F2DB5889A1C", false],
    ["da304e823d8ca2b9d863a3c897baeb852ba21ea9a9f1414736394ae7fcaf", false],
    ["sha256:da304e823d8ca2b9d863a3c897baeb852ba21ea9a9f1414736394ae7fcaf9821", false],
    ["da304e823d8ca2b9d863a3c897baeb852ba21ea9a9f1414736394ae7fcaf98218482", false],
  ])("%s matches: %s", (input, match) => {
    expect(anchoredIdentifierRegexp.test(input)).toBe(match);
  });
});

describe("tag", () => {
  it.each([
    ["latest", true],
    ["v1.2.3-rc.1_build", true],
    ["_underscore-first", true],
    ["UPPER", true],
    ["a".repeat(128), true],
    ["a".repeat(129), false],
    [".dot-first", false],
    ["-dash-first", false],
    ["", false],
    ["with/slash", false],
    ["with+plus", false],
  ])("%s matches: %s", (input, match) => {
    expect(anchoredTagRegexp.test(input)).toBe(match);
  });
});

describe("digestPat (the grammar only; go-digest then checks the algorithm, see parse.test.ts)", () => {
  it.each([
    [`sha256:${"0".repeat(64)}`, true],
    [`sha256:${"0".repeat(32)}`, true], // at least 128 bits
    [`sha256:${"0".repeat(31)}`, false],
    [`md5:${"A".repeat(32)}`, true], // any algorithm, either hex case
    [`a+b.c-d_e:${"0".repeat(32)}`, true],
    [`SHA256:${"0".repeat(64)}`, true],
    [`1sha:${"0".repeat(32)}`, false],
    [`sha256:${"g".repeat(32)}`, false],
    [`sha256+:${"0".repeat(32)}`, false],
  ])("%s matches: %s", (input, match) => {
    expect(anchoredDigestRegexp.test(input)).toBe(match);
  });
});

describe("reference-automaton agrees with referenceRegexp on the tables above", () => {
  it.each([
    "registry.com:8080/myapp:tag",
    `localhost:8080@${DIGEST}`,
    `registry.com:8080/myapp:tag2@${DIGEST}`,
    "registry.com:8080/myapp@sha256:badbadbadbad",
    "bad_hostname.com:8080/myapp:tag",
    "[fd00:1:2::3]:75050/a",
    "[fd00:1:2::3%eth0]:75050/a",
    "a/".repeat(128) + "a",
    `a:${"t".repeat(128)}`,
    `a:${"t".repeat(129)}`,
    "example.com/__underscore/myimage",
    "registry.io/foo/project--id.module--name.ver---sion--name",
    "Asdf.com/foo/bar",
    "Foo/FarB",
  ])("%s", (input) => {
    expect(scanReferencePrefix(input).complete).toBe(referenceRegexp.test(input));
  });
});
