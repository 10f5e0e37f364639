/**
 * `pullwarden check IMAGE... [-f FILE]`: can this credential pull each image? The registry's own handshake
 * (src/registry), with the credentials kubelet would try (`--secret`), the docker client's (`--docker-config`),
 * one given (`--username` + `--password-stdin`), or none. Exit 0 only when every image is `ok`; 1 otherwise;
 * 2 for usage errors; 3 for invalid input (an unreadable file, any invalid reference: then nothing is checked).
 * See docs/check.md.
 */
import { ExitCode, InputError, UsageError } from "../../errors.js";
import { checkImages, parsePlatform } from "../../registry/index.js";
import type { Platform, TransportOptions } from "../../registry/index.js";
import { parseImageList, parseImages } from "../check-images.js";
import type { ImageInput } from "../check-images.js";
import { keychainFromFlags } from "../check-keychain.js";
import { checkJsonReport, renderCheckTable } from "../check-render.js";
import type { CliIo } from "../io.js";
import { assertRegistryTlsFlagsAgree, registryTimeoutMs, registryTlsOptions } from "../flags/registry.js";
import { useColor } from "../io.js";
import { MAX_MANIFEST_INPUT_BYTES, readText } from "../read-input.js";
import { readPasswordStdin } from "../read-password.js";
import { createPaint } from "../render-inspect.js";
import { toJson } from "../output.js";

export interface CheckOptions {
  filename?: string;
  secret?: string;
  dockerConfig?: string | boolean;
  username?: string;
  passwordStdin?: boolean;
  platform?: string;
  caFile?: string;
  insecureSkipTlsVerify?: boolean;
  plainHttp?: boolean;
  concurrency?: string;
  timeout?: string;
  /** The program maps the older name `table` to `text`. */
  output?: "text" | "json";
}

export const MAX_CONCURRENCY = 256;

interface Settings {
  platform: Platform | undefined;
  concurrency: number;
  timeoutMs: number;
}

/** Flag checks that need no input: every usage error is found before anything is read or sent. */
function checkUsage(images: readonly string[], options: CheckOptions): Settings {
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
    options.dockerConfig !== undefined && options.dockerConfig !== false && "--docker-config",
    options.username !== undefined && "--username",
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

  let platform: Platform | undefined;
  if (options.platform !== undefined) {
    platform = parsePlatform(options.platform);
    if (!platform) {
      throw new UsageError(
        `--platform ${JSON.stringify(options.platform)}: expected os/arch[/variant], e.g. linux/arm64`,
      );
    }
  }
  const concurrencyText = (options.concurrency ?? "8").trim();
  const concurrency = Number(concurrencyText);
  if (!/^\d+$/.test(concurrencyText) || concurrency < 1 || concurrency > MAX_CONCURRENCY) {
    throw new UsageError(
      `--concurrency ${JSON.stringify(options.concurrency)}: expected a whole number from 1 to ${MAX_CONCURRENCY}`,
    );
  }
  const timeoutMs = registryTimeoutMs(options.timeout);
  return { platform, concurrency, timeoutMs };
}

async function transportOptions(
  options: CheckOptions,
  settings: Settings,
  io: CliIo,
): Promise<TransportOptions> {
  return { timeoutMs: settings.timeoutMs, ...(await registryTlsOptions(options, io)) };
}

async function collectInputs(
  images: readonly string[],
  options: CheckOptions,
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

export async function runCheck(images: string[], options: CheckOptions, io: CliIo): Promise<number> {
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

  const transport = await transportOptions(options, settings, io);
  const password =
    options.passwordStdin === true ? await readPasswordStdin(io, "--password-stdin") : undefined;
  const keychain = await keychainFromFlags(
    {
      ...(options.secret !== undefined ? { secret: options.secret } : {}),
      ...(options.dockerConfig !== undefined ? { dockerConfig: options.dockerConfig } : {}),
      ...(options.username !== undefined ? { username: options.username } : {}),
      ...(password !== undefined ? { password } : {}),
    },
    io,
  );
  for (const warning of keychain.warnings) io.stderr.write(`warning: ${warning}\n`);

  const reports = await checkImages(valid, keychain, {
    ...transport,
    ...(settings.platform ? { platform: settings.platform } : {}),
    plainHttp: options.plainHttp === true,
    concurrency: settings.concurrency,
  });

  if (options.output === "json") {
    io.stdout.write(
      toJson(
        checkJsonReport(reports, {
          ...(settings.platform ? { platform: settings.platform } : {}),
          warnings: keychain.warnings,
        }),
      ),
    );
  } else {
    io.stdout.write(renderCheckTable(reports, { paint: createPaint(useColor(io)) }));
  }
  return reports.every((r) => r.result.outcome === "ok") ? ExitCode.ok : ExitCode.findings;
}
