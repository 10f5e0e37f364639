/**
 * POSIX shell quoting for every command pullwarden prints or writes (plan's scripts, audit's and doctor's fixes):
 * words that need no quotes stay readable.
 */

const SAFE_WORD = /^[A-Za-z0-9_@%+=:,./-]+$/;

/**
 * Quotes a word for bash. Values with `$`, a backtick or a backslash are double-quoted with those escaped (so
 * shellcheck does not take a literal `$` for a forgotten expansion); others are single-quoted.
 */
export function shQuote(value: string): string {
  if (value !== "" && SAFE_WORD.test(value)) return value;
  if (/[$`\\]/.test(value)) return `"${value.replace(/[\\$`"]/g, (c) => `\\${c}`)}"`;
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/** `--flag=value` with the value quoted when needed. */
export function shFlag(flag: string, value: string): string {
  return `${flag}=${shQuote(value)}`;
}

/** A path that may start with `~/`, written so the shell expands the home directory. */
export function shPath(path: string): string {
  if (path === "~") return '"$HOME"';
  if (path.startsWith("~/")) return `"$HOME"/${shQuote(path.slice(2))}`;
  return shQuote(path);
}

/** `--flag value`, the form every cloud CLI documents. */
export function shOpt(flag: string, value: string): string {
  return `${flag} ${shQuote(value)}`;
}
