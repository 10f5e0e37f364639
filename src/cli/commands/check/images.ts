/**
 * The images of `pullwarden check`: positional arguments and `-f FILE` lines (one reference per line; blank
 * lines and `#` comments ignored, a comment may also end a line), parsed with distribution's grammar. Every
 * invalid reference is reported with where it came from (`FILE:LINE`), not just the first. Pure.
 */
import { InvalidReferenceError } from "../../../errors.js";
import { parseNormalizedReference, referenceString } from "../../../reference/index.js";
import type { ImageReference } from "../../../reference/index.js";

/** One reference as the user gave it. */
export interface ImageInput {
  /** The reference text, trimmed. */
  readonly text: string;
  /** The file it was read from (`-` is stdin); absent for a command-line argument. */
  readonly file?: string;
  /** 1-based line in `file`. */
  readonly line?: number;
}

export interface ValidImage {
  readonly input: ImageInput;
  readonly reference: ImageReference;
  /** The normalised reference, e.g. `docker.io/library/nginx:1.27`. */
  readonly canonical: string;
}

export interface InvalidImage {
  readonly input: ImageInput;
  /** One line: where, the quoted reference and why (no stack, no secret). */
  readonly message: string;
  readonly hint?: string;
}

/** The references of an image list file, with their 1-based line numbers. */
export function parseImageList(text: string, file: string): ImageInput[] {
  const inputs: ImageInput[] = [];
  const lines = text.replace(/^\uFEFF/, "").split(/\r?\n|\r/);
  lines.forEach((raw, index) => {
    const hash = raw.indexOf("#");
    const content = (hash >= 0 ? raw.slice(0, hash) : raw).trim();
    if (content !== "") inputs.push({ text: content, file, line: index + 1 });
  });
  return inputs;
}

/** `FILE:LINE: ` for a file entry, "" for a command-line argument. */
export function inputLocation(input: ImageInput): string {
  if (input.file === undefined) return "";
  const file = input.file === "-" ? "stdin" : input.file;
  return input.line === undefined ? `${file}: ` : `${file}:${input.line}: `;
}

/** Parses every input; invalid ones are collected, never thrown. */
export function parseImages(inputs: readonly ImageInput[]): { valid: ValidImage[]; invalid: InvalidImage[] } {
  const valid: ValidImage[] = [];
  const invalid: InvalidImage[] = [];
  for (const input of inputs) {
    try {
      const reference = parseNormalizedReference(input.text);
      if (reference.domain === "") {
        // distribution reads an invalid first segment with a "." (`foo_bar.com/app`) as part of the path, leaving
        // no registry host; no runtime can pull it.
        invalid.push({
          input,
          message: `${inputLocation(input)}parsing image reference ${JSON.stringify(input.text)}: the first path component looks like a registry host but is not a valid host name`,
        });
        continue;
      }
      valid.push({ input, reference, canonical: referenceString(reference) });
    } catch (error) {
      if (!(error instanceof InvalidReferenceError)) throw error;
      invalid.push({
        input,
        message: `${inputLocation(input)}${error.message}`,
        ...(error.hint ? { hint: error.hint } : {}),
      });
    }
  }
  return { valid, invalid };
}
