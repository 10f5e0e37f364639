/**
 * `pullwarden secret match IMAGE [FILE|-]`: the credentials kubelet would try for IMAGE, in kubelet's order
 * (all secrets of the file concatenated into one keyring, as kubelet merges a Pod's pull secrets).
 */
import { ExitCode, InvalidReferenceError } from "../../../errors.js";
import type { CliIo } from "../../io.js";
import { stdoutPaint, toJson } from "../../output.js";
import { readPullCredentialSources } from "../../read-input.js";
import type { SecretMatchFlags } from "./definition.js";
import { renderMatchReport } from "./render.js";
import type { MatchReport } from "./render.js";

export async function runSecretMatch(
  image: string,
  file: string,
  options: SecretMatchFlags,
  io: CliIo,
): Promise<number> {
  const { lookupCredentials, redactDerivedKey } = await import("../../../dockerconfig/index.js");
  const { inspectPullCredentials } = await import("../../../inspect/index.js");
  const { sources } = await readPullCredentialSources(file, io);
  const now = io.now();
  const report = inspectPullCredentials(sources, { now, showSecrets: options.showSecrets });
  // One keyring over every entry, in source order, like kubelet's merge of a Pod's secrets. Matched on the keys
  // as written (the report's are redacted); inspected entries are in the order of each config's entries.
  const entries = report.sources.flatMap((source, i) =>
    source.entries.map((inspected, j) => ({
      key: sources[i]?.config.entries[j]?.key ?? inspected.key,
      inspected,
    })),
  );
  const lookup = lookupCredentials(entries, image);
  if (!lookup.ok) {
    // The reference module's reason already quotes the image.
    throw new InvalidReferenceError(lookup.reason);
  }
  const matches = lookup.matches.map((match, order) => ({
    order: order + 1,
    via: match.via,
    normalizedKey: redactDerivedKey(match.key, match.normalizedKey),
    entry: match.entry.inspected,
  }));
  const matchReport: MatchReport = {
    image,
    normalizedImage: lookup.normalizedImage,
    matches,
    anonymousFallback: matches.length === 0,
  };
  if (options.output === "json") io.stdout.write(toJson(matchReport));
  else io.stdout.write(renderMatchReport(matchReport, now, stdoutPaint(io)));
  return ExitCode.ok;
}
