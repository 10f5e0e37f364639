import { describe, expect, it } from "vitest";
import { checkRealm, isForbiddenHost } from "./realm.js";

describe("isForbiddenHost", () => {
  it.each([
    "169.254.169.254",
    "169.254.170.2",
    "169.254.0.1",
    "0.0.0.0",
    "0.1.2.3",
    "100.100.100.200",
    "[fd00:ec2::254]",
    "fd00:ec2:0:0:0:0:0:254",
    "[::]",
    "::",
    "[0:0:0:0:0:0:0:0]",
    "[fe80::1]",
    "fe80::1%eth0",
    "[::ffff:169.254.169.254]",
    "[::ffff:a9fe:a9fe]",
    "[::ffff:0.0.0.0]",
    "metadata.google.internal",
    "METADATA.google.internal.",
    "metadata",
  ])("%s is refused", (host) => {
    expect(isForbiddenHost(host)).toBe(true);
  });

  it.each([
    "127.0.0.1",
    "10.0.0.1",
    "192.168.1.1",
    "169.255.0.1",
    "100.100.100.201",
    "[::1]",
    "[fd00:ec2::253]",
    "[2001:db8::1]",
    "auth.docker.io",
    "metadata.example.com",
    "localhost",
    "ghcr.io",
    "999.1.1.1",
  ])("%s is allowed", (host) => {
    expect(isForbiddenHost(host)).toBe(false);
  });
});

describe("checkRealm", () => {
  it.each([
    ["https://auth.docker.io/token", false, true],
    ["https://127.0.0.1:5001/token", false, true],
    ["http://127.0.0.1:5001/token", true, true],
  ])("%s (plainHttp %s) is accepted", (realm, plainHttp, ok) => {
    expect(checkRealm(realm, { plainHttp }).ok).toBe(ok);
  });

  it.each([
    [undefined, false, "missing"],
    ["", false, "missing"],
    ["/token", false, "invalid-url"],
    ["ftp://auth.example/token", false, "invalid-url"],
    ["file:///etc/passwd", true, "invalid-url"],
    ["http://auth.example/token", false, "insecure-scheme"],
    ["https://169.254.169.254/latest/meta-data/", false, "forbidden-address"],
    ["http://169.254.169.254/latest/meta-data/", true, "forbidden-address"],
    ["https://0.0.0.0/token", false, "forbidden-address"],
    ["https://[::]/token", false, "forbidden-address"],
    ["https://[fd00:ec2::254]/token", false, "forbidden-address"],
    ["http://metadata.google.internal/computeMetadata/v1/", true, "forbidden-address"],
    // Numeric host forms are normalised by the URL parser before the check.
    ["https://0xa9fea9fe/token", false, "forbidden-address"],
    ["https://2852039166/token", false, "forbidden-address"],
    ["https://169.254.43518/token", false, "forbidden-address"],
  ])("%s (plainHttp %s) is refused: %s", (realm, plainHttp, problem) => {
    expect(checkRealm(realm, { plainHttp })).toEqual({ ok: false, problem });
  });

  it("drops user-info and fragment from an accepted realm, keeps its query", () => {
    const r = checkRealm("https://user:pw@auth.example/token?x=1#f");
    expect(r.ok && r.url.href).toBe("https://auth.example/token?x=1");
  });
});
