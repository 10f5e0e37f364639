/**
 * The payload flags of `secret create` and `apply` as credential sources: kubectl's flags
 * (--docker-server/-username/-email), safe password sources (stdin, file, environment), existing payloads
 * (--from-file), docker config.json with its credential helpers (--from-docker-config), and merges (--merge).
 * The library (src/cloud/) reads the sources, builds and checks the payload; this file maps flags to sources,
 * says what kubectl says about missing ones, and gives the library this command's world (`sourcePorts`).
 */
import { InputError, UsageError } from "../../errors.js";
import type { Payload, PayloadRequest } from "../../cloud/payload.js";
import type { AnyCredentialSource, InputSize, SourcePorts } from "../../cloud/source.js";
import type { CredentialSource } from "../../desired/index.js";
import { runBounded } from "../../process/bounded-exec.js";
import type { RunProcess } from "../../process/bounded-exec.js";
import type { CliIo } from "../io.js";
import { MAX_MANIFEST_INPUT_BYTES, MAX_SECRET_INPUT_BYTES, readText } from "../read-input.js";

export type { Payload };

/** The payload flags of `secret create` (and `apply`). */
export interface PayloadOptions {
  dockerServer?: string;
  dockerUsername?: string;
  dockerPassword?: string;
  dockerPasswordStdin?: boolean;
  dockerPasswordFile?: string;
  dockerPasswordEnv?: string;
  dockerEmail?: string;
  fromFile?: string[];
  fromDockerConfig?: string | boolean;
  registry?: string[];
  merge?: string[];
}

export const KUBECTL_MISSING_INPUT =
  "either --from-file or the combination of --docker-username, --docker-password and --docker-server is required";

/**
 * The payload the flags describe, checked as every written secret is: refused when real consumers would reject
 * or misread an entry (InputError), with warnings for the rest and for credential findings (expired tokens...).
 */
export async function buildCheckedPayload(options: PayloadOptions, io: CliIo): Promise<Payload> {
  return buildPayload(payloadRequest(options, io), io);
}

/**
 * The checked payload of a `PullSetupSpec` credential source (`apply -f`), read as the matching `secret create`
 * flags would read it (`env` as --docker-password-env, `file` as --merge, ...); cloud tokens are minted by the
 * cloud's CLI, run by `exec`.
 */
export async function resolveCredentialSource(
  source: CredentialSource,
  secretName: string,
  io: CliIo,
  exec?: RunProcess,
): Promise<Payload> {
  return buildPayload({ kind: "sources", sources: [source], secretName }, io, exec);
}

async function buildPayload(request: PayloadRequest, io: CliIo, exec?: RunProcess): Promise<Payload> {
  const { buildPullSecretPayload } = await import("../../cloud/payload.js");
  try {
    return await buildPullSecretPayload(request, await sourcePorts(io, exec));
  } catch (error) {
    // A registry credential without a server or username: what kubectl says about it.
    if (error instanceof InputError && error.code === "E_CREDENTIAL_INCOMPLETE") {
      throw new UsageError(KUBECTL_MISSING_INPUT);
    }
    throw error;
  }
}

const MAX_BYTES: Record<InputSize, number> = {
  secret: MAX_SECRET_INPUT_BYTES,
  manifest: MAX_MANIFEST_INPUT_BYTES,
};

/** This command's world for the credential sources: its files, stdin, environment, clock and docker config. */
export async function sourcePorts(io: CliIo, exec: RunProcess = runBounded): Promise<SourcePorts> {
  const { displayLine } = await import("../../doctor/redact.js");
  return {
    env: io.env,
    cwd: io.cwd,
    now: io.now,
    readFile: (path, size) => readText(path, io, MAX_BYTES[size]),
    readStdin: (size, purpose) => {
      if (purpose === "password" && io.stdin.isTTY) {
        io.stderr.write("Password (input is read until end of file): ");
      }
      return readText("-", io, MAX_BYTES[size]);
    },
    exec,
    async dockerConfig(path, registries) {
      const { openDockerConfig } = await import("./docker-config.js");
      const config = await openDockerConfig(path ?? true, io);
      return { path: config.path, credentials: await config.resolve(registries) };
    },
    displayLine,
    warn(message, fix) {
      io.stderr.write(`warning: ${message}\n`);
      if (fix) io.stderr.write(`  fix: ${fix}\n`);
    },
  };
}

