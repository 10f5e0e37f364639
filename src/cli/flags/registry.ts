/**
 * The registry transport flags shared by `check` and `doctor --probe`, declared and read here: --ca-file,
 * --insecure-skip-tls-verify, --plain-http and --timeout. Light (command definitions import it): the CA file
 * is read through a lazily loaded reader.
 */
import { Option } from "@commander-js/extra-typings";
import type { Command } from "@commander-js/extra-typings";
import { InputError, UsageError } from "../../errors.js";
import type { TransportOptions } from "../../registry/index.js";
import { parseDurationFlag, sharedFlags } from "./values.js";
import type { FlagsOf } from "./values.js";
import type { CliIo } from "../io.js";

/** --ca-file, --insecure-skip-tls-verify and --plain-http; `scope` starts each description (`with --probe: `). */
function declareTlsFlags(command: Command, scope = "") {
  return command
    .option("--ca-file <path>", `${scope}trust this CA bundle (PEM) in addition to the system roots`)
    .option(
      "--insecure-skip-tls-verify",
      `${scope}do not verify the registry's TLS certificate (insecure)`,
      false,
    )
    .option("--plain-http", `${scope}talk to the registry over plain HTTP`, false);
}

// Pure: the fast path (cli/fast-path/) drops the declaration, and commander with it, from its chunks.
export const registryTlsFlags = /* @__PURE__ */ sharedFlags(declareTlsFlags);

/** The default of `--timeout`: kubectl's duration format, as the flag is written. */
const DEFAULT_REGISTRY_TIMEOUT = "15s";

/** `--timeout` of each registry request; `scope` starts the description (`with --probe: `). */
export function registryTimeoutOption(scope = "") {
  return new Option(
    "--timeout <duration>",
    `${scope}timeout of each registry request: seconds, or a duration such as 30s or 2m (at most 1h)`,
  ).default(DEFAULT_REGISTRY_TIMEOUT);
}

/** The longest `--timeout` of a registry request. */
export const MAX_REGISTRY_TIMEOUT_SECONDS = 3600;

/** `--timeout` of each registry request, kubectl's format (`15`, `30s`, `2m`): default 15 s, at most an hour. */
export function registryTimeoutMs(text: string): number {
  return parseDurationFlag("--timeout", text, { maxMs: MAX_REGISTRY_TIMEOUT_SECONDS * 1000 });
}

/** --ca-file, --insecure-skip-tls-verify and --plain-http as commander parsed them. */
export type RegistryTlsFlags = FlagsOf<ReturnType<typeof declareTlsFlags>>;

/**
 * Refuses flags that contradict each other (exit 2), before anything is read or sent. Like kubectl ("specifying
 * a root certificates file with the insecure flag is not allowed"): a CA file says how to verify the
 * certificate, --insecure-skip-tls-verify says not to; and with --plain-http the registry speaks no TLS at all,
 * so neither TLS flag could mean anything.
 */
export function assertRegistryTlsFlagsAgree(flags: RegistryTlsFlags): void {
  const caFile = flags.caFile !== undefined;
  const insecure = flags.insecureSkipTlsVerify === true;
  if (caFile && insecure) {
    throw new UsageError(
      "--ca-file and --insecure-skip-tls-verify contradict each other: specifying a root certificates file with the insecure flag is not allowed",
      {
        hint: "drop --insecure-skip-tls-verify: --ca-file is enough to trust the registry's certificate",
      },
    );
  }
  if (flags.plainHttp === true && (caFile || insecure)) {
    const tlsFlag = caFile ? "--ca-file" : "--insecure-skip-tls-verify";
    throw new UsageError(
      `--plain-http and ${tlsFlag} contradict each other: ${tlsFlag} is about TLS, and --plain-http talks to the registry without TLS`,
      {
        hint: `drop ${tlsFlag} for a plain-HTTP registry, or drop --plain-http for one served over HTTPS`,
      },
    );
  }
}

/** The transport's TLS settings; the CA file is read here (capped, relative to the cwd) and added to the roots. */
export async function registryTlsOptions(
  flags: RegistryTlsFlags,
  io: CliIo,
): Promise<Pick<TransportOptions, "ca" | "insecureSkipTlsVerify">> {
  assertRegistryTlsFlagsAgree(flags);
  const tls: Pick<TransportOptions, "ca" | "insecureSkipTlsVerify"> = {};
  if (flags.caFile !== undefined) {
    const { MAX_SECRET_INPUT_BYTES, readBytes } = await import("../read-input.js");
    const pem = await readBytes(flags.caFile, io, MAX_SECRET_INPUT_BYTES);
    if (!pem.toString("latin1").includes("-----BEGIN CERTIFICATE-----")) {
      throw new InputError("E_CA_FILE", `${flags.caFile}: no PEM certificate in the CA file`, {
        source: flags.caFile,
        hint: "pass a PEM file of CA certificates (-----BEGIN CERTIFICATE-----) with --ca-file",
      });
    }
    tls.ca = pem;
  }
  if (flags.insecureSkipTlsVerify === true) {
    io.stderr.write(
      "warning: --insecure-skip-tls-verify: the registry's TLS certificate is not verified; anyone on the network path can impersonate the registry and receive the credential\n",
    );
    tls.insecureSkipTlsVerify = true;
  }
  return tls;
}
