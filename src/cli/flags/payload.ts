/**
 * The payload flags of `secret create` and `apply`, declared and read here: kubectl's flags
 * (--docker-server/-username/-email), safe password sources (stdin, file, environment), existing payloads
 * (--from-file), docker config.json with its credential helpers (--from-docker-config), and merges (--merge).
 * The library (src/cloud/) reads the sources, builds and checks the payload; this file maps flags to sources,
 * says what kubectl says about missing ones, and gives the library this command's world (`sourcePorts`). Light
 * (command definitions import it): readers and the process runner load when a payload is built.
 */
import { Option } from "@commander-js/extra-typings";
import type { Command } from "@commander-js/extra-typings";
import { InputError, UsageError } from "../../errors.js";
import type { Payload, PayloadRequest } from "../../cloud/payload.js";
import type { AnyCredentialSource } from "../../cloud/source.js";
import type { CredentialSource } from "../../desired/index.js";
import type { RunProcess } from "../../process/bounded-exec.js";
import type { CliIo } from "../io.js";
import { collect, sharedFlags } from "./values.js";
import type { FlagsOf } from "./values.js";

export type { Payload };

/**
 * Adds the flags that say which secret to write; the kubectl ones mean what they mean for `kubectl create secret
 * docker-registry`. `serverDefault`: --docker-server's default, printed by help (apply has none: `-f` must see
 * whether the flag was given, and the payload builder defaults it).
 */
function declarePayloadFlags(command: Command, serverDefault?: string) {
  const server = new Option(
    "--docker-server <server>",
    // commander prints a given default itself; without one, say what the payload builder defaults to.
    serverDefault === undefined
      ? "registry server (default: Docker Hub, https://index.docker.io/v1/, as kubectl)"
      : "registry server",
  );
  // Typed as optional either way: apply has no default.
  if (serverDefault !== undefined) server.default(serverDefault);
  return command
    .addOption(server)
    .option("--docker-username <user>", "username for the registry")
    .option(
      "--docker-password <password>",
      "password on the command line (visible in the process list; prefer --docker-password-stdin)",
    )
    .option("--docker-password-stdin", "read the password from standard input")
    .option("--docker-password-file <path>", "read the password from a file")
    .option("--docker-password-env <name>", "read the password from an environment variable")
    .option("--docker-email <email>", "email for the registry (optional, omitted when empty)")
    .option(
      "--from-file <[key=]path>",
      "use an existing .dockerconfigjson file (repeatable; key defaults to .dockerconfigjson)",
      collect,
    )
    .option(
      "--from-docker-config [path]",
      "take credentials from a docker config.json, resolving credsStore/credHelpers (default ~/.docker/config.json)",
    )
    .option("--registry <host>", "with --from-docker-config: keep only this registry (repeatable)", collect)
    .option("--merge <files...>", "merge existing .dockerconfigjson payloads or Secret manifests into it");
}

// Pure: the fast path (cli/fast-path/) drops the declaration, and commander with it, from its chunk.
export const payloadFlags = /* @__PURE__ */ sharedFlags(declarePayloadFlags);

/** The payload flags as commander parsed them. */
export type PayloadFlags = FlagsOf<ReturnType<typeof declarePayloadFlags>>;

/** Each payload flag with its name on the command line. */
const PAYLOAD_FLAG_NAMES: readonly (readonly [keyof PayloadFlags, string])[] = [
  ["dockerServer", "--docker-server"],
  ["dockerUsername", "--docker-username"],
  ["dockerPassword", "--docker-password"],
  ["dockerPasswordStdin", "--docker-password-stdin"],
  ["dockerPasswordFile", "--docker-password-file"],
  ["dockerPasswordEnv", "--docker-password-env"],
  ["dockerEmail", "--docker-email"],
  ["fromFile", "--from-file"],
  ["fromDockerConfig", "--from-docker-config"],
  ["registry", "--registry"],
  ["merge", "--merge"],
];

/** The payload flags given on the command line, by name (`apply -f` refuses them: the layout says it all). */
export function givenPayloadFlags(flags: PayloadFlags): string[] {
  return PAYLOAD_FLAG_NAMES.filter(([key]) => {
    const value: unknown = flags[key];
    return value !== undefined && value !== false && !(Array.isArray(value) && value.length === 0);
  }).map(([, flag]) => flag);
}

export const KUBECTL_MISSING_INPUT =
  "either --from-file or the combination of --docker-username, --docker-password and --docker-server is required";

/**
 * The payload the flags describe, checked as every written secret is: refused when real consumers would reject
 * or misread an entry (InputError), with warnings for the rest and for credential findings (expired tokens...).
 */
export async function buildCheckedPayload(options: PayloadFlags, io: CliIo): Promise<Payload> {
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
  const { sourcePorts } = await import("./source-ports.js");
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

/** The flags as a payload request: usage errors (contradictory flags) before anything is read. */
function payloadRequest(options: PayloadFlags, io: CliIo): PayloadRequest {
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

function hasPasswordFlag(options: PayloadFlags): boolean {
  return (
    options.dockerPassword !== undefined ||
    options.dockerPasswordStdin === true ||
    options.dockerPasswordFile !== undefined ||
    options.dockerPasswordEnv !== undefined
  );
}

/** --docker-server/-username/-email with the one password flag given. */
function flagsSource(options: PayloadFlags, io: CliIo): AnyCredentialSource {
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
