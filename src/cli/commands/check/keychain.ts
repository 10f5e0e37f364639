/**
 * The keychain of `pullwarden check` from its flags (src/registry/keychain.ts does the resolution):
 *
 * - `--secret FILE|-`: kubelet's keyring over every pull secret in the file (`pullSecretKeychain`);
 * - `--docker-config [PATH]`: the docker client's lookup through credsStore/credHelpers (`dockerConfigKeychain`);
 * - `--username U --password-stdin`: that credential for every image (`explicitKeychain`);
 * - `--from-cloud`: a token the current cloud identity mints for each ECR/ACR registry (`cloudKeychain`);
 * - nothing: anonymous.
 */
import { InputError } from "../../../errors.js";
import {
  anonymousKeychain,
  dockerConfigKeychain,
  explicitKeychain,
  pullSecretKeychain,
} from "../../../registry/index.js";
import type { Keychain } from "../../../registry/index.js";
import type { DockerConfigFile } from "../../flags/docker-config.js";
import type { CliIo } from "../../io.js";
import { readPullCredentialSources } from "../../read-input.js";
import type { CheckFlags } from "./definition.js";

/** `password`: the one read for `--username`. */
export async function keychainFromFlags(
  options: Pick<CheckFlags, "secret" | "dockerConfig" | "username" | "fromCloud">,
  password: string | undefined,
  io: CliIo,
): Promise<Keychain> {
  if (options.secret !== undefined) {
    const { sources } = await readPullCredentialSources(options.secret, io);
    return pullSecretKeychain(sources);
  }
  if (options.dockerConfig !== undefined) {
    return dockerConfigKeychain(await openDockerConfigFlag(options.dockerConfig, io));
  }
  if (options.username !== undefined) {
    return explicitKeychain({ username: options.username, password: password ?? "" }, "--username");
  }
  if (options.fromCloud === true) {
    const [{ cloudKeychain, mintThroughSources }, { sourcePorts }] = await Promise.all([
      import("../../../cloud/cloud-keychain.js"),
      import("../../flags/source-ports.js"),
    ]);
    return cloudKeychain(mintThroughSources(await sourcePorts(io)));
  }
  return anonymousKeychain();
}

/** `--docker-config PATH` that does not exist may be an image the optional PATH took: the hint says so. */
async function openDockerConfigFlag(option: string | true, io: CliIo): Promise<DockerConfigFile> {
  const { openDockerConfig } = await import("../../flags/docker-config.js");
  try {
    return await openDockerConfig(option, io);
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
}
