/**
 * One-line fix texts per outcome (and reason), stable so that docs, tests and the CLI can rely on them.
 * Keys are `outcome` or `outcome/reason` (`not-found/tag`); `accessFix` falls back from the specific key to
 * the outcome's.
 */

export const ACCESS_FIXES = {
  ok: "Nothing to fix: this credential can pull the image.",
  "ok/anonymous": "Nothing to fix: the image is public and pulls without a pull secret.",
  "unauthorized/no-credential":
    "Give the pull a credential for this registry: create a pull secret (pullwarden secret create) and reference it in imagePullSecrets or the ServiceAccount.",
  "unauthorized/credential-rejected":
    "The registry rejected the credential: check the username and password or token, renew it if it expired, and update the pull secret.",
  "unauthorized/credential-withheld-on-redirect":
    "The registry redirected the request to another host, which asked for a credential; pullwarden never sends a credential to another host (scheme, host and port), so this credential was not tested: have the registry or its proxy answer the request itself, or redirect to a URL that needs no credential (such as a signed storage URL), then check again.",
  "unauthorized/credential-unsupported":
    "This registry asks for Basic auth, which an identity token cannot answer: use a username and password (or access token) instead.",
  denied:
    "The credential works but may not pull this repository (or the repository does not exist): grant it pull access (AcrPull, an ECR pull policy, read:packages ...) or check the image name.",
  "not-found/repository":
    "The repository does not exist on this registry: check the image name and registry host.",
  "not-found/tag": "The tag does not exist in this repository: check the tag, or push the image with it.",
  "not-found/digest":
    "No manifest has this digest in this repository: check the digest (it may have been deleted).",
  "not-found/unknown": "The registry has no such image: check the repository name and the tag or digest.",
  "platform-missing":
    "The image has no manifest for this platform: publish it for this platform (e.g. docker buildx --platform) or schedule the Pod on nodes of an available platform.",
  "tls/unknown-authority":
    "The registry's certificate comes from a CA this client does not trust: pass the CA with --ca-file, and trust it on the nodes (containerd certs.d/hosts.toml).",
  "tls/hostname-mismatch":
    "The registry's certificate is not issued for this host name: use the name on the certificate, or reissue it with a matching subjectAltName.",
  "tls/expired":
    "The registry's certificate has expired or is not yet valid: renew it, and check this machine's clock.",
  "tls/other": "The TLS handshake with the registry failed: check the registry's TLS configuration.",
  "plain-http/server-speaks-http":
    "The registry speaks plain HTTP: use --plain-http (and declare it insecure in the nodes' runtime config), or better, serve it over TLS.",
  "plain-http/server-requires-https": "The registry speaks HTTPS: drop --plain-http.",
  "network/dns":
    "The registry host name does not resolve: check its spelling and DNS (from the nodes as well).",
  "network/refused":
    "Nothing accepts connections at the registry's address: check the host, the port and that the registry runs.",
  "network/timeout":
    "The registry did not answer in time: check firewalls, proxies and network policies, or allow more time with --timeout.",
  "network/reset":
    "The connection was reset: a proxy or firewall may interfere, or the port speaks another protocol (try with or without --plain-http).",
  "network/unreachable":
    "The registry's network is unreachable from here: check routes, VPN and firewall rules.",
  "network/other": "A network error stopped the check: retry, and check connectivity to the registry.",
  "rate-limited":
    "The registry is rate-limiting requests: wait for Retry-After, authenticate for a higher limit, or use a mirror or pull-through cache.",
  "registry-error/server-error":
    "The registry failed with a server error: retry later, or check the registry's status.",
  "registry-error/unexpected-status":
    "The registry gave an unexpected answer: check the registry address (it may not be an OCI registry) and the steps above.",
  "registry-error/unsupported-challenge":
    "The registry asks for an authentication scheme other than Basic or Bearer, which image pulls do not support.",
  "registry-error/bad-token-response":
    "The registry's token service answered without a usable token: check the token service behind the registry.",
  "registry-error/token-rejected":
    "The registry refused a token from its own token service: check the registry's token settings (issuer, service, signing certificate) and clocks.",
  "registry-error/body-too-large":
    "The manifest or image config is larger than container runtimes read (containerd: 4,393,216 bytes per manifest; CRI-O, podman and skopeo: 4 MiB), so nodes cannot pull it: make it smaller (fewer index entries or annotations; large metadata belongs in a blob the manifest references).",
  "registry-error/bad-manifest":
    "The registry served a manifest pullwarden cannot read (not JSON, or no platform information): check the image with skopeo inspect --raw.",
  "registry-error/too-many-redirects":
    "The registry redirects in a loop: check its address and proxy configuration.",
  "registry-error/forbidden-redirect":
    "The registry redirects to a link-local or metadata address, or a token request (with its credential) to another host, which pullwarden refuses: fix the registry or proxy configuration.",
  "registry-error/bad-redirect":
    "The registry redirects to an invalid location: fix the registry or proxy configuration.",
  "bad-realm/missing":
    "The registry asks for a Bearer token without naming a token service (realm): fix the registry's auth configuration.",
  "bad-realm/invalid-url":
    "The registry's token service (realm) is not a valid http(s) URL: fix the registry's auth configuration.",
  "bad-realm/insecure-scheme":
    "The registry sends credentials to a token service over plain HTTP: configure an https realm (pullwarden refuses to send credentials in clear text).",
  "bad-realm/forbidden-address":
    "The registry's token service (realm) is on a link-local or metadata address, which pullwarden refuses (it could expose cloud credentials): fix the registry's auth configuration.",
} as const;

/** The fix for an outcome and optional reason (`not-found` + `tag`, `unauthorized` + `no-credential` ...). */
export function accessFix(outcome: string, reason?: string): string {
  const table = ACCESS_FIXES as Record<string, string>;
  if (reason !== undefined) {
    const specific = table[`${outcome}/${reason}`];
    if (specific) return specific;
  }
  return (
    table[outcome] ??
    table[`${outcome}/other`] ??
    table[`${outcome}/unknown`] ??
    ACCESS_FIXES["network/other"]
  );
}
