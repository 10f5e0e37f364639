// A fake `docker-credential-<suffix>` (docker/docker-credential-helpers protocol) as a small shell script in a
// scratch directory: put `dir` first on the PATH of the process under test. It answers `get` (server URL on
// stdin → {"ServerURL","Username","Secret"}, or "credentials not found in native keychain" with exit 1) and
// `list` ({"<serverURL>":"<username>"}), and records every call (action and stdin) for assertions. It can also
// misbehave like real helpers do: fail with anything on stdout and stderr, or hang (a keychain prompt).
import { chmodSync, existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { makeScratchDir } from "./scratch.js";

/** The exact not-found message of the protocol (credentials/error.go). */
export const CREDENTIALS_NOT_FOUND = "credentials not found in native keychain";

export interface FakeHelperCredential {
  username: string;
  secret: string;
}

export interface FakeCredentialHelperOptions {
  /** `test` → `docker-credential-test`. */
  suffix: string;
  /** Server URL (exactly as the client sends it on stdin) → credentials. */
  credentials: Record<string, FakeHelperCredential>;
  /**
   * Makes every `get` and `list` fail with this on stdout and exit code 1 (the protocol's error channel; a
   * buggy helper may print its whole answer, secret included, before failing).
   */
  failWith?: string;
  /** With `failWith`: also print this on stderr. */
  failStderr?: string;
  /** Makes every `get` and `list` hang (after reading stdin and recording the call) until killed. */
  hang?: boolean;
  /** Leaves a sleeping child behind that holds stdout and stderr open after answering (its pid in `pids()`). */
  lingerChild?: boolean;
  /** Directory to write into (default: a fresh scratch dir). Several helpers may share one. */
  dir?: string;
}

export interface FakeCredentialHelper {
  /** Directory holding the helper; prepend it to PATH. */
  dir: string;
  /** Absolute path of the script. */
  path: string;
  /** Calls so far, as `"<action> <stdin>"` lines. */
  calls(): string[];
  /** With `hang`: the process id of each hung call (the helper itself, which `exec`s a sleep); with
   * `lingerChild`: the process id of each child left behind. */
  pids(): number[];
}

function readLines(path: string): string[] {
  return existsSync(path)
    ? readFileSync(path, "utf8")
        .split("\n")
        .filter((line) => line !== "")
    : [];
}

function shellQuote(text: string): string {
  return `'${text.replaceAll("'", `'\\''`)}'`;
}

export function writeFakeCredentialHelper(opts: FakeCredentialHelperOptions): FakeCredentialHelper {
  if (!/^[A-Za-z0-9._-]+$/.test(opts.suffix)) throw new Error(`bad helper suffix ${opts.suffix}`);
  const dir = opts.dir ?? makeScratchDir("credhelper");
  const path = join(dir, `docker-credential-${opts.suffix}`);
  const log = join(dir, `docker-credential-${opts.suffix}.calls`);
  const gets = Object.entries(opts.credentials)
    .map(([server, cred]) => {
      const answer = JSON.stringify({ ServerURL: server, Username: cred.username, Secret: cred.secret });
      return `      ${shellQuote(server)}) printf '%s\\n' ${shellQuote(answer)}; exit 0 ;;`;
    })
    .join("\n");
  const list = JSON.stringify(
    Object.fromEntries(Object.entries(opts.credentials).map(([server, cred]) => [server, cred.username])),
  );
  const pidLog = join(dir, `docker-credential-${opts.suffix}.pids`);
  const failStderr = opts.failStderr ? `printf '%s\\n' ${shellQuote(opts.failStderr)} >&2; ` : "";
  const fail = opts.failWith
    ? `case "$action" in get|list) ${failStderr}printf '%s\\n' ${shellQuote(opts.failWith)}; exit 1 ;; esac\n`
    : "";
  // `exec` keeps the process id, so killing that pid ends the hang (no orphaned sleep).
  const hang = opts.hang
    ? `case "$action" in get|list) echo $$ >> ${shellQuote(pidLog)}; exec sleep 3600 ;; esac\n`
    : "";
  const linger = opts.lingerChild ? `sleep 3600 & echo $! >> ${shellQuote(pidLog)}\n` : "";
  const script = `#!/bin/sh
# Fake docker-credential-${opts.suffix} written by test/support/credential-helper.ts.
action="$1"
input=$(cat)
printf '%s %s\\n' "$action" "$input" >> ${shellQuote(log)}
${hang}${linger}${fail}case "$action" in
  get)
    case "$input" in
${gets}
    esac
    printf '%s\\n' ${shellQuote(CREDENTIALS_NOT_FOUND)}
    exit 1
    ;;
  list) printf '%s\\n' ${shellQuote(list)}; exit 0 ;;
  version) echo "docker-credential-${opts.suffix} (fake) 0.0.0"; exit 0 ;;
  *) echo "unknown action: $action"; exit 1 ;;
esac
`;
  writeFileSync(path, script);
  chmodSync(path, 0o755);
  return {
    dir,
    path,
    calls: () => readLines(log),
    pids: () => readLines(pidLog).map(Number),
  };
}
