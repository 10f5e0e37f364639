/**
 * Passwords read from where the user put them (standard input, a file, a variable, a flag): one trailing newline
 * is not part of a password read from a stream (like `docker login --password-stdin`), and an empty password is
 * refused where it was read, naming the source. Shared by `secret create` and `check`.
 */
import { InputError } from "../errors.js";
import type { CliIo } from "./io.js";
import { MAX_SECRET_INPUT_BYTES, readText } from "./read-input.js";

/** One trailing newline (LF or CRLF), as `docker login --password-stdin` drops it. */
export function trimTrailingNewline(text: string): string {
  return text.replace(/\r?\n$/, "");
}

/**
 * An empty password is refused where it was read, naming the source: kubectl's generic "either --from-file
 * or ..." would send the user looking for a missing flag when the flag is there and the value is not.
 */
export function nonEmptyPassword(password: string, source: string, hint?: string): string {
  if (password !== "") return password;
  throw new InputError("E_EMPTY_PASSWORD", `no password: ${source} is empty`, {
    hint: hint ?? "put the password there, or pass it with --docker-password-stdin",
  });
}

/** The password on standard input (`flag` names the option that asked for it), prompting on a terminal. */
export async function readPasswordStdin(io: CliIo, flag: string): Promise<string> {
  if (io.stdin.isTTY) io.stderr.write("Password (input is read until end of file): ");
  return nonEmptyPassword(
    trimTrailingNewline(await readText("-", io, MAX_SECRET_INPUT_BYTES)),
    `the password read from standard input (${flag})`,
    `check that what you pipe in is set: printf '%s' "$TOKEN" | ... sends nothing when TOKEN is unset or empty`,
  );
}
