/**
 * Token scopes (distribution `docs/spec/auth/scope.md`): `resourcetype ":" resourcename ":" action *("," action)`.
 * A resource name may itself hold a `host:port` (`repository:localhost:5000/app:pull` on a proxy), so the type
 * ends at the first colon and the actions start after the last one; never split naively on ":".
 * Several scopes travel space-separated in one `scope` value (POST) or as repeated `scope` parameters (GET).
 */

export interface Scope {
  type: string;
  name: string;
  actions: string[];
}

/** `repository:<name>:<actions>`, e.g. `repository:org/app:pull`. */
export function repositoryScope(name: string, actions: readonly string[] = ["pull"]): string {
  return formatScope({ type: "repository", name, actions: [...actions] });
}

export function formatScope(scope: Scope): string {
  return `${scope.type}:${scope.name}:${scope.actions.join(",")}`;
}

/** Parses one scope; undefined when it has no type, name and action parts. */
export function parseScope(text: string): Scope | undefined {
  const first = text.indexOf(":");
  const last = text.lastIndexOf(":");
  if (first <= 0 || last === first || last === text.length - 1) return undefined;
  const name = text.slice(first + 1, last);
  if (name === "") return undefined;
  return {
    type: text.slice(0, first),
    name,
    actions: text
      .slice(last + 1)
      .split(",")
      .filter((a) => a !== ""),
  };
}

/** Splits a space-separated scope value (as in a challenge's `scope` or a POST form) into scopes. */
export function splitScopes(value: string): string[] {
  return value.split(" ").filter((s) => s !== "");
}
