/**
 * `pullwarden secret match IMAGE [FILE|-]`: the credentials kubelet would try for IMAGE, in kubelet's order
 * (all secrets of the file concatenated into one keyring, as kubelet merges a Pod's pull secrets).
 */
import { ExitCode, InvalidReferenceError } from "../../errors.js";
import type { CliIo } from "../io.js";
import { useColor } from "../io.js";
import { readPullCredentialSources } from "../load-pull-credentials.js";
import { createPaint, renderEntry } from "../render-inspect.js";
import { toJson } from "../output.js";

export interface SecretMatchOptions {
  output?: "text" | "json";
  showSecrets?: boolean;
}

export async function runSecretMatch(
  image: string,
  file: string,
  options: SecretMatchOptions,
  io: CliIo,
): Promise<number> {
  const { lookupCredentials, redactDerivedKey } = await import("../../dockerconfig/index.js");
  const { inspectPullCredentials } = await import("../../inspect/index.js");
  const { sources } = await readPullCredentialSources(file, io);
  const now = io.now();
  const report = inspectPullCredentials(sources, { now, showSecrets: options.showSecrets === true });
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
  if (options.output === "json") {
    io.stdout.write(
      toJson({
        image,
        normalizedImage: lookup.normalizedImage,
        matches,
        anonymousFallback: matches.length === 0,
      }),
    );
    return ExitCode.ok;
  }
  const paint = createPaint(useColor(io));
  let out = `image ${image} → kubelet looks up ${lookup.normalizedImage}\n`;
  if (matches.length === 0) {
    out += "no credential matches: kubelet pulls anonymously\n";
  }
  for (const match of matches) {
    const how =
      match.via === "docker-hub-fallback"
        ? "Docker Hub fallback (no other key matched)"
        : `key ${match.normalizedKey}`;
    out += `\n${match.order}. ${match.entry.source}, ${how}\n`;
    out += renderEntry(match.entry, now, paint, "   ");
  }
  if (matches.length > 1)
    out += "\nkubelet tries these in order and stops at the first pull that succeeds.\n";
  io.stdout.write(out);
  return ExitCode.ok;
}
