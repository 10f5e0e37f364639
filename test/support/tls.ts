// Test PKI made with the openssl CLI: a CA, a server certificate for 127.0.0.1/localhost signed by it,
// and a self-signed RSA token-signing certificate whose libtrust key ID (`kid`) the registry expects.
import { createHash, X509Certificate } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { runCommand } from "./processes.js";
import { requireTool } from "./tools.js";

export interface Pki {
  dir: string;
  /** CA certificate (PEM) that signed the server certificate: what clients trust. */
  caFile: string;
  caKeyFile: string;
  /** Server certificate (SAN IP:127.0.0.1, DNS:localhost) and key, shared by the registries and token server. */
  serverCertFile: string;
  serverKeyFile: string;
  /** A directory holding only `ca.crt`, for `skopeo --cert-dir`. */
  certDir: string;
}

export interface SigningKey {
  keyFile: string;
  /** Self-signed certificate of the signing key: the registry's `rootcertbundle`. */
  certFile: string;
  keyPem: string;
  certPem: string;
  /** libtrust key ID of the public key, e.g. `VLDX:OXFA:A3PL:...` (12 groups of 4). */
  kid: string;
}

async function openssl(args: string[]): Promise<void> {
  const res = await runCommand(requireTool("openssl"), args);
  if (res.exitCode !== 0) throw new Error(`openssl ${args[0]} failed (${res.exitCode}): ${res.stderr}`);
}

/** Creates a CA and a server certificate for 127.0.0.1/localhost under `dir`. */
export async function createPki(dir: string): Promise<Pki> {
  const caFile = join(dir, "ca.crt");
  const caKeyFile = join(dir, "ca.key");
  const serverCertFile = join(dir, "server.crt");
  const serverKeyFile = join(dir, "server.key");
  const csr = join(dir, "server.csr");
  const ext = join(dir, "server.ext");
  const certDir = join(dir, "certdir");
  // prettier-ignore
  await openssl([
    "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "30", "-subj", "/CN=pullwarden test CA",
    "-addext", "basicConstraints=critical,CA:TRUE",
    "-addext", "keyUsage=critical,keyCertSign,cRLSign",
    "-keyout", caKeyFile, "-out", caFile,
  ]);
  // prettier-ignore
  await openssl([
    "req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=127.0.0.1", "-keyout", serverKeyFile, "-out", csr,
  ]);
  writeFileSync(
    ext,
    [
      "basicConstraints=CA:FALSE",
      "keyUsage=critical,digitalSignature,keyEncipherment",
      "extendedKeyUsage=serverAuth",
      "subjectAltName=IP:127.0.0.1,DNS:localhost",
      "",
    ].join("\n"),
  );
  // prettier-ignore
  await openssl([
    "x509", "-req", "-in", csr, "-CA", caFile, "-CAkey", caKeyFile, "-CAcreateserial", "-days", "30",
    "-extfile", ext, "-out", serverCertFile,
  ]);
  mkdirSync(certDir, { recursive: true });
  writeFileSync(join(certDir, "ca.crt"), readFileSync(caFile));
  return { dir, caFile, caKeyFile, serverCertFile, serverKeyFile, certDir };
}

/** Creates an RSA token-signing key with a self-signed certificate under `dir`. */
export async function createSigningKey(dir: string, name = "token-signer"): Promise<SigningKey> {
  const keyFile = join(dir, `${name}.key`);
  const certFile = join(dir, `${name}.crt`);
  // prettier-ignore
  await openssl([
    "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "30", "-subj", `/CN=${name}`,
    "-keyout", keyFile, "-out", certFile,
  ]);
  const certPem = readFileSync(certFile, "utf8");
  return { keyFile, certFile, keyPem: readFileSync(keyFile, "utf8"), certPem, kid: libtrustKeyId(certPem) };
}

const BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

/** RFC 4648 base32, no padding. */
export function base32(data: Uint8Array): string {
  let out = "";
  let bits = 0;
  let value = 0;
  for (const byte of data) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += BASE32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += BASE32[(value << (5 - bits)) & 31];
  return out;
}

/**
 * The libtrust key ID of a certificate's (or public key's) key, as docker/distribution computes it:
 * sha256 of the DER SubjectPublicKeyInfo, first 30 bytes, base32, groups of 4 joined with ':'.
 */
export function libtrustKeyId(certPem: string): string {
  const der = new X509Certificate(certPem).publicKey.export({ type: "spki", format: "der" });
  const digest = createHash("sha256").update(der).digest().subarray(0, 30);
  return (base32(digest).match(/.{4}/g) ?? []).join(":");
}

export interface ClientCert {
  certFile: string;
  keyFile: string;
  certPem: string;
  keyPem: string;
}

/**
 * A client certificate signed by the PKI's CA (clientAuth): CN = user name, one O per group, as
 * kube-apiserver's x509 authenticator reads them. EC P-256 keys (fast to make).
 */
export async function createClientCert(
  pki: Pki,
  dir: string,
  user: string,
  groups: readonly string[] = [],
): Promise<ClientCert> {
  const base = join(dir, `client-${user.replace(/[^A-Za-z0-9._-]/g, "_")}`);
  const keyFile = `${base}.key`;
  const certFile = `${base}.crt`;
  const csr = `${base}.csr`;
  const ext = `${base}.ext`;
  const esc = (s: string): string => s.replace(/[/\\+]/g, (c) => `\\${c}`);
  const subject = `/CN=${esc(user)}${groups.map((g) => `/O=${esc(g)}`).join("")}`;
  // prettier-ignore
  await openssl([
    "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-subj", subject,
    "-keyout", keyFile, "-out", csr,
  ]);
  writeFileSync(
    ext,
    "basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=clientAuth\n",
  );
  // prettier-ignore
  await openssl([
    "x509", "-req", "-in", csr, "-CA", pki.caFile, "-CAkey", pki.caKeyFile, "-CAcreateserial", "-days", "30",
    "-extfile", ext, "-out", certFile,
  ]);
  return {
    certFile,
    keyFile,
    certPem: readFileSync(certFile, "utf8"),
    keyPem: readFileSync(keyFile, "utf8"),
  };
}
