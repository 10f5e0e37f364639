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

/** Why a helper call failed, in words that never quote the helper's stdout (it may hold the credential). */
export interface HelperFailure {
  readonly failed: true;
  readonly reason: string;
  /** The helper gave no answer in time and was stopped. */
  readonly timedOut?: true;
}

export type HelperGetResult =
  | { readonly found: true; readonly credentials: HelperCredentials }
  | { readonly found: false }
  | HelperFailure;

/**
 * The protocol's own error messages (credentials/error.go), the only helper output ever shown: anything else
 * a failing helper prints may be the credential itself (a helper that prints its answer and exits 1).
 */
const PROTOCOL_MESSAGES = new Set([
  NOT_FOUND_MESSAGE,
  "no credentials server URL",
  "no credentials username",
]);

function exitFailure(exitCode: number, stdout: string): HelperFailure {
  const text = stdout.trim();
  return {
    failed: true,
    reason: PROTOCOL_MESSAGES.has(text)
      ? `exit code ${exitCode}: ${text}`
      : `exit code ${exitCode}${text ? " (its output is not shown: it may hold the credential)" : ""}`,
  };
}

/** Interprets a finished `get`: exit code and stdout. Pure, so every protocol quirk is unit-tested. */
export function interpretGet(serverURL: string, exitCode: number, stdout: string): HelperGetResult {
  const text = stdout.trim();
  if (exitCode !== 0) {
    if (text === NOT_FOUND_MESSAGE) return { found: false };
    return exitFailure(exitCode, stdout);
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
export function interpretList(exitCode: number, stdout: string): string[] | HelperFailure {
  if (exitCode !== 0) return exitFailure(exitCode, stdout);
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
