/**
 * The files of a CredentialProviderConfig as kubelet finds them: the path itself, or for a directory its
 * `*.json`, `*.yaml` and `*.yml` files (not subdirectories) in byte order of their names (config.go
 * `readCredentialProviderConfig`, kubelet 1.34+). The I/O edge of check-config.ts.
 */
import { readFile, readdir, stat } from "node:fs/promises";
import { extname, join } from "node:path";
import { EnvironmentError, InputError } from "../errors.js";
import { decodeUtf8 } from "../utf8.js";
import type { ConfigFile } from "./check-config.js";

/** A kubelet config is a few KiB; anything much larger is not one. */
const MAX_CONFIG_FILE_BYTES = 1024 * 1024;

async function readOne(path: string): Promise<ConfigFile> {
  const bytes = await readFile(path);
  if (bytes.length > MAX_CONFIG_FILE_BYTES) {
    throw new InputError(
      "E_PROVIDER_CONFIG",
      `${path}: larger than ${MAX_CONFIG_FILE_BYTES} bytes, not a CredentialProviderConfig`,
      {
        source: path,
      },
    );
  }
  return { path, text: decodeUtf8(bytes, path) };
}

export async function readConfigFiles(path: string): Promise<ConfigFile[]> {
  let info;
  try {
    info = await stat(path);
  } catch (error) {
    throw new EnvironmentError(
      "E_PROVIDER_CONFIG_READ",
      `${path}: cannot read it (${(error as NodeJS.ErrnoException).code ?? "error"})`,
      {
        hint: "give the file or directory kubelet's --image-credential-provider-config names",
      },
    );
  }
  if (!info.isDirectory()) return [await readOne(path)];
  const entries = await readdir(path, { withFileTypes: true });
  const names = entries
    .filter((entry) => !entry.isDirectory() && [".json", ".yaml", ".yml"].includes(extname(entry.name)))
    .map((entry) => entry.name)
    .sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
  return Promise.all(names.map((name) => readOne(join(path, name))));
}
