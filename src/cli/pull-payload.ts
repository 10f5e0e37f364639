/**
 * Building a `.dockerconfigjson` payload from the command line, shared by `secret create` and `apply`: kubectl's
 * flags (--docker-server/-username/-email), safe password sources (stdin, file, environment), existing payloads
 * (--from-file), docker config.json with its credential helpers (--from-docker-config), and merges (--merge);
 * then the checks every written secret gets (entries real consumers reject are refused, credential findings
 * warn). Also resolves the credential sources of a `PullSetupSpec` the same way. Nothing is printed but
 * warnings, and never a value.
 */
import { InputError, UsageError } from "../errors.js";
import type { CredentialSource } from "../desired/index.js";
import type * as DockerConfigModule from "../dockerconfig/index.js";
import type { MergeInput, ParsedDockerConfig, PullCredentialInput } from "../dockerconfig/index.js";
import type { CloudTokenCommand } from "./apply-cloud-token.js";
import type { CliIo } from "./io.js";
import { loadPullCredentialFile } from "./load-pull-credentials.js";
import { MAX_SECRET_INPUT_BYTES, decodeUtf8, readBytes, readText } from "./read-input.js";
import { nonEmptyPassword, readPasswordStdin, trimTrailingNewline } from "./read-password.js";

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

export interface Payload {
  readonly text: string;
  readonly source: string;
  /** True when the text is the user's own file, so problem positions point into something they can open. */
  readonly fromUserFile?: boolean;
}

/**
 * The payload the flags describe, checked as every written secret is: refused when real consumers would reject
 * or misread an entry (InputError), with warnings for the rest and for credential findings (expired tokens...).
 */
export async function buildCheckedPayload(options: PayloadOptions, io: CliIo): Promise<Payload> {
  const dockerconfig = await import("../dockerconfig/index.js");
  const payload = await buildPayload(options, io, dockerconfig);
  return checkPayload(payload, io, dockerconfig);
}

async function checkPayload(payload: Payload, io: CliIo, api: DockerConfigApi): Promise<Payload> {
  const parsed = refuseUnsafePayload(payload, api.parseDockerConfigText, io);
  await warnAboutCredentials(payload.source, parsed, io);
  return payload;
}

/**
 * The checked payload of a `PullSetupSpec` credential source, read as the matching `secret create` flags would
 * read it (`env` as --docker-password-env, `file` as --merge, ...); cloud tokens are minted by the cloud's CLI.
 */
export async function resolveCredentialSource(
  source: CredentialSource,
  secretName: string,
  io: CliIo,
  runCloudCommand?: CloudTokenCommand,
): Promise<Payload> {
  const flags = (
    password: Partial<PayloadOptions>,
    s: { server: string; username: string; email?: string },
  ) =>
    buildCheckedPayload(
      {
        dockerServer: s.server,
        dockerUsername: s.username,
        ...(s.email ? { dockerEmail: s.email } : {}),
        ...password,
      },
      io,
    );
  switch (source.kind) {
    case "file":
      return buildCheckedPayload({ merge: [source.path] }, io);
    case "env":
      return flags({ dockerPasswordEnv: source.passwordEnv }, source);
    case "docker-config":
      return buildCheckedPayload(
        {
          fromDockerConfig: source.path ?? true,
          ...(source.registries.length > 0 ? { registry: [...source.registries] } : {}),
        },
        io,
      );
    default: {
      const other = source as { kind: string };
      if (other.kind === "password-file") {
        const s = source as unknown as {
          server: string;
          username: string;
          passwordFile: string;
          email?: string;
        };
        return flags({ dockerPasswordFile: s.passwordFile }, s);
      }
      if (other.kind === "cloud-token") {
        const { cloudTokenPayload } = await import("./apply-cloud-token.js");
        const text = await cloudTokenPayload(source as never, io, runCloudCommand);
        const dockerconfig = await import("../dockerconfig/index.js");
        return checkPayload({ text, source: `${secretName} (cloud token)` }, io, dockerconfig);
      }
      throw new InputError(
        "E_SOURCE_UNSUPPORTED",
        `secret ${secretName}: credential source kind ${JSON.stringify(other.kind)} is not supported by this version of pullwarden`,
      );
    }
  }
}

/**
 * Warnings of the parser that are fatal when *writing* a secret: kubelet copes with them, but skopeo,
 * containerd or docker reject or misread the entry, or it can never work (see problem-codes.ts). What every
 * consumer reads as meant (a tab or DEL in a password, an `http://` key) is written, as kubectl writes it,
 * with a warning.
 */
