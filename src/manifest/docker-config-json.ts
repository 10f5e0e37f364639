/**
 * The YAML-free half of loadPullCredentialSources (pull-credential-sources.ts): a text that is a raw docker
 * config in JSON (`.dockerconfigjson`, legacy `.dockercfg`, a docker `config.json`) goes straight to the
 * position-aware docker config parser. Its own module so that reading a config.json (`check --secret`, the
 * default docker config) never loads the YAML parser (src/cli/read-input.ts tries this first).
 */
import { detectInputKind, parseDockerConfigText } from "../dockerconfig/index.js";
import type { PullCredentialSources } from "./pull-credential-source.js";

const RAW_CONFIG_KINDS = new Set(["dockerconfigjson", "config.json", "dockercfg"]);

function rawConfigKind(text: string): "dockerconfigjson" | "config.json" | "dockercfg" | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  const kind = detectInputKind(value);
  return RAW_CONFIG_KINDS.has(kind) ? (kind as "dockerconfigjson" | "config.json" | "dockercfg") : undefined;
}

/**
 * The pull credentials of `text` when it is a raw docker config in JSON (or malformed JSON that is not a
 * manifest: the docker config parser reports it with a position); undefined for manifests and YAML.
 */
export function dockerConfigJsonSources(text: string, source: string): PullCredentialSources | undefined {
  if (!text.trimStart().startsWith("{")) return undefined;
  const kind = rawConfigKind(text);
  const looksLikeManifest = /"(apiVersion|kind)"\s*:/.test(text.slice(0, 4096));
  if (kind === undefined && looksLikeManifest) return undefined;
  const config = parseDockerConfigText(text, { source, format: kind ?? "auto" });
  return {
    sources: [{ label: source, location: source, config, problems: config.problems }],
    skippedDocuments: 0,
  };
}
