/**
 * The catalogue of problems this module reports, with their default severity and the consumer that rejects or
 * misreads the input. Codes are stable kebab-case ids: they appear in output, docs and tests unchanged.
 *
 * Severity policy:
 * - `error`: a real consumer (kubelet first: that is who reads pull secrets) rejects the input, can never
 *   use the entry, or reads something other than what the author meant.
 * - `warning`: kubelet copes, but another consumer (skopeo / containers-image, containerd, docker) fails, or it
 *   is almost certainly a mistake.
 * - `info`: worth knowing, harmless.
 *
 * Consumer behaviour cited below comes from kubernetes/kubernetes `pkg/credentialprovider/{config,keyring}.go`
 * (kubelet), `pkg/credentialprovider/secrets/secrets.go`, containers/image `pkg/docker/config/config.go`
 * (skopeo, podman, cri-o), containerd `internal/cri/server/images/image_pull.go` `ParseAuth`, docker/cli
 * `cli/config/configfile`, and the skopeo/docker experiments in docs/test-infra.md ("Authfile matrix").
 */
/** How bad a problem is; see the policy above. */
export type Severity = "error" | "warning" | "info";

interface ProblemSpec {
  readonly severity: Severity;
  readonly summary: string;
}

export const PROBLEM_CODES = {
  // --- the document as a whole -------------------------------------------------------------------------
  /** A UTF-8 byte order mark: Go's `json.Unmarshal` fails ("invalid character 'ï'"), so kubelet rejects the secret. */
  "utf8-bom": { severity: "error", summary: "input starts with a byte order mark" },
  /** A JSON object repeats a key. Go's decoder (kubelet, docker, skopeo) and JSON.parse keep the last one silently. */
  "duplicate-key": { severity: "warning", summary: "duplicate JSON key; only the last one is used" },
  /** `"Auth"` instead of `"auth"`: Go matches struct fields case-insensitively (kubelet/docker/skopeo accept it); other parsers do not. */
  "field-name-case": { severity: "info", summary: "field name in non-canonical case" },
  /** A credential field holds a number/object/array/bool: Go returns an UnmarshalTypeError, so kubelet rejects the whole secret. Warning for fields kubelet does not read. */
  "field-not-string": { severity: "error", summary: "field value is not a string" },
  /** A field no consumer reads. */
  "unknown-field": { severity: "info", summary: "unknown field" },
  /** An entry whose value is `null`: Go decodes it as an entry without credentials. */
  "entry-null": { severity: "warning", summary: "entry is null" },
  /** No auth, username, password or token: nothing to authenticate with (docker writes such entries for credential helpers, hence info in config.json). */
  "entry-no-credentials": { severity: "warning", summary: "entry carries no credentials" },
  /** No registries at all. */
  "no-entries": { severity: "warning", summary: "no registry entries" },
  /** Legacy `.dockercfg` (bare map): kubelet reads it for type kubernetes.io/dockercfg, but skopeo, docker and containerd tooling reject it (authfile matrix). */
  "legacy-dockercfg-format": { severity: "info", summary: "legacy .dockercfg format" },
  /** `{"auths":{…}}` under `.dockercfg`: kubelet reads "auths" as a registry name and finds no credentials. */
  "dockercfg-has-auths-wrapper": { severity: "error", summary: ".dockercfg content wrapped in auths" },
  /** Registry entries without the `auths` wrapper under `.dockerconfigjson`/config.json: kubelet reads `.auths` only and finds nothing. */
  "missing-auths-wrapper": { severity: "error", summary: "registry entries outside auths" },
  /** credsStore/credHelpers: kubelet reads only `auths` (warning in a secret, where no helper can run; info in config.json). */
  "credential-helpers-ignored": { severity: "warning", summary: "credential helpers are ignored by kubelet" },
  /** credsStore not a string or credHelpers not a map of strings: docker fails to load the file. */
  "cred-helper-invalid": { severity: "warning", summary: "credsStore/credHelpers has the wrong type" },
  /** HttpHeaders not a map of strings: kubelet's DockerConfigJSON decode fails and the secret is rejected. */
  "http-headers-invalid": { severity: "error", summary: "HttpHeaders is not a map of strings" },

  // --- the auth field ------------------------------------------------------------------------------------
  /** Not base64 (bad characters, length or padding): kubelet's decodeDockerConfigFieldAuth fails, so the whole secret is rejected and the pull fails; skopeo/containerd/docker fail too. */
  "auth-not-base64": { severity: "error", summary: "auth is not base64" },
  /** URL-safe alphabet (`-`, `_`): Go's StdEncoding (kubelet, skopeo, containerd, docker) rejects it. */
  "auth-url-safe-base64": { severity: "error", summary: "auth uses the URL-safe base64 alphabet" },
  /** Missing `=` padding: kubelet falls back to RawStdEncoding and accepts it, skopeo ("illegal base64 data"), docker and containerd reject it. */
  "auth-unpadded-base64": { severity: "warning", summary: "auth lacks base64 padding" },
  /** Line breaks inside auth: Go's base64 decoder skips \r and \n; other decoders may not. */
  "auth-line-breaks": { severity: "info", summary: "auth contains line breaks" },
  /** Decoded auth has no ':': kubelet fails ("unable to parse auth field") and rejects the secret; skopeo skips the entry; containerd errors. */
  "auth-no-colon": { severity: "error", summary: "decoded auth has no ':'" },
  /** Decoded password ends with a newline (`echo` without `-n`): kubelet, containerd and skopeo all send it as part of the password (tested), so it is written with a warning; the registry decides. */
  "auth-password-trailing-newline": { severity: "warning", summary: "decoded password ends with a newline" },
  /** Decoded auth is not UTF-8: the credentials cannot round-trip through tools that treat them as text. */
  "auth-decoded-not-utf8": { severity: "warning", summary: "decoded auth is not UTF-8" },
  /** Decoded username is empty. Some registries accept any username with a token; many reject an empty one. */
  "auth-empty-username": { severity: "info", summary: "decoded username is empty" },
  /** Decoded password is empty: almost every registry rejects it. */
  "auth-empty-password": { severity: "warning", summary: "decoded password is empty" },
  /** auth and username/password disagree: auth wins in kubelet, skopeo and docker (authfile matrix). */
  "auth-disagrees": { severity: "warning", summary: "auth disagrees with username/password" },
  /** username/password without auth: kubelet and docker use them, skopeo ignores them and pulls anonymously (authfile matrix). */
  "auth-missing": { severity: "warning", summary: "username/password without auth" },
  /** Username with ':': every consumer splits `user:pass` on the first ':', so the username is misread. */
  "username-contains-colon": { severity: "error", summary: "username contains ':'" },
  /** Control characters (tab, DEL, ...) in a username or password: kubelet, containerd and skopeo send them as they are (tested), so they are written with a warning naming the character and its position. */
  "credential-control-characters": { severity: "warning", summary: "credential contains control characters" },
  /** A password starting or ending with NUL: skopeo/podman (containers/image `decodeDockerAuth`) strip NUL from both ends and send another password. Refused when building. */
  "credential-nul-padding": { severity: "warning", summary: "password starts or ends with NUL" },
  /** Leading or trailing whitespace in a username or password: almost always a copy-paste mistake. */
  "credential-surrounding-whitespace": {
    severity: "warning",
    summary: "credential has surrounding whitespace",
  },
  /** Lone UTF-16 surrogates: Go writes them as U+FFFD, so the stored value differs from the input. */
  "invalid-unicode": { severity: "error", summary: "value is not well-formed Unicode" },
  /** identitytoken with no auth/username/password: kubelet drops identity tokens (it copies only username/password/email), skopeo pulls anonymously (authfile matrix). */
  "identitytoken-without-auth": { severity: "error", summary: "identitytoken without auth" },
  /** identitytoken next to auth: kubelet ignores the token and sends the auth's username/password (for ACR's 00000000-… user with an empty password that fails). */
  "identitytoken-ignored-by-kubelet": { severity: "warning", summary: "kubelet ignores identitytoken" },
  /** registrytoken: kubelet and containerd ignore it (containerd's ParseAuth has it as a TODO). */
  "registrytoken-ignored": { severity: "warning", summary: "registrytoken is ignored" },

  // --- the registry key ----------------------------------------------------------------------------------
  /** Empty key: it matches no image. */
  "key-empty": { severity: "error", summary: "empty registry key" },
  /** Whitespace in a key: Go's url.Parse rejects it, so kubelet ignores the entry. */
  "key-whitespace": { severity: "error", summary: "registry key contains whitespace" },
  /** Go's url.Parse fails on `https://<key>`: kubelet logs "Entry … in dockercfg invalid" and ignores the entry. */
  "key-unparseable": { severity: "error", summary: "registry key is not a valid URL" },
  /** `http://` scheme: the scheme is dropped when matching (kubelet, docker, skopeo: the entry is used as for host[:port]) and does not make any runtime use plain HTTP; written with a warning, as kubectl writes it. */
  "key-http-scheme": { severity: "warning", summary: "registry key has an http:// scheme" },
  /** Another scheme (`docker://`, `oci://`, uppercase `HTTPS://`): kubelet prefixes https:// and gets a host like "docker:" that matches nothing. */
  "key-unsupported-scheme": { severity: "error", summary: "registry key has an unsupported scheme" },
  /** `user@host`: kubelet drops the user info; a credential in a key leaks wherever keys are shown. Refused when building. */
  "key-userinfo": { severity: "warning", summary: "registry key contains user info" },
  /** `?` or `#`: Go's URL parser cuts the key there (`app?.k8s.io` becomes host `app`). */
  "key-query-or-fragment": { severity: "error", summary: "registry key contains '?' or '#'" },
  /** No host (`/foo`, `https:///x`): matches no image. */
  "key-no-host": { severity: "error", summary: "registry key has no host" },
  /** registry-1.docker.io: kubelet compares against the normalised image name `docker.io/…` (3 labels vs 2) and never matches it; use docker.io or https://index.docker.io/v1/. */
  "key-registry-1-docker-io": { severity: "error", summary: "registry-1.docker.io never matches in kubelet" },
  /** index.docker.io with a path: the Docker Hub fallback needs the key to be exactly index.docker.io and a direct match is impossible (3 labels vs docker.io's 2). */
  "key-docker-hub-with-path": { severity: "error", summary: "index.docker.io key with a path never matches" },
  /** `/v1` or `/v2` without a trailing slash: kubelet strips only `/v1/` and `/v2/`, so this becomes a repository prefix "v1". */
  "key-version-path-without-slash": { severity: "error", summary: "version path without trailing slash" },
  /** A key path that no normalised repository name can start with (uppercase, a tag, a digest, `//`…): never matches. */
  "key-path-never-matches": { severity: "error", summary: "registry key path can never match an image" },
  /** A path-scoped key: kubelet matches by raw string prefix (reg.io/foo also matches reg.io/foobar), skopeo by path segments, docker ignores the path. */
  "key-path-scoped": { severity: "info", summary: "registry key is scoped to a path" },
  /** Uppercase in the host: kubelet compares case-sensitively and image references use lowercase hosts. */
  "key-host-uppercase": { severity: "warning", summary: "registry key host has uppercase letters" },
  /** Trailing dot (`ghcr.io.`): an extra empty label, so it never matches `ghcr.io` images. */
  "key-trailing-dot": { severity: "error", summary: "registry key host ends with a dot" },
  /** `:443`/`:80`: kubelet compares port strings, so the key only matches images that spell the port. */
  "key-default-port": { severity: "warning", summary: "registry key spells a default port" },
  /** Wildcards (`*.azurecr.io`): only kubelet honours them (per DNS label); skopeo, docker and containerd treat them literally. */
  "key-glob": { severity: "info", summary: "registry key uses wildcards" },
  /** The key does not even match its own host (malformed glob, `[::1]` without a port): never matches. */
  "key-self-mismatch": { severity: "error", summary: "registry key never matches any image" },
  /** Several keys normalise to the same kubelet key: kubelet tries each, in Go map order (unspecified). */
  "key-duplicate-normalized": { severity: "warning", summary: "several keys normalise to the same registry" },

  // --- building ------------------------------------------------------------------------------------------
  /** Empty username: kubectl refuses it (`username must be specified`). */
  "username-empty": { severity: "error", summary: "empty username" },
  /** Empty password: kubectl refuses it (`password must be specified`). */
  "password-empty": { severity: "error", summary: "empty password" },
  /** The same server twice: a JSON map can hold only one. */
  "duplicate-server": { severity: "error", summary: "the same server appears twice" },

  // --- merging -------------------------------------------------------------------------------------------
  /** Same normalised registry in several configs with different credentials: the later one wins. */
  "merge-conflict": { severity: "warning", summary: "conflicting credentials for the same registry" },
  /** Same normalised registry in several configs with identical credentials. */
  "merge-duplicate": { severity: "info", summary: "duplicate credentials for the same registry" },

  // --- Kubernetes Secrets --------------------------------------------------------------------------------
  /** A docker config in a Secret whose type is not kubernetes.io/dockerconfigjson or kubernetes.io/dockercfg: kubelet ignores the secret. */
  "secret-type-mismatch": { severity: "error", summary: "secret type is not a pull-secret type" },
  /** `.dockerconfigjson` under type kubernetes.io/dockercfg or the reverse: kubelet reads only the key matching the type. */
  "secret-key-type-mismatch": { severity: "error", summary: "secret key does not match its type" },
  /** `data` value that is not padded standard base64: the API server rejects the manifest. */
  "secret-data-invalid-base64": { severity: "error", summary: "secret data is not valid base64" },
  /** The same key in stringData and data: the API server lets stringData win. */
  "secret-stringdata-overrides-data": { severity: "info", summary: "stringData overrides data" },
  /** Both `.dockerconfigjson` and `.dockercfg`: only the one matching the type is read. */
  "secret-extra-key": { severity: "info", summary: "secret carries both docker config keys" },
  /** Empty docker config value: kubelet skips it and the API server rejects it (must be a JSON object). */
  "secret-empty-value": { severity: "error", summary: "docker config value is empty" },
} as const satisfies Record<string, ProblemSpec>;

export type ProblemCode = keyof typeof PROBLEM_CODES;
