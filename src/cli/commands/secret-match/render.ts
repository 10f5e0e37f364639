// Output of `pullwarden secret match`: the credentials kubelet would try, in order, each shown as inspect shows it.
import type { InspectedEntry } from "../../../inspect/index.js";
import type { Paint } from "../../output.js";
import { renderEntry } from "../secret-inspect/render.js";

export interface MatchReport {
  readonly image: string;
  readonly normalizedImage: string;
  readonly matches: readonly {
    readonly order: number;
    readonly via: string;
    readonly normalizedKey: string;
    readonly entry: InspectedEntry;
  }[];
  /** No credential matches: kubelet pulls anonymously. */
  readonly anonymousFallback: boolean;
}

export function renderMatchReport(report: MatchReport, now: Date, paint: Paint): string {
  let out = `image ${report.image} → kubelet looks up ${report.normalizedImage}\n`;
  if (report.matches.length === 0) {
    out += "no credential matches: kubelet pulls anonymously\n";
  }
  for (const match of report.matches) {
    const how =
      match.via === "docker-hub-fallback"
        ? "Docker Hub fallback (no other key matched)"
        : `key ${match.normalizedKey}`;
    out += `\n${match.order}. ${match.entry.source}, ${how}\n`;
    out += renderEntry(match.entry, now, paint, "   ");
  }
  if (report.matches.length > 1)
    out += "\nkubelet tries these in order and stops at the first pull that succeeds.\n";
  return out;
}
