/**
 * NODE_EXTRA_CA_CERTS without its start-up cost. Node 20 reads and parses that file when the process starts,
 * before any code runs (about 50 ms for a full system bundle, as set on many CI images), although most
 * pullwarden commands never open a TLS connection. The `pullwarden` launcher line therefore moves the value to
 * PULLWARDEN_EXTRA_CA_CERTS and starts Node with NODE_EXTRA_CA_CERTS empty; `cli/main.ts` puts the value back
 * for child processes, and TLS clients ask `trustedCaList` for the same trust Node would have given them,
 * loaded only when a connection needs it.
 *
 * Node ignores NODE_EXTRA_CA_CERTS whenever a `ca` option is passed (https://nodejs.org/api/cli.html
 * #node_extra_ca_certsfile), so `trustedCaList` also adds it back when the user gives its own CA file.
 */
import { existsSync, readFileSync } from "node:fs";
import { rootCertificates } from "node:tls";

/** Set by the launcher line when it kept NODE_EXTRA_CA_CERTS from Node's start-up. */
export const DEFERRED_EXTRA_CA_ENV = "PULLWARDEN_EXTRA_CA_CERTS";

/**
 * The CA list to pass as `ca` to a TLS client, or undefined to keep Node's default trust.
 * `extra` are the user's own CAs (`--ca-file`); they add to the system roots, as skopeo's --cert-dir does.
 */
export function trustedCaList(
  extra: readonly (string | Buffer)[],
  env: Readonly<Record<string, string | undefined>> = process.env,
): (string | Buffer)[] | undefined {
  const added = addedCaList(extra, env);
  return added === undefined ? undefined : [...rootCertificates, ...added];
}

/**
 * The CAs to add to the process's default trust (see `systemTrust`), or undefined when there are none: the
 * deferred NODE_EXTRA_CA_CERTS, then the user's own (`extra`). Cheaper than trustedCaList: the roots are not
 * listed (`tls.rootCertificates` serialises ~140 certificates, tens of milliseconds on Node 20).
 */
export function addedCaList(
  extra: readonly (string | Buffer)[],
  env: Readonly<Record<string, string | undefined>> = process.env,
): (string | Buffer)[] | undefined {
  const deferred = env[DEFERRED_EXTRA_CA_ENV] || undefined;
  if (extra.length === 0 && deferred === undefined) return undefined;
  const list: (string | Buffer)[] = [];
  const file = deferred ?? (env["NODE_EXTRA_CA_CERTS"] || undefined);
  if (file) {
    try {
      list.push(readFileSync(file));
    } catch {
      // Node itself only warns when this file is unreadable; so do we, by not adding it.
    }
  }
  return [...list, ...extra];
}

/**
 * The roots the process trusts by default (docs/check.md, "Which certificates are trusted"):
 * - `os-store`: the operating system's store, read by OpenSSL from where the distribution keeps it (its
 *   default locations under /etc/ssl, or SSL_CERT_FILE / SSL_CERT_DIR), one certificate at a time as a
 *   verification needs it: Node runs with --use-openssl-ca, as the `pullwarden` executable's launcher line
 *   starts it on Linux and macOS. The same store containerd, CRI-O, kubelet, skopeo and docker read on a node.
 * - `os-store-missing`: the same option, but no such store on this machine (a minimal container image):
 *   callers pass Node's bundled roots explicitly, so nothing public stops being trusted.
 * - `bundled`: Node's own copy of Mozilla's roots (`node dist/bin/main.js`, Windows, the library).
 */
export function systemTrust(
  execArgv: readonly string[] = process.execArgv,
  env: Readonly<Record<string, string | undefined>> = process.env,
  exists: (path: string) => boolean = existsSync,
): "os-store" | "os-store-missing" | "bundled" {
  const options = [...execArgv, ...(env["NODE_OPTIONS"] ?? "").split(/\s+/)];
  if (!options.includes("--use-openssl-ca") || options.includes("--use-bundled-ca")) return "bundled";
  // OPENSSLDIR of Node's own builds (official and Debian's) is /etc/ssl: its certs/ directory and cert.pem.
  const places = [env["SSL_CERT_FILE"], env["SSL_CERT_DIR"], "/etc/ssl/certs", "/etc/ssl/cert.pem"];
  return places.some((place) => place !== undefined && place !== "" && exists(place))
    ? "os-store"
    : "os-store-missing";
}
