/** Field names of the docker config formats, and Go's case-insensitive matching of them. */
import type { EntryFields } from "./entry-checks.js";

/** Entry fields in Go's folded spelling → model property (docker/cli types.AuthConfig json tags). */
export const ENTRY_FIELDS: Readonly<Record<string, keyof Omit<EntryFields, "key" | "keyPosition">>> = {
  username: "username",
  password: "password",
  email: "email",
  auth: "auth",
  identitytoken: "identityToken",
  registrytoken: "registryToken",
  serveraddress: "serverAddress",
};

/** The fields kubelet decodes (config.go dockerConfigEntryWithAuth); a type error there fails the secret. */
export const KUBELET_FIELDS: ReadonlySet<string> = new Set(["username", "password", "email", "auth"]);

/** Top-level keys of docker/cli's ConfigFile other than auths and HttpHeaders, folded. */
export const CONFIG_JSON_KEYS: ReadonlySet<string> = new Set(
  [
    "credsStore",
    "credHelpers",
    "psFormat",
    "imagesFormat",
    "networksFormat",
    "pluginsFormat",
    "volumesFormat",
    "statsFormat",
    "detachKeys",
    "serviceInspectFormat",
    "servicesFormat",
    "tasksFormat",
    "secretFormat",
    "configFormat",
    "nodesFormat",
    "pruneFilters",
    "proxies",
    "experimental",
    "currentContext",
    "cliPluginsExtraDirs",
    "plugins",
    "aliases",
    "features",
  ].map((k) => k.toLowerCase()),
);

/**
 * Go's case-insensitive struct-field matching for ASCII field names: ASCII case folds, and so do the two
 * non-ASCII letters whose simple folding reaches ASCII (U+212A KELVIN SIGN → k, U+017F LONG S → s).
 */
export function fold(key: string): string {
  return key.replace(/\u017f/g, "s").toLowerCase();
}

/** The format a top-level object looks like, from its keys (folded) and whether its values are entries. */
export function classifyTopLevel(
  keys: readonly string[],
  allValuesEntries: boolean,
): "dockerconfigjson" | "config.json" | "dockercfg" | undefined {
  const folded = keys.map(fold);
  const clientSettings = folded.some((k) => CONFIG_JSON_KEYS.has(k));
  if (folded.includes("auths")) return clientSettings ? "config.json" : "dockerconfigjson";
  if (clientSettings) return "config.json";
  if (keys.length > 0 && allValuesEntries) return "dockercfg";
  return undefined;
}
