/**
 * Which credentials a docker config.json yields for a set of registries, following docker/cli
 * (cli/config/configfile/file.go GetAuthConfig / GetAllCredentials, credentials/native_store.go):
 * `credHelpers[host]` wins over `credsStore`; a helper's answer overrides the file's username/password but keeps
 * its email; "not found" in the helper yields the file entry (often empty); Docker Hub's key is
 * `https://index.docker.io/v1/`.
 */
import { EnvironmentError, InputError } from "../errors.js";
import { redactKey } from "../dockerconfig/index.js";
import type { DockerClientEntry, DockerClientView } from "../dockerconfig/index.js";
import { classifyRegistryHost } from "../hosts/index.js";
import { ACR_REFRESH_TOKEN_USERNAME } from "../tokens/index.js";
import { IDENTITY_TOKEN_USERNAME, type HelperFailure, type HelperGetResult } from "./protocol.js";

export const DOCKER_HUB_CONFIG_KEY = "https://index.docker.io/v1/";

export interface ResolvedCredential {
  readonly server: string;
  readonly username: string;
  readonly password: string;
  readonly email?: string;
  /** Where it came from, for messages: "file" or "helper docker-credential-<suffix>". */
  readonly origin: string;
}

export interface HelperPort {
  get(helperSuffix: string, serverURL: string): Promise<HelperGetResult>;
  list(helperSuffix: string): Promise<string[] | HelperFailure>;
}

/** docker's ConvertToHostname: strips scheme and path. */
export function configKeyHostname(key: string): string {
  const withoutScheme = key.replace(/^https?:\/\//, "");
  return withoutScheme.split("/")[0] ?? withoutScheme;
}

const DOCKER_HUB_ALIASES = new Set(["docker.io", "index.docker.io", "registry-1.docker.io"]);

/** What a user may type for --registry, as the key docker stores it under. */
export function registryToConfigKey(registry: string): string {
  const host = configKeyHostname(registry.trim()).toLowerCase();
  return DOCKER_HUB_ALIASES.has(host) ? DOCKER_HUB_CONFIG_KEY : host;
}

function helperFor(view: DockerClientView, key: string): string | undefined {
  const host = configKeyHostname(key);
  return view.credHelpers?.[key] ?? view.credHelpers?.[host] ?? (view.credsStore || undefined);
}

function fileEntryFor(view: DockerClientView, key: string): DockerClientEntry | undefined {
  const exact = view.entries.find((entry) => entry.key === key);
  if (exact) return exact;
  const host = configKeyHostname(key);
  return view.entries.find((entry) => configKeyHostname(entry.key) === host);
}

/** A helper failure as an EnvironmentError; a timeout has its own code so callers can add how to wait longer. */
function helperError(failure: HelperFailure, what: string, hint: string): EnvironmentError {
  return new EnvironmentError(
    failure.timedOut ? "E_CREDENTIAL_HELPER_TIMEOUT" : "E_CREDENTIAL_HELPER",
    `${what}: ${failure.reason}`,
    { hint },
  );
}

async function allKeys(view: DockerClientView, helpers: HelperPort, source: string): Promise<string[]> {
  const keys = new Set(view.entries.map((entry) => entry.key));
  for (const host of Object.keys(view.credHelpers ?? {})) keys.add(host);
  if (view.credsStore) {
    const listed = await helpers.list(view.credsStore);
    if (!Array.isArray(listed)) {
      throw helperError(
        listed,
        `${source}: credsStore helper docker-credential-${view.credsStore} could not list credentials`,
        listed.timedOut
          ? `run "docker-credential-${view.credsStore} list" in a terminal to see what it waits for`
          : "name the registries with --registry HOST so each one is asked for directly",
      );
    }
    for (const key of listed) keys.add(key);
  }
  return [...keys].sort();
}

export async function resolveDockerConfigCredentials(
  view: DockerClientView,
  registries: readonly string[],
  helpers: HelperPort,
  source: string,
): Promise<ResolvedCredential[]> {
  const keys =
    registries.length > 0
      ? [...new Set(registries.map(registryToConfigKey))]
      : await allKeys(view, helpers, source);
  const resolved: ResolvedCredential[] = [];
  for (const key of keys) {
    const credential = await resolveOne(view, key, helpers, source);
    if (credential) resolved.push(credential);
    else if (registries.length > 0) {
      throw new InputError("E_NO_CREDENTIALS", `${source}: no credentials for registry ${redactKey(key)}`, {
        source,
        hint: `log in first (docker login ${redactKey(configKeyHostname(key))}), or check the --registry spelling`,
      });
    }
  }
  return resolved;
}

async function resolveOne(
  view: DockerClientView,
  key: string,
  helpers: HelperPort,
  source: string,
): Promise<ResolvedCredential | undefined> {
  const file = fileEntryFor(view, key);
  const server = file?.key ?? key;
  let username = file?.username ?? "";
  let password = file?.password ?? "";
  let identityToken = file?.identityToken ?? "";
  let origin = "file";
  const helper = helperFor(view, server);
  if (helper) {
    const result = await helpers.get(helper, server);
    if ("failed" in result) {
      const command = `echo ${redactKey(server)} | docker-credential-${helper} get`;
      throw helperError(
        result,
        `${source}: docker-credential-${helper} failed for ${redactKey(server)}`,
        result.timedOut ? `run "${command}" in a terminal to see what it waits for` : `run: ${command}`,
      );
    }
    if (result.found) {
      origin = `helper docker-credential-${helper}`;
      if (result.credentials.username === IDENTITY_TOKEN_USERNAME) {
        username = "";
        password = "";
        identityToken = result.credentials.secret;
      } else {
        username = result.credentials.username;
        password = result.credentials.secret;
        identityToken = "";
      }
    }
  }
  if (!username && !password && !identityToken) return undefined;
  if (identityToken && !password) {
    // kubelet copies only username/password into the CRI AuthConfig; an identity token alone is never sent.
    // ACR accepts its refresh token as the password of the null-GUID user, which is what its own plugin does.
    if (classifyRegistryHost(server).kind === "acr") {
      return {
        server,
        username: ACR_REFRESH_TOKEN_USERNAME,
        password: identityToken,
        origin,
        ...emailOf(file),
      };
    }
    throw new InputError(
      "E_IDENTITY_TOKEN_ONLY",
      `${source}: ${redactKey(server)} holds only an identity token, which kubelet never sends to the registry`,
      { source, hint: "use a username and password or access token for this registry (--docker-username …)" },
    );
  }
  return { server, username, password, origin, ...emailOf(file) };
}

function emailOf(file: DockerClientEntry | undefined): { email?: string } {
  return file?.email ? { email: file.email } : {};
}
