/**
 * kubelet's `CredentialProviderConfig` (`--image-credential-provider-config`), decoded as kubelet decodes it:
 * YAML or JSON through its strict codec (k8s.io/kubernetes pkg/credentialprovider/plugin, `codecs` built with
 * `serializer.EnableStrict`), so an unknown or repeated field, or a value of the wrong type, stops kubelet from
 * starting. Versions kubelet.config.k8s.io/v1, v1beta1, v1alpha1 (k8s.io/kubelet config/{v1,v1beta1,v1alpha1}/types.go);
 * `tokenAttributes` exists in v1 only. The entry type extends the one `plan` renders (plan-types.ts).
 */
import { parseGoDuration } from "../duration.js";
import { InputError } from "../errors.js";
import { parseManifestDocuments } from "../manifest/index.js";
import type { CredentialProviderEntry } from "../plan/plan-types.js";

export const KUBELET_CONFIG_GROUP = "kubelet.config.k8s.io";
export const KUBELET_CONFIG_API_VERSIONS = [
  `${KUBELET_CONFIG_GROUP}/v1`,
  `${KUBELET_CONFIG_GROUP}/v1beta1`,
  `${KUBELET_CONFIG_GROUP}/v1alpha1`,
] as const;

export interface ServiceAccountTokenAttributes {
  readonly serviceAccountTokenAudience?: string;
  readonly cacheType?: string;
  readonly requireServiceAccount?: boolean;
  readonly requiredServiceAccountAnnotationKeys?: readonly string[];
  readonly optionalServiceAccountAnnotationKeys?: readonly string[];
}

/** One provider as kubelet reads it; fields kubelet requires may be missing here (validation says so). */
export interface KubeletCredentialProvider extends Omit<
  CredentialProviderEntry,
  "name" | "matchImages" | "defaultCacheDuration" | "apiVersion"
> {
  readonly name: string;
  readonly matchImages: readonly string[];
  /** As written; undefined when missing. */
  readonly defaultCacheDuration?: string;
  readonly apiVersion: string;
  readonly env?: readonly { readonly name: string; readonly value: string }[];
  readonly tokenAttributes?: ServiceAccountTokenAttributes;
}

export interface DecodedProvider {
  readonly provider: KubeletCredentialProvider;
  /** The file it came from (a directory's configs are merged). */
  readonly file: string;
  /** Its index in that file. */
  readonly index: number;
}

type Shape = "string" | "strings" | "boolean" | "duration" | "env" | "tokenAttributes" | "providers";

const PROVIDER_FIELDS: Readonly<Record<string, Shape>> = {
  name: "string",
  matchImages: "strings",
  defaultCacheDuration: "duration",
  apiVersion: "string",
  args: "strings",
  env: "env",
  tokenAttributes: "tokenAttributes",
};
const TOKEN_ATTRIBUTE_FIELDS: Readonly<Record<string, Shape>> = {
  serviceAccountTokenAudience: "string",
  cacheType: "string",
  requireServiceAccount: "boolean",
  requiredServiceAccountAnnotationKeys: "strings",
  optionalServiceAccountAnnotationKeys: "strings",
};

function refuse(file: string, where: string, message: string): never {
  throw new InputError(
    "E_PROVIDER_CONFIG",
    `${file}: ${where ? `${where}: ` : ""}${message}; kubelet would refuse to start`,
    {
      source: file,
      hint: "fix the field (kubelet decodes this file strictly: unknown fields and wrong types are errors)",
    },
  );
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function typeName(value: unknown): string {
  return Array.isArray(value)
    ? "a list"
    : value === null
      ? "null"
      : isObject(value)
        ? "an object"
        : `a ${typeof value}`;
}

function strictObject(
  file: string,
  where: string,
  value: unknown,
  fields: Readonly<Record<string, Shape>>,
): Record<string, unknown> {
  if (!isObject(value)) refuse(file, where, `must be an object, not ${typeName(value)}`);
  const out: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(value)) {
    const shape = fields[key];
    if (shape === undefined) refuse(file, where, `unknown field ${JSON.stringify(key)}`);
    const path = where ? `${where}.${key}` : key;
    if (field === null) continue; // Go leaves a null field unset.
    out[key] = decodeShape(file, path, field, shape);
  }
  return out;
}

