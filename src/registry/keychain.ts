/**
 * The kubelet keychain: which credentials to try for an image, in which order, and how each is named in output
 * (like go-containerregistry's `authn.Keychain`, resolving an image to what to send). One keychain per source:
 *
 * - pull secrets (`pullSecretKeychain`): kubelet's keyring over every entry of every source, in source order
 *   (as kubelet merges a Pod's `imagePullSecrets`), looked up with `lookupCredentials`: every match in kubelet's
 *   order (most specific key first, the `index.docker.io` fallback for Docker Hub images). No match is an
 *   anonymous pull, as in kubelet; an entry kubelet can decode no credential from is sent as empty credentials,
 *   which is an anonymous pull too. Pure: `pullSecretAttempts` is the resolution itself;
 * - a docker `config.json` (`dockerConfigKeychain`): the docker client's lookup by registry host, through an
 *   injected resolver (credential helpers are I/O), each registry resolved once;
 * - one explicit credential (`explicitKeychain`) for every image;
 * - nothing (`anonymousKeychain`).
 *
 * Labels name where a credential came from, its key (through the one key redaction) and username, never a
 * password or token. `checkImages` (check-images.ts) runs the attempts.
 */
import { lookupCredentials, redactDerivedKey, redactKey } from "../dockerconfig/index.js";
import type { DockerConfigEntry } from "../dockerconfig/index.js";
import type { ResolvedCredential } from "../credential-helpers/index.js";
import { InputError } from "../errors.js";
import { referenceString } from "../reference/index.js";
import type { ImageReference } from "../reference/index.js";
import type { RegistryCredential } from "./types.js";

export type AnonymousReason =
  "no-credential-given" | "no-key-matches" | "entry-without-credentials" | "no-docker-config-entry";

/** How a credential is named in output (`check -o json`'s `credential`). No secret values. */
export interface CredentialLabel {
  /** `flags`: one explicit credential (`explicitKeychain`); `cloud`: a token minted by a cloud identity. */
  kind: "secret" | "docker-config" | "flags" | "cloud" | "anonymous";
  /** `secret ns/name (file:line)`, a .dockerconfigjson path, a config.json path, or `--username`. */
  source?: string;
  /** The registry key as written (user info redacted). */
  key?: string;
  /** kubelet's normalised key (pull secrets). */
  normalizedKey?: string;
  /** `key-match`, or `docker-hub-fallback` (kubelet's index.docker.io fallback). */
  via?: "key-match" | "docker-hub-fallback";
  username?: string;
  /** docker config: `file` or `helper docker-credential-<name>`. */
  origin?: string;
  /** Why the pull is anonymous, for an anonymous attempt. */
  anonymous?: AnonymousReason;
  /** `cloud`: the identity that minted the token (a role, a managed identity), never a secret. */
  identity?: string;
  /** `cloud`: when the minted token expires (ISO 8601), when known. */
  expiresAt?: string;
}

/** One credential to try (undefined: an anonymous pull). */
export interface KeychainAttempt {
  /**
   * Which credential this is, whatever the image: attempts with the same id for the same image are one check
   * (`checkImages` runs it once). Never shown; holds no secret value.
   */
  readonly id: string;
  readonly label: CredentialLabel;
  readonly credential: RegistryCredential | undefined;
}

/** What a keychain needs of an image; callers pass their own image type with more. */
export interface KeychainImage {
  readonly reference: ImageReference;
}

export interface Keychain<I extends KeychainImage = KeychainImage> {
  /** The attempts for `image`, in the order kubelet (or the docker client) tries them; never empty. */
  attemptsFor(image: I): Promise<readonly KeychainAttempt[]>;
  /** Non-fatal findings about the credential sources (no secret values). */
  readonly warnings: readonly string[];
}

const ANONYMOUS_ID = "anonymous";

function anonymousAttempt(reason: AnonymousReason): KeychainAttempt {
  return { id: ANONYMOUS_ID, label: { kind: "anonymous", anonymous: reason }, credential: undefined };
}

/** No credential: every image is pulled anonymously. */
export function anonymousKeychain(): Keychain {
  const attempts = [anonymousAttempt("no-credential-given")];
  return { attemptsFor: () => Promise.resolve(attempts), warnings: [] };
}

/** One credential for every image; `source` names where it was given (e.g. `--username`). */
export function explicitKeychain(credential: RegistryCredential, source: string): Keychain {
  const attempts: KeychainAttempt[] = [
    { id: "explicit", label: { kind: "flags", source, username: credential.username }, credential },
  ];
  return { attemptsFor: () => Promise.resolve(attempts), warnings: [] };
}

