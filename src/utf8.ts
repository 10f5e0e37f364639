// Strict UTF-8 decoding of what users give us (files, stdin), shared by the CLI and the library's input edges.
import { InputError } from "./errors.js";

/** Decodes UTF-8 strictly: binary garbage is refused with the offset of the first invalid byte. */
export function decodeUtf8(bytes: Buffer, source: string): string {
  try {
    // ignoreBOM keeps a byte order mark in the text: kubelet's JSON decoder rejects it, so parsers must see it.
    return new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    let offset = 0;
    const decoder = new TextDecoder("utf-8", { fatal: true });
    // Find the first bad byte by decoding growing prefixes at character boundaries (cheap: inputs are capped).
    for (let end = 1; end <= bytes.length; end++) {
      try {
        decoder.decode(bytes.subarray(0, end));
        offset = end;
      } catch {
        if (end - offset > 4) break;
      }
    }
    throw new InputError("E_INPUT_NOT_TEXT", `${source}: not UTF-8 text (invalid byte at offset ${offset})`, {
      source,
      position: { offset },
    });
  }
}
