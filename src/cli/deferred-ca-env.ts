/**
 * The launcher line of the `pullwarden` executable (`#!/usr/bin/env -S PULLWARDEN_EXTRA_CA_CERTS=...`) defers
 * NODE_EXTRA_CA_CERTS so Node does not parse it at start-up (src/extra-ca.ts, which TLS clients use to get the
 * same trust back); child processes (credential helpers, cloud CLIs) get the original value.
 */
export function restoreDeferredCaEnv(env: NodeJS.ProcessEnv): void {
  const deferred = env["PULLWARDEN_EXTRA_CA_CERTS"];
  if (deferred) env["NODE_EXTRA_CA_CERTS"] = deferred;
  else if (deferred === "") delete env["NODE_EXTRA_CA_CERTS"];
}
