/**
 * A Secret as `kubectl create secret ... --dry-run=client` builds it, and its two printers. Byte-identity with
 * kubectl is the contract: key order, indentation and quoting follow kubectl's printers
 * (cli-runtime pkg/printers/json.go: json.MarshalIndent with 4 spaces; yaml.go: sigs.k8s.io/yaml, keys sorted).
 *
 * kubectl before 1.34 prints `creationTimestamp: null`; 1.34 dropped it (apimachinery 503b989).
 */
import { encodeGoJsonIndent, goMap } from "../dockerconfig/index.js";
import type { GoJsonValue } from "../dockerconfig/index.js";
import { goYamlString } from "./go-yaml-scalar.js";

export const DOCKER_CONFIG_JSON_TYPE = "kubernetes.io/dockerconfigjson";
export const DOCKER_CONFIG_JSON_KEY = ".dockerconfigjson";

export interface SecretManifest {
  readonly name: string;
  /** Printed only when given, as kubectl prints it only for an explicit -n/--namespace. */
  readonly namespace?: string;
  readonly type: string;
  /** Key → base64 of the value bytes. */
  readonly data: Readonly<Record<string, string>>;
}

export interface PrintOptions {
  /** Print `creationTimestamp: null` as kubectl < 1.34 does. Default true. */
  readonly creationTimestampNull?: boolean;
}

function sortedKeys(data: Readonly<Record<string, string>>): string[] {
  // Go sorts map keys by bytes; data keys are restricted to [-._a-zA-Z0-9], where UTF-16 order is byte order.
  return Object.keys(data).sort();
}

export function printSecretYaml(secret: SecretManifest, options: PrintOptions = {}): string {
  const lines = ["apiVersion: v1", "data:"];
  for (const key of sortedKeys(secret.data)) {
    lines.push(`  ${goYamlString(key)}: ${goYamlString(secret.data[key] ?? "")}`);
  }
  lines.push("kind: Secret", "metadata:");
  if (options.creationTimestampNull ?? true) lines.push("  creationTimestamp: null");
  lines.push(`  name: ${goYamlString(secret.name)}`);
  if (secret.namespace !== undefined) lines.push(`  namespace: ${goYamlString(secret.namespace)}`);
  lines.push(`type: ${goYamlString(secret.type)}`);
  return lines.join("\n") + "\n";
}

export function printSecretJson(secret: SecretManifest, options: PrintOptions = {}): string {
  const metadata: Record<string, GoJsonValue> = { name: secret.name };
  if (secret.namespace !== undefined) metadata["namespace"] = secret.namespace;
  if (options.creationTimestampNull ?? true) metadata["creationTimestamp"] = null;
  const object = { kind: "Secret", apiVersion: "v1", metadata, data: goMap(secret.data), type: secret.type };
  return encodeGoJsonIndent(object, "    ") + "\n";
}

/** `kubectl ... -o name`. */
export function printSecretName(secret: SecretManifest): string {
  return `secret/${secret.name}\n`;
}