function decodeShape(file: string, path: string, value: unknown, shape: Shape): unknown {
  switch (shape) {
    case "string":
      if (typeof value !== "string") refuse(file, path, `must be a string, not ${typeName(value)}`);
      return value;
    case "boolean":
      if (typeof value !== "boolean") refuse(file, path, `must be true or false, not ${typeName(value)}`);
      return value;
    case "duration":
      // metav1.Duration decodes a string with time.ParseDuration.
      if (typeof value !== "string")
        refuse(file, path, `must be a duration string such as "10m", not ${typeName(value)}`);
      if (parseGoDuration(value) === undefined)
        refuse(file, path, `${JSON.stringify(value)} is not a Go duration (such as 10m or 1h30m)`);
      return value;
    case "strings":
      if (!Array.isArray(value)) refuse(file, path, `must be a list of strings, not ${typeName(value)}`);
      return value.map((item, index) => decodeShape(file, `${path}[${index}]`, item, "string"));
    case "env":
      if (!Array.isArray(value))
        refuse(file, path, `must be a list of {name, value}, not ${typeName(value)}`);
      return value.map((item, index) => {
        const entry = strictObject(file, `${path}[${index}]`, item, { name: "string", value: "string" });
        return { name: entry["name"] ?? "", value: entry["value"] ?? "" };
      });
    case "tokenAttributes":
      return strictObject(file, path, value, TOKEN_ATTRIBUTE_FIELDS);
    case "providers":
      if (!Array.isArray(value)) refuse(file, path, `must be a list, not ${typeName(value)}`);
      return value;
  }
}

/** One config file's text: its providers, in order. Throws E_PROVIDER_CONFIG where kubelet fails to decode it. */
export function decodeKubeletConfig(text: string, file: string): DecodedProvider[] {
  const documents = parseManifestDocuments(text, file);
  if (documents.length !== 1)
    refuse(file, "", `holds ${documents.length} documents, not one CredentialProviderConfig`);
  const object = documents[0]?.object;
  if (!isObject(object)) refuse(file, "", "is not a CredentialProviderConfig object");
  const apiVersion = object["apiVersion"];
  const kind = object["kind"];
  if (typeof apiVersion !== "string" || !apiVersion.includes("/")) refuse(file, "apiVersion", "is missing");
  if (typeof kind !== "string" || kind === "") refuse(file, "kind", "is missing");
  if (!(KUBELET_CONFIG_API_VERSIONS as readonly string[]).includes(apiVersion)) {
    refuse(
      file,
      "apiVersion",
      `${JSON.stringify(apiVersion)} is not one of ${KUBELET_CONFIG_API_VERSIONS.join(", ")}`,
    );
  }
  if (kind !== "CredentialProviderConfig")
    refuse(file, "kind", `${JSON.stringify(kind)} is not CredentialProviderConfig`);
  const { apiVersion: _apiVersion, kind: _kind, ...rest } = object;
  const top = strictObject(file, "", rest, { providers: "providers" });
  const providers = (top["providers"] as unknown[] | undefined) ?? [];
  const providerFields =
    apiVersion === `${KUBELET_CONFIG_GROUP}/v1`
      ? PROVIDER_FIELDS
      : Object.fromEntries(Object.entries(PROVIDER_FIELDS).filter(([key]) => key !== "tokenAttributes"));
  return providers.map((value, index) => {
    const fields = strictObject(file, `providers[${index}]`, value, providerFields);
    return {
      file,
      index,
      provider: {
        name: (fields["name"] as string | undefined) ?? "",
        matchImages: (fields["matchImages"] as string[] | undefined) ?? [],
        apiVersion: (fields["apiVersion"] as string | undefined) ?? "",
        ...(fields["defaultCacheDuration"] !== undefined
          ? { defaultCacheDuration: fields["defaultCacheDuration"] as string }
          : {}),
        ...(fields["args"] !== undefined ? { args: fields["args"] as string[] } : {}),
        ...(fields["env"] !== undefined ? { env: fields["env"] as { name: string; value: string }[] } : {}),
        ...(fields["tokenAttributes"] !== undefined
          ? { tokenAttributes: fields["tokenAttributes"] as ServiceAccountTokenAttributes }
          : {}),
      },
    };
  });
}
