// The registry transport flags shared by `check` and `doctor --probe`: --ca-file, --insecure-skip-tls-verify,
// --plain-http and --timeout.
import { InputError, UsageError } from "../../errors.js";
import type { TransportOptions } from "../../registry/index.js";
import { parseDurationFlag } from "./values.js";
import type { CliIo } from "../io.js";
import { MAX_SECRET_INPUT_BYTES, readBytes } from "../read-input.js";

/** The longest `--timeout` of a registry request. */
export const MAX_REGISTRY_TIMEOUT_SECONDS = 3600;

/** `--timeout` of each registry request, kubectl's format (`15`, `30s`, `2m`): default 15 s, at most an hour. */
export function registryTimeoutMs(text: string | undefined): number {
  return parseDurationFlag("--timeout", text ?? "15", { maxMs: MAX_REGISTRY_TIMEOUT_SECONDS * 1000 });
}

export interface RegistryTlsFlags {
  caFile?: string;
  insecureSkipTlsVerify?: boolean;
  plainHttp?: boolean;
}

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
