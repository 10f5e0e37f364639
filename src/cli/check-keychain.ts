/**
 * Which credentials `pullwarden check` tries for an image, and how each is named in output:
 *
 * - `--secret FILE|-`: kubelet's keyring over every entry of every pull secret in the file (one keyring, in
 *   file order, as kubelet merges a Pod's secrets), looked up with `lookupCredentials`: every match in
 *   kubelet's order; no match is an anonymous pull, as in kubelet. An entry kubelet can decode no credential
 *   from is sent as empty credentials, which is an anonymous pull too.
 * - `--docker-config [PATH]`: the docker client's lookup, by registry host, through credsStore/credHelpers.
 * - `--username U --password-stdin`: that credential for every image.
 * - nothing: anonymous.
 *
 * Labels carry where a credential came from, its key and username, never a password or token.
 */
import { redactDerivedKey, redactKey } from "../dockerconfig/problems.js";
import { InputError } from "../errors.js";
import type { RegistryCredential } from "../registry/index.js";
import type { DockerConfigFile } from "./check-docker-config.js";
import type { ValidImage } from "./check-images.js";
import type { CliIo } from "./io.js";
import { readPullCredentialSources } from "./load-pull-credentials.js";

export type AnonymousReason =
  "no-credential-given" | "no-key-matches" | "entry-without-credentials" | "no-docker-config-entry";

/** How a credential is named in output (JSON `credential`). No secret values. */
export interface CredentialLabel {
  kind: "secret" | "docker-config" | "flags" | "anonymous";
  /** `secret ns/name (file:line)`, a .dockerconfigjson path, a config.json path, or `--username`. */
  source?: string;
  /** The registry key as written (user info redacted). */
  key?: string;
  /** kubelet's normalised key (`--secret`). */
  normalizedKey?: string;
  /** `key-match`, or `docker-hub-fallback` (kubelet's index.docker.io fallback). */
  via?: "key-match" | "docker-hub-fallback";
  username?: string;
  /** `--docker-config`: `file` or `helper docker-credential-<name>`. */
  origin?: string;
  /** Why the pull is anonymous, for an anonymous attempt. */
  anonymous?: AnonymousReason;
}

export interface PlannedAttempt {
  label: CredentialLabel;
  credential: RegistryCredential | undefined;
}

export interface CredentialPlan {
  /** The attempts for one image, in the order kubelet (or docker) tries them; never empty. */
  attemptsFor(image: ValidImage): PlannedAttempt[];
  /** Non-fatal findings about the credential sources (no secret values). */
  warnings: string[];
}

export interface CredentialOptions {
  secret?: string;
  dockerConfig?: string | boolean;
  username?: string;
  /** The password read for `--username`. */
  password?: string;
}

/** `user:password@` in a registry key (a pasted credential) is never shown: the one key redaction. */
export const displayKey = redactKey;

/** One line naming a credential, for the table. */
export function describeCredential(label: CredentialLabel): string {
  const user = label.username !== undefined ? `user ${label.username || "(empty)"}` : undefined;
  switch (label.kind) {
    case "anonymous":
      return {
        "no-credential-given": "anonymous",
        "no-key-matches": "anonymous (no key of the secret matches)",
        "entry-without-credentials": "anonymous",
        "no-docker-config-entry": "anonymous (no entry in the docker config)",
      }[label.anonymous ?? "no-credential-given"];
    case "flags":
      return `--username ${label.username ?? ""}`;
    case "docker-config":
      return [label.source, `${label.key ?? "?"} (${label.origin ?? "file"})`, user]
        .filter(Boolean)
        .join(", ");
    case "secret": {
      const key = `key ${label.key ?? "?"}${label.via === "docker-hub-fallback" ? " (Docker Hub fallback)" : ""}`;
      const who = label.anonymous === "entry-without-credentials" ? "no usable credential: anonymous" : user;
      return [label.source, key, who].filter(Boolean).join(", ");
    }
  }
}

const ANONYMOUS: PlannedAttempt = {
  label: { kind: "anonymous", anonymous: "no-credential-given" },
  credential: undefined,
};

