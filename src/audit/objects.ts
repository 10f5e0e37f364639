/**
 * Defensive reading of untyped manifest objects: every accessor accepts anything (a string where a map was
 * expected, an array, null) and answers with undefined or an empty value instead of throwing.
 */

export type Json = Record<string, unknown>;

export function isRecord(value: unknown): value is Json {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export function record(value: unknown): Json | undefined {
  return isRecord(value) ? value : undefined;
}

export function str(value: unknown): string | undefined {
  return typeof value === "string" ? value : undefined;
}

export function arr(value: unknown): readonly unknown[] {
  return Array.isArray(value) ? value : [];
}

/** `obj.a.b.c` with every step checked. */
export function dig(value: unknown, ...path: readonly (string | number)[]): unknown {
  let current = value;
  for (const step of path) {
    if (typeof step === "number") {
      if (!Array.isArray(current)) return undefined;
      current = current[step];
    } else {
      if (!isRecord(current)) return undefined;
      current = current[step];
    }
  }
  return current;
}

/** A map of strings (labels, annotations, ConfigMap data); non-string values are dropped. */
export function stringMap(value: unknown): Readonly<Record<string, string>> {
  if (!isRecord(value)) return {};
  const out: Record<string, string> = {};
  for (const [key, entry] of Object.entries(value)) if (typeof entry === "string") out[key] = entry;
  return out;
}

/**
 * Kinds the audit understands, with whether they live in a namespace. Everything else (CRDs, Services,
 * custom resources) is read for nothing but its annotations.
 */
export const CLUSTER_SCOPED_KINDS = new Set([
  "Namespace",
  "Node",
  "ClusterRole",
  "ClusterRoleBinding",
  "CustomResourceDefinition",
  "PersistentVolume",
  "StorageClass",
  "PriorityClass",
  "APIService",
  "MutatingWebhookConfiguration",
  "ValidatingWebhookConfiguration",
  "ValidatingAdmissionPolicy",
  "ValidatingAdmissionPolicyBinding",
  "IngressClass",
  "RuntimeClass",
  "CSIDriver",
  "CSINode",
  "PodSecurityPolicy",
  "SecurityContextConstraints",
  "ClusterIssuer",
  "ClusterPolicy",
  "EncryptionConfiguration",
]);

export function isNamespacedKind(kind: string): boolean {
  return !CLUSTER_SCOPED_KINDS.has(kind);
}

/** `kind/name` or `kind/namespace/name`, for keys and fingerprints. */
export function refKey(ref: { kind: string; namespace?: string; name: string }): string {
  return ref.namespace === undefined ? `${ref.kind}/${ref.name}` : `${ref.kind}/${ref.namespace}/${ref.name}`;
}

/** `Deployment apps/api`, `ClusterRole reader`. */
export function describeRef(ref: { kind: string; namespace?: string; name: string }): string {
  return ref.namespace === undefined ? `${ref.kind} ${ref.name}` : `${ref.kind} ${ref.namespace}/${ref.name}`;
}

/** Shown for names that cannot be printed as they are (too long, control characters). */
export function safeName(name: string): string {
  // eslint-disable-next-line no-control-regex -- control characters are what is being removed
  const cleaned = name.replace(/[\u0000-\u001f\u007f-\u009f]/g, "?");
  return cleaned.length > 253 ? `${cleaned.slice(0, 250)}...` : cleaned;
}

/** Kubernetes object names (DNS-1123 subdomain) that a Secret can have. */
export function isValidSecretName(name: string): boolean {
  return (
    name.length > 0 &&
    name.length <= 253 &&
    /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/.test(name)
  );
}

/** Why a name cannot be a Secret's (see isValidSecretName), in a few words; undefined when it can. */
export function secretNameProblem(name: string): string | undefined {
  if (isValidSecretName(name)) return undefined;
  if (name.length === 0) return "it is empty";
  if (name.length > 253) return "it is longer than 253 characters";
  if (/[A-Z]/.test(name)) return "it has uppercase letters";
  if (/[^a-z0-9.-]/.test(name)) return "it has characters other than a-z, 0-9, '-' and '.'";
  return "each dot-separated part must start and end with a letter or digit";
}

/**
 * A valid Secret name close to an invalid one (`fooSecret` → `foosecret`, `my_pull` → `my-pull`), or undefined
 * when nothing usable is left. A suggestion only: the user picks the real name.
 */
export function validSecretNameLike(name: string): string | undefined {
  const parts = name
    .toLowerCase()
    .replace(/[^a-z0-9.-]+/g, "-")
    .split(".")
    .map((part) => part.replace(/-{2,}/g, "-").replace(/^-+|-+$/g, ""))
    .filter((part) => part !== "");
  let suggestion = parts.join(".").slice(0, 253);
  suggestion = suggestion.replace(/[.-]+$/, "");
  return isValidSecretName(suggestion) ? suggestion : undefined;
}