/** The flags as a payload request: usage errors (contradictory flags) before anything is read. */
function payloadRequest(options: PayloadOptions, io: CliIo): PayloadRequest {
  const fromFiles = options.fromFile ?? [];
  const hasFlagsEntry = options.dockerUsername !== undefined || hasPasswordFlag(options);
  const hasOtherSources = options.fromDockerConfig !== undefined || (options.merge?.length ?? 0) > 0;
  if (fromFiles.length > 0) {
    if (hasFlagsEntry || hasOtherSources) {
      throw new UsageError(
        "--from-file cannot be combined with --docker-* flags, --from-docker-config or --merge",
        {
          hint: "use --merge FILE to combine an existing payload with other credentials",
        },
      );
    }
    return { kind: "verbatim", path: fromFilePath(fromFiles) };
  }
  if (options.registry && options.fromDockerConfig === undefined) {
    throw new UsageError("--registry only applies to --from-docker-config");
  }
  const sources: AnyCredentialSource[] = [];
  if (hasFlagsEntry || !hasOtherSources) sources.push(flagsSource(options, io));
  if (options.fromDockerConfig !== undefined) {
    sources.push({
      kind: "docker-config",
      ...(typeof options.fromDockerConfig === "string" ? { path: options.fromDockerConfig } : {}),
      registries: options.registry ?? [],
    });
  }
  for (const path of options.merge ?? []) sources.push({ kind: "file", path });
  return { kind: "sources", sources };
}

function hasPasswordFlag(options: PayloadOptions): boolean {
  return (
    options.dockerPassword !== undefined ||
    options.dockerPasswordStdin === true ||
    options.dockerPasswordFile !== undefined ||
    options.dockerPasswordEnv !== undefined
  );
}

/** --docker-server/-username/-email with the one password flag given. */
function flagsSource(options: PayloadOptions, io: CliIo): AnyCredentialSource {
  const given = [
    options.dockerPassword !== undefined && "--docker-password",
    options.dockerPasswordStdin === true && "--docker-password-stdin",
    options.dockerPasswordFile !== undefined && "--docker-password-file",
    options.dockerPasswordEnv !== undefined && "--docker-password-env",
  ].filter(Boolean);
  if (given.length > 1) throw new UsageError(`use only one password source, not ${given.join(" and ")}`);
  const registry = {
    server: options.dockerServer ?? "https://index.docker.io/v1/",
    username: options.dockerUsername ?? "",
    ...(options.dockerEmail ? { email: options.dockerEmail } : {}),
  };
  if (options.dockerPassword !== undefined) {
    // An empty one is refused by the library, with no warning about a password that is not there.
    if (options.dockerPassword !== "") {
      io.stderr.write(
        "warning: a password on the command line is visible to other users in the process list and shell history; use --docker-password-stdin\n",
      );
    }
    return { kind: "password", ...registry, password: options.dockerPassword };
  }
  if (options.dockerPasswordStdin) return { kind: "password-stdin", ...registry };
  if (options.dockerPasswordFile !== undefined) {
    return { kind: "password-file", ...registry, passwordFile: options.dockerPasswordFile };
  }
  if (options.dockerPasswordEnv !== undefined) {
    return { kind: "env", ...registry, passwordEnv: options.dockerPasswordEnv };
  }
  throw new UsageError(KUBECTL_MISSING_INPUT);
}

/** `--from-file [.dockerconfigjson=]PATH`, given once. */
function fromFilePath(fromFiles: readonly string[]): string {
  if (fromFiles.length > 1) {
    throw new UsageError("a docker-registry secret holds one .dockerconfigjson: give --from-file once", {
      hint: "combine several payloads with --merge FILE...",
    });
  }
  const spec = fromFiles[0] as string;
  const equals = spec.indexOf("=");
  const key = equals >= 0 ? spec.slice(0, equals) : ".dockerconfigjson";
  const path = equals >= 0 ? spec.slice(equals + 1) : spec;
  if (key !== ".dockerconfigjson") {
    throw new UsageError(
      `--from-file key ${JSON.stringify(key)}: a kubernetes.io/dockerconfigjson Secret needs the key .dockerconfigjson`,
    );
  }
  if (!path) throw new UsageError("--from-file needs a path");
  return path;
}
