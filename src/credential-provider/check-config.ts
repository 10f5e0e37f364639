/**
 * A CredentialProviderConfig checked end to end, as kubelet loads it (config.go `readCredentialProviderConfig`):
 * each file decoded strictly, a directory's files merged in name order (a provider name twice is an error), then
 * validated, with the traps as warnings. A file kubelet cannot decode is an error finding, not a failure of the
 * check. Pure: the files come in as text.
 */
import { PullwardenError } from "../errors.js";
import { decodeKubeletConfig } from "./kubelet-config.js";
import type { DecodedProvider } from "./kubelet-config.js";
import { validateKubeletConfig } from "./validate-config.js";
import type { ConfigFinding } from "./validate-config.js";

export interface ConfigFile {
  readonly path: string;
  readonly text: string;
}

export interface ConfigCheck {
  /** What was given (a file or a directory). */
  readonly source: string;
  readonly files: readonly string[];
  readonly providers: readonly DecodedProvider[];
  readonly findings: readonly ConfigFinding[];
}

export function checkKubeletConfig(source: string, files: readonly ConfigFile[]): ConfigCheck {
  const providers: DecodedProvider[] = [];
  const findings: ConfigFinding[] = [];
  if (files.length === 0) {
    findings.push({
      severity: "error",
      file: source,
      path: "",
      message: "no configuration files found in directory (kubelet reads *.json, *.yaml and *.yml)",
    });
  }
  for (const file of files) {
    try {
      providers.push(...decodeKubeletConfig(file.text, file.path));
    } catch (error) {
      if (!(error instanceof PullwardenError)) throw error;
      findings.push({
        severity: "error",
        file: file.path,
        path: "",
        message: error.message.replace(`${file.path}: `, ""),
      });
    }
  }
  if (findings.length === 0) findings.push(...validateKubeletConfig(providers, source));
  return { source, files: files.map((file) => file.path), providers, findings };
}
