/**
 * Builds `.dockerconfigjson` payloads byte-identical to `kubectl create secret docker-registry`
 * (kubectl pkg/cmd/create/create_secret_docker.go `handleDockerCfgJSONContent`: Go `json.Marshal` of
 * `{"auths": map[server]DockerConfigEntry}` with fields `username,password,email,auth`, all `omitempty`):
 *
 *   {"auths":{"ghcr.io":{"username":"u","password":"p","auth":"dTpw"}}}
 *
 * Several servers are written as Go writes a map: keys in byte order. Inputs real consumers would reject or
 * misread are refused with an InputError; `validatePullCredentials` returns the same findings as values.
 */
import { InputError } from "../errors.js";
import { analyzeEntry } from "./entry-checks.js";
import type { EntryFields } from "./entry-checks.js";
import { encodeStdBase64 } from "./go-base64.js";
import { encodeGoJson, goMap } from "./go-json.js";
import type { GoJsonValue } from "./go-json.js";
import { describeControlCharacters, isWellFormedUnicode, utf8Encode } from "./go-strings.js";
import { checkRegistryKey } from "./key-checks.js";
import { normalizeKeyringKey } from "./keyring.js";
import { makeProblem, quoteKey, redactDerivedKey } from "./problems.js";
import type { Problem } from "./problems.js";

export interface PullCredentialInput {
  /** Registry key: `ghcr.io`, `myreg.azurecr.io`, `localhost:5000`, `https://index.docker.io/v1/` for Docker Hub. */
  server: string;
  username: string;
  password: string;
  /** Written only when non-empty (kubectl's `omitempty`). */
  email?: string;
}

export interface BuildOptions {
  /** Names the input in the InputError (default "pull credential"). */
  source?: string;
}

/** The `auth` field value: padded standard base64 of the UTF-8 bytes of `username:password`. */
export function encodeAuthField(username: string, password: string): string {
  return encodeStdBase64(utf8Encode(`${username}:${password}`));
}

/** Findings for each credential (server checks in build mode) and for the set (duplicate servers). */
export function validatePullCredentials(entries: readonly PullCredentialInput[]): Problem[] {
  const problems: Problem[] = [];
  const raw = new Set<string>();
  const normalized = new Map<string, string>();
  for (const entry of entries) {
    problems.push(...validatePullCredential(entry));
    if (raw.has(entry.server)) {
      problems.push(
        makeProblem("duplicate-server", `server ${quoteKey(entry.server)} is given more than once`, {
          key: entry.server,
        }),
      );
      continue;
    }
    raw.add(entry.server);
    const n = normalizeKeyringKey(entry.server);
    const other = n === undefined ? undefined : normalized.get(n);
    if (n !== undefined && other !== undefined) {
      problems.push(
        makeProblem(
          "key-duplicate-normalized",
          `servers ${quoteKey(other)} and ${quoteKey(entry.server)} both mean ${quoteKey(redactDerivedKey(entry.server, n))} to kubelet, which would try both in unspecified order`,
          { key: entry.server },
        ),
      );
    } else if (n !== undefined) {
      normalized.set(n, entry.server);
    }
  }
  return problems;
}

/** Findings for one credential: the server as a registry key (build mode) and the username/password/email. */
export function validatePullCredential(input: PullCredentialInput): Problem[] {
  const problems = checkRegistryKey(input.server, "build");
  const at = { key: input.server };
  const q = quoteKey(input.server);
  const add = (code: Parameters<typeof makeProblem>[0], message: string, severity?: Problem["severity"]) =>
    problems.push(makeProblem(code, message, severity ? { ...at, severity } : at));

  const fields: [name: string, value: string | undefined][] = [
    ["username", input.username],
    ["password", input.password],
    ["email", input.email],
  ];
  for (const [name, value] of fields) {
    if (value === undefined) continue;
    if (!isWellFormedUnicode(value)) {
      add("invalid-unicode", `the ${name} for ${q} contains unpaired UTF-16 surrogates`);
    }
    // Consumers send control characters as they are: a warning that says which one and where, never a refusal.
    const found = describeControlCharacters(value);
    if (found) {
      add("credential-control-characters", `the ${name} for ${q} contains ${found}`);
    } else if (name !== "email" && value.trim() !== value) {
      add("credential-surrounding-whitespace", `the ${name} for ${q} has leading or trailing whitespace`);
    }
  }
  if (input.password.startsWith("\u0000") || input.password.endsWith("\u0000")) {
    add(
      "credential-nul-padding",
      `the password for ${q} starts or ends with NUL (U+0000), which skopeo and podman strip, sending another password`,
      "error",
    );
  }
  if (input.username === "") add("username-empty", `the username for ${q} is empty`);
  if (input.password === "") add("password-empty", `the password for ${q} is empty`);
  if (input.username.includes(":")) {
    add(
      "username-contains-colon",
      `the username for ${q} contains ':'; kubelet, skopeo and containerd split "user:password" on the first ':' and would misread it`,
    );
  }
  return problems;
}

