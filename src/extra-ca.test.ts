import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { rootCertificates } from "node:tls";
import { afterAll, describe, expect, it } from "vitest";
import { addedCaList, systemTrust, trustedCaList } from "./extra-ca.js";

const dir = mkdtempSync(join(tmpdir(), "pullwarden-extra-ca-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const extraFile = join(dir, "extra.pem");
writeFileSync(extraFile, "-----BEGIN CERTIFICATE-----\nextra\n-----END CERTIFICATE-----\n");

describe("trustedCaList", () => {
  it("keeps Node's default trust when nothing is deferred and no CA is given", () => {
    expect(trustedCaList([], { NODE_EXTRA_CA_CERTS: extraFile })).toBeUndefined();
  });

  it("adds the deferred NODE_EXTRA_CA_CERTS to the system roots", () => {
    const list = trustedCaList([], { PULLWARDEN_EXTRA_CA_CERTS: extraFile });
    expect(list?.length).toBe(rootCertificates.length + 1);
    expect(String(list?.at(-1))).toContain("extra");
  });

  it("adds a user CA to the system roots and keeps NODE_EXTRA_CA_CERTS (Node drops it when ca is set)", () => {
    const list = trustedCaList(["USER-CA"], { NODE_EXTRA_CA_CERTS: extraFile });
    expect(list?.length).toBe(rootCertificates.length + 2);
    expect(list?.at(-1)).toBe("USER-CA");
  });

  it("ignores an unreadable extra file, as Node does", () => {
    expect(trustedCaList(["USER-CA"], { NODE_EXTRA_CA_CERTS: join(dir, "missing.pem") })?.length).toBe(
      rootCertificates.length + 1,
    );
  });
});

describe("addedCaList", () => {
  it("lists only what is added to the default trust, never the roots", () => {
    expect(addedCaList([], {})).toBeUndefined();
    expect(addedCaList(["USER-CA"], { PULLWARDEN_EXTRA_CA_CERTS: extraFile })?.map(String)).toEqual([
      "-----BEGIN CERTIFICATE-----\nextra\n-----END CERTIFICATE-----\n",
      "USER-CA",
    ]);
  });
});

describe("systemTrust", () => {
  const present = (paths: string[]) => (path: string) => paths.includes(path);
  it("is the OS store when Node runs with --use-openssl-ca and the store is there", () => {
    expect(systemTrust(["--use-openssl-ca"], {}, present(["/etc/ssl/certs"]))).toBe("os-store");
    expect(systemTrust([], { NODE_OPTIONS: "--use-openssl-ca" }, present(["/etc/ssl/cert.pem"]))).toBe(
      "os-store",
    );
    expect(systemTrust(["--use-openssl-ca"], { SSL_CERT_FILE: "/b.pem" }, present(["/b.pem"]))).toBe(
      "os-store",
    );
  });

  it("says when the OS store is missing (a minimal image), so callers fall back to Node's roots", () => {
    expect(systemTrust(["--use-openssl-ca"], {}, present([]))).toBe("os-store-missing");
  });

  it("is Node's bundled roots otherwise", () => {
    expect(systemTrust([], {}, present(["/etc/ssl/certs"]))).toBe("bundled");
    expect(systemTrust(["--use-openssl-ca"], { NODE_OPTIONS: "--use-bundled-ca" }, present([]))).toBe(
      "bundled",
    );
  });
});
