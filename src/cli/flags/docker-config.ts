/**
 * A docker `config.json` as the docker client reads it: where it is (`--docker-config [PATH]`, else
 * `$DOCKER_CONFIG/config.json`, else `~/.docker/config.json`) and which credentials it yields per registry,
 * resolving `credsStore` / `credHelpers` through the real helpers. Shared by `secret create --from-docker-config`
 * and `check --docker-config`; the heavy modules load only when a command asks for a config.
 */
import { resolve } from "node:path";
import { EnvironmentError, InputError } from "../../errors.js";
import { parseDurationFlag } from "./values.js";
import type { CliIo } from "../io.js";
import { MAX_SECRET_INPUT_BYTES, expandHome, readText } from "../read-input.js";
import type { ResolvedCredential } from "../../credential-helpers/index.js";

export interface DockerConfigFile {
  /** The path read (as given, or the default location). */
  readonly path: string;
  /**
   * The credentials for `registries` (hosts or config keys; Docker Hub aliases map to its key), or for every
   * registry the file and its credsStore know when `registries` is empty. Throws InputError
   * `E_NO_CREDENTIALS` when a named registry has none, `E_CREDENTIAL_HELPER` when a helper fails.
   */
  resolve(registries: readonly string[]): Promise<ResolvedCredential[]>;
}

/** `--docker-config` / `--from-docker-config` value → path: a string is the path, `true` the default location. */
export function dockerConfigPath(option: string | boolean | undefined, io: CliIo): string {
  return typeof option === "string"
    ? option
    : resolve(expandHome(io.env["DOCKER_CONFIG"] ?? "~/.docker", io), "config.json");
}

/** Reads and parses the config (errors name the path, never a value); helpers run only on `resolve`. */
export async function openDockerConfig(
  option: string | boolean | undefined,
  io: CliIo,
): Promise<DockerConfigFile> {
  const path = dockerConfigPath(option, io);
  const { looksLikeYamlManifest, parseDockerConfigText, parseDockerConfigTextToView } =
    await import("../../dockerconfig/index.js");
  const helpers = await import("../../credential-helpers/index.js");
  const text = await readText(path, io, MAX_SECRET_INPUT_BYTES);
  let parsed;
  try {
    parsed = parseDockerConfigText(text, { source: path, format: "config.json" });
  } catch (error) {
    if (error instanceof InputError && error.code === "E_DOCKERCONFIG_JSON" && looksLikeYamlManifest(text)) {
      throw new InputError(error.code, error.message, {
        cause: error,
        ...(error.source !== undefined ? { source: error.source } : {}),
        ...(error.position !== undefined ? { position: error.position } : {}),
        hint: "this looks like a Kubernetes manifest, and this flag reads a docker config.json: pass a pull Secret manifest with check --secret FILE, or secret create --merge FILE",
      });
    }
    throw error;
  }
  const view = parseDockerConfigTextToView(parsed);
  const { displayLine } = await import("../../doctor/redact.js");
  const timeoutMs = helperTimeoutMs(io, helpers.DEFAULT_HELPER_TIMEOUT_MS);
  const port = helpers.createHelperPort(helpers.createRunHelper(io.env, { timeoutMs }), { displayLine });
  return {
    path,
    async resolve(registries) {
      try {
        return await helpers.resolveDockerConfigCredentials(view, registries, port, path);
      } catch (error) {
        if (error instanceof EnvironmentError && error.code === "E_CREDENTIAL_HELPER_TIMEOUT") {
          throw new EnvironmentError(error.code, error.message, {
            cause: error,
            hint: `${error.hint ?? "run the helper in a terminal"}, or give it more time: ${HELPER_TIMEOUT_ENV}=2m`,
          });
        }
        throw error;
      }
    },
  };
}

/**
 * How long a credential helper may take per call: `PULLWARDEN_CREDENTIAL_HELPER_TIMEOUT` in kubectl's duration
 * format, for every command that reads a docker config (an environment variable, so it reaches `apply -f` too).
 */
export const HELPER_TIMEOUT_ENV = "PULLWARDEN_CREDENTIAL_HELPER_TIMEOUT";

function helperTimeoutMs(io: CliIo, defaultMs: number): number {
  const text = io.env[HELPER_TIMEOUT_ENV];
  return text === undefined || text === "" ? defaultMs : parseDurationFlag(HELPER_TIMEOUT_ENV, text);
}
