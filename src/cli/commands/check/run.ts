/**
 * `pullwarden check IMAGE... [-f FILE]`: can this credential pull each image? The registry's own handshake
 * (src/registry), with the credentials kubelet would try (`--secret`), the docker client's (`--docker-config`),
 * one given (`--username` + `--password-stdin`), or none. Exit 0 only when every image is `ok`; 1 otherwise;
 * 2 for usage errors; 3 for invalid input (an unreadable file, any invalid reference: then nothing is checked).
 * See docs/check.md.
 */
import { ExitCode, InputError, UsageError } from "../../../errors.js";
import { checkImages, parsePlatform } from "../../../registry/index.js";
import type { Keychain, Platform, TransportOptions } from "../../../registry/index.js";
import { assertRegistryTlsFlagsAgree, registryTimeoutMs, registryTlsOptions } from "../../flags/registry.js";
import { parseConcurrencyFlag } from "../../flags/values.js";
import type { CliIo } from "../../io.js";
import { stdoutPaint, toJson } from "../../output.js";
import { MAX_MANIFEST_INPUT_BYTES, readText } from "../../read-input.js";
import type { CheckFlags } from "./definition.js";
import { parseImageList, parseImages } from "./images.js";
import type { ImageInput, ValidImage } from "./images.js";
import { keychainFromFlags } from "./keychain.js";
import { checkJsonReport, renderCheckTable } from "./render.js";

/** The most checks `--concurrency` may run at once. */
const MAX_CONCURRENCY = 256;

interface Settings {
  platform: Platform | undefined;
  concurrency: number;
  timeoutMs: number;
}

/** Flag checks that need no input: every usage error is found before anything is read or sent. */
function checkUsage(images: readonly string[], options: CheckFlags): Settings {
  if (images.length === 0 && options.filename === undefined) {
    throw new UsageError("give at least one IMAGE, or -f FILE with one image reference per line", {
      hint:
        typeof options.dockerConfig === "string"
          ? `--docker-config takes an optional PATH and read ${JSON.stringify(options.dockerConfig)} as one: write --docker-config=PATH, or put the images before --docker-config`
          : "pullwarden check ghcr.io/org/app:1.0 --secret pull-secret.yaml",
    });
  }
  const sources = [
    options.secret !== undefined && "--secret",
    options.dockerConfig !== undefined && "--docker-config",
    options.username !== undefined && "--username",
    options.fromCloud === true && "--from-cloud",
  ].filter(Boolean);
  if (sources.length > 1) {
    throw new UsageError(`use one credential source, not ${sources.join(" and ")}`);
  }
  if (options.username !== undefined && options.passwordStdin !== true) {
    throw new UsageError("--username needs --password-stdin: the password is read from standard input", {
      hint: "printf '%s' \"$PASSWORD\" | pullwarden check IMAGE --username USER --password-stdin",
    });
  }
  if (options.passwordStdin === true && options.username === undefined) {
    throw new UsageError("--password-stdin needs --username");
  }
  if (options.username === "") throw new UsageError("--username is empty");
  const stdinUsers = [
    options.filename === "-" && "-f -",
    options.secret === "-" && "--secret -",
    options.passwordStdin === true && "--password-stdin",
  ].filter(Boolean);
  if (stdinUsers.length > 1) {
    throw new UsageError(`standard input can be read only once, not for ${stdinUsers.join(" and ")}`);
  }
  assertRegistryTlsFlagsAgree(options);
  if (!options.githubProbe && options.githubApiUrl !== undefined) {
    throw new UsageError("--github-api-url contradicts --no-github-probe: the GitHub API is not asked");
  }

  let platform: Platform | undefined;
  if (options.platform !== undefined) {
    platform = parsePlatform(options.platform);
    if (!platform) {
      throw new UsageError(
        `--platform ${JSON.stringify(options.platform)}: expected os/arch[/variant], e.g. linux/arm64`,
      );
    }
  }
  const concurrency = parseConcurrencyFlag("--concurrency", options.concurrency, MAX_CONCURRENCY);
  const timeoutMs = registryTimeoutMs(options.timeout);
  return { platform, concurrency, timeoutMs };
}

async function transportOptions(
  options: CheckFlags,
  settings: Settings,
  io: CliIo,
): Promise<TransportOptions> {
  return { timeoutMs: settings.timeoutMs, ...(await registryTlsOptions(options, io)) };
}

async function collectInputs(
  images: readonly string[],
  options: CheckFlags,
  io: CliIo,
): Promise<ImageInput[]> {
  const inputs: ImageInput[] = images.map((text) => ({ text: text.trim() }));
  if (options.filename !== undefined) {
    const text = await readText(options.filename, io, MAX_MANIFEST_INPUT_BYTES);
    const listed = parseImageList(text, options.filename);
    if (listed.length === 0 && images.length === 0) {
      throw new InputError(
        "E_NO_IMAGES",
        `${options.filename === "-" ? "stdin" : options.filename}: no image references (only blank lines and comments)`,
        { source: options.filename },
      );
    }
    inputs.push(...listed);
  }
  return inputs;
}