const REFUSED_WHEN_WRITING = new Set<string>([
  "duplicate-key",
  "entry-null",
  "entry-no-credentials",
  "no-entries",
  "auth-unpadded-base64",
  "auth-line-breaks",
  "auth-decoded-not-utf8",
  "auth-empty-password",
  "auth-disagrees",
  "auth-missing",
  "credential-nul-padding",
  "key-userinfo",
  "key-host-uppercase",
  "key-duplicate-normalized",
]);

/** Refuses what kubelet, containerd or skopeo would reject or misread; warnings go to stderr, never values. */
function refuseUnsafePayload(
  payload: Payload,
  parse: typeof DockerConfigModule.parseDockerConfigText,
  io: CliIo,
): ParsedDockerConfig {
  const parsed = parse(payload.text, { source: payload.source, format: "dockerconfigjson" });
  const refused = (problem: { severity: string; code: string }) =>
    problem.severity === "error" || REFUSED_WHEN_WRITING.has(problem.code);
  for (const problem of parsed.problems.filter((p) => p.severity === "warning" && !refused(p))) {
    io.stderr.write(`warning: ${problem.message}\n`);
  }
  const errors = parsed.problems.filter(refused);
  if (errors.length > 0) {
    throw new InputError(
      "E_UNSAFE_ENTRY",
      `refusing to write this secret: ${errors.map((problem) => problem.message + lineOf(problem, payload)).join("; ")}`,
      { source: payload.source, hint: "fix the credential or server named above and run the command again" },
    );
  }
  return parsed;
}

/** Credential-level findings (an expired token, a token kind the registry rejects) warn but do not block. */
async function warnAboutCredentials(source: string, config: ParsedDockerConfig, io: CliIo): Promise<void> {
  const { inspectPullCredentials } = await import("../inspect/index.js");
  const report = inspectPullCredentials(
    [{ label: source, location: source, config, problems: config.problems }],
    {
      now: io.now(),
    },
  );
  const parserProblems = new Set<object>(config.problems);
  for (const entry of report.sources.flatMap((source) => source.entries)) {
    // The parser's own problems (some also named credential-*) were printed by refuseUnsafePayload already.
    const fromInspect = entry.problems.filter((p) => !parserProblems.has(p));
    for (const problem of fromInspect.filter((p) => p.code.startsWith("credential-"))) {
      io.stderr.write(`warning: ${entry.key}: ${problem.message}\n`);
      if (problem.fix) io.stderr.write(`  fix: ${problem.fix}\n`);
    }
  }
}

type MergeSource = MergeInput;

function lineOf(problem: { position?: { line?: number } }, payload: Payload): string {
  return payload.fromUserFile && problem.position?.line ? ` (line ${problem.position.line})` : "";
}

type DockerConfigApi = typeof DockerConfigModule;

async function buildPayload(options: PayloadOptions, io: CliIo, api: DockerConfigApi): Promise<Payload> {
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
    return readFromFile(fromFiles, io);
  }
  if (options.registry && options.fromDockerConfig === undefined) {
    throw new UsageError("--registry only applies to --from-docker-config");
  }

  const configs: MergeSource[] = [];
  let flagsEntry: PullCredentialInput | undefined;
  if (hasFlagsEntry || !hasOtherSources) {
    const password = await readPassword(options, io);
    const username = options.dockerUsername ?? "";
    const server = options.dockerServer ?? "https://index.docker.io/v1/";
    if (!username || !password || !server) throw new UsageError(KUBECTL_MISSING_INPUT);
    flagsEntry = {
      server,
      username,
      password,
      ...(options.dockerEmail ? { email: options.dockerEmail } : {}),
    };
  }
  if (!hasOtherSources && flagsEntry) {
    // The kubectl-identical path: one entry, exactly kubectl's bytes.
    return { text: api.buildDockerConfigJson([flagsEntry]), source: "flags" };
  }
  if (flagsEntry) {
    configs.push({
      source: "flags",
      config: api.parseDockerConfigText(api.buildDockerConfigJson([flagsEntry]), { source: "flags" }),
    });
  }
  if (options.fromDockerConfig !== undefined) {
    configs.push(await loadFromDockerConfig(options, io));
  }
  for (const file of options.merge ?? []) {
    for (const loaded of await loadPullCredentialFile(file, io)) configs.push(loaded);
  }
  const merged = api.mergeDockerConfigs(configs);
  const conflicts = merged.problems.filter((problem) => problem.severity === "error");
  if (conflicts.length > 0) {
    throw new InputError("E_MERGE_CONFLICT", conflicts.map((problem) => problem.message).join("; "), {
      hint: "keep one credential per registry: drop one source or narrow --registry",
    });
  }
  for (const problem of merged.problems.filter((p) => p.severity === "warning")) {
    io.stderr.write(`warning: ${problem.message}\n`);
  }
  return { text: api.buildDockerConfigFromAuths(merged.auths), source: "merged credentials" };
}

