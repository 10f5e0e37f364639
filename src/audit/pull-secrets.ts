/**
 * A Secret as kubelet sees it when a Pod names it in imagePullSecrets (kubernetes pkg/credentialprovider/
 * secrets/secrets.go `MakeDockerKeyring`): only type kubernetes.io/dockerconfigjson with key .dockerconfigjson
 * and kubernetes.io/dockercfg with key .dockercfg are read; other Secrets are skipped silently; a value that
 * fails to decode (bad JSON, an undecodable `auth`) makes MakeDockerKeyring fail, and with it every pull of the
 * Pod, public images included. Decoding reuses the dockerconfig parser and the inspect analysis.
 */
import {
  DOCKERCFG_KEY,
  DOCKERCONFIGJSON_KEY,
  SECRET_TYPE_DOCKERCFG,
  SECRET_TYPE_DOCKERCONFIGJSON,
  dockerConfigFromSecret,
} from "../dockerconfig/index.js";
import type { DockerConfigEntry, Problem } from "../dockerconfig/index.js";
import { InputError } from "../errors.js";
import { inspectPullCredentials } from "../inspect/index.js";
import type { InspectedEntry } from "../inspect/index.js";
import type { GraphObject } from "./graph.js";
import { isRecord, str } from "./objects.js";

/**
 * Parser problems after which kubelet's json.Unmarshal of the secret fails (the catalogue in
 * src/dockerconfig/problem-codes.ts documents each): MakeDockerKeyring returns the error and the pull fails.
 */
export const KUBELET_FATAL_PROBLEMS: ReadonlySet<string> = new Set([
  "utf8-bom",
  "field-not-string",
  "http-headers-invalid",
  "auth-not-base64",
  "auth-url-safe-base64",
  "auth-no-colon",
]);

export type PullSecretState =
  /** kubelet reads it. */
  | "usable"
  /** Not a pull-secret type or key: kubelet skips it silently. */
  | "ignored"
  /** kubelet fails every pull of a Pod that names it. */
  | "fatal"
  /** Neither type nor key holds a docker config (an empty or truncated Secret). */
  | "empty"
  /** SOPS-encrypted in the manifest: decrypted at deploy time, so its content cannot be judged here. */
  | "encrypted";

export interface PullSecretEntry extends DockerConfigEntry {
  /** `namespace/name` of the Secret the entry belongs to. */
  readonly secret: string;
  readonly inspected: InspectedEntry | undefined;
}

export interface PullSecretAnalysis {
  readonly object: GraphObject;
  readonly type: string;
  readonly state: PullSecretState;
  /** Why kubelet skips it or fails on it (one line, no values). */
  readonly reason?: string;
  /** The data key holding the docker config, when any. */
  readonly key?: string;
  /** The field path of the docker config value, for locations. */
  readonly valueField?: readonly string[];
  readonly entries: readonly PullSecretEntry[];
  /** Parser problems (document shape and entry problems) and credential problems from inspect. */
  readonly problems: readonly (Problem & { fix?: string })[];
  /** The error that stopped decoding, when decoding failed. */
  readonly decodeError?: string;
}

const DOCKER_TYPES = new Set([SECRET_TYPE_DOCKERCONFIGJSON, SECRET_TYPE_DOCKERCFG]);

/** Secrets worth decoding: a docker type, or a docker key under another type (a wrong type is a finding). */
export function looksLikePullSecret(object: GraphObject): boolean {
  const type = str(object.raw["type"]);
  if (type !== undefined && DOCKER_TYPES.has(type)) return true;
  for (const field of ["data", "stringData"]) {
    const map = object.raw[field];
    if (isRecord(map) && (Object.hasOwn(map, DOCKERCONFIGJSON_KEY) || Object.hasOwn(map, DOCKERCFG_KEY)))
      return true;
  }
  return false;
}

function label(object: GraphObject): string {
  return `secret ${object.ref.namespace ?? ""}/${object.ref.name}`;
}

