// Test certificates made with the openssl CLI: a CA, a server certificate for 127.0.0.1 signed by it, and one
// signed by it for another name only (hostname mismatch).
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface TestCerts {
  caPem: string;
  caFile: string;
  /** Valid for IP 127.0.0.1 and DNS localhost. */
  server: { cert: string; key: string };
  /** Signed by the same CA, valid only for DNS other.invalid. */
  mismatch: { cert: string; key: string };
  cleanup(): void;
}

function openssl(args: string[], cwd: string): void {
  execFileSync("openssl", args, { cwd, stdio: ["ignore", "ignore", "pipe"] });
}

function leaf(dir: string, name: string, san: string): { cert: string; key: string } {
  openssl(
    [
      "req",
      "-newkey",
      "rsa:2048",
      "-nodes",
      "-subj",
      `/CN=${name}`,
      "-keyout",
      `${name}.key`,
      "-out",
      `${name}.csr`,
    ],
    dir,
  );
  writeFileSync(
    join(dir, `${name}.ext`),
    `basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\nsubjectAltName=${san}\n`,
  );
  // prettier-ignore
  openssl(["x509", "-req", "-in", `${name}.csr`, "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial", "-days", "2",
    "-extfile", `${name}.ext`, "-out", `${name}.crt`], dir);
  return {
    cert: readFileSync(join(dir, `${name}.crt`), "utf8"),
    key: readFileSync(join(dir, `${name}.key`), "utf8"),
  };
}

export function createTestCerts(): TestCerts {
  const dir = mkdtempSync(join(tmpdir(), "pullwarden-registry-certs-"));
  try {
    // prettier-ignore
    openssl(["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=pullwarden registry test CA",
      "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign",
      "-keyout", "ca.key", "-out", "ca.crt"], dir);
    const server = leaf(dir, "server", "IP:127.0.0.1,DNS:localhost");
    const mismatch = leaf(dir, "mismatch", "DNS:other.invalid");
    return {
      caPem: readFileSync(join(dir, "ca.crt"), "utf8"),
      caFile: join(dir, "ca.crt"),
      server,
      mismatch,
      cleanup: () => rmSync(dir, { recursive: true, force: true }),
    };
  } catch (e) {
    rmSync(dir, { recursive: true, force: true });
    throw e;
  }
}
