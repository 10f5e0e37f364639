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
import { readFileSync } from "node:fs";
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
  const deferred = env[DEFERRED_EXTRA_CA_ENV] || undefined;
  if (extra.length === 0 && deferred === undefined) return undefined;
  const list: (string | Buffer)[] = [...rootCertificates];
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
