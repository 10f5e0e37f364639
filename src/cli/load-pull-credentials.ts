// Reads a user's file (or stdin) and finds the pull credentials in it; shared by inspect, match and check.
import type { PullCredentialSources } from "../manifest/index.js";
import type { CliIo } from "./io.js";
import { MAX_MANIFEST_INPUT_BYTES, readText } from "./read-input.js";

export async function readPullCredentialSources(
  pathOrDash: string,
  io: CliIo,
): Promise<PullCredentialSources> {
  const { loadPullCredentialSources } = await import("../manifest/index.js");
  const text = await readText(pathOrDash, io, MAX_MANIFEST_INPUT_BYTES);
  return loadPullCredentialSources(text, pathOrDash === "-" ? "stdin" : pathOrDash);
}