function hasPasswordFlag(options: PayloadOptions): boolean {
  return (
    options.dockerPassword !== undefined ||
    options.dockerPasswordStdin === true ||
    options.dockerPasswordFile !== undefined ||
    options.dockerPasswordEnv !== undefined
  );
}

async function readPassword(options: PayloadOptions, io: CliIo): Promise<string | undefined> {
  const sources = [
    options.dockerPassword !== undefined && "--docker-password",
    options.dockerPasswordStdin === true && "--docker-password-stdin",
    options.dockerPasswordFile !== undefined && "--docker-password-file",
    options.dockerPasswordEnv !== undefined && "--docker-password-env",
  ].filter(Boolean);
  if (sources.length > 1) throw new UsageError(`use only one password source, not ${sources.join(" and ")}`);
  if (options.dockerPassword !== undefined) {
    const password = nonEmptyPassword(options.dockerPassword, "the password given with --docker-password");
    io.stderr.write(
      "warning: a password on the command line is visible to other users in the process list and shell history; use --docker-password-stdin\n",
    );
    return password;
  }
  if (options.dockerPasswordStdin) return readPasswordStdin(io, "--docker-password-stdin");
  if (options.dockerPasswordFile !== undefined) {
    return nonEmptyPassword(
      trimTrailingNewline(await readText(options.dockerPasswordFile, io, MAX_SECRET_INPUT_BYTES)),
      `the password file ${options.dockerPasswordFile}`,
    );
  }
  if (options.dockerPasswordEnv !== undefined) {
    const name = options.dockerPasswordEnv;
    const value = io.env[name];
    if (value === undefined) {
      throw new InputError("E_EMPTY_PASSWORD", `no password: environment variable ${name} is not set`, {
        hint: `export ${name}=... first (or check the variable's name)`,
      });
    }
    return nonEmptyPassword(value, `environment variable ${name}`, `set ${name} to the password first`);
  }
  return undefined;
}

async function readFromFile(fromFiles: string[], io: CliIo): Promise<Payload> {
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
  const bytes = await readBytes(path, io, MAX_SECRET_INPUT_BYTES);
  const text = decodeUtf8(bytes, path);
  const head = text.slice(0, 4096);
  if (/(^|\n)\s*(apiVersion|kind)\s*:|"(apiVersion|kind)"\s*:/.test(head)) {
    throw new InputError("E_NOT_A_PAYLOAD", `${path}: expected a .dockerconfigjson payload, not a manifest`, {
      source: path,
      hint: `to reuse a Secret manifest's credentials, pass it with --merge ${path}`,
    });
  }
  // kubectl copies the file verbatim; so do we, after checking that kubelet can read it.
  return { text, source: path, fromUserFile: true };
}

async function loadFromDockerConfig(options: PayloadOptions, io: CliIo): Promise<MergeSource> {
  const { openDockerConfig } = await import("./check-docker-config.js");
  const dockerConfig = await openDockerConfig(options.fromDockerConfig, io);
  const { path } = dockerConfig;
  const credentials = await dockerConfig.resolve(options.registry ?? []);
  if (credentials.length === 0) {
    throw new InputError("E_NO_CREDENTIALS", `${path}: holds no registry credentials`, {
      source: path,
      hint: "log in with docker login first, or pass --docker-username with --docker-password-stdin",
    });
  }
  const { buildDockerConfigJson, parseDockerConfigText } = await import("../dockerconfig/index.js");
  // Re-encoded as kubectl would write each entry, so every credential gets both `auth` and username/password.
  const payload = buildDockerConfigJson(
    credentials.map(({ server, username, password, email }) => ({
      server,
      username,
      password,
      ...(email ? { email } : {}),
    })),
  );
  return { source: path, config: parseDockerConfigText(payload, { source: path }) };
}
