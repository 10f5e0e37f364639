// The registry TLS flags shared by `check` and `doctor --probe`: --ca-file and --insecure-skip-tls-verify.
import { InputError } from "../errors.js";
import type { TransportOptions } from "../registry/index.js";
import type { CliIo } from "./io.js";
import { MAX_SECRET_INPUT_BYTES, readBytes } from "./read-input.js";

export interface RegistryTlsFlags {
  caFile?: string;
  insecureSkipTlsVerify?: boolean;
}

/** The transport's TLS settings; the CA file is read here (capped, relative to the cwd) and added to the roots. */
export async function registryTlsOptions(
  flags: RegistryTlsFlags,
  io: CliIo,
): Promise<Pick<TransportOptions, "ca" | "insecureSkipTlsVerify">> {
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
