// Reads a user's file (or stdin) and finds the pull credentials in it; shared by create --merge, inspect, match.
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

/** For --merge: each source as a `{source, config}` merge input. */
export async function loadPullCredentialFile(pathOrDash: string, io: CliIo) {
  const { sources } = await readPullCredentialSources(pathOrDash, io);
  return sources.map((source) => ({ source: source.label, config: source.config }));
}
