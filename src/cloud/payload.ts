/**
 * The `.dockerconfigjson` of one pull secret, built from credential sources (`secret create`'s flags, a layout's
 * sources for `apply -f`): one single-registry source alone gives exactly kubectl's bytes; several sources, a
 * docker config or a pull secret file are merged (one credential per registry); `--from-file` is copied byte for
 * byte, as kubectl does. Every payload then gets the checks every written secret gets: entries real consumers
 * reject or misread are refused, the rest and credential findings (an expired token...) are warned about through
 * the `warn` port. Nothing is printed, and never a value.
 */
import { InputError } from "../errors.js";
import type * as DockerConfigModule from "../dockerconfig/index.js";
import type { MergeInput, ParsedDockerConfig, PullCredentialInput } from "../dockerconfig/index.js";
import { readDockerConfig, resolveCredentials, unsupportedSource } from "./resolve.js";
import { readInput } from "./source.js";
import type { AnyCredentialSource, ResolvedCredential, SourcePorts } from "./source.js";

/** What one pull secret's payload is made of. */
export type PayloadRequest =
  /** A `.dockerconfigjson` file copied as it is (`--from-file`), after checking it is not a manifest. */
  | { readonly kind: "verbatim"; readonly path: string }
  /** Credential sources in order; a later source's credential for a registry replaces an earlier one's. */
  | {
      readonly kind: "sources";
      readonly sources: readonly AnyCredentialSource[];
      /** The secret being written, for messages. */
      readonly secretName?: string;
    };

export interface Payload {
  readonly text: string;
  /** Names the payload in problems and errors. */
  readonly source: string;
  /** True when the text is the user's own file, so problem positions point into something they can open. */
  readonly fromUserFile?: boolean;
}

type DockerConfigApi = typeof DockerConfigModule;

/**
 * The payload a request describes, checked as every written secret is: refused when real consumers would reject
 * or misread an entry (InputError), with warnings for the rest and for credential findings.
 */
export async function buildPullSecretPayload(request: PayloadRequest, ports: SourcePorts): Promise<Payload> {
  const dockerconfig = await import("../dockerconfig/index.js");
  const payload =
    request.kind === "verbatim"
      ? await readVerbatim(request.path, ports)
      : await fromSources(request.sources, request.secretName, ports, dockerconfig);
  const parsed = refuseUnsafePayload(payload, dockerconfig.parseDockerConfigText, ports);
  await warnAboutCredentials(payload.source, parsed, ports);
  return payload;
}

/** A credential as kubectl writes it: server, username, password, and the email when there is one. */
function entryOf({ server, username, password, email }: ResolvedCredential): PullCredentialInput {
  return { server, username, password, ...(email ? { email } : {}) };
}

/** Single-registry sources: alone, they give kubectl's exact bytes. */
const SINGLE_REGISTRY = new Set<string>([
  "password",
  "password-stdin",
  "password-file",
  "env",
  "cloud-token",
]);

/** How problems name what a source added: what the user typed ("flags"), a minted token, a config's path. */
function labelOf(source: AnyCredentialSource, secretName: string | undefined): string {
  if (source.kind === "cloud-token") return `${secretName ?? source.server} (cloud token)`;
  return "flags";
}

async function fromSources(
  sources: readonly AnyCredentialSource[],
  secretName: string | undefined,
  ports: SourcePorts,
  api: DockerConfigApi,
): Promise<Payload> {
  const [only] = sources;
  if (sources.length === 1 && only && SINGLE_REGISTRY.has(only.kind)) {
    // The kubectl-identical path: one entry, exactly kubectl's bytes.
    const credentials = await resolveCredentials(only, ports);
    return { text: api.buildDockerConfigJson(credentials.map(entryOf)), source: labelOf(only, secretName) };
  }
  const configs: MergeInput[] = [];
  for (const source of sources) {
    let label: string;
    let credentials: ResolvedCredential[];
    if (source.kind === "file") {
      configs.push(...(await loadConfigs(source.path, ports)));
      continue;
    } else if (source.kind === "docker-config") {
      ({ path: label, credentials } = await readDockerConfig(source, ports));
    } else if (SINGLE_REGISTRY.has(source.kind)) {
      label = labelOf(source, secretName);
      credentials = await resolveCredentials(source, ports);
    } else {
      return unsupportedSource(source, secretName);
    }
    // Re-encoded as kubectl would write each entry, so every credential gets both `auth` and username/password.
    const text = api.buildDockerConfigJson(credentials.map(entryOf));
    configs.push({ source: label, config: api.parseDockerConfigText(text, { source: label }) });
  }
  const merged = api.mergeDockerConfigs(configs);
  const conflicts = merged.problems.filter((problem) => problem.severity === "error");
  if (conflicts.length > 0) {
    throw new InputError("E_MERGE_CONFLICT", conflicts.map((problem) => problem.message).join("; "), {
      hint: "keep one credential per registry: drop one source or narrow --registry",
    });
  }
  for (const problem of merged.problems.filter((p) => p.severity === "warning")) ports.warn(problem.message);
  return { text: api.buildDockerConfigFromAuths(merged.auths), source: "merged credentials" };
}

/** Every pull credential in a file (or stdin for `-`): a payload, a docker config.json, Secret manifests. */
async function loadConfigs(pathOrDash: string, ports: SourcePorts): Promise<MergeInput[]> {
  const { loadPullCredentialSources } = await import("../manifest/index.js");
  const text = await readInput(ports, pathOrDash, "manifest");
  const { sources } = loadPullCredentialSources(text, pathOrDash === "-" ? "stdin" : pathOrDash);
  return sources.map((source) => ({ source: source.label, config: source.config }));
}

async function readVerbatim(path: string, ports: SourcePorts): Promise<Payload> {
  const text = await readInput(ports, path, "secret");
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

/** Refuses what kubelet, containerd or skopeo would reject or misread; warns about the rest, never values. */
function refuseUnsafePayload(
  payload: Payload,
  parse: DockerConfigApi["parseDockerConfigText"],
  ports: SourcePorts,
): ParsedDockerConfig {
  const parsed = parse(payload.text, { source: payload.source, format: "dockerconfigjson" });
  const refused = (problem: { severity: string; code: string }) =>
    problem.severity === "error" || REFUSED_WHEN_WRITING.has(problem.code);
  for (const problem of parsed.problems.filter((p) => p.severity === "warning" && !refused(p))) {
    ports.warn(problem.message);
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

function lineOf(problem: { position?: { line?: number } }, payload: Payload): string {
  return payload.fromUserFile && problem.position?.line ? ` (line ${problem.position.line})` : "";
}

/** Credential-level findings (an expired token, a token kind the registry rejects) warn but do not block. */
async function warnAboutCredentials(
  source: string,
  config: ParsedDockerConfig,
  ports: SourcePorts,
): Promise<void> {
  const { inspectPullCredentials } = await import("../inspect/index.js");
  const report = inspectPullCredentials(
    [{ label: source, location: source, config, problems: config.problems }],
    { now: ports.now() },
  );
  const parserProblems = new Set<object>(config.problems);
  for (const entry of report.sources.flatMap((source) => source.entries)) {
    // The parser's own problems (some also named credential-*) were warned about by refuseUnsafePayload already.
    const fromInspect = entry.problems.filter((p) => !parserProblems.has(p));
    for (const problem of fromInspect.filter((p) => p.code.startsWith("credential-"))) {
      ports.warn(`${entry.key}: ${problem.message}`, problem.fix);
    }
  }
}