/**
 * The `.dockerconfigjson` payload for `entries`, byte-identical to kubectl's for a single entry. Throws
 * InputError (code E_DOCKERCONFIG_INVALID) when any error-level problem exists; warnings do not stop it.
 */
export function buildDockerConfigJson(
  entries: readonly PullCredentialInput[],
  options: BuildOptions = {},
): string {
  const source = options.source ?? "pull credential";
  if (entries.length === 0) {
    throw new InputError("E_DOCKERCONFIG_INVALID", "no credentials given: nothing to build", { source });
  }
  refuseErrors(validatePullCredentials(entries), source);
  const auths = new Map<string, GoJsonValue | undefined>();
  for (const e of entries) {
    auths.set(e.server, {
      username: e.username,
      password: e.password,
      email: e.email === "" ? undefined : e.email,
      auth: encodeAuthField(e.username, e.password),
    });
  }
  return encodeGoJson({ auths: goMap(auths) });
}

/** One `auths` entry for `buildDockerConfigFromAuths`; DockerConfigEntry values fit as they are. */
export interface DockerAuthInput {
  key: string;
  username?: string;
  password?: string;
  email?: string;
  auth?: string;
  identityToken?: string;
  registryToken?: string;
  /**
   * Where the entry was read (a merged file, `secret NAME (FILE:LINE)`), so a refusal names it. Positions are
   * not carried: inside a Secret they are relative to the value, not to the file the label names.
   */
  source?: string;
}

/**
 * A `.dockerconfigjson` payload from existing entries (e.g. `mergeDockerConfigs` output). Each entry is written
 * with the fields, when non-empty, in this fixed order: `username, password, email, auth, identitytoken,
 * registrytoken` (kubectl's order, then docker's token fields); keys in Go map order. When `auth` is missing
 * but username and password are present, `auth` is computed (so skopeo sees the credentials too).
 * Throws InputError (E_DOCKERCONFIG_INVALID) on duplicate keys or any error-level problem an entry has.
 */
export function buildDockerConfigFromAuths(
  auths: readonly DockerAuthInput[],
  options: BuildOptions = {},
): string {
  const source = options.source ?? "docker config";
  const problems: Problem[] = [];
  const out = new Map<string, GoJsonValue | undefined>();
  const seen = new Set<string>();
  for (const a of auths) {
    if (seen.has(a.key)) {
      problems.push(
        makeProblem("duplicate-server", `registry key ${quoteKey(a.key)} is given more than once`, {
          key: a.key,
        }),
      );
      continue;
    }
    seen.add(a.key);
    const nonEmpty = (v: string | undefined) => (v === undefined || v === "" ? undefined : v);
    const username = nonEmpty(a.username);
    const password = nonEmpty(a.password);
    const auth = nonEmpty(a.auth) ?? (username && password ? encodeAuthField(username, password) : undefined);
    const fields: EntryFields = { key: a.key };
    if (username !== undefined) fields.username = { value: username };
    if (password !== undefined) fields.password = { value: password };
    if (auth !== undefined) fields.auth = { value: auth };
    if (nonEmpty(a.identityToken) !== undefined) fields.identityToken = { value: a.identityToken ?? "" };
    if (nonEmpty(a.registryToken) !== undefined) fields.registryToken = { value: a.registryToken ?? "" };
    for (const problem of analyzeEntry(fields, { format: "dockerconfigjson", mode: "build" }).problems) {
      problems.push(a.source !== undefined ? { ...problem, source: a.source } : problem);
    }
    for (const [name, value] of [
      ["username", a.username],
      ["password", a.password],
      ["email", a.email],
    ] as const) {
      if (value !== undefined && !isWellFormedUnicode(value)) {
        problems.push(
          makeProblem(
            "invalid-unicode",
            `the ${name} for ${quoteKey(a.key)} contains unpaired UTF-16 surrogates`,
            {
              key: a.key,
            },
          ),
        );
      }
    }
    out.set(a.key, {
      username,
      password,
      email: nonEmpty(a.email),
      auth,
      identitytoken: nonEmpty(a.identityToken),
      registrytoken: nonEmpty(a.registryToken),
    });
  }
  refuseErrors(problems, source);
  return encodeGoJson({ auths: goMap(out) });
}

function refuseErrors(problems: readonly Problem[], source: string): void {
  const errors = problems.filter((p) => p.severity === "error");
  const first = errors[0];
  if (!first) return;
  const more =
    errors.length > 1 ? ` (and ${errors.length - 1} more problem${errors.length > 2 ? "s" : ""})` : "";
  throw new InputError("E_DOCKERCONFIG_INVALID", `${first.message}${more}`, {
    source: first.source ?? source,
  });
}
