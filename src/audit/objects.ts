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