export async function planCredentials(
  options: CredentialOptions,
  images: readonly ValidImage[],
  io: CliIo,
): Promise<CredentialPlan> {
  if (options.secret !== undefined) return planFromSecret(options.secret, io);
  if (options.dockerConfig !== undefined && options.dockerConfig !== false) {
    return planFromDockerConfig(options.dockerConfig, images, io);
  }
  if (options.username !== undefined) {
    const attempt: PlannedAttempt = {
      label: { kind: "flags", source: "--username", username: options.username },
      credential: { username: options.username, password: options.password ?? "" },
    };
    return { attemptsFor: () => [attempt], warnings: [] };
  }
  return { attemptsFor: () => [ANONYMOUS], warnings: [] };
}

async function planFromSecret(file: string, io: CliIo): Promise<CredentialPlan> {
  const { lookupCredentials } = await import("../dockerconfig/index.js");
  const { sources } = await readPullCredentialSources(file, io);
  const warnings: string[] = [];
  for (const source of sources) {
    const codes = [...new Set(source.problems.filter((p) => p.severity === "error").map((p) => p.code))];
    if (codes.length > 0) {
      warnings.push(
        `${source.label}: kubelet may reject or misread this pull secret (${codes.join(", ")}); run pullwarden secret inspect`,
      );
    }
  }
  // One keyring over every entry, in source order, like kubelet's merge of a Pod's pull secrets.
  const entries = sources.flatMap((source) =>
    source.config.entries.map((entry) => ({ key: entry.key, source: source.label, entry })),
  );
  return {
    warnings,
    attemptsFor(image) {
      const lookup = lookupCredentials(entries, image.input.text);
      if (!lookup.ok || lookup.matches.length === 0) {
        return [{ label: { kind: "anonymous", anonymous: "no-key-matches" }, credential: undefined }];
      }
      return lookup.matches.map((match): PlannedAttempt => {
        const decoded = match.entry.entry.decoded;
        const label: CredentialLabel = {
          kind: "secret",
          source: match.entry.source,
          key: displayKey(match.key),
          normalizedKey: redactDerivedKey(match.key, match.normalizedKey),
          via: match.via,
          ...(decoded ? { username: decoded.username } : { anonymous: "entry-without-credentials" }),
        };
        return {
          label,
          credential: decoded ? { username: decoded.username, password: decoded.password } : undefined,
        };
      });
    },
  };
}

async function planFromDockerConfig(
  option: string | true,
  images: readonly ValidImage[],
  io: CliIo,
): Promise<CredentialPlan> {
  const { openDockerConfig } = await import("./check-docker-config.js");
  let config: DockerConfigFile;
  try {
    config = await openDockerConfig(option, io);
  } catch (error) {
    if (
      typeof option === "string" &&
      error instanceof InputError &&
      error.code === "E_INPUT_UNREADABLE" &&
      (error.cause as NodeJS.ErrnoException | undefined)?.code === "ENOENT"
    ) {
      throw new InputError(error.code, error.message, {
        cause: error,
        source: option,
        hint: `--docker-config takes an optional PATH and read ${JSON.stringify(option)} as one: write --docker-config=PATH, or put the images before --docker-config`,
      });
    }
    throw error;
  }
  // The docker client looks credentials up by registry host; each registry is resolved once.
  const byDomain = new Map<string, PlannedAttempt>();
  for (const domain of new Set(images.map((image) => image.reference.domain))) {
    let attempt: PlannedAttempt;
    try {
      const [found] = await config.resolve([domain]);
      attempt = found
        ? {
            label: {
              kind: "docker-config",
              source: config.path,
              key: displayKey(found.server),
              username: found.username,
              origin: found.origin,
            },
            credential: { username: found.username, password: found.password },
          }
        : { label: { kind: "anonymous", anonymous: "no-docker-config-entry" }, credential: undefined };
    } catch (error) {
      if (!(error instanceof InputError && error.code === "E_NO_CREDENTIALS")) throw error;
      attempt = { label: { kind: "anonymous", anonymous: "no-docker-config-entry" }, credential: undefined };
    }
    byDomain.set(domain, attempt);
  }
  return {
    warnings: [],
    attemptsFor: (image) => [byDomain.get(image.reference.domain) ?? ANONYMOUS],
  };
}
