import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { rootCertificates } from "node:tls";
import { afterAll, describe, expect, it } from "vitest";
import { trustedCaList } from "./extra-ca.js";

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
