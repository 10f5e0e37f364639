/**
 * `pullwarden credential-provider` (the plugin itself, as `pullwarden-credential-provider` runs it),
 * `credential-provider validate-config PATH` and `credential-provider exec --image IMAGE`.
 */
import { resolve } from "node:path";
import { ExitCode, InputError, UsageError } from "../../../errors.js";
import type { CliIo } from "../../io.js";
import { stdoutPaint, toJson } from "../../output.js";
import { expandHome, readText } from "../../read-input.js";
import type {
  CredentialProviderExecFlags,
  CredentialProviderFlags,
  CredentialProviderValidateConfigFlags,
} from "./definition.js";
import { renderConfigCheck, renderSimulation } from "./render.js";

/** An SA token is a JWT of a few KiB. */
const MAX_TOKEN_BYTES = 64 * 1024;

export async function runCredentialProvider(
  command: string | undefined,
  flags: CredentialProviderFlags,
  io: CliIo,
): Promise<number> {
  // The one operand kubelet configs pass; anything else is most likely a mistyped subcommand.
  if (command !== undefined && command !== "get-credentials") {
    throw new UsageError(`credential-provider: unknown command ${JSON.stringify(command)}`, {
      hint: "the commands are validate-config and exec; without one it is the plugin kubelet runs (get-credentials)",
    });
  }
  const { checkPluginOptions, runPlugin } = await import("../../../credential-provider/index.js");
  const options = checkPluginOptions({
    staticConfig:
      flags.staticConfig !== undefined ? resolve(io.cwd, expandHome(flags.staticConfig, io)) : undefined,
    cacheKeyType: flags.cacheKeyType,
    cacheDuration: flags.cacheDuration,
    acrLoginServers: flags.acrLoginServer,
  });
  return runPlugin(options, {
    stdin: io.stdin,
    stdout: io.stdout,
    stderr: io.stderr,
    env: io.env,
    now: io.now,
    uid: process.getuid?.() ?? 0,
    cloudSources: async () =>
      (await import("../../../credential-provider/cloud-sources.js")).sdkCloudSources(io.env, io.now),
  });
}

async function loadConfig(path: string, io: CliIo) {
  const { checkKubeletConfig, readConfigFiles } = await import("../../../credential-provider/index.js");
  const absolute = resolve(io.cwd, expandHome(path, io));
  return checkKubeletConfig(path, await readConfigFiles(absolute));
}

export async function runCredentialProviderValidateConfig(
  path: string,
  flags: CredentialProviderValidateConfigFlags,
  io: CliIo,
): Promise<number> {
  const check = await loadConfig(path, io);
  if (flags.output === "json") io.stdout.write(toJson(check));
  else io.stdout.write(renderConfigCheck(check, stdoutPaint(io)));
  const failing = check.findings.some((finding) => finding.severity === "error" || flags.strict);
  return failing ? ExitCode.findings : ExitCode.ok;
}

function annotations(values: readonly string[] | undefined): Record<string, string> {
  const pairs = (values ?? []).map((value): [string, string] => {
    const equals = value.indexOf("=");
    if (equals <= 0) throw new UsageError(`--sa-annotation ${JSON.stringify(value)}: expected KEY=VALUE`);
    return [value.slice(0, equals), value.slice(equals + 1)];
  });
  return Object.fromEntries(pairs);
}

export async function runCredentialProviderExec(
  flags: CredentialProviderExecFlags,
  io: CliIo,
): Promise<number> {
  const check = await loadConfig(flags.config, io);
  if (check.findings.some((finding) => finding.severity === "error")) {
    io.stdout.write(renderConfigCheck(check, stdoutPaint(io)));
    return ExitCode.findings;
  }
  const [{ simulateKubelet }, { runBounded }, { redactSecret }] = await Promise.all([
    import("../../../credential-provider/index.js"),
    import("../../../process/bounded-exec.js"),
    import("../../../tokens/index.js"),
  ]);
  let serviceAccountToken: string | undefined;
  if (flags.saToken !== undefined) {
    serviceAccountToken = (await readText(flags.saToken, io, MAX_TOKEN_BYTES)).replace(/\r?\n$/, "");
    if (serviceAccountToken === "") {
      throw new InputError("E_EMPTY_PASSWORD", `no token: the file ${flags.saToken} is empty`, {
        hint: "kubectl create token SERVICEACCOUNT --audience AUDIENCE > token; then pass --sa-token token",
      });
    }
  }
  const simulation = await simulateKubelet({
    image: flags.image,
    providers: check.providers,
    binDir: resolve(io.cwd, expandHome(flags.binDir, io)),
    ...(serviceAccountToken !== undefined ? { serviceAccountToken } : {}),
    serviceAccountAnnotations: annotations(flags.saAnnotation),
    env: io.env,
    run: runBounded,
  });
  if (flags.output === "json") {
    const credentials = simulation.credentials.map((credential) => ({
      ...credential,
      password: flags.showSecrets ? credential.password : redactSecret(credential.password),
    }));
    io.stdout.write(toJson({ image: flags.image, trace: simulation.trace, credentials }));
  } else {
    io.stdout.write(renderSimulation(flags.image, simulation, flags.showSecrets, redactSecret));
  }
  return simulation.credentials.length > 0 ? ExitCode.ok : ExitCode.findings;
}