export function analyzePullSecret(object: GraphObject, now: Date): PullSecretAnalysis {
  const type = str(object.raw["type"]) ?? "Opaque";
  const secretName = `${object.ref.namespace ?? ""}/${object.ref.name}`;
  if (isRecord(object.raw["sops"]) && looksLikePullSecret(object)) {
    return {
      object,
      type,
      state: "encrypted",
      reason:
        "its values are SOPS-encrypted in the manifest; they are decrypted when it is deployed, so its content is not audited",
      entries: [],
      problems: [],
    };
  }
  if (!looksLikePullSecret(object)) {
    return {
      object,
      type,
      state: "ignored",
      reason: `its type is ${JSON.stringify(type)} and it has no ${DOCKERCONFIGJSON_KEY} key; kubelet reads only ${SECRET_TYPE_DOCKERCONFIGJSON} (key ${DOCKERCONFIGJSON_KEY}) and ${SECRET_TYPE_DOCKERCFG} (key ${DOCKERCFG_KEY}) Secrets`,
      entries: [],
      problems: [],
    };
  }
  let decoded;
  try {
    decoded = dockerConfigFromSecret(object.raw, label(object));
  } catch (error) {
    const message = error instanceof InputError ? error.message : "the Secret cannot be decoded";
    const code = error instanceof InputError ? error.code : "";
    const keyField = findKeyField(object);
    // A value kubelet cannot unmarshal fails the pull; a missing value is skipped.
    const fatal = code.startsWith("E_DOCKERCONFIG");
    return {
      object,
      type,
      state: fatal ? "fatal" : "empty",
      reason: fatal ? `kubelet cannot decode it: ${message}` : message,
      ...(keyField ? { key: keyField[1], valueField: keyField } : {}),
      entries: [],
      problems: [],
      decodeError: message,
    };
  }
  const valueField = [
    Object.hasOwn(isRecord(object.raw["stringData"]) ? object.raw["stringData"] : {}, decoded.key)
      ? "stringData"
      : "data",
    decoded.key,
  ];
  const report = inspectPullCredentials(
    [
      {
        label: label(object),
        location: label(object),
        secret: { type: decoded.type, key: decoded.key },
        config: decoded.config,
        problems: decoded.problems,
      },
    ],
    { now },
  );
  const inspected = report.sources[0];
  const problems: (Problem & { fix?: string })[] = [
    ...decoded.problems.filter((problem) => problem.key === undefined),
    ...(inspected?.entries.flatMap((entry) => entry.problems) ?? []),
  ] as (Problem & { fix?: string })[];
  const keyMismatch = decoded.problems.find(
    (problem) => problem.code === "secret-type-mismatch" || problem.code === "secret-key-type-mismatch",
  );
  const fatal = decoded.problems.find(
    (problem) => problem.severity === "error" && KUBELET_FATAL_PROBLEMS.has(problem.code),
  );
  const entries: PullSecretEntry[] = decoded.config.entries.map((entry, index) => ({
    ...entry,
    secret: secretName,
    inspected: inspected?.entries[index],
  }));
  let state: PullSecretState = "usable";
  let reason: string | undefined;
  if (keyMismatch) {
    state = "ignored";
    reason = keyMismatch.message;
  } else if (fatal) {
    state = "fatal";
    reason = `kubelet cannot decode it (${fatal.message})`;
  }
  return {
    object,
    type,
    state,
    ...(reason !== undefined ? { reason } : {}),
    key: decoded.key,
    valueField,
    entries,
    problems,
  };
}

function findKeyField(object: GraphObject): [string, string] | undefined {
  for (const field of ["stringData", "data"]) {
    const map = object.raw[field];
    if (!isRecord(map)) continue;
    for (const key of [DOCKERCONFIGJSON_KEY, DOCKERCFG_KEY]) if (Object.hasOwn(map, key)) return [field, key];
  }
  return undefined;
}
