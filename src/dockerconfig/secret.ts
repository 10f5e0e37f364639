/**
 * Docker configs inside Kubernetes Secret objects (already parsed from YAML or JSON by the caller).
 *
 * kubelet (pkg/credentialprovider/secrets/secrets.go `MakeDockerKeyring`) reads only
 * - type `kubernetes.io/dockerconfigjson`, key `.dockerconfigjson` (`{"auths":…}`), and
 * - type `kubernetes.io/dockercfg`, key `.dockercfg` (the legacy bare map);
 * any other combination is silently ignored, and a value that fails to decode fails the pull.
 * The API server decodes `data` values as padded standard base64 and merges `stringData` over `data`.
 */
import { InputError } from "../errors.js";
import { classifyTopLevel, ENTRY_FIELDS, fold } from "./fields.js";
import { decodeGoBase64, decodeLenientBase64 } from "./go-base64.js";
import type { DockerConfigFormat, ParsedDockerConfig } from "./model.js";
import { parseDockerConfigText } from "./parse.js";
import { makeProblem, quoteKey } from "./problems.js";
import type { Problem } from "./problems.js";

export const SECRET_TYPE_DOCKERCONFIGJSON = "kubernetes.io/dockerconfigjson";
export const SECRET_TYPE_DOCKERCFG = "kubernetes.io/dockercfg";
export const DOCKERCONFIGJSON_KEY = ".dockerconfigjson";
export const DOCKERCFG_KEY = ".dockercfg";

export type DockerConfigSecretKey = typeof DOCKERCONFIGJSON_KEY | typeof DOCKERCFG_KEY;

/**
 * What an already-parsed document is: a Secret manifest, a List (`kind: List` / `SecretList` with `items`),
 * a raw `.dockerconfigjson`, a docker `config.json`, a legacy `.dockercfg`, or none of these.
 */
export type InputKind = "secret" | "list" | "dockerconfigjson" | "config.json" | "dockercfg" | "unknown";

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export function detectInputKind(obj: unknown): InputKind {
  if (!isRecord(obj)) return "unknown";
  const kind = obj["kind"];
  if (typeof kind === "string") {
    if (Array.isArray(obj["items"]) && kind.endsWith("List")) return "list";
    return kind === "Secret" ? "secret" : "unknown";
  }
  if (typeof obj["type"] === "string" && (isRecord(obj["data"]) || isRecord(obj["stringData"])))
    return "secret";
  const keys = Object.keys(obj);
  const allEntries = keys.every((k) => {
    const v = obj[k];
    return isRecord(v) && Object.keys(v).some((f) => ENTRY_FIELDS[fold(f)] !== undefined);
  });
  return classifyTopLevel(keys, allEntries) ?? "unknown";
}

export interface DockerConfigSecret {
  name?: string;
  namespace?: string;
  /** The Secret's type (`Opaque` when absent, as the API server defaults it). */
  type: string;
  /** The data key the config was read from. */
  key: DockerConfigSecretKey;
  config: ParsedDockerConfig;
  /** Secret-level problems followed by `config.problems`. */
  problems: Problem[];
}

/**
 * Parses the docker config a Secret holds. An error keeps the Secret as its source (the position in the file);
 * the field and the position inside the decoded value, which are not positions in the file, are named in words.
 */
function parseSecretValue(
  value: string | Uint8Array,
  source: string,
  field: string,
  format: DockerConfigFormat,
): ParsedDockerConfig {
  try {
    return parseDockerConfigText(value, { source: `${source} ${field}`, format });
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    const { line, column } = error.position ?? {};
    const where =
      line === undefined
        ? ""
        : ` (line ${line}${column === undefined ? "" : `, column ${column}`} of the value)`;
    throw new InputError(error.code, `${field}${where}: ${error.message}`, {
      source,
      cause: error,
      ...(error.hint === undefined ? {} : { hint: error.hint }),
    });
  }
}

/**
 * Reads the docker config of a Secret object. Throws InputError when `obj` is not a Secret or carries neither
 * `.dockerconfigjson` nor `.dockercfg`, or when the value cannot be decoded at all; everything kubelet or the
 * API server would reject but that can still be read is reported as a problem.
 */