export async function runCheck(images: string[], options: CheckFlags, io: CliIo): Promise<number> {
  const settings = checkUsage(images, options);

  const inputs = await collectInputs(images, options, io);
  const { valid, invalid } = parseImages(inputs);
  if (invalid.length > 0) {
    // All or nothing: a list with a typo is fixed and run again, and exit 3 could not report pull results.
    for (const bad of invalid) io.stderr.write(`error: ${bad.message}\n`);
    const hint = invalid.find((bad) => bad.hint)?.hint;
    if (hint) io.stderr.write(`hint: ${hint}\n`);
    if (inputs.length > 1) {
      io.stderr.write(
        `error: ${invalid.length} of ${inputs.length} image references are invalid; nothing was checked\n`,
      );
    }
    return ExitCode.input;
  }
  if (options.fromCloud === true) await refuseImagesNoCloudMintsFor(valid);

  const transport = await transportOptions(options, settings, io);
  const password = options.passwordStdin === true ? await readPasswordStdin(io) : undefined;
  const keychain = await keychainFromFlags(options, password, io);
  for (const warning of keychain.warnings) io.stderr.write(`warning: ${warning}\n`);

  // The GitHub API is asked while the registries are: its findings explain a ghcr.io check's failure.
  const [reports, tokenWarnings] = await Promise.all([
    checkImages(valid, keychain, {
      ...transport,
      ...(settings.platform ? { platform: settings.platform } : {}),
      plainHttp: options.plainHttp,
      concurrency: settings.concurrency,
    }),
    options.githubProbe ? gitHubTokenWarningsFor(valid, keychain, options, settings.timeoutMs, io) : [],
  ]);
  for (const warning of tokenWarnings) io.stderr.write(`warning: ${warning}\n`);

  if (options.output === "json") {
    io.stdout.write(
      toJson(
        checkJsonReport(reports, {
          ...(settings.platform ? { platform: settings.platform } : {}),
          warnings: [...keychain.warnings, ...tokenWarnings],
        }),
      ),
    );
  } else {
    io.stdout.write(renderCheckTable(reports, { paint: stdoutPaint(io) }));
  }
  const anonymous =
    options.secret === undefined &&
    options.dockerConfig === undefined &&
    options.username === undefined &&
    options.fromCloud !== true;
  if (anonymous && reports.some((report) => report.result.outcome !== "ok")) {
    // Loaded only then: the registry host classification it needs is not on check's usual path.
    const { fromCloudHint } = await import("./from-cloud-hint.js");
    const hint = fromCloudHint(reports, anonymous);
    if (hint) io.stderr.write(`hint: ${hint}\n`);
  }
  return reports.every((r) => r.result.outcome === "ok") ? ExitCode.ok : ExitCode.findings;
}

/**
 * `--password-stdin`, read as `secret create` reads a password from standard input: by the credential sources'
 * reader (src/cloud/resolve.ts), through this command's ports (a terminal is prompted).
 */
async function readPasswordStdin(io: CliIo): Promise<string> {
  const { passwordFromStdin } = await import("../../../cloud/resolve.js");
  const { sourcePorts } = await import("../../flags/source-ports.js");
  return passwordFromStdin(await sourcePorts(io), "--password-stdin");
}

/** `--from-cloud` mints for ECR and ACR only: any other image is refused before anything is minted or sent. */
async function refuseImagesNoCloudMintsFor(images: readonly ValidImage[]): Promise<void> {
  const { cloudTokenTargetFor } = await import("../../../cloud/cloud-keychain.js");
  const others = images.filter((image) => cloudTokenTargetFor(image.reference.domain) === undefined);
  if (others.length === 0) return;
  const listed = others
    .slice(0, 3)
    .map((image) => image.input.text)
    .join(", ");
  throw new UsageError(
    `--from-cloud mints tokens for private ECR and ACR registries only, and ${others.length === 1 ? "this image is" : `${others.length} images are`} on neither: ${listed}${others.length > 3 ? ", ..." : ""}`,
    { hint: "check those images in another run, with --secret, --docker-config or --username" },
  );
}

/** What the GitHub API says about the GitHub tokens sent to ghcr.io (see ./github-probe.ts). */
async function gitHubTokenWarningsFor(
  images: readonly ValidImage[],
  keychain: Keychain,
  options: CheckFlags,
  timeoutMs: number,
  io: CliIo,
): Promise<string[]> {
  if (!images.some((image) => image.reference.domain === "ghcr.io")) return [];
  const [{ gitHubTokenWarnings }, { gitHubProbeOptions }] = await Promise.all([
    import("./github-probe.js"),
    import("../../flags/github-probe.js"),
  ]);
  return gitHubTokenWarnings(images, keychain, await gitHubProbeOptions(options, io, timeoutMs));
}
