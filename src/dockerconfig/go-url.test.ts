import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { parseGoUrl, splitGoHostPort } from "./go-url.js";

describe("parseGoUrl (Go net/url.Parse)", () => {
  const parsed = (raw: string) => {
    const r = parseGoUrl(raw);
    return r.ok ? { host: r.url.host, path: r.url.path, query: r.url.rawQuery, user: r.url.user } : r.error;
  };
  it.each([
    ["https://ghcr.io", { host: "ghcr.io", path: "" }],
    ["https://index.docker.io/v1/", { host: "index.docker.io", path: "/v1/" }],
    ["https://reg.io:5000/org/app", { host: "reg.io:5000", path: "/org/app" }],
    ["https://*.azurecr.io", { host: "*.azurecr.io", path: "" }],
    ["https://app?.k8s.io", { host: "app", path: "", query: ".k8s.io" }],
    ["https://reg.io?", { host: "reg.io", path: "", query: "" }],
    ["https://reg.io#frag", { host: "reg.io", path: "" }],
    ["https://user:pw@reg.io/x", { host: "reg.io", path: "/x", user: { username: "user", password: "pw" } }],
    ["https://reg.io/a%2Fb", { host: "reg.io", path: "/a/b" }],
    ["https://[::1]:5000/app", { host: "[::1]:5000", path: "/app" }],
    ["https://[fe80::1%25en0]:8080/", { host: "[fe80::1%en0]:8080", path: "/" }],
    ["https:///foo", { host: "", path: "/foo" }],
    ["https://HTTPS://x", { host: "HTTPS:", path: "//x" }],
    ["https://ünï.example/", { host: "ünï.example", path: "/" }],
    ["https://[::ffff:1.2.3.4]:80/x", { host: "[::ffff:1.2.3.4]:80", path: "/x" }],
    ["https://[::]", { host: "[::]", path: "" }],
    ["https://[1:2:3:4:5:6:7:8]", { host: "[1:2:3:4:5:6:7:8]", path: "" }],
    ["foo://a:1:2", { host: "a:1:2", path: "" }], // extra colons are allowed outside http(s)
  ])("%j", (raw, expected) => {
    expect(parsed(raw)).toMatchObject(expected);
  });

  it.each([
    ["https://reg .io", /invalid character " " in host name/],
    ["https://reg.io:abc", /invalid port ":abc" after host/],
    ["https://reg.io\n", /invalid control character/],
    ["https://re%41g.io", /invalid URL escape/],
    ["https://reg.io/%zz", /invalid URL escape/],
    ["https://reg.io#%zz", /invalid URL escape/],
    ["https://[::1", /missing '\]' in host/],
    ["https://us er@reg.io", /invalid userinfo/],
    ["https://reg{.io", /invalid character/],
    [":foo", /missing protocol scheme/],
    // Go >= 1.24.8 / 1.25.2 host rules (CVE-2025-47912, go.dev/issue/75223).
    ["https://reg[0-9].io", /invalid IP-literal/],
    ["https://[1.2.3.4]:80", /invalid IP-literal/],
    ["https://[zz]:80", /invalid host/],
    ["https://[::1]x", /invalid port "x" after host/],
    ["https://a:1:2", /invalid port ":1:2" after host/],
    ["https://[fe80::1%25]:80", /invalid host/],
    ["a:b/c", undefined],
    ["ghcr.io:443/x", undefined], // scheme "ghcr.io", opaque "443/x"
    ["1reg.io:443/x", /first path segment in URL cannot contain colon/],
  ])("%j fails like Go", (raw, error) => {
    const r = parseGoUrl(raw);
    if (error === undefined) expect(r.ok).toBe(true);
    else expect(r.ok ? "parsed" : r.error).toMatch(error);
  });

  it("never throws", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary" }), (s) => {
        parseGoUrl(s);
        parseGoUrl("https://" + s);
      }),
    );
  });
});

describe("bracketed IPv6 validation (netip.ParseAddr)", () => {
  it.each([
    ["::1", true],
    ["::", true],
    ["1::", true],
    ["1:2:3:4:5:6:7:8", true],
    ["1:2:3:4:5:6:7::", true],
    ["::ffff:10.0.0.1", true],
    ["1:2:3:4:5:6:1.2.3.4", true],
    ["fe80::1%25eth0", true],
    ["1:2:3:4:5:6:7:8:9", false],
    ["1:2:3:4:5:6:7", false],
    ["1::2::3", false],
    ["12345::", false],
    [":1", false],
    ["1:", false],
    ["1:2:3:4:5:6:7:8::", false],
    ["::1.2.3", false],
    ["::01.2.3.4", false],
    ["1:2:3:4:5:6:7:1.2.3.4", false],
    ["g::", false],
  ])("[%s] → %s", (ip, ok) => {
    expect(parseGoUrl(`https://[${ip}]:1`).ok).toBe(ok);
  });
});

describe("splitGoHostPort (Go net.SplitHostPort)", () => {
  it.each([
    ["reg.io:5000", { host: "reg.io", port: "5000" }],
    ["reg.io:", { host: "reg.io", port: "" }],
    ["[::1]:5000", { host: "::1", port: "5000" }],
    ["reg.io", undefined],
    ["[::1]", undefined],
    ["a:b:c", undefined],
    ["[::1]x:1", undefined],
    ["a]:1", undefined],
  ])("%j", (hostport, expected) => {
    expect(splitGoHostPort(hostport)).toEqual(expected);
  });
});
