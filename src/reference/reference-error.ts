import { InvalidReferenceError } from "../errors.js";

/** Longest part of an input quoted in a message; longer inputs are cut and their length is given. */
const QUOTE_LIMIT = 512;

/**
 * Builds the InvalidReferenceError for `input`. The message is one line: the quoted input, distribution's own
 * wording of the problem, and the first bad character with its 0-based offset when known. Image references
 * are not secret, so the input is quoted (escaped, and cut when very long).
 */
export function invalidReference(
  input: string,
  problem: string,
  offset?: number,
  hint?: string,
): InvalidReferenceError {
  return invalidInput("image reference", input, problem, offset, hint);
}

/** As invalidReference, for another kind of input named by `subject` (e.g. "registry host"). */
export function invalidInput(
  subject: string,
  input: string,
  problem: string,
  offset?: number,
  hint?: string,
): InvalidReferenceError {
  let message = `parsing ${subject} ${quote(input)}: ${problem}`;
  if (offset !== undefined) {
    const character = input.codePointAt(offset);
    message +=
      character === undefined
        ? ` (the ${subject} ends too early, at offset ${offset})`
        : ` (first bad character ${quote(String.fromCodePoint(character))} at offset ${offset})`;
  }
  return new InvalidReferenceError(message, {
    ...(offset === undefined ? {} : { position: { offset } }),
    ...(hint === undefined ? {} : { hint }),
  });
}

/** Double-quotes `text` for a one-line message (see `escapeText`); very long inputs are cut. */
export function quote(text: string): string {
  if (text.length <= QUOTE_LIMIT) return `"${escapeText(text)}"`;
  return `"${escapeText(text.slice(0, QUOTE_LIMIT))}"… (${text.length} characters)`;
}

/**
 * Printable ASCII stays as is, `"` and `\` are backslash-escaped, and everything else (controls, line breaks,
 * bidi overrides, non-ASCII, lone surrogates) becomes `\u{…}`, so a message is always one safe line.
 */
export function escapeText(text: string): string {
  let escaped = "";
  for (const character of text) {
    const code = character.codePointAt(0) ?? 0;
    if (character === '"' || character === "\\") escaped += `\\${character}`;
    else if (code >= 0x20 && code <= 0x7e) escaped += character;
    else escaped += `\\u{${code.toString(16)}}`;
  }
  return escaped;
}
