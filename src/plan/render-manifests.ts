/**
 * Kubernetes manifests of a plan: ServiceAccounts with `imagePullSecrets`, Secrets (only with
 * `--include-secrets`), the kustomization, kubelet's CredentialProviderConfig and workload patches. Scalars are
 * quoted as Go's YAML printer would (`manifest.goYamlString`), so kubectl reads back exactly these values.
 */
import { buildDockerConfigJson } from "../dockerconfig/index.js";
import { MANAGED_BY_LABEL_KEY, MANAGED_BY_LABEL_VALUE } from "../desired/index.js";
import { POD_SPEC_LOCATIONS, nestAtPodSpec } from "../kube-model/index.js";
import { DOCKER_CONFIG_JSON_KEY, DOCKER_CONFIG_JSON_TYPE, goYamlString } from "../manifest/index.js";
import type {
  ControllerResources,
  CredentialProviderConfig,
  PodReference,
  SecretValue,
} from "./plan-types.js";

const q = goYamlString;

export function serviceAccountYaml(namespace: string, name: string, secrets: readonly string[]): string {
  return [
    "apiVersion: v1",
    "kind: ServiceAccount",
    "metadata:",
    `  name: ${q(name)}`,
    `  namespace: ${q(namespace)}`,
    "imagePullSecrets:",
    ...secrets.map((secret) => `  - name: ${q(secret)}`),
    "",
  ].join("\n");
}

/** A pull Secret with its value, labelled as pullwarden's; `.dockerconfigjson` exactly as kubectl builds it. */
export function pullSecretYaml(namespace: string, name: string, value: SecretValue): string {
  const json = buildDockerConfigJson([value], { source: `secret ${name}` });
  const data = Buffer.from(json, "utf8").toString("base64");
  return [
    "apiVersion: v1",
    "kind: Secret",
    "metadata:",
    `  name: ${q(name)}`,
    `  namespace: ${q(namespace)}`,
    "  labels:",
    `    ${q(MANAGED_BY_LABEL_KEY)}: ${q(MANAGED_BY_LABEL_VALUE)}`,
    `type: ${q(DOCKER_CONFIG_JSON_TYPE)}`,
    "data:",
    `  ${q(DOCKER_CONFIG_JSON_KEY)}: ${q(data)}`,
    "",
  ].join("\n");
}

export function kustomizationYaml(resources: readonly string[]): string {
  return [
    "# The Kubernetes part of this plan: kubectl apply -k .",
    "apiVersion: kustomize.config.k8s.io/v1beta1",
    "kind: Kustomization",
    "resources:",
    ...resources.map((r) => `  - ${q(r)}`),
    "",
  ].join("\n");
}

export function credentialProviderConfigYaml(
  config: CredentialProviderConfig,
  header: readonly string[],
): string {
  const lines = [...header.map((h) => (h === "" ? "#" : `# ${h}`))];
  lines.push(`apiVersion: ${config.apiVersion}`, `kind: ${config.kind}`, "providers:");
  for (const provider of config.providers) {
    lines.push(`  - name: ${q(provider.name)}`, "    matchImages:");
    for (const pattern of provider.matchImages) lines.push(`      - ${JSON.stringify(pattern)}`);
    lines.push(`    defaultCacheDuration: ${JSON.stringify(provider.defaultCacheDuration)}`);
    lines.push(`    apiVersion: ${q(provider.apiVersion)}`);
    if (provider.args && provider.args.length > 0) {
      lines.push("    args:");
      for (const arg of provider.args) lines.push(`      - ${q(arg)}`);
    }
  }
  return lines.join("\n") + "\n";
}

type Plain = string | readonly Plain[] | { readonly [key: string]: Plain | undefined };

/** Block YAML for objects of strings, lists and mappings (the custom resources), scalars quoted as Go's printer. */
function blockYaml(value: Plain, indent: string): string[] {
  if (typeof value === "string") return [`${indent}${q(value)}`];
  if (Array.isArray(value)) {
    return (value as readonly Plain[]).flatMap((item) => {
      const [first = "", ...rest] = blockYaml(item, `${indent}  `);
      return [`${indent}- ${first.slice(indent.length + 2)}`, ...rest];
    });
  }
  const lines: string[] = [];
  for (const [key, item] of Object.entries(value as { readonly [key: string]: Plain | undefined })) {
    if (item === undefined) continue;
    if (typeof item === "string") lines.push(`${indent}${q(key)}: ${q(item)}`);
    else lines.push(`${indent}${q(key)}:`, ...blockYaml(item, `${indent}  `));
  }
  return lines;
}

/** The controller's custom resources as one multi-document manifest for `kubectl apply -f`. */
export function controllerResourcesYaml(resources: ControllerResources, header: readonly string[]): string {
  const objects = [...resources.credentials, ...resources.bindings];
  const documents = objects.map((object) => {
    const { apiVersion, kind, metadata, spec } = object;
    return [
      ...blockYaml({ apiVersion, kind, metadata: { name: metadata.name ?? "" } }, ""),
      ...blockYaml({ spec: spec as unknown as Plain }, ""),
    ].join("\n");
  });
  return (
    [...header.map((h) => (h === "" ? "#" : `# ${h}`)), ...documents.flatMap((d) => ["---", d])].join("\n") +
    "\n"
  );
}

/**
 * The strategic-merge patch that adds pull secrets to a workload's Pod template (merged by name: existing
 * entries stay). undefined for kinds whose Pod spec cannot be changed (Job, Pod).
 */
export function workloadPatch(ref: PodReference): object | undefined {
  if (!POD_SPEC_LOCATIONS[ref.kind].mutable) return undefined;
  return nestAtPodSpec(ref.kind, { imagePullSecrets: ref.secrets.map((name) => ({ name })) });
}