export function dockerConfigFromSecret(obj: unknown, source: string): DockerConfigSecret {
  const fail = (message: string): never => {
    throw new InputError("E_SECRET_SHAPE", message, { source });
  };
  if (!isRecord(obj)) return fail("expected a Kubernetes Secret object");
  const kind = obj["kind"];
  if (kind !== undefined && kind !== "Secret") {
    return fail(`expected kind Secret, found ${typeof kind === "string" ? quoteKey(kind) : typeof kind}`);
  }
  const typeValue = obj["type"] ?? "Opaque";
  if (typeof typeValue !== "string") return fail("the Secret's type must be a string");
  const type = typeValue;
  const data = obj["data"] ?? {};
  const stringData = obj["stringData"] ?? {};
  if (!isRecord(data)) return fail("the Secret's data must be a map");
  if (!isRecord(stringData)) return fail("the Secret's stringData must be a map");

  const has = (key: string) => Object.hasOwn(data, key) || Object.hasOwn(stringData, key);
  const problems: Problem[] = [];
  const add = (code: Parameters<typeof makeProblem>[0], message: string) =>
    problems.push(makeProblem(code, message, { source }));

  const expected: DockerConfigSecretKey | undefined =
    type === SECRET_TYPE_DOCKERCONFIGJSON
      ? DOCKERCONFIGJSON_KEY
      : type === SECRET_TYPE_DOCKERCFG
        ? DOCKERCFG_KEY
        : undefined;
  let key: DockerConfigSecretKey;
  if (expected !== undefined && has(expected)) {
    key = expected;
    const other = expected === DOCKERCONFIGJSON_KEY ? DOCKERCFG_KEY : DOCKERCONFIGJSON_KEY;
    if (has(other))
      add("secret-extra-key", `the Secret also has ${other}, which kubelet ignores for type ${type}`);
  } else if (has(DOCKERCONFIGJSON_KEY) || has(DOCKERCFG_KEY)) {
    key = has(DOCKERCONFIGJSON_KEY) ? DOCKERCONFIGJSON_KEY : DOCKERCFG_KEY;
    if (expected !== undefined) {
      add(
        "secret-key-type-mismatch",
        `a Secret of type ${type} must hold ${expected}, but it holds ${key}; kubelet ignores this secret`,
      );
    } else {
      const wanted = key === DOCKERCONFIGJSON_KEY ? SECRET_TYPE_DOCKERCONFIGJSON : SECRET_TYPE_DOCKERCFG;
      add(
        "secret-type-mismatch",
        `the Secret holds ${key} but its type is ${quoteKey(type)}; kubelet ignores it unless the type is ${wanted}`,
      );
    }
  } else {
    return fail(`the Secret has no ${DOCKERCONFIGJSON_KEY} or ${DOCKERCFG_KEY} key`);
  }

  const fromString = Object.hasOwn(stringData, key);
  let value: string | Uint8Array;
  if (fromString) {
    const raw = stringData[key];
    if (typeof raw !== "string") return fail(`stringData[${key}] must be a string`);
    if (Object.hasOwn(data, key))
      add("secret-stringdata-overrides-data", `stringData[${key}] overrides data[${key}]`);
    value = raw;
  } else {
    const raw = data[key];
    if (typeof raw !== "string") return fail(`data[${key}] must be a base64 string`);
    const strict = decodeGoBase64(raw, "std");
    if (strict.ok) {
      value = strict.bytes;
    } else {
      const lenient = decodeLenientBase64(raw);
      if (lenient === undefined) return fail(`data[${key}] is not base64`);
      add(
        "secret-data-invalid-base64",
        `data[${key}] is not padded standard base64 (whitespace, missing '=' or URL-safe characters); the API server rejects it`,
      );
      value = lenient;
    }
  }

  const format: DockerConfigFormat = key === DOCKERCONFIGJSON_KEY ? "dockerconfigjson" : "dockercfg";
  const field = `${fromString ? "stringData" : "data"}[${key}]`;
  let config: ParsedDockerConfig;
  if (value.length === 0) {
    add("secret-empty-value", `${key} is empty; kubelet skips it and the API server rejects it`);
    config = { format, entries: [], problems: [] };
  } else {
    config = parseSecretValue(value, source, field, format);
  }

  const result: DockerConfigSecret = { type, key, config, problems: [...problems, ...config.problems] };
  const metadata = obj["metadata"];
  if (isRecord(metadata)) {
    if (typeof metadata["name"] === "string") result.name = metadata["name"];
    if (typeof metadata["namespace"] === "string") result.namespace = metadata["namespace"];
  }
  return result;
}
