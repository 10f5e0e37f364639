/**
 * The docker-credential-helpers protocol (https://github.com/docker/docker-credential-helpers,
 * credentials/credentials.go): `docker-credential-<suffix> get` reads a server URL on stdin and prints
 * {"ServerURL","Username","Secret"}; errors are printed on stdout with exit code 1, and a missing entry is the
 * exact message "credentials not found in native keychain". Username "<token>" means Secret is an identity token.
 */
export const NOT_FOUND_MESSAGE = "credentials not found in native keychain";
export const IDENTITY_TOKEN_USERNAME = "<token>";

export interface HelperCredentials {
  readonly serverURL: string;
  readonly username: string;
  readonly secret: string;
}

export type HelperGetResult =
  | { readonly found: true; readonly credentials: HelperCredentials }
  | { readonly found: false }
  | { readonly failed: true; readonly reason: string };

/** Interprets a finished `get`: exit code and stdout. Pure, so every protocol quirk is unit-tested. */
export function interpretGet(serverURL: string, exitCode: number, stdout: string): HelperGetResult {
  const text = stdout.trim();
  if (exitCode !== 0) {
    if (text === NOT_FOUND_MESSAGE) return { found: false };
    // The helper's own message is printed, capped; it never contains the secret per the protocol.
    return { failed: true, reason: text.slice(0, 200) || `exit code ${exitCode}` };
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return { failed: true, reason: "helper printed something that is not JSON" };
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    return { failed: true, reason: "helper printed JSON that is not an object" };
  }
  const record = parsed as Record<string, unknown>;
  const username = record["Username"];
  const secret = record["Secret"];
  if (typeof username !== "string" || typeof secret !== "string") {
    return { failed: true, reason: "helper output lacks string Username/Secret" };
  }
  const url = typeof record["ServerURL"] === "string" ? (record["ServerURL"] as string) : serverURL;
  return { found: true, credentials: { serverURL: url, username, secret } };
}

/** Interprets `list`: {"<serverURL>": "<username>", ...}. */
export function interpretList(exitCode: number, stdout: string): string[] | { failed: true; reason: string } {
  if (exitCode !== 0) return { failed: true, reason: stdout.trim().slice(0, 200) || `exit code ${exitCode}` };
  try {
    const parsed: unknown = JSON.parse(stdout.trim() || "{}");
    if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
      return { failed: true, reason: "helper list output is not a JSON object" };
    }
    return Object.keys(parsed);
  } catch {
    return { failed: true, reason: "helper list output is not JSON" };
  }
}