/** A pull secret (a Secret manifest, a .dockerconfigjson or .dockercfg): its entries and how it is named. */
export interface PullSecretSource {
  /** Names the source in labels and warnings, e.g. `secret apps/pull (pull.yaml:1)`; unique among sources. */
  readonly label: string;
  readonly config: { readonly entries: readonly DockerConfigEntry[] };
  /** The parser's problems; error-level ones (kubelet may reject or misread the secret) become warnings. */
  readonly problems?: readonly { readonly severity: string; readonly code: string }[];
}

/**
 * kubelet's resolution of `image` (as written or normalised, e.g. `nginx:1.27`) over the entries of `sources`:
 * every matching entry in kubelet's order; an anonymous attempt when none matches (or the reference is
 * invalid). Pure.
 */
export function pullSecretAttempts(sources: readonly PullSecretSource[], image: string): KeychainAttempt[] {
  // One keyring over every entry, in source order, like kubelet's merge of a Pod's pull secrets.
  const entries = sources.flatMap((source) =>
    source.config.entries.map((entry, index) => ({
      key: entry.key,
      id: `secret\u0000${source.label}\u0000${index}`,
      source: source.label,
      entry,
    })),
  );
  const lookup = lookupCredentials(entries, image);
  if (!lookup.ok || lookup.matches.length === 0) return [anonymousAttempt("no-key-matches")];
  return lookup.matches.map((match): KeychainAttempt => {
    const decoded = match.entry.entry.decoded;
    const label: CredentialLabel = {
      kind: "secret",
      source: match.entry.source,
      key: redactKey(match.key),
      normalizedKey: redactDerivedKey(match.key, match.normalizedKey),
      via: match.via,
      ...(decoded ? { username: decoded.username } : { anonymous: "entry-without-credentials" }),
    };
    return {
      id: match.entry.id,
      label,
      credential: decoded ? { username: decoded.username, password: decoded.password } : undefined,
    };
  });
}

/** A warning for each source with error-level problems, naming the problem codes (never a value). */
export function pullSecretWarnings(sources: readonly PullSecretSource[]): string[] {
  const warnings: string[] = [];
  for (const source of sources) {
    const codes = [
      ...new Set((source.problems ?? []).filter((p) => p.severity === "error").map((p) => p.code)),
    ];
    if (codes.length > 0) {
      warnings.push(
        `${source.label}: kubelet may reject or misread this pull secret (${codes.join(", ")}); run pullwarden secret inspect`,
      );
    }
  }
  return warnings;
}

/** kubelet's keychain over pull secrets (see `pullSecretAttempts`). */
export function pullSecretKeychain(sources: readonly PullSecretSource[]): Keychain {
  return {
    attemptsFor: (image) => Promise.resolve(pullSecretAttempts(sources, referenceString(image.reference))),
    warnings: pullSecretWarnings(sources),
  };
}

/** A docker config.json and its resolution (credential helpers included); the caller does the I/O. */
export interface DockerConfigResolver {
  /** The config's path, for labels. */
  readonly path: string;
  /**
   * The credentials for `registries` (hosts); may throw InputError `E_NO_CREDENTIALS` when the registry has
   * none (an anonymous pull), anything else is the caller's error (a failing helper).
   */
  resolve(registries: readonly string[]): Promise<readonly ResolvedCredential[]>;
}

/**
 * The docker client's keychain: credentials looked up by registry host, each registry resolved once (the first
 * image of a registry asks; errors other than "no credentials" reject).
 */
export function dockerConfigKeychain(config: DockerConfigResolver): Keychain {
  const byDomain = new Map<string, Promise<KeychainAttempt>>();
  const resolveDomain = async (domain: string): Promise<KeychainAttempt> => {
    let found: ResolvedCredential | undefined;
    try {
      [found] = await config.resolve([domain]);
    } catch (error) {
      if (!(error instanceof InputError && error.code === "E_NO_CREDENTIALS")) throw error;
    }
    if (!found) return anonymousAttempt("no-docker-config-entry");
    return {
      id: `docker-config\u0000${domain}`,
      label: {
        kind: "docker-config",
        source: config.path,
        key: redactKey(found.server),
        username: found.username,
        origin: found.origin,
      },
      credential: { username: found.username, password: found.password },
    };
  };
  return {
    async attemptsFor(image) {
      const domain = image.reference.domain;
      let attempt = byDomain.get(domain);
      if (!attempt) {
        attempt = resolveDomain(domain);
        byDomain.set(domain, attempt);
      }
      return [await attempt];
    },
    warnings: [],
  };
}
