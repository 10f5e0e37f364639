/** JSON patches (RFC 6902) and the JSON pointers (RFC 6901) their paths are. */

/** One operation of a JSON patch. */
export type JsonPatchOperation =
  | { readonly op: "add" | "replace" | "test"; readonly path: string; readonly value: unknown }
  | { readonly op: "remove"; readonly path: string };

/** Escapes a key for a JSON pointer (`/` → `~1`, `~` → `~0`). */
export function jsonPointerSegment(key: string): string {
  return key.replace(/~/g, "~0").replace(/\//g, "~1");
}

/** `["metadata", "annotations", "a/b"]` → `/metadata/annotations/a~1b`. */
export function jsonPointer(path: readonly (string | number)[]): string {
  return path.map((segment) => `/${jsonPointerSegment(String(segment))}`).join("");
}

/** `/registries/2/credential` → `["registries", "2", "credential"]`, each segment unescaped (`~1` → `/`, `~0` → `~`). */
export function parseJsonPointer(pointer: string): string[] {
  if (pointer === "") return [];
  return pointer
    .slice(1)
    .split("/")
    .map((segment) => segment.replace(/~1/g, "/").replace(/~0/g, "~"));
}
